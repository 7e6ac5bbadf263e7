// Unit: configuration parsing.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { loadConfig } from './env.ts';

test('defaults: port 8080, SQLite under ./data, demo on', () => {
  const config = loadConfig({});
  assert.equal(config.port, 8080);
  assert.equal(config.dataDir, path.resolve('data'));
  assert.equal(config.databaseUrl, `file:${path.resolve('data', 'gantry.db')}`);
  assert.equal(config.demo, true);
});

test('PostgreSQL is chosen by DATABASE_URL; GANTRY_DEMO=0 turns the demo off', () => {
  const config = loadConfig({ DATABASE_URL: 'postgresql://u@db/gantry', GANTRY_DEMO: '0', PORT: '9000' });
  assert.equal(config.databaseUrl, 'postgresql://u@db/gantry');
  assert.equal(config.demo, false);
  assert.equal(config.port, 9000);
});

test('every invalid variable is listed at once', () => {
  assert.throws(
    () => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', GANTRY_ADMIN_PASSWORD: 'short' }),
    (err: Error) => ['PORT', 'DATABASE_URL', 'GANTRY_ADMIN_PASSWORD'].every((k) => err.message.includes(k)),
  );
});
