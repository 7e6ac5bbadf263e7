// Starts Gantry: configuration, database, first-start setup, HTTP server.
import fs from 'node:fs';
import pino from 'pino';
import { loadConfig } from './config/env.ts';
import { openDatabase } from './db/client.ts';
import { SignInLimiter } from './auth/rate-limit.ts';
import { buildApp } from './app.ts';
import { firstStart } from './bootstrap/first-start.ts';
import type { AppContext } from './context.ts';
import { Engine } from './engine/engine.ts';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  const log = pino({ level: config.logLevel });
  fs.mkdirSync(config.dataDir, { recursive: true });
  const db = await openDatabase(config.databaseUrl);
  const ctx: AppContext = { config, db, log, limiter: new SignInLimiter(config.login), wake: () => engine?.wake() };
  const engine = config.engine.enabled ? new Engine(ctx) : undefined;
  for (const line of await firstStart(ctx)) {
    // Printed once, on the first start only; never logged afterwards.
    console.log(`\n  ${line}`);
  }
  const server = buildApp(ctx).listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    log.info({ port, database: db.provider, dataDir: config.dataDir }, `Gantry listening on http://localhost:${port}`);
  });
  engine?.start();
  const stop = () => {
    log.info('stopping');
    server.close();
    server.closeAllConnections();
    void (engine?.stop() ?? Promise.resolve()).then(() => db.close()).then(() => process.exit(0));
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
