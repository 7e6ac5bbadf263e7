// Field schemas shared by the API's input contracts.
import { z } from 'zod';
import { svnPathProblem } from './svn-path.ts';

/** A ticket's SVN path (see svn-path.ts for the rules). */
export const svnPathField = z
  .string()
  .max(1024)
  .superRefine((value, ctx) => {
    const problem = svnPathProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: `SVN path ${problem}` });
  });

/** Control characters other than newline and tab: never in a text a person wrote (NUL breaks PostgreSQL and git). */
const CONTROL_EXCEPT_NEWLINE_TAB = /[\u0000-\u0008\u000b-\u001f\u007f]/;
/** Any control character: never in a one-line name. */
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Text of several lines a person wrote (a reason, a comment): newlines and tabs, no other control characters. */
export const textField = (max: number) =>
  z.string().trim().max(max, `must be at most ${max} characters`)
    .refine((v) => !CONTROL_EXCEPT_NEWLINE_TAB.test(v), 'must not contain control characters other than newline and tab');
/** A one-line name (a project's or a token's name, a display name): no control characters at all. */
export const nameField = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`)
    .refine((v) => !CONTROL.test(v), 'must not contain control characters');

export const reasonField = textField(4000).min(1, 'must not be empty');
export const commentField = textField(4000);

export const usernameField = z
  .string()
  .regex(/^[a-z][a-z0-9._-]{1,31}$/, 'must be 2-32 characters: lowercase letters, digits, . _ - (letter first)');
export const passwordField = z.string().min(8, 'must be at least 8 characters').max(256);
export const displayNameField = nameField(100);

export const slugField = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lowercase letters, digits and "-", not starting with "-"');

/** An absolute, normalised deploy path that is not "/". */
export const deployPathField = z
  .string()
  .max(512)
  // Normalised: every segment after the leading "/" is a name (no "", "." or ".."), so no "//" or trailing "/".
  .refine((p) => p.startsWith('/') && p.slice(1).split('/').every((s) => s !== '' && s !== '.' && s !== '..'), {
    message: 'must be an absolute, normalised path other than "/" (no trailing "/", no "..")',
  })
  .refine((p) => /^[A-Za-z0-9._\/-]+$/.test(p) && !p.split('/').some((s) => s.startsWith('-')), {
    message: 'may hold only letters, digits, . _ - and "/", and no segment may start with "-"',
  });

export const hostField = z
  .string()
  .max(253)
  .regex(
    /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/,
    'must be a host name or an IPv4 address',
  );
export const hostUserField = z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'must be a valid Unix user name');

/** Positive integer id from a path parameter. */
export const idParam = z.coerce.number().int().positive().max(2_147_483_647);
/** A project addressed by numeric id or by its slug. */
export const projectRef = z.union([z.coerce.number().int().positive().max(2_147_483_647), slugField]);

export const paging = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
};

/** An SVN root URL: svn, http(s), or file only for projects marked local. */
export function svnRootProblem(url: string, local: boolean): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be a URL';
  }
  const schemes = local ? ['svn:', 'http:', 'https:', 'file:'] : ['svn:', 'http:', 'https:'];
  if (!schemes.includes(parsed.protocol)) {
    return local ? 'must use svn://, http://, https:// or file://' : 'must use svn://, http:// or https:// (file:// only for local projects)';
  }
  if (parsed.username || parsed.password) return 'must not contain credentials (set svnUsername and svnPassword)';
  if (parsed.search || parsed.hash) return 'must not contain ? or #';
  if (/[\u0000-\u001f\u007f\s]/.test(url)) return 'must not contain spaces or control characters';
  if (parsed.protocol !== 'file:' && !parsed.hostname) return 'must name a host';
  return null;
}
