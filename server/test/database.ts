// A fresh, migrated database per test file, on the provider the test run chose (GANTRY_TEST_DB).
// scripts/test.mjs migrates one template per provider; each test copies it (SQLite) or clones it
// with CREATE DATABASE … TEMPLATE (PostgreSQL), so every test file starts from an empty schema.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** The provider this run tests: 'sqlite' (default) or 'postgresql'. */
export const testProvider = (process.env.GANTRY_TEST_DB ?? 'sqlite') as 'sqlite' | 'postgresql';

/** Creates an empty, migrated database for one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = process.env.GANTRY_TEST_TEMPLATE;
  if (!template) throw new Error('GANTRY_TEST_TEMPLATE is not set: run the tests with `npm test`');
  if (testProvider === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-db-'));
    const file = path.join(dir, 'gantry.db');
    fs.copyFileSync(template, file);
    return { url: `file:${file}`, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const admin = process.env.GANTRY_TEST_PG_URL!;
  const name = `gantry_t_${crypto.randomBytes(6).toString('hex')}`;
  await withPg(admin, (c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    drop: () => withPg(admin, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

async function withPg<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
