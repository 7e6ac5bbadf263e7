// What every part of the running server shares: configuration, database, logger, sign-in limiter.
import type { Logger } from 'pino';
import type { Config } from './config/env.ts';
import type { Database } from './db/client.ts';
import type { SignInLimiter } from './auth/rate-limit.ts';

export interface AppContext {
  config: Config;
  db: Database;
  log: Logger;
  limiter: SignInLimiter;
  /** Called after a transition that created work for the engine. */
  wake: () => void;
}
