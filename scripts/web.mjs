// The web app (web/, Angular): install, build and test it. No shell: every process is a program and an
// argument array.
//   node scripts/web.mjs build   install when needed, build when sources changed, report the bundle size
//   node scripts/web.mjs test    the unit tests (ng test: Vitest + jsdom)
//   node scripts/web.mjs e2e     the browser tests (web/e2e, real server, Debian's Chromium)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { ensureNodeModules } from './setup.mjs';

export const root = path.resolve(import.meta.dirname, '..');
export const webDir = path.join(root, 'web');
/** Where `ng build` writes the app; the server serves this folder. */
export const webDistBrowser = path.join(webDir, 'dist', 'browser');
/** The most the initial JavaScript may weigh, gzipped. */
export const INITIAL_JS_BUDGET_BYTES = 300 * 1024;

const ngCli = path.join(webDir, 'node_modules', '@angular', 'cli', 'bin', 'ng.js');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Runs a program; resolves with its exit code and (when capture is on) its output, echoing it live. */
function run(program, args, { cwd = webDir, capture = false, env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      cwd,
      env: { ...process.env, NG_CLI_ANALYTICS: 'false', ...env },
      stdio: capture ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'],
    });
    let output = '';
    if (capture) {
      child.stdout.on('data', (d) => {
        output += d;
        process.stdout.write(d);
      });
      child.stderr.on('data', (d) => {
        output += d;
        process.stderr.write(d);
      });
    }
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

const mtime = (file) => (fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0);

/** The newest modification time of any file under dir (0 when there is none). */
function newestUnder(dir) {
  if (!fs.existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestUnder(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * Runs `npm ci` in web/ (and in the root) when node_modules is missing or older than its lock file. The lock
 * file is the contract: when `npm ci` refuses it (out of sync with web/package.json), this stops with
 * that error rather than letting `npm install` rewrite a tracked file.
 */
export async function ensureWebInstalled() {
  // The app compiles server files (the API contract, the ticket machine) that import the root's packages.
  ensureNodeModules();
  const stamp = path.join(webDir, 'node_modules', '.gantry-web-installed');
  const lock = path.join(webDir, 'package-lock.json');
  if (fs.existsSync(ngCli) && fs.existsSync(stamp) && mtime(stamp) >= mtime(lock)) return false;
  console.log('web: installing npm packages (npm ci in web/)…');
  const { code } = await run(npm, ['ci', '--no-audit', '--no-fund']);
  if (code !== 0) {
    throw new Error(
      `npm ci in web/ failed (exit code ${code}; its output is above). If it says the lock file is out of sync, ` +
        'web/package-lock.json no longer matches web/package.json: run `npm install --package-lock-only` in web/ and commit the lock file.',
    );
  }
  if (!fs.existsSync(ngCli)) throw new Error(`npm ci in web/ did not install the Angular CLI (${path.relative(root, ngCli)} is missing)`);
  fs.writeFileSync(stamp, `${new Date().toISOString()}\n`);
  return true;
}

/** Files whose change means the app must be built again. */
function buildInputsNewest() {
  return Math.max(
    newestUnder(path.join(webDir, 'src')),
    newestUnder(path.join(webDir, 'public')),
    ...['angular.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.app.json'].map((f) => mtime(path.join(webDir, f))),
    // The server files the web app compiles in: the API contract and the SVN path rules.
    mtime(path.join(root, 'server', 'contract.ts')),
    mtime(path.join(root, 'server', 'tickets', 'ticket.machine.ts')),
    mtime(path.join(root, 'server', 'validation', 'svn-path.ts')),
  );
}

/**
 * Installs (npm ci) when needed and runs the production `ng build` when web/dist is missing or older
 * than web/src, web/angular.json, web/package-lock.json or server/contract.ts. Returns what it did and
 * the initial JavaScript size.
 */
export async function ensureWebBuilt({ force = false } = {}) {
  const installed = await ensureWebInstalled();
  const index = path.join(webDistBrowser, 'index.html');
  const stale = force || installed || !fs.existsSync(index) || mtime(index) < buildInputsNewest();
  if (stale) {
    console.log('web: building the app (ng build, production)…');
    const { code } = await run(process.execPath, [ngCli, 'build', '--configuration', 'production']);
    if (code !== 0) throw new Error('ng build failed');
  }
  const size = initialBundleSize();
  return { built: stale, outputPath: webDistBrowser, ...size };
}

/** The initial JavaScript the browser loads (index.html's scripts and module preloads), raw and gzipped. */
export function initialBundleSize(dir = webDistBrowser) {
  const html = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
  const files = new Set();
  for (const m of html.matchAll(/<script[^>]*\ssrc="([^"]+\.js)"/g)) files.add(m[1]);
  for (const m of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+\.js)"/g)) files.add(m[1]);
  for (const m of html.matchAll(/<link[^>]*href="([^"]+\.js)"[^>]*rel="modulepreload"/g)) files.add(m[1]);
  let raw = 0;
  let gzip = 0;
  for (const file of files) {
    const body = fs.readFileSync(path.join(dir, file));
    raw += body.length;
    gzip += zlib.gzipSync(body, { level: 9 }).length;
  }
  return { initialFiles: [...files], initialRawBytes: raw, initialGzipBytes: gzip };
}

const stripAnsi = (text) => text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');

/** Reads Vitest's summary line ("Tests  2 failed | 40 passed (42)"). */
export function parseVitestSummary(output) {
  const clean = stripAnsi(output);
  const line = [...clean.matchAll(/^\s*Tests\s+(.+)$/gm)].pop()?.[1] ?? '';
  const count = (word) => Number(line.match(new RegExp(`(\\d+) ${word}`))?.[1] ?? 0);
  return { passed: count('passed'), failed: count('failed'), skipped: count('skipped') + count('todo'), found: line !== '' };
}

/**
 * Runs the unit tests (`ng test --watch=false`, Vitest + jsdom) and returns { passed, failed }.
 * On failure it also sets process.exitCode = 1, so the calling process ends non-zero.
 */
export async function runWebUnitTests() {
  await ensureWebInstalled();
  const { code, output } = await run(process.execPath, [ngCli, 'test', '--watch=false'], { capture: true, env: { CI: '1' } });
  const summary = parseVitestSummary(output);
  let failed = summary.failed;
  if (code !== 0 && failed === 0) failed = 1; // it did not get as far as running the tests
  if (failed) process.exitCode = 1;
  return { passed: summary.passed, failed, skipped: summary.skipped, exitCode: code };
}

/** Runs the browser tests in web/e2e (they start their own Gantry server) and returns { passed, failed }. */
export async function runWebE2eTests() {
  await ensureWebBuilt();
  const files = fs.readdirSync(path.join(webDir, 'e2e')).filter((f) => f.endsWith('.e2e.test.ts')).map((f) => path.join('web', 'e2e', f));
  const { code, output } = await run(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-timeout=900000', ...files],
    { cwd: root, capture: true },
  );
  const clean = stripAnsi(output);
  const count = (word) => Number([...clean.matchAll(new RegExp(`^. ${word} (\\d+)$`, 'gm'))].pop()?.[1] ?? 0);
  const passed = count('pass');
  let failed = count('fail');
  if (code !== 0 && failed === 0) failed = 1;
  if (failed) process.exitCode = 1;
  return { passed, failed, exitCode: code };
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const command = process.argv[2];
  try {
    if (command === 'build') {
      const result = await ensureWebBuilt({ force: process.argv.includes('--force') });
      console.log(`web: ${result.built ? 'built' : 'up to date'} in ${path.relative(root, result.outputPath)}`);
      console.log(`web: initial JavaScript ${kb(result.initialRawBytes)} raw, ${kb(result.initialGzipBytes)} gzipped (budget ${kb(INITIAL_JS_BUDGET_BYTES)})`);
      if (result.initialGzipBytes > INITIAL_JS_BUDGET_BYTES) {
        console.error('web: the initial JavaScript is over budget');
        process.exitCode = 1;
      }
    } else if (command === 'test') {
      const { passed, failed } = await runWebUnitTests();
      console.log(`\nweb: ${passed} passed, ${failed} failed`);
    } else if (command === 'e2e') {
      const { passed, failed } = await runWebE2eTests();
      console.log(`\nweb-e2e: ${passed} passed, ${failed} failed`);
    } else {
      console.error('usage: node scripts/web.mjs build [--force] | test | e2e');
      process.exitCode = 2;
    }
  } catch (err) {
    console.error(`web: ${err.message}`);
    process.exitCode = 1;
  }
}
