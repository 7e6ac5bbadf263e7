// npm test: every test. Pure units and tool fixtures run once; service and HTTP tests run on SQLite
// and again on PostgreSQL (GANTRY_TEST_PG_URL, default the local server). In CI PostgreSQL must be there.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root } from './prisma.mjs';
import { setup } from './setup.mjs';

const pgUrl = process.env.GANTRY_TEST_PG_URL ?? 'postgresql://root@127.0.0.1:5432/test';
const onlyFiles = process.argv.slice(2);

function findTests(dir, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'generated') findTests(full, out);
    else if (entry.name.endsWith('.test.ts')) out.push(path.relative(root, full));
  }
  return out.sort();
}

// Tiers by file name: *.tools.test.ts drive real svn/git/ssh/rsync; *.service.test.ts and *.http.test.ts
// need a database (and often the tools); every other *.test.ts is a pure unit test that starts no process.
const selected = (f) => !onlyFiles.length || onlyFiles.some((o) => f.includes(o));
const all = findTests(path.join(root, 'server')).filter(selected);
const hasWeb = fs.existsSync(path.join(root, 'web', 'package.json'));
const browserTests = hasWeb && fs.existsSync(path.join(root, 'web', 'e2e'))
  ? fs.readdirSync(path.join(root, 'web', 'e2e')).filter((f) => f.endsWith('.e2e.test.ts')).map((f) => path.join('web', 'e2e', f)).filter(selected)
  : [];
const needsDb = (f) => /\.(service|http)\.test\.ts$/.test(f);
const isTools = (f) => /\.tools\.test\.ts$/.test(f);

async function pgAvailable() {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch (err) {
    return err.message;
  }
}

async function pgQuery(sql) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const totals = { pass: 0, fail: 0, skipped: 0 };

function runNodeTests(label, files, env) {
  if (!files.length) return Promise.resolve(0);
  console.log(`\n=== ${label}: ${files.length} file(s) ===`);
  const tap = path.join(os.tmpdir(), `gantry-tap-${process.pid}-${label.replace(/\W+/g, '_')}.txt`);
  const args = [
    '--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=600000',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...files,
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('exit', (code) => {
      const text = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
      for (const key of Object.keys(totals)) {
        const m = text.match(new RegExp(`^# ${key} (\\d+)$`, 'm'));
        if (m) totals[key] += Number(m[1]);
      }
      fs.rmSync(tap, { force: true });
      resolve(code ?? 1);
    });
  });
}

await setup();
try {
  const { ensureSystemPackages, DEFAULT_PACKAGES } = await import('./system-deps.mjs');
  await ensureSystemPackages([...DEFAULT_PACKAGES, ...(browserTests.length ? ['chromium'] : [])]);
} catch (err) {
  console.error(`System packages: ${err.message}`);
  process.exitCode = 1;
}
const { deploy } = await import('./db.mjs');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-test-'));
let failed = 0;
let pgTemplate;
try {
  const sqliteTemplate = path.join(work, 'template.db');
  deploy(`file:${sqliteTemplate}`);
  failed += await runNodeTests('unit', all.filter((f) => !needsDb(f) && !isTools(f)), {});
  failed += await runNodeTests('tools', all.filter(isTools), {});
  failed += await runNodeTests('service and http on SQLite', all.filter(needsDb), { GANTRY_TEST_DB: 'sqlite', GANTRY_TEST_TEMPLATE: sqliteTemplate });

  const pgState = process.env.GANTRY_TEST_SKIP_PG ? 'skipped by GANTRY_TEST_SKIP_PG' : await pgAvailable();
  if (pgState === true) {
    pgTemplate = `gantry_tpl_${process.pid}`;
    await pgQuery(`DROP DATABASE IF EXISTS "${pgTemplate}"`);
    await pgQuery(`CREATE DATABASE "${pgTemplate}"`);
    const url = new URL(pgUrl);
    url.pathname = `/${pgTemplate}`;
    deploy(url.href);
    failed += await runNodeTests('service and http on PostgreSQL', all.filter(needsDb), {
      GANTRY_TEST_DB: 'postgresql', GANTRY_TEST_TEMPLATE: pgTemplate, GANTRY_TEST_PG_URL: pgUrl,
    });
  } else if (process.env.CI) {
    console.error(`\nPostgreSQL at ${pgUrl} is not reachable (${pgState}); CI must test both databases.`);
    failed += 1;
    totals.fail += 1;
  } else {
    console.warn(`\nSKIPPED the PostgreSQL run: ${pgUrl} is not reachable (${pgState}). Set GANTRY_TEST_PG_URL.`);
  }

  // The web app: its unit tests (Vitest) and the browser tests in real Chromium against a real server.
  if (hasWeb && (!onlyFiles.length || onlyFiles.some((o) => 'web'.includes(o) || o.includes('web')))) {
    const web = await import('./web.mjs');
    console.log('\n=== web unit tests (Vitest) ===');
    const unit = await web.runWebUnitTests();
    console.log(`web unit tests: ${unit.passed} passed, ${unit.failed} failed`);
    totals.pass += unit.passed;
    totals.fail += unit.failed;
    if (unit.failed) failed += 1;
  }
  if (browserTests.length) {
    const web = await import('./web.mjs');
    await web.ensureWebBuilt();
    failed += await runNodeTests('browser (Chromium)', browserTests, {});
  }
} finally {
  if (pgTemplate) await pgQuery(`DROP DATABASE IF EXISTS "${pgTemplate}" WITH (FORCE)`).catch(() => {});
  fs.rmSync(work, { recursive: true, force: true });
}
console.log(`\ntotal: ${totals.pass} passed, ${totals.fail} failed, ${totals.skipped} skipped`);
process.exit(failed || process.exitCode ? 1 : 0);
