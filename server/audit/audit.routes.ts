// GET /audit: the audit log, for admins, filtered and paged.
import { z } from 'zod';
import type { Api } from '../http/api.ts';
import type { AppContext } from '../context.ts';
import { idParam, paging, usernameField } from '../validation/fields.ts';
import { presentPage } from '../http/page.ts';
import { presentAudit } from './audit.service.ts';

const auditQuery = z.object({
  ticket: idParam.optional(),
  project: idParam.optional(),
  actor: z.union([usernameField, z.literal('gantry')]).optional(),
  action: z.string().regex(/^[A-Za-z_.]{1,40}$/).optional(),
  since: z.iso.datetime().optional(),
  ...paging,
});

export function auditRoutes(api: Api, ctx: AppContext) {
  api.route({
    method: 'get',
    path: '/audit',
    summary: 'The audit log (admin), newest first',
    tag: 'audit',
    access: 'admin',
    query: auditQuery,
    async handler({ query }) {
      const where = {
        ticketId: query.ticket,
        projectId: query.project,
        actorName: query.actor,
        action: query.action,
        createdAt: query.since ? { gte: new Date(query.since) } : undefined,
      };
      const [rows, total] = await Promise.all([
        ctx.db.prisma.auditEntry.findMany({ where, orderBy: { id: 'desc' }, take: query.limit, skip: query.offset }),
        ctx.db.prisma.auditEntry.count({ where }),
      ]);
      return presentPage(rows.map(presentAudit), total, query);
    },
  });
}
