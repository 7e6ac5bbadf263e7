// The demo project's SVN repository (a small site with a few revisions on trunk and one branch) and
// two local targets, all under the data folder, so a newcomer can release and roll back at once.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runChecked } from '../process/run.ts';

const page = (title: string, body: string) =>
  `<!doctype html>\n<html><head><meta charset="utf-8"><title>${title}</title><link rel="stylesheet" href="style.css"></head>\n<body><h1>${title}</h1>\n${body}\n</body></html>\n`;

// Each entry is one commit: files to put (path → content) or operations for svnmucc.
const HISTORY: { message: string; ops: (string | [string, string])[] }[] = [
  {
    message: 'Demo site: first version',
    ops: ['mkdir trunk', 'mkdir branches', 'mkdir tags',
      ['trunk/index.html', page('Demo site', '<p>Welcome to the demo site.</p>')],
      ['trunk/style.css', 'body { font-family: sans-serif; margin: 2rem; }\n']],
  },
  { message: 'Home page: say what the site is for', ops: [['trunk/index.html', page('Demo site', '<p>Welcome! This site is released with Gantry.</p>')]] },
  { message: 'Add an about page', ops: [['trunk/about.html', page('About', '<p>A sample site for trying Gantry.</p>')]] },
  { message: 'Start the redesign branch', ops: ['cp HEAD trunk branches/redesign'] },
  { message: 'Redesign: darker colours', ops: [['branches/redesign/style.css', 'body { font-family: sans-serif; margin: 2rem; background: #222; color: #eee; }\n']] },
];

/** Creates the demo repository (if missing) and returns its file:// URL. */
export async function createDemoRepository(dir: string): Promise<string> {
  const url = `file://${dir}`;
  if (fs.existsSync(path.join(dir, 'format'))) return url;
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  await runChecked({ program: 'svnadmin', args: ['create', '--', dir], timeoutMs: 60_000 });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-demo-'));
  try {
    for (const [i, commit] of HISTORY.entries()) {
      const args = ['--non-interactive', '-m', commit.message, '-U', url];
      for (const op of commit.ops) {
        if (typeof op === 'string') args.push(...op.split(' '));
        else {
          const file = path.join(scratch, `${i}-${path.basename(op[0])}`);
          fs.writeFileSync(file, op[1]);
          args.push('put', file, op[0]);
        }
      }
      await runChecked({ program: 'svnmucc', args, timeoutMs: 60_000 });
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return url;
}
