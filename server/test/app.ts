// Starts the real Gantry HTTP app on a loopback port with a fresh database, for service and HTTP tests.
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { buildApp } from '../app.ts';
import { SignInLimiter } from '../auth/rate-limit.ts';
import { loadConfig } from '../config/env.ts';
import type { AppContext } from '../context.ts';
import { openDatabase } from '../db/client.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { Engine } from '../engine/engine.ts';

export interface TestApp {
  ctx: AppContext;
  url: string;
  /** fetch against the API: path under /api/v1; JSON body; auth as a bearer token or Basic. */
  call(method: string, path: string, opts?: CallOptions): Promise<{ status: number; body: any; headers: Headers }>;
  wakes: number;
  /** The engine, when started with { engine: true }. */
  engine?: Engine;
  close(): Promise<void>;
}

export interface CallOptions {
  token?: string;
  basic?: [string, string];
  json?: unknown;
  /** A raw body sent as application/json (for malformed JSON). */
  raw?: string;
  headers?: Record<string, string>;
}

/** Boots the app; env overrides configuration (e.g. rate limits). */
export async function startTestApp(env: Record<string, string> = {}, opts: { engine?: boolean; database?: TestDatabase } = {}): Promise<TestApp> {
  const database = opts.database ?? (await createTestDatabase());
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-data-'));
  const config = loadConfig({
    GANTRY_DATA_DIR: dataDir, GANTRY_DEMO: '0', GANTRY_POLL_SECONDS: '1', GANTRY_LEASE_SECONDS: '10', ...env, DATABASE_URL: database.url,
  });
  const db = await openDatabase(database.url);
  const state = { wakes: 0 };
  let engine: Engine | undefined;
  const ctx: AppContext = {
    config, db, log: pino({ level: process.env.GANTRY_TEST_LOG ?? 'silent' }),
    limiter: new SignInLimiter(config.login),
    wake: () => {
      state.wakes++;
      engine?.wake();
    },
  };
  if (opts.engine) {
    engine = new Engine(ctx);
    engine.start();
  }
  const server = buildApp(ctx).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    ctx,
    url,
    get wakes() {
      return state.wakes;
    },
    async call(method, path, opts = {}) {
      const headers: Record<string, string> = { ...opts.headers };
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      if (opts.basic) headers.authorization = `Basic ${Buffer.from(opts.basic.join(':')).toString('base64')}`;
      let body: string | undefined;
      if (opts.raw !== undefined) body = opts.raw;
      else if (opts.json !== undefined) body = JSON.stringify(opts.json);
      if (body !== undefined) headers['content-type'] ??= 'application/json';
      const res = await fetch(url + '/api/v1' + path, { method, headers, body });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        /* not JSON: keep the text */
      }
      return { status: res.status, body: parsed as any, headers: res.headers };
    },
    engine,
    async close() {
      await engine?.stop();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await db.close();
      if (!opts.database) await database.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
