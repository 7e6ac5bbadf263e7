// Gantry's configuration: parsed once from the environment; start-up stops listing every problem.
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

const flag = z.enum(['0', '1']).transform((v) => v === '1');
const password = z.string().min(8, 'must be at least 8 characters');

const schema = z.object({
  /** HTTP port. */
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Address to listen on. */
  GANTRY_HOST: z.string().default('0.0.0.0'),
  /** Folder for the embedded database, staging trees and release repositories. */
  GANTRY_DATA_DIR: z.string().min(1).default('./data'),
  /** `postgresql://…` for PostgreSQL; `file:…` for SQLite. Default: SQLite at <data>/gantry.db. */
  DATABASE_URL: z
    .string()
    .regex(/^(postgres(ql)?:\/\/|file:)/, 'must start with postgresql:// or file:')
    .optional(),
  /** Password of the first admin, created on first start. Generated and printed once when unset. */
  GANTRY_ADMIN_PASSWORD: password.optional(),
  /** Create the demo workspace (users admin, dev, tester, lead; project `demo`) on an empty database. */
  GANTRY_DEMO: flag.default(true),
  /** Password of the demo users. Generated and printed once when unset. */
  GANTRY_DEMO_PASSWORD: password.optional(),
  /** Hours a browser session lives without use. */
  GANTRY_SESSION_HOURS: z.coerce.number().positive().max(24 * 30).default(12),
  /** Mark cookies Secure (set to 1 behind HTTPS). */
  GANTRY_SECURE_COOKIES: flag.default(false),
  /** Trust X-Forwarded-For from this many proxies (0: use the socket address). */
  GANTRY_TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  /** Failed sign-ins allowed per account within the window. */
  GANTRY_LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().positive().default(10),
  /** Sign-in attempts allowed per client address within the window. */
  GANTRY_LOGIN_MAX_ATTEMPTS_PER_CLIENT: z.coerce.number().int().positive().default(100),
  /** Length of the sign-in rate-limit window, in minutes. */
  GANTRY_LOGIN_WINDOW_MINUTES: z.coerce.number().positive().default(15),
  /** Run the release engine (poller) in this server. 0: API only. */
  GANTRY_ENGINE: flag.default(true),
  /** Seconds between engine polls (work created by this server starts at once anyway). */
  GANTRY_POLL_SECONDS: z.coerce.number().int().min(1).max(3600).default(5),
  /** Lifetime of a work lease; a crashed server's work is taken over this long after its last renewal. */
  GANTRY_LEASE_SECONDS: z.coerce.number().int().min(2).max(3600).default(30),
  /** This server's name in leases and logs. Default: host name and process id. */
  GANTRY_SERVER_ID: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/).optional(),
  /** Private key Gantry uses for ssh targets. Default: <data>/ssh/id_ed25519, generated on first use. */
  GANTRY_SSH_KEY_FILE: z.string().optional(),
  /** pino log level. */
  GANTRY_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string;
  adminPassword: string | undefined;
  demo: boolean;
  demoPassword: string | undefined;
  sessionHours: number;
  secureCookies: boolean;
  trustProxy: number;
  login: { maxFailuresPerAccount: number; maxAttemptsPerClient: number; windowMs: number };
  logLevel: string;
  engine: { enabled: boolean; pollSeconds: number; leaseMs: number; serverId: string; sshKeyFile: string };
}

/** Parses the environment into a Config, or throws one error listing every invalid variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.GANTRY_DATA_DIR);
  return {
    port: e.PORT,
    host: e.GANTRY_HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL ?? `file:${path.join(dataDir, 'gantry.db')}`,
    adminPassword: e.GANTRY_ADMIN_PASSWORD,
    demo: e.GANTRY_DEMO,
    demoPassword: e.GANTRY_DEMO_PASSWORD,
    sessionHours: e.GANTRY_SESSION_HOURS,
    secureCookies: e.GANTRY_SECURE_COOKIES,
    trustProxy: e.GANTRY_TRUST_PROXY,
    login: {
      maxFailuresPerAccount: e.GANTRY_LOGIN_MAX_FAILURES_PER_ACCOUNT,
      maxAttemptsPerClient: e.GANTRY_LOGIN_MAX_ATTEMPTS_PER_CLIENT,
      windowMs: e.GANTRY_LOGIN_WINDOW_MINUTES * 60_000,
    },
    logLevel: e.GANTRY_LOG_LEVEL,
    engine: {
      enabled: e.GANTRY_ENGINE,
      pollSeconds: e.GANTRY_POLL_SECONDS,
      leaseMs: e.GANTRY_LEASE_SECONDS * 1000,
      serverId: e.GANTRY_SERVER_ID ?? `${os.hostname().replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 40)}-${process.pid}`,
      sshKeyFile: path.resolve(e.GANTRY_SSH_KEY_FILE ?? path.join(dataDir, 'ssh', 'id_ed25519')),
    },
  };
}
