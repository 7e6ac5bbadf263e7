// The benchmark's source tree: a web-application-like folder of many files of mixed sizes, put into
// SVN in one import over file:// (committing 20,000 files through a working copy would take longer
// than the releases being measured), and one-file changes committed with svnmucc, also over file://.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { runChecked } from '../../server/process/run.ts';

export interface TreeSpec {
  files: number;
  totalBytes: number;
  /** Leaf folders (spread over top-level modules of 15 folders each). */
  folders: number;
}

export interface BuiltTree {
  files: number;
  folders: number;
  bytes: number;
  /** The text file the one-file changes modify (relative path). */
  changePath: string;
}

const TEXT_EXT = ['js', 'js', 'js', 'css', 'html', 'json', 'svg', 'md', 'map'];
const BINARY_EXT = ['png', 'jpg', 'woff2', 'gz'];
const SVN_TIMEOUT_MS = 30 * 60_000;

/** A small deterministic PRNG (mulberry32), so every run builds the same sizes and names. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** About 8 MB of word salad that text files are cut from (compressible, like source code). */
function corpus(rand: () => number): Buffer {
  const words = 'const let function return import export from class extends await async if else for while new this null true false div span style color margin padding border width height release ticket version staging host deploy'.split(' ');
  const parts: string[] = [];
  let size = 0;
  while (size < 8 * 1024 * 1024) {
    const line = Array.from({ length: 4 + Math.floor(rand() * 10) }, () => words[Math.floor(rand() * words.length)]).join(' ') + ';\n';
    parts.push(line);
    size += line.length;
  }
  return Buffer.from(parts.join(''));
}

/** Writes the tree into dir (which must not exist): 5% binary files, the rest text; sizes scaled to totalBytes. */
export function generateTree(dir: string, spec: TreeSpec): BuiltTree {
  const rand = prng(20_000);
  const text = corpus(rand);
  const modules = Math.max(1, Math.ceil(spec.folders / 15));
  const folders = Array.from({ length: spec.folders }, (_, i) => path.join('app', `module${String(i % modules).padStart(2, '0')}`, `part${String(Math.floor(i / modules)).padStart(2, '0')}`));
  // Log-normal sizes: most files a few KB, a long tail; binaries larger.
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const plan = Array.from({ length: spec.files }, (_, i) => {
    const binary = rand() < 0.05;
    const raw = binary ? Math.exp(10.6 + 1.0 * normal()) : Math.exp(8.1 + 0.9 * normal());
    const ext = binary ? BINARY_EXT[i % BINARY_EXT.length]! : TEXT_EXT[i % TEXT_EXT.length]!;
    const name = path.join(folders[i % folders.length]!, `f${String(i).padStart(5, '0')}.${ext}`);
    return { name, binary, raw: Math.min(raw, 4 * 1024 * 1024) };
  });
  const scale = spec.totalBytes / plan.reduce((s, p) => s + p.raw, 0);
  fs.mkdirSync(dir);
  for (const f of new Set(folders)) fs.mkdirSync(path.join(dir, f), { recursive: true });
  let bytes = 0;
  for (const p of plan) {
    const size = Math.max(64, Math.round(p.raw * scale));
    let data: Buffer;
    if (p.binary) {
      data = crypto.randomBytes(size);
    } else {
      const header = Buffer.from(`/* ${p.name} */\n`);
      const start = Math.floor(rand() * (text.length - 1));
      const body = Buffer.alloc(Math.max(0, size - header.length));
      for (let off = 0, at = start; off < body.length; ) {
        const n = text.copy(body, off, at, Math.min(text.length, at + body.length - off));
        off += n;
        at = 0;
      }
      data = Buffer.concat([header, body]);
    }
    fs.writeFileSync(path.join(dir, p.name), data);
    bytes += data.length;
  }
  // A text file from the middle of the tree, a few folders deep, like a typical one-line fix.
  const change = plan.slice(Math.floor(plan.length / 2)).find((p) => !p.binary && p.name.endsWith('.js')) ?? plan[0]!;
  const changePath = change.name.split(path.sep).join('/');
  return { files: plan.length, folders: new Set(folders).size + modules + 1, bytes, changePath };
}

/** svn's common options for local (file://) commands: no prompts, a private config folder. */
const svnLocal = (configDir: string) => ['--non-interactive', '--no-auth-cache', '--config-dir', configDir];

/** Imports the content of dir into url (e.g. file:///…/repo/trunk) in one commit; returns the new revision. */
export async function importTree(dir: string, url: string, configDir: string): Promise<number> {
  const r = await runChecked({
    program: 'svn',
    args: ['import', ...svnLocal(configDir), '--no-ignore', '--quiet', '-m', 'Import the benchmark tree', '--', dir, url],
    timeoutMs: SVN_TIMEOUT_MS,
    env: { HOME: configDir },
  });
  return youngestOf(url, configDir, r.stdout);
}

/** Commits new content of one file under repoUrl (svnmucc put over file://, no working copy); returns the revision. */
export async function commitOneFile(repoUrl: string, relPath: string, content: string, scratch: string, configDir: string): Promise<number> {
  const local = path.join(scratch, 'one-file-change');
  fs.writeFileSync(local, content);
  const r = await runChecked({
    program: 'svnmucc',
    args: [...svnLocal(configDir), '-m', `Change ${relPath}`, '-U', repoUrl, 'put', local, relPath],
    timeoutMs: SVN_TIMEOUT_MS,
    env: { HOME: configDir },
  });
  return youngestOf(repoUrl, configDir, r.stdout);
}

/** svn export url@rev into dest (the tree exactly as Gantry deploys it, without .svn). */
export async function exportTree(url: string, rev: number, dest: string, configDir: string): Promise<void> {
  await runChecked({
    program: 'svn',
    args: ['export', ...svnLocal(configDir), '--quiet', '--', `${url}@${rev}`, dest],
    timeoutMs: SVN_TIMEOUT_MS,
    env: { HOME: configDir },
  });
}

async function youngestOf(url: string, configDir: string, output: string): Promise<number> {
  const m = /(?:Committed revision|^r)(\d+)/m.exec(output);
  if (m) return Number(m[1]);
  const info = await runChecked({ program: 'svn', args: ['info', ...svnLocal(configDir), '--show-item', 'revision', '--', url], timeoutMs: 60_000, env: { HOME: configDir } });
  return Number(info.stdout.trim());
}

/** Counts files and bytes under dir (to report the tree as deployed). */
export function measureTree(dir: string): { files: number; folders: number; bytes: number } {
  let files = 0;
  let folders = 0;
  let bytes = 0;
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) {
        folders++;
        walk(full);
      } else {
        files++;
        bytes += fs.statSync(full).size;
      }
    }
  };
  walk(dir);
  return { files, folders, bytes };
}
