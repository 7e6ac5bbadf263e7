// Input contracts for projects, targets and memberships.
import { z } from 'zod';
import { ROLES } from '../tickets/ticket.machine.ts';
import {
  deployPathField, hostField, hostUserField, idParam, nameField, projectRef, slugField, svnRootProblem,
} from '../validation/fields.ts';

const excludePattern = z
  .string()
  .min(1)
  .max(200)
  .refine((p) => !p.startsWith('-') && !/[\u0000-\u001f\u007f]/.test(p), 'must not start with "-" or hold control characters');

const name = nameField(100);
const svnRoot = z.string().max(1024);
const svnUsername = z.string().regex(/^[A-Za-z0-9._@-]{1,64}$/, 'must be 1-64 letters, digits or . _ @ -').nullable();
const svnPassword = z.string().min(1).max(256).nullable();
const excludes = z.array(excludePattern).max(100);
const keepReleases = z.number().int().min(2).max(100);
const parallel = z.number().int().min(1).max(50);
/** A git remote for the release repository: an absolute path, or an ssh/https/git URL. */
const releaseRemote = z
  .string()
  .max(1024)
  .regex(/^(\/[A-Za-z0-9._\/-]+|(ssh|https?|git|file):\/\/[A-Za-z0-9._~:@\/-]+|[a-z_][a-z0-9_-]*@[A-Za-z0-9.-]+:[A-Za-z0-9._\/-]+)$/, 'must be an absolute path or a git URL')
  .refine((v) => !v.includes('..') && !v.includes('/-'), 'must not contain ".." or a segment starting with "-"')
  .nullable();

export const createProjectBody = z
  .object({
    slug: slugField,
    name,
    svnRoot,
    svnLocal: z.boolean().default(false),
    svnUsername: svnUsername.optional(),
    svnPassword: svnPassword.optional(),
    deployPath: deployPathField,
    releaseRemote: releaseRemote.optional(),
    excludes: excludes.default([]),
    keepReleases: keepReleases.default(5),
    parallel: parallel.default(5),
    allowSelfApproval: z.boolean().default(false),
    autoRelease: z.boolean().default(false),
  })
  .strict()
  .superRefine((value, ctx) => {
    const problem = svnRootProblem(value.svnRoot, value.svnLocal);
    if (problem) ctx.addIssue({ code: 'custom', path: ['svnRoot'], message: `SVN root ${problem}` });
  });

/** Every field optional; the SVN root is checked against the resulting svnLocal by the service. */
export const updateProjectBody = z
  .object({
    name: name.optional(),
    svnRoot: svnRoot.optional(),
    svnLocal: z.boolean().optional(),
    svnUsername: svnUsername.optional(),
    svnPassword: svnPassword.optional(),
    deployPath: deployPathField.optional(),
    releaseRemote: releaseRemote.optional(),
    excludes: excludes.optional(),
    keepReleases: keepReleases.optional(),
    parallel: parallel.optional(),
    allowSelfApproval: z.boolean().optional(),
    autoRelease: z.boolean().optional(),
  })
  .strict();

export const projectParams = z.object({ project: projectRef }).strict();
export const targetParams = z.object({ project: projectRef, target: idParam }).strict();
export const memberParams = z.object({ project: projectRef, user: idParam }).strict();

export const targetBody = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('ssh'),
      name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/),
      host: hostField,
      port: z.number().int().min(1).max(65535).default(22),
      user: hostUserField,
    }).strict(),
    z.object({
      kind: z.literal('local'),
      name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/),
      localPath: deployPathField,
    }).strict(),
  ]);

export const membershipBody = z.object({ roles: z.array(z.enum(ROLES)).max(3) }).strict();
