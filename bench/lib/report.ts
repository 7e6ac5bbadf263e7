// Summaries of the measurements: min/median per series, the machine they ran on, the markdown table
// and the JSON file under bench/results/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runProcess } from '../../server/process/run.ts';
import type { Phase } from './gantry.ts';

export interface Series { runs: number; min: number; median: number; max: number; samples: number[] }

/** min, median and max of a list of seconds (rounded to ms). */
export function summarise(samples: number[]): Series {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const r = (n: number) => Math.round(n * 1000) / 1000;
  return { runs: sorted.length, min: r(sorted[0] ?? NaN), median: r(median), max: r(sorted[sorted.length - 1] ?? NaN), samples: samples.map(r) };
}

/** Median of each phase over several runs (phases in the same order in every run). */
export function phaseMedians(runs: Phase[][]): Phase[] {
  if (!runs.length) return [];
  return runs[0]!.map((p, i) => {
    const values = runs.map((r) => r[i]?.seconds).filter((s): s is number => typeof s === 'number');
    return { name: p.name, seconds: values.length ? summarise(values).median : null };
  });
}

async function firstLine(program: string, args: string[]): Promise<string> {
  const r = await runProcess({ program, args, timeoutMs: 10_000 }).catch(() => null);
  return ((r?.stdout || r?.stderr) ?? '').split('\n')[0]!.trim().replace(/\s+/g, ' ');
}

/** The machine and tool versions the numbers belong to. */
export async function machineInfo(): Promise<Record<string, unknown>> {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    rsync: await firstLine('rsync', ['--version']),
    ssh: await firstLine('ssh', ['-V']),
    svn: await firstLine('svn', ['--version', '--quiet']),
    git: await firstLine('git', ['--version']),
    tar: await firstLine('tar', ['--version']),
    loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

/** The commit the engine under test comes from, and whether server/ had uncommitted changes then. */
export async function codeInfo(root: string): Promise<{ commit: string; subject: string; serverChanges: string[] }> {
  const git = (args: string[]) => runProcess({ program: 'git', args: ['-C', root, ...args], timeoutMs: 10_000 }).then((r) => r.stdout.trim(), () => '');
  const [commit, subject, status] = await Promise.all([
    git(['rev-parse', '--short=12', 'HEAD']),
    git(['log', '-1', '--format=%s']),
    git(['status', '--porcelain', '--', 'server']),
  ]);
  return { commit, subject, serverChanges: status ? status.split('\n') : [] };
}

export interface Row { measurement: string; series: Series; note: string }

const fmt = (n: number | null | undefined) => (typeof n === 'number' && Number.isFinite(n) ? n.toFixed(2) : '–');

/** The results as one markdown table. */
export function markdownTable(rows: Row[]): string {
  const lines = ['| measurement | runs | min s | median s | notes |', '|---|---:|---:|---:|---|'];
  for (const r of rows) lines.push(`| ${r.measurement} | ${r.series.runs} | ${fmt(r.series.min)} | ${fmt(r.series.median)} | ${r.note} |`);
  return lines.join('\n');
}

/** A phase breakdown as a markdown table (medians). */
export function phaseTable(title: string, phases: Phase[]): string {
  const lines = [`| ${title} | median s |`, '|---|---:|'];
  for (const p of phases) lines.push(`| ${p.name} | ${fmt(p.seconds)} |`);
  return lines.join('\n');
}

/** Writes the JSON next to earlier results: release-<date>.json (a time is added if that day already has one). */
export function writeResults(dir: string, data: unknown): string {
  fs.mkdirSync(dir, { recursive: true });
  const now = new Date();
  const date = now.toISOString().slice(0, 10);
  let file = path.join(dir, `release-${date}.json`);
  if (fs.existsSync(file)) file = path.join(dir, `release-${date}-${now.toISOString().slice(11, 19).replace(/:/g, '')}.json`);
  fs.writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
  return file;
}
