// Ticket endpoints: file, list, read, send events, history, rollbacks, releases.
import type { Api } from '../http/api.ts';
import type { AppContext } from '../context.ts';
import { presentAudit } from '../audit/audit.service.ts';
import { loadProject } from '../projects/projects.service.ts';
import { projectParams } from '../projects/projects.schema.ts';
import { paging } from '../validation/fields.ts';
import { z } from 'zod';
import { presentPage } from '../http/page.ts';
import { listReleases, presentReleasesPage } from './releases.service.ts';
import { createTicketBody, eventBody, listTicketsQuery, rollbackBody, ticketParams } from './tickets.schema.ts';
import {
  createRollback, createTicket, listTickets, loadTicket, presentFor, presentTicket, sendEvent, ticketHistory,
} from './tickets.service.ts';

export function ticketRoutes(api: Api, ctx: AppContext) {
  api.route({
    method: 'post', path: '/tickets', summary: 'File a release ticket', tag: 'tickets', access: 'user',
    body: createTicketBody, status: 201,
    async handler({ auth, body }) {
      return presentFor(await createTicket(ctx, auth, body));
    },
  });

  api.route({
    method: 'get', path: '/tickets', summary: 'Tickets, filtered and paged', tag: 'tickets', access: 'user',
    query: listTicketsQuery,
    async handler({ auth, query }) {
      const { items, total } = await listTickets(ctx, auth, query);
      return presentPage(items.map((t) => presentTicket(t.row, t.allowed)), total, query);
    },
  });

  api.route({
    method: 'get', path: '/tickets/:id', summary: 'A ticket with the events the caller may send', tag: 'tickets',
    access: 'user', params: ticketParams,
    async handler({ auth, params }) {
      return presentFor(await loadTicket(ctx, auth, params.id));
    },
  });

  api.route({
    method: 'post', path: '/tickets/:id/events', summary: 'Send an event (PASS, RETURN, APPROVE, …)', tag: 'tickets',
    access: 'user', params: ticketParams, body: eventBody,
    async handler({ auth, params, body }) {
      return presentFor(await sendEvent(ctx, auth, params.id, body));
    },
  });

  api.route({
    method: 'get', path: '/tickets/:id/history', summary: "The ticket's audit rows, oldest first", tag: 'tickets',
    access: 'user', params: ticketParams,
    async handler({ auth, params }) {
      const items = (await ticketHistory(ctx, auth, params.id)).map(presentAudit);
      return presentPage(items, items.length);
    },
  });

  api.route({
    method: 'post', path: '/projects/:project/rollbacks', summary: 'Request a rollback to an earlier version',
    tag: 'tickets', access: 'user', params: projectParams, body: rollbackBody, status: 201,
    async handler({ auth, params, body }) {
      return presentFor(await createRollback(ctx, auth, params.project, body));
    },
  });

  api.route({
    method: 'get', path: '/projects/:project/releases', summary: "The project's versions, newest first",
    tag: 'tickets', access: 'user', params: projectParams, query: z.object(paging),
    async handler({ auth, params, query }) {
      const project = await loadProject(ctx, auth, params.project);
      return presentReleasesPage(await listReleases(ctx, project, query), query);
    },
  });
}
