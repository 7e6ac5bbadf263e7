// A real Gantry server for the browser tests: a fresh SQLite database and data folder with the demo
// workspace (users admin, dev, tester, lead; project `demo` on a local SVN repository).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
// @ts-ignore: a plain ESM script without type declarations
import { deploy } from '../../../scripts/db.mjs';

const root = path.resolve(import.meta.dirname, '..', '..', '..');

/** The password of every demo user (and of the users the tests create). */
export const PASSWORD = 'e2e-demo-password';

export interface GantryServer {
  baseUrl: string;
  dataDir: string;
  /** Everything the server printed so far. */
  log(): string;
  stop(): Promise<void>;
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts Gantry (program + argument array, no shell) and waits until /api/v1/health answers. */
export async function startGantry(): Promise<GantryServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-web-e2e-'));
  const databaseUrl = `file:${path.join(dataDir, 'gantry.db')}`;
  deploy(databaseUrl);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server', 'main.ts')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      GANTRY_DATA_DIR: dataDir,
      PORT: String(port),
      GANTRY_HOST: '127.0.0.1',
      GANTRY_DEMO: '1',
      GANTRY_DEMO_PASSWORD: PASSWORD,
      GANTRY_POLL_SECONDS: '1',
      GANTRY_LOGIN_MAX_FAILURES_PER_ACCOUNT: '3',
      // Every sign-in of the run comes from 127.0.0.1; only the per-account limit is under test here.
      GANTRY_LOGIN_MAX_ATTEMPTS_PER_CLIENT: '10000',
      GANTRY_LOG_LEVEL: 'warn',
    },
  });
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    if (!process.env.GANTRY_E2E_KEEP) fs.rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      if ((await fetch(`${baseUrl}/api/v1/health`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`the Gantry server ${child.exitCode !== null ? 'exited' : 'did not answer in time'}:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { baseUrl, dataDir, log: () => output, stop };
}
