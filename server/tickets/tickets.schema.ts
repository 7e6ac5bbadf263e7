// Input contracts for tickets and their events.
import { z } from 'zod';
import { commentField, idParam, paging, projectRef, reasonField, svnPathField, usernameField } from '../validation/fields.ts';
import { TICKET_STATES } from './ticket.machine.ts';

/** Fields a client may send. State, author, revision and version are Gantry's: sending them is refused. */
export const createTicketBody = z.object({ project: projectRef, svnPath: svnPathField, reason: reasonField }).strict();

export const ticketParams = z.object({ id: idParam }).strict();

export const eventBody = z
  .discriminatedUnion('type', [
    z.object({ type: z.enum(['RETURN', 'REJECT']), comment: commentField.min(1, 'a comment is required') }).strict(),
    z.object({
      type: z.literal('RESUBMIT'),
      comment: commentField.optional(),
      svnPath: svnPathField.optional(),
      reason: reasonField.optional(),
    }).strict(),
    z.object({ type: z.enum(['PASS', 'APPROVE', 'RELEASE', 'RETRY', 'CANCEL']), comment: commentField.optional() }).strict(),
  ]);

export const listTicketsQuery = z
  .object({
    project: projectRef.optional(),
    state: z.enum(TICKET_STATES).optional(),
    kind: z.enum(['release', 'rollback']).optional(),
    author: usernameField.optional(),
    awaiting: z.literal('me').optional(),
    q: z.string().max(200).optional(),
    ...paging,
  })
  .strict();

export const rollbackBody = z.object({ version: z.number().int().positive(), reason: reasonField }).strict();

