// Runs the Prisma CLI without native engines: the schema engine is WebAssembly (engine: 'js' in
// prisma/*.config.ts) and the client uses driver adapters, so the CLI must not try to download
// binaries. The placeholder paths satisfy its start-up check; they are never executed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'node_modules', 'prisma', 'build', 'index.js');

/** The environment every Prisma CLI call gets. */
export function prismaEnv(extra = {}) {
  const placeholder = path.join(root, 'node_modules', '.cache', 'gantry', 'no-native-engine');
  if (!fs.existsSync(placeholder)) {
    fs.mkdirSync(path.dirname(placeholder), { recursive: true });
    fs.writeFileSync(placeholder, '');
  }
  return {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: placeholder,
    PRISMA_QUERY_ENGINE_LIBRARY: placeholder,
    PRISMA_QUERY_ENGINE_BINARY: placeholder,
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    CHECKPOINT_DISABLE: '1',
    ...extra,
  };
}

/** Runs `prisma <args>`; returns stdout, throws with the CLI's output on failure. */
export function prisma(args, { env = {}, quiet = false } = {}) {
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd: root,
    env: prismaEnv(env),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(`prisma ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  }
  if (!quiet && result.stderr.trim()) process.stderr.write(result.stderr);
  return result.stdout;
}
