// npm run bench: how long a release takes with Gantry on real hosts, next to what plain tools need.
//
// A world of real processes (svnserve, BENCH_HOSTS sshd hosts, Gantry's HTTP app and engine on a
// fresh SQLite database), a tree of BENCH_FILES files (about BENCH_MB MB) imported into SVN, then:
//   1. v1: the first release of the whole tree;
//   2. one-file changes: commit, release (new release folder, hard links to the live one), roll back
//      to v1 (a switch); repeated BENCH_REPS times; then releases until BENCH_RECYCLE_REPS of them
//      recycled an old release folder (the steady state once keepReleases folders exist);
//   3. baselines on the same hosts: rsync -a --delete in place (the floor) and tar | ssh tar x (a full copy).
// Prints a markdown table and writes bench/results/release-<date>.json. See bench/README.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { runChecked } from '../server/process/run.ts';
import type { World } from '../server/test/engine-world.ts';
import { freshFolders, rsyncFloor, seed, tarCopy } from './lib/baselines.ts';
import { checkHosts, timedRelease, timedRollback, type ReleaseRun, type RollbackRun } from './lib/gantry.ts';
import { codeInfo, machineInfo, markdownTable, phaseMedians, phaseTable, summarise, writeResults, type Row } from './lib/report.ts';
import { commitOneFile, exportTree, generateTree, importTree, measureTree } from './lib/tree.ts';

const root = path.resolve(import.meta.dirname, '..');
const num = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive whole number`);
  return v;
};
const config = {
  files: num('BENCH_FILES', 20_000),
  megabytes: num('BENCH_MB', 200),
  folders: num('BENCH_FOLDERS', 300),
  hosts: num('BENCH_HOSTS', 5),
  reps: num('BENCH_REPS', 3),
  recycleReps: num('BENCH_RECYCLE_REPS', 2),
  baselineReps: num('BENCH_BASELINE_REPS', 3),
  keepReleases: 5,
};
const slug = 'bench';
const STEP_TIMEOUT_MS = 30 * 60_000;
const began = Date.now();
const say = (line: string) => console.log(`[bench ${((Date.now() - began) / 1000).toFixed(0).padStart(4)} s] ${line}`);
// Before each measurement: wait for a background `git gc --auto` in Gantry's release clone (git starts one
// after a fetch once many loose objects exist, i.e. in the release after v1) and flush earlier writes, so
// that neither lands on the next measurement. Returns the 1-min load average; gc waits go to gcWaits.
let gcPidFile: string | undefined;
const gcWaits: number[] = [];
const settle = async (): Promise<number> => {
  const started = Date.now();
  while (gcPidFile && fs.existsSync(gcPidFile) && Date.now() - started < 15 * 60_000) await new Promise((r) => setTimeout(r, 250));
  if (Date.now() - started > 500) {
    gcWaits.push(Math.round(Date.now() - started) / 1000);
    say(`waited ${gcWaits.at(-1)} s for git gc --auto in Gantry's release clone`);
  }
  await runChecked({ program: 'sync', args: [], timeoutMs: 10 * 60_000 });
  return Math.round(os.loadavg()[0]! * 100) / 100;
};
const timed = async <T>(fn: () => Promise<T> | T): Promise<[T, number]> => {
  const t = Date.now();
  const value = await fn();
  return [value, Math.round(Date.now() - t) / 1000];
};

// The same preparation as scripts/test.mjs: system tools, Prisma clients, a migrated SQLite template.
const { ensureSystemPackages } = await import(pathToFileURL(path.join(root, 'scripts/system-deps.mjs')).href);
await ensureSystemPackages();
const db = (await import(pathToFileURL(path.join(root, 'scripts/db.mjs')).href)) as { generate(): void; deploy(url: string): void };
db.generate();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-bench-'));
const template = path.join(tmp, 'template.db');
db.deploy(`file:${template}`);
process.env.GANTRY_TEST_DB = 'sqlite';
process.env.GANTRY_TEST_TEMPLATE = template;
const { startWorld } = await import('../server/test/engine-world.ts');
let world: World | undefined;
let controlDir: string | undefined;
let cleaned: Promise<void> | undefined;
/** Stops every process of the world and removes every temporary folder (once). */
const cleanup = () =>
  (cleaned ??= (async () => {
    const w = world;
    await w?.close().catch(async (err) => {
      // World.close stops at the first failure: finish the rest here.
      console.error(`closing the world: ${(err as Error).message}`);
      await w.fleet.close().catch(() => undefined);
      await w.svn.close().catch(() => undefined);
      fs.rmSync(w.app.ctx.config.dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 1000 });
    });
    if (controlDir) fs.rmSync(controlDir, { recursive: true, force: true });
    fs.rmSync(tmp, { recursive: true, force: true });
    say('cleaned up');
  })());
// Ctrl-C cleans up too (the fixtures' exit hooks then kill whatever is left).
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
  process.once(signal, () => {
    say(`received ${signal}: stopping`);
    void cleanup().finally(() => process.exit(code));
  });
}

const machine = await machineInfo();
const code = await codeInfo(root);
say(`${config.hosts} hosts, ${config.files} files, ~${config.megabytes} MB; ${machine.cpus} × ${machine.cpuModel}, node ${machine.node}`);
say(`engine from ${code.commit} (${code.subject})${code.serverChanges.length ? `, with ${code.serverChanges.length} uncommitted change(s) under server/` : ''}`);
try {
  world = await startWorld({ hosts: config.hosts, env: { GANTRY_LEASE_SECONDS: '30' } });
  const w = world;
  say(`world up: svnserve, ${w.fleet.hosts.length} sshd hosts (isolation: ${w.fleet.isolationMode}), Gantry at ${w.app.url}`);

  // 1. The tree, in SVN.
  const project = await w.project(slug, { keepReleases: config.keepReleases });
  const { workspaceFor } = await import('../server/engine/workspace.ts');
  const ws = workspaceFor(w.app.ctx.config.dataDir, slug);
  controlDir = ws.control;
  gcPidFile = path.join(ws.releaseWork, '.git', 'gc.pid');
  const svnConfig = path.join(tmp, 'svn-config');
  fs.mkdirSync(svnConfig);
  const repoUrl = `file://${path.join(w.svn.rootDir, slug)}`;
  const [built, generateSeconds] = await timed(() => generateTree(path.join(tmp, 'tree'), { files: config.files - 3, totalBytes: config.megabytes * 1e6, folders: config.folders }));
  say(`generated ${built.files} files in ${built.folders} folders, ${(built.bytes / 1e6).toFixed(0)} MB, in ${generateSeconds} s`);
  const [importRev, importSeconds] = await timed(() => importTree(path.join(tmp, 'tree'), `${repoUrl}/trunk`, svnConfig));
  fs.rmSync(path.join(tmp, 'tree'), { recursive: true, force: true });
  say(`svn import over file:// (r${importRev}) in ${importSeconds} s; project ${project.slug} has ${config.hosts} pinned ssh targets`);

  // 2. Gantry: v1, then one-file releases and rollbacks.
  say('releasing v1 (the whole tree)…');
  const firstLoad = await settle();
  const first = { ...(await timedRelease(w, slug, 'First release of the whole tree', STEP_TIMEOUT_MS)), load1: firstLoad };
  say(`v1 done: RELEASE→done ${first.releaseSeconds} s, ticket ${first.ticketSeconds} s (staging ${first.stagingSeconds} s)`);
  const staged = path.join(tmp, 'staged');
  const [, exportSeconds] = await timed(() => exportTree(`${repoUrl}/trunk`, importRev, staged, svnConfig));
  const deployed = measureTree(staged);
  const original = fs.readFileSync(path.join(staged, built.changePath), 'utf8');
  const variant = (n: number) => `${original}/* change ${n} */\n`;
  checkHosts(w, slug, 1, built.changePath, original);

  let change = 0;
  const oneFile = async (): Promise<ReleaseRun & { recycled: boolean; load1: number }> => {
    change++;
    await commitOneFile(repoUrl, `trunk/${built.changePath}`, variant(change), tmp, svnConfig);
    const load1 = await settle();
    const run = await timedRelease(w, slug, `One-file change ${change}`, STEP_TIMEOUT_MS);
    checkHosts(w, slug, run.version, built.changePath, variant(change));
    const recycled = (await w.logOf(run.ticket)).some((l) => /^recycling releases\/v/.test(l.line));
    say(`v${run.version} (${recycled ? 'recycled folder' : 'new folder'}): RELEASE→done ${run.releaseSeconds} s, ticket ${run.ticketSeconds} s, files sent per host ${run.filesTransferred.join('/')}`);
    return { ...run, recycled, load1 };
  };
  const releases: (ReleaseRun & { recycled: boolean; load1: number })[] = [];
  const rollbacks: (RollbackRun & { load1: number })[] = [];
  for (let i = 0; i < config.reps; i++) {
    releases.push(await oneFile());
    const load1 = await settle();
    const rb = { ...(await timedRollback(w, slug, 1, `Back to v1 (${i + 1})`, STEP_TIMEOUT_MS)), load1 };
    checkHosts(w, slug, 1, built.changePath, original);
    say(`rollback to v1: RELEASE→rolled_back ${rb.releaseSeconds} s (switch only on ${rb.switchOnlyHosts}/${config.hosts} hosts)`);
    rollbacks.push(rb);
  }
  // Steady state: once keepReleases folders exist, Gantry recycles the oldest spare one.
  for (let guard = 0; releases.filter((r) => r.recycled).length < config.recycleReps && guard < config.keepReleases + config.recycleReps; guard++) {
    releases.push(await oneFile());
  }
  const fresh = releases.filter((r) => !r.recycled);
  const recycled = releases.filter((r) => r.recycled);

  // 3. Baselines on the same hosts, from the staged tree, with the same kind of one-file change;
  //    the two alternate, so that a busier minute on the machine does not fall on one of them only.
  say('baselines: rsync -a --delete in place, and tar | ssh tar x into a fresh folder…');
  await seed(w.fleet, staged, 'bench-floor');
  const floor: { seconds: number; filesTransferred: number[]; load1: number }[] = [];
  const fullRuns: { seconds: number; load1: number }[] = [];
  for (let i = 0; i < config.baselineReps; i++) {
    fs.writeFileSync(path.join(staged, built.changePath), variant(1000 + i));
    let load1 = await settle();
    floor.push({ ...(await rsyncFloor(w.fleet, staged, 'bench-floor')), load1 });
    say(`rsync floor: ${floor.at(-1)!.seconds.toFixed(2)} s, files sent per host ${floor.at(-1)!.filesTransferred.join('/')}`);
    // A new folder per run, none deleted in between: freeing 1 GB on this disk (mounted with discard)
    // keeps the device busy for a while and would slow the next copy down.
    freshFolders(w.fleet, `bench-full-${i + 1}`);
    load1 = await settle();
    fullRuns.push({ ...(await tarCopy(w.fleet, staged, `bench-full-${i + 1}`)), load1 });
    say(`full copy tar | ssh tar x: ${fullRuns.at(-1)!.seconds.toFixed(2)} s`);
  }
  const full = fullRuns.map((r) => r.seconds);

  // Report.
  const s = {
    first: summarise([first.releaseSeconds]),
    firstTicket: summarise([first.ticketSeconds]),
    fresh: summarise(fresh.map((r) => r.releaseSeconds)),
    freshTicket: summarise(fresh.map((r) => r.ticketSeconds)),
    freshStaging: summarise(fresh.map((r) => r.stagingSeconds)),
    recycled: summarise(recycled.map((r) => r.releaseSeconds)),
    rollback: summarise(rollbacks.map((r) => r.releaseSeconds)),
    floor: summarise(floor.map((f) => f.seconds)),
    full: summarise(full),
  };
  const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
  const ratios = {
    gantrySecondReleaseOverRsyncFloor: ratio(s.fresh.median, s.floor.median),
    gantryRecycledReleaseOverRsyncFloor: recycled.length ? ratio(s.recycled.median, s.floor.median) : null,
    fullCopyOverGantrySecondRelease: ratio(s.full.median, s.fresh.median),
    rollbackSeconds: s.rollback.median,
  };
  const mb = (deployed.bytes / 1e6).toFixed(0);
  const rows: Row[] = [
    { measurement: 'Gantry v1, first release of the whole tree (RELEASE → done)', series: s.first, note: `${deployed.files} files, ${mb} MB to ${config.hosts} hosts; run once` },
    { measurement: 'Gantry v1, whole ticket (filed → done, incl. first checkout)', series: s.firstTicket, note: `staging ${first.stagingSeconds} s` },
    { measurement: 'Gantry one-file release, new folder + `--link-dest` (RELEASE → done)', series: s.fresh, note: `v2 and repeats after rolling back to v1; files sent per host: ${[...new Set(fresh.flatMap((r) => r.filesTransferred))].join('/')}` },
    { measurement: 'Gantry one-file release, whole ticket (filed → done)', series: s.freshTicket, note: `staging (svn update) median ${s.freshStaging.median.toFixed(2)} s` },
    { measurement: 'Gantry one-file release, recycled folder (RELEASE → done)', series: s.recycled, note: 'steady state: keepReleases folders exist' },
    { measurement: 'Gantry rollback to v1 (RELEASE → rolled_back)', series: s.rollback, note: `switch only: ${rollbacks.map((r) => r.switchOnlyHosts).join('/')} of ${config.hosts} hosts had v1 complete` },
    { measurement: 'Baseline: `rsync -a --delete` in place, all hosts in parallel (floor)', series: s.floor, note: `files sent per host: ${[...new Set(floor.flatMap((f) => f.filesTransferred))].join('/')}` },
    { measurement: 'Baseline: full copy `tar c \\| ssh host tar x`, all hosts in parallel', series: s.full, note: 'into a fresh folder per host' },
  ];
  const phases = {
    firstRelease: first.phases,
    oneFileRelease: phaseMedians(fresh.map((r) => r.phases)),
    recycledRelease: phaseMedians(recycled.map((r) => r.phases)),
    rollback: phaseMedians(rollbacks.map((r) => r.phases)),
  };
  const hostSteps = {
    oneFileRsyncPerHost: summarise(fresh.flatMap((r) => r.hostSync)),
    oneFileVerifyPerHost: summarise(fresh.flatMap((r) => r.hostVerify)),
    recycledRsyncPerHost: summarise(recycled.flatMap((r) => r.hostSync)),
    recycledVerifyPerHost: summarise(recycled.flatMap((r) => r.hostVerify)),
  };
  const table = markdownTable(rows);
  const ratioLines = [
    `- Gantry one-file release / rsync floor (medians): **${ratios.gantrySecondReleaseOverRsyncFloor}×**` + (ratios.gantryRecycledReleaseOverRsyncFloor ? ` (recycled folder: ${ratios.gantryRecycledReleaseOverRsyncFloor}×)` : ''),
    `- Full copy / Gantry one-file release (medians): **${ratios.fullCopyOverGantrySecondRelease}×**`,
    `- Rollback: **${ratios.rollbackSeconds} s** (median)`,
    `- Per host inside a one-file release (medians): rsync into the new folder ${hostSteps.oneFileRsyncPerHost.median} s, verify (rsync --dry-run against the source) ${hostSteps.oneFileVerifyPerHost.median} s`,
  ].join('\n');
  const loads = [first.load1, ...releases.map((r) => r.load1), ...rollbacks.map((r) => r.load1), ...floor.map((f) => f.load1), ...fullRuns.map((f) => f.load1)];
  const machineLine = `Gantry ${code.commit}${code.serverChanges.length ? ' + uncommitted changes' : ''}; ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, ${machine.os}; node ${machine.node}; ${machine.rsync}; ${machine.ssh}; hosts isolated by ${w.fleet.isolationMode} namespaces; 1-min load average before the measurements ${Math.min(...loads)}–${Math.max(...loads)}`;
  console.log(`\n## Release benchmark, ${new Date().toISOString().slice(0, 10)}\n\n${machineLine}\n\n${table}\n\n${ratioLines}\n`);
  console.log(`${phaseTable('One-file release, where the time goes (ticket log timestamps, ±0.2 s)', phases.oneFileRelease)}\n`);
  console.log(`${phaseTable('First release (v1), where the time goes', phases.firstRelease)}\n`);
  const file = writeResults(path.join(root, 'bench', 'results'), {
    date: new Date().toISOString(),
    config,
    code,
    machine: { ...machine, loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100), hostIsolation: w.fleet.isolationMode },
    tree: { ...deployed, changePath: built.changePath, generateSeconds, svnImportSeconds: importSeconds, svnExportSeconds: exportSeconds },
    summary: s,
    ratios,
    phases,
    hostSteps,
    runs: { first, releases, rollbacks, rsyncFloor: floor, fullCopy: fullRuns },
    gitGcWaitSeconds: gcWaits,
    markdown: `${machineLine}\n\n${table}\n\n${ratioLines}`,
  });
  say(`wrote ${path.relative(root, file)}`);
} finally {
  await cleanup();
}
