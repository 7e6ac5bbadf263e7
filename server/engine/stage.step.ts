// Step 1, staging: the project's staging working copy is switched and updated to the ticket's SVN path
// and revision; the revision reached and what the release would change against the live version are recorded.
import fs from 'node:fs';
import nodePath from 'node:path';
import type { AppContext } from '../context.ts';
import { transition, type TicketRow } from '../tickets/tickets.service.ts';
import { parseSvnPath } from '../validation/svn-path.ts';
import type { Lease } from './lease.ts';
import type { LogSink } from './log-sink.ts';
import { svnClient } from './svn.ts';
import { workspaceFor, type ProjectWorkspace } from './workspace.ts';

const MAX_LISTED = 2000;

/** What staging records for the lead: SVN log since the live release and the files it changes. */
export interface StagedChanges {
  since: { version: number; svnPath: string; svnRevision: number } | null;
  log: { revision: number; author: string; date: string; message: string }[];
  files: { path: string; change: 'added' | 'modified' | 'deleted'; kind?: 'dir' | 'file' }[];
  truncated: boolean;
}

/** The SVN client of a project, with its credentials kept out of argv and logs. */
export function projectSvn(ctx: AppContext, project: TicketRow['project'], log: LogSink, step: string) {
  const ws = workspaceFor(ctx.config.dataDir, project.slug);
  return {
    ws,
    svn: svnClient({
      root: project.svnRoot, username: project.svnUsername, password: project.svnPassword, configDir: ws.svnConfig, log, step,
    }),
  };
}

/**
 * Brings this server's staging tree to path@revision. svn is skipped when the tree already holds exactly
 * that (recorded after the last successful staging), which saves walking a large tree again at release.
 */
export async function stageTree(svn: ReturnType<typeof svnClient>, ws: ProjectWorkspace, root: string, path: string, revision: number | 'HEAD') {
  const marker = `${ws.staging}.staged.json`;
  if (revision !== 'HEAD' && fs.existsSync(marker) && fs.existsSync(ws.staging)) {
    const held = JSON.parse(fs.readFileSync(marker, 'utf8')) as { root: string; path: string; revision: number };
    if (held.root === root && held.path === path && held.revision === revision) return revision;
  }
  fs.rmSync(marker, { force: true });
  const reached = await svn.stage(ws.staging, path, revision);
  fs.writeFileSync(marker, JSON.stringify({ root, path, revision: reached }));
  return reached;
}

/** The version live now (the newest finished release or rollback) with the SVN source it came from. */
export async function liveRelease(ctx: AppContext, projectId: number) {
  const last = await ctx.db.prisma.ticket.findFirst({
    where: { projectId, state: { in: ['done', 'rolled_back'] } },
    orderBy: { updatedAt: 'desc' },
  });
  if (!last?.version) return null;
  const release = await ctx.db.prisma.release.findUnique({ where: { projectId_version: { projectId, version: last.version } } });
  if (!release) return null;
  const source = await ctx.db.prisma.ticket.findUnique({ where: { id: release.ticketId } });
  return { version: release.version, svnRevision: release.svnRevision, svnPath: parseSvnPath(source?.svnPath ?? 'trunk').path };
}

/** Runs the staging step for a claimed ticket; ends in staging_updated or staging_failed. */
export async function runStage(ctx: AppContext, row: TicketRow, lease: Lease, log: LogSink): Promise<void> {
  let reached: number;
  let changes: StagedChanges;
  try {
    const { path, revision } = parseSvnPath(row.svnPath);
    const { ws, svn } = projectSvn(ctx, row.project, log, 'stage');
    log({ step: 'stage', stream: 'info', line: `Staging ${path}@${revision} from ${row.project.svnRoot}` });
    reached = await stageTree(svn, ws, row.project.svnRoot, path, revision);
    log({ step: 'stage', stream: 'info', line: `Staging tree is at r${reached}` });
    changes = await describeChanges(ctx, svn, row.projectId, path, reached, ws.staging);
  } catch (err) {
    const message = (err as Error).message;
    log({ step: 'stage', stream: 'info', line: `Staging failed: ${message}` });
    await transition(ctx, row, { type: 'STAGING_FAILED', error: message }, null, { lease });
    return;
  }
  await transition(ctx, row, { type: 'STAGING_SUCCEEDED', revision: reached }, null, {
    lease,
    data: { stagedChanges: JSON.stringify(changes) },
  });
}

/** Relative paths of the files in a staging tree (without .svn), sorted. */
function filesOf(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(nodePath.join(dir, rel), { withFileTypes: true })) {
      if (e.name === '.svn') continue;
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(p);
      else out.push(p);
      if (out.length > MAX_LISTED) return;
    }
  };
  walk('');
  return out.sort();
}

async function describeChanges(
  ctx: AppContext, svn: ReturnType<typeof svnClient>, projectId: number, path: string, revision: number, stagingDir: string,
): Promise<StagedChanges> {
  const live = await liveRelease(ctx, projectId);
  if (!live) {
    // The first release: every file of the staged tree is new.
    const log = (await svn.log(path, 1, revision)).slice(0, 50);
    const all = filesOf(stagingDir);
    return { since: null, log, files: all.slice(0, MAX_LISTED).map((p) => ({ path: p, change: 'added' as const, kind: 'file' as const })), truncated: all.length > MAX_LISTED };
  }
  const log = live.svnRevision < revision ? await svn.log(path, live.svnRevision + 1, revision) : [];
  const files = await svn.changes({ path: live.svnPath, revision: live.svnRevision }, { path, revision });
  return {
    since: live,
    log: log.slice(0, 500),
    files: files.slice(0, MAX_LISTED),
    truncated: files.length > MAX_LISTED || log.length > 500,
  };
}
