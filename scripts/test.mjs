// npm test: every test, tier by tier, then one summary that tells the whole truth: each tier's counts
// and seconds, every skip named, every failure counted (a tier that could not run is a failure too).
// Tiers by file name under server/:
//   unit        *.test.ts (pure): runs with PATH set to an empty folder, so starting a program fails
//   tools       *.tools.test.ts: real svn, git, ssh, rsync
//   service and http on SQLite, then on PostgreSQL   *.service.test.ts, *.http.test.ts: a database
// then the web app: its unit tests (Vitest), the bundle budget, and the browser tests (web/e2e, Chromium).
// PostgreSQL is GANTRY_TEST_PG_URL (default the local server). Under CI it must be reachable; elsewhere
// an unreachable one is a skip, counted and named in the total line.
// `npm test -- <part of a file name> …` runs only the matching files ("web" selects the web app's tiers).
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

const selected = (f) => !onlyFiles.length || onlyFiles.some((o) => f.includes(o));
const all = findTests(path.join(root, 'server')).filter(selected);
const hasWeb = fs.existsSync(path.join(root, 'web', 'package.json'));
const webSelected = hasWeb && (!onlyFiles.length || onlyFiles.some((o) => 'web'.includes(o) || o.includes('web')));
const browserTests = hasWeb && fs.existsSync(path.join(root, 'web', 'e2e'))
  ? fs.readdirSync(path.join(root, 'web', 'e2e')).filter((f) => f.endsWith('.e2e.test.ts')).map((f) => path.join('web', 'e2e', f)).filter(selected)
  : [];
const needsDb = (f) => /\.(service|http)\.test\.ts$/.test(f);
const isTools = (f) => /\.tools\.test\.ts$/.test(f);
const units = all.filter((f) => !needsDb(f) && !isTools(f));
const tools = all.filter(isTools);
const dbTests = all.filter(needsDb);

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

// ---- results: one row per tier or step, printed as each ends and again in the summary ----

/** @type {{ name: string, test: boolean, passed: number, failed: number, skipped: number, seconds: number, skips: string[], failures: string[], info?: string }[]} */
const results = [];
const runStarted = performance.now();
const secs = (s) => `${s.toFixed(1)} s`;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

function counts(r) {
  return `${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`;
}

/**
 * Runs one tier (test: true) or step (setup, builds) and records it. fn returns counts and reasons; a
 * throw counts as one failure, named by its message. Returns the recorded row.
 */
async function record(name, fn, { test = true } = {}) {
  const started = performance.now();
  let row;
  try {
    row = { passed: 0, failed: 0, skipped: 0, skips: [], failures: [], ...(await fn()) };
  } catch (err) {
    console.error(`\n${name}: ${err.message}`);
    row = { passed: 0, failed: 1, skipped: 0, skips: [], failures: [err.message.split('\n')[0]] };
  }
  row = { name, test, ...row, seconds: (performance.now() - started) / 1000 };
  results.push(row);
  const what = test ? counts(row) : row.failed ? 'failed' : 'done';
  console.log(`\n--- ${name}: ${what} in ${secs(row.seconds)}${row.info ? ` (${row.info})` : ''}`);
  return row;
}

/** A tier that did not run because something before it failed: one failure, with the reason. */
function notRun(name, reason) {
  return record(name, () => ({ failed: 1, failures: [`not run: ${reason}`] }));
}

/** Reads node:test's TAP file: the summary counts, the skipped tests with reasons, the failed tests. */
function parseTap(text) {
  const number = (key) => Number(text.match(new RegExp(`^# ${key} (\\d+)$`, 'm'))?.[1] ?? 0);
  const lines = text.split('\n');
  const skips = [];
  const failures = [];
  for (let i = 0; i < lines.length; i++) {
    const skip = lines[i].match(/^\s*ok \d+ - (.*?) # SKIP\s*(.*)$/);
    if (skip) skips.push(`"${skip[1]}"${skip[2] ? `: ${skip[2]}` : ''}`);
    const fail = lines[i].match(/^(\s*)not ok \d+ - (.*?)(?: # (?:SKIP|TODO).*)?$/);
    if (!fail) continue;
    // A parent whose subtests failed is not a failure of its own; list only the tests that failed.
    let parent = false;
    for (let j = i + 1; j < lines.length && !/^\s*(not )?ok \d+ /.test(lines[j]); j++) {
      if (/failureType: 'subtestsFailed'/.test(lines[j])) parent = true;
    }
    if (!parent) failures.push(fail[2]);
  }
  return {
    passed: number('pass'),
    failed: number('fail') + number('cancelled'),
    skipped: number('skipped') + number('todo'),
    skips,
    failures,
  };
}

/** Runs node:test over files (two at a time) and returns the tier's counts. */
function runNodeTests(label, files, env) {
  console.log(`\n=== ${label}: ${files.length} file(s) ===`);
  const tap = path.join(os.tmpdir(), `gantry-tap-${process.pid}-${label.replace(/\W+/g, '_')}.txt`);
  const args = [
    '--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=600000',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...files,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const text = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
      fs.rmSync(tap, { force: true });
      const result = parseTap(text);
      if ((code !== 0 || signal) && result.failed === 0) {
        // The runner ended badly without naming a failed test (a crash, a signal): still a failure.
        result.failed = 1;
        result.failures.push(`the test runner exited with ${signal ?? `code ${code}`} without reporting a failed test`);
      }
      resolve(result);
    });
  });
}

// ---- the run ----

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-test-'));
let pgTemplate;
try {
  const prepared = await record('setup (npm packages, Prisma clients, system packages)', async () => {
    await setup();
    const { ensureSystemPackages, DEFAULT_PACKAGES } = await import('./system-deps.mjs');
    await ensureSystemPackages([...DEFAULT_PACKAGES, ...(browserTests.length ? ['chromium', 'fonts-wqy-microhei'] : [])]);
    return {};
  }, { test: false });

  if (prepared.failed) {
    if (units.length) await notRun('unit', 'setup failed');
    if (tools.length) await notRun('tools', 'setup failed');
    if (dbTests.length) for (const db of ['SQLite', 'PostgreSQL']) await notRun(`service and http on ${db}`, 'setup failed');
  } else {
    const { deploy } = await import('./db.mjs');
    if (units.length) {
      // No programs on PATH: a unit test that starts git, svn, ssh or rsync fails here instead of
      // quietly being a tools test. (node itself is started by its absolute path.)
      const noPrograms = path.join(work, 'no-programs');
      fs.mkdirSync(noPrograms);
      await record('unit', () => runNodeTests('unit (no programs on PATH)', units, { PATH: noPrograms }));
    }
    if (tools.length) await record('tools', () => runNodeTests('tools (real svn, git, ssh, rsync)', tools, {}));

    if (dbTests.length) {
      await record('service and http on SQLite', () => {
        const sqliteTemplate = path.join(work, 'template.db');
        deploy(`file:${sqliteTemplate}`);
        return runNodeTests('service and http on SQLite', dbTests, { GANTRY_TEST_DB: 'sqlite', GANTRY_TEST_TEMPLATE: sqliteTemplate });
      });

      const pgState = process.env.GANTRY_TEST_SKIP_PG ? 'skipped by GANTRY_TEST_SKIP_PG' : await pgAvailable();
      const why = pgState === true ? '' : pgState.startsWith('skipped') ? pgState : 'not reachable';
      if (pgState === true) {
        await record('service and http on PostgreSQL', async () => {
          pgTemplate = `gantry_tpl_${process.pid}`;
          await pgQuery(`DROP DATABASE IF EXISTS "${pgTemplate}"`);
          await pgQuery(`CREATE DATABASE "${pgTemplate}"`);
          const url = new URL(pgUrl);
          url.pathname = `/${pgTemplate}`;
          deploy(url.href);
          return runNodeTests('service and http on PostgreSQL', dbTests, {
            GANTRY_TEST_DB: 'postgresql', GANTRY_TEST_TEMPLATE: pgTemplate, GANTRY_TEST_PG_URL: pgUrl,
          });
        });
      } else if (process.env.CI) {
        console.error(`\nPostgreSQL at ${pgUrl}: ${pgState}. CI must test both databases.`);
        await record('service and http on PostgreSQL', () => ({ failed: 1, failures: [`PostgreSQL run: ${why} (CI must test both databases)`] }));
      } else {
        console.warn(`\nSKIPPED the PostgreSQL run: ${pgUrl}: ${pgState}. Set GANTRY_TEST_PG_URL.`);
        await record('service and http on PostgreSQL', () => ({ skipped: 1, skips: [`PostgreSQL run: ${why}`] }));
      }
    }
  }

  // The web app: its unit tests (Vitest), the production build and its budget, the browser tests.
  if (webSelected || browserTests.length) {
    const web = await import('./web.mjs');
    const installed = await record('web install (npm ci in web/ when needed)', async () => {
      await web.ensureWebInstalled();
      return {};
    }, { test: false });
    if (installed.failed) {
      for (const name of [...(webSelected ? ['web unit (Vitest)', 'web bundle budget'] : []), ...(browserTests.length ? ['browser (Chromium)'] : [])]) {
        await notRun(name, 'npm ci in web/ failed');
      }
    } else {
      if (webSelected) {
        await record('web unit (Vitest)', async () => {
          console.log('\n=== web unit (Vitest, jsdom) ===');
          const unit = await web.runWebUnitTests();
          const failures = unit.exitCode !== 0 ? [`ng test exited with code ${unit.exitCode}`] : [];
          return { passed: unit.passed, failed: unit.failed, skipped: unit.skipped, failures };
        });
      }
      let bundle;
      const built = await record('web build (ng build, when sources changed)', async () => {
        bundle = await web.ensureWebBuilt();
        return {};
      }, { test: false });
      if (built.failed) {
        if (webSelected) await notRun('web bundle budget', 'the web build failed');
        if (browserTests.length) await notRun('browser (Chromium)', 'the web build failed');
      } else {
        if (webSelected) {
          await record('web bundle budget', () => {
            const size = `initial JavaScript ${kb(bundle.initialGzipBytes)} gzipped, budget ${kb(web.INITIAL_JS_BUDGET_BYTES)}`;
            const files = `${bundle.initialFiles.length} file(s), ${kb(bundle.initialRawBytes)} raw`;
            if (bundle.initialGzipBytes > web.INITIAL_JS_BUDGET_BYTES) {
              const message = `over budget: ${size} (${files})`;
              console.error(`\nweb bundle ${message}`);
              return { failed: 1, failures: [message], info: `${size} (${files})` };
            }
            return { passed: 1, info: `${size} (${files})` };
          });
        }
        if (browserTests.length) await record('browser (Chromium)', () => runNodeTests('browser (Chromium)', browserTests, {}));
      }
    }
  }
} finally {
  if (pgTemplate) await pgQuery(`DROP DATABASE IF EXISTS "${pgTemplate}" WITH (FORCE)`).catch(() => {});
  fs.rmSync(work, { recursive: true, force: true });
}

// ---- the summary ----

const sum = (key) => results.reduce((n, r) => n + r[key], 0);
const width = Math.max(...results.map((r) => r.name.length));
console.log('\n=== summary ===');
for (const r of results) {
  const what = r.test ? counts(r) : r.failed ? 'failed' : '';
  console.log(`  ${r.name.padEnd(width)}  ${secs(r.seconds).padStart(8)}  ${what}${r.info ? `${what ? '; ' : ''}${r.info}` : ''}`.trimEnd());
}
console.log(`  ${'whole run'.padEnd(width)}  ${secs((performance.now() - runStarted) / 1000).padStart(8)}`);
const failures = results.flatMap((r) => r.failures.map((f) => `${r.name}: ${f}`));
if (failures.length) console.log(`\nfailed:\n${failures.map((f) => `  ${f}`).join('\n')}`);
// The skips, named: the PostgreSQL run by itself, node:test skips with their tier and reason.
const skips = results.flatMap((r) => r.skips.map((s) => (s.startsWith('PostgreSQL run') ? s : `${r.name}: ${s}`)));
const failed = sum('failed');
console.log(`\ntotal: ${sum('passed')} passed, ${failed} failed, ${sum('skipped')} skipped${skips.length ? ` (${skips.join('; ')})` : ''}`);
process.exit(failed ? 1 : 0);
