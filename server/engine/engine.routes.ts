// Engine endpoints: the ticket log (whole and live as Server-Sent Events), per-target progress, live
// versions per target, and host-key pinning for ssh targets.
import { z } from 'zod';
import type { Request, Response } from 'express';
import type { Api } from '../http/api.ts';
import type { AppContext } from '../context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { conflict, notFound, validationFailed } from '../errors.ts';
import { loadProject } from '../projects/projects.service.ts';
import { projectParams, targetParams } from '../projects/projects.schema.ts';
import { loadTicket } from '../tickets/tickets.service.ts';
import { ticketParams } from '../tickets/tickets.schema.ts';
import { FINAL_STATES } from '../tickets/ticket.machine.ts';
import { logEvents, presentLogLine, readLog } from './ticket-log.ts';
import { fetchHostKey } from './transport.ts';
import { liveVersions, presentProjectLive } from './live.ts';
import { ensureSshKey } from './workspace.ts';
import { browseSvn, presentSvnListing } from './svn-browse.ts';
import { listTargetRuns, presentTargetRun } from './target-runs.ts';
import { presentPage } from '../http/page.ts';
import { svnPathField } from '../validation/fields.ts';

export function engineRoutes(api: Api, ctx: AppContext) {
  api.route({
    method: 'get', path: '/tickets/:id/log', summary: "The ticket's whole log (svn, git, rsync, ssh lines)", tag: 'engine',
    access: 'user', params: ticketParams, query: z.object({ after: z.coerce.number().int().min(0).default(0) }).strict(),
    async handler({ auth, params, query }) {
      await loadTicket(ctx, auth, params.id);
      const items = (await readLog(ctx.db, params.id, query.after, 100_000)).map(presentLogLine);
      return presentPage(items, items.length);
    },
  });

  api.route({
    method: 'get', path: '/tickets/:id/log/stream', summary: 'The log as Server-Sent Events (resume with Last-Event-ID)',
    tag: 'engine', access: 'user', params: ticketParams,
    query: z.object({ after: z.coerce.number().int().min(0).optional() }).strict(),
    async handler({ auth, params, query, req, res }) {
      await loadTicket(ctx, auth, params.id);
      const resume = Number(req.get('last-event-id'));
      await streamLog(ctx, params.id, Number.isInteger(resume) && resume > 0 ? resume : (query.after ?? 0), req, res);
    },
  });

  api.route({
    method: 'get', path: '/tickets/:id/targets', summary: 'Per-target progress of a release or rollback', tag: 'engine',
    access: 'user', params: ticketParams,
    async handler({ auth, params }) {
      await loadTicket(ctx, auth, params.id);
      const items = (await listTargetRuns(ctx, params.id)).map(presentTargetRun);
      return presentPage(items, items.length);
    },
  });

  api.route({
    method: 'get', path: '/projects/:project/live', summary: 'The version live on each target now (asked from the targets)',
    tag: 'engine', access: 'user', params: projectParams,
    async handler({ auth, params }) {
      const project = await loadProject(ctx, auth, params.project);
      return presentProjectLive(project, await liveVersions(ctx, project));
    },
  });

  api.route({
    method: 'get', path: '/ssh-key', summary: "Gantry's public ssh key, to authorize on target hosts (admin)", tag: 'engine',
    access: 'admin',
    async handler() {
      return { publicKey: await ensureSshKey(ctx.config.engine.sshKeyFile) };
    },
  });

  api.route({
    method: 'get', path: '/projects/:project/svn', summary: 'List an SVN folder of the project (for choosing a path)',
    tag: 'engine', access: 'user', params: projectParams,
    query: z.object({ path: z.union([z.literal(''), svnPathField]).default('') }).strict(),
    async handler({ auth, params, query }) {
      const project = await loadProject(ctx, auth, params.project);
      return presentSvnListing(await browseSvn(ctx, project, query.path));
    },
  });

  api.route({
    method: 'post', path: '/projects/:project/targets/:target/host-key', summary: "Fetch an ssh target's host key (admin)",
    tag: 'engine', access: 'admin', params: targetParams,
    async handler({ auth, params }) {
      const project = await loadProject(ctx, auth, params.project);
      const target = project.targets.find((t) => t.id === params.target);
      if (!target) throw notFound('target');
      if (target.kind !== 'ssh') throw conflict('Only ssh targets have host keys.');
      try {
        const key = await fetchHostKey(target.host!, target.port ?? 22, { timeoutMs: 15_000 });
        return { target: target.name, fingerprint: key.fingerprint, knownHostsLine: key.knownHostsLine, pinned: target.hostKey === key.knownHostsLine };
      } catch (err) {
        throw conflict(`Could not fetch the host key of ${target.name}: ${(err as Error).message}`);
      }
    },
  });

  api.route({
    method: 'put', path: '/projects/:project/targets/:target/host-key',
    summary: 'Accept a host key: fetched again and pinned only if its fingerprint is the one shown (admin)',
    tag: 'engine', access: 'admin', params: targetParams,
    body: z.object({ fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'must be an SSH SHA256 fingerprint') }).strict(),
    async handler({ auth, params, body }) {
      const project = await loadProject(ctx, auth, params.project);
      const target = project.targets.find((t) => t.id === params.target);
      if (!target) throw notFound('target');
      if (target.kind !== 'ssh') throw conflict('Only ssh targets have host keys.');
      let key;
      try {
        key = await fetchHostKey(target.host!, target.port ?? 22, { timeoutMs: 15_000 });
      } catch (err) {
        throw conflict(`Could not fetch the host key of ${target.name}: ${(err as Error).message}`);
      }
      if (key.fingerprint !== body.fingerprint) {
        throw validationFailed([{ path: 'body.fingerprint', message: `the host now presents ${key.fingerprint}`, code: 'custom' }], 'The host key changed since it was shown.');
      }
      await ctx.db.transaction(async (tx) => {
        await tx.target.update({ where: { id: target.id }, data: { hostKey: key.knownHostsLine } });
        await recordAudit(tx, { actor: auth.user, action: 'target.hostkey', projectId: project.id, details: { target: target.name, fingerprint: key.fingerprint } });
      });
      return { target: target.name, fingerprint: key.fingerprint, pinned: true };
    },
  });
}

/** Streams a ticket's log lines as SSE events (id = line id) until the client leaves. */
async function streamLog(ctx: AppContext, ticketId: number, after: number, req: Request, res: Response): Promise<void> {
  res.status(200).set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
  res.flushHeaders();
  let last = after;
  let state = '';
  let busy = false;
  let closed = false;
  const push = async () => {
    if (busy || closed) return;
    busy = true;
    try {
      for (;;) {
        const lines = await readLog(ctx.db, ticketId, last, 1000);
        for (const l of lines) res.write(`id: ${l.id}\nevent: line\ndata: ${JSON.stringify(presentLogLine(l))}\n\n`);
        if (lines.length) last = lines[lines.length - 1]!.id;
        if (lines.length < 1000) break;
      }
      const ticket = await ctx.db.prisma.ticket.findUnique({ where: { id: ticketId }, select: { state: true } });
      if (ticket && ticket.state !== state) {
        state = ticket.state;
        res.write(`event: state\ndata: ${JSON.stringify({ state, final: (FINAL_STATES as readonly string[]).includes(state) })}\n\n`);
      }
    } catch {
      /* the next push retries */
    } finally {
      busy = false;
    }
  };
  const onLine = () => void push();
  logEvents.on(`ticket:${ticketId}`, onLine);
  // Lines written by other servers arrive through the database: poll as well, and keep proxies awake.
  const poll = setInterval(() => void push(), 1000);
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  await push();
  // The response closes when the client goes away (or the server shuts down).
  await new Promise<void>((resolve) => (res.closed ? resolve() : res.once('close', () => resolve())));
  closed = true;
  logEvents.off(`ticket:${ticketId}`, onLine);
  clearInterval(poll);
  clearInterval(heartbeat);
}
