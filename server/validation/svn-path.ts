// SVN path rules (DESIGN.md "Safety rules"): relative to the project's SVN root, optional @REV.

export interface SvnPath {
  path: string;
  /** A revision number, or 'HEAD' (also when none was given). */
  revision: number | 'HEAD';
}

// Letters, digits and a few punctuation marks per segment; nothing a shell or svn could read as syntax.
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._+~,= -]*$/;

/** Why a ticket's SVN path is unacceptable, or null when it is fine. */
export function svnPathProblem(input: string): string | null {
  if (input.length === 0) return 'must not be empty';
  if (input.length > 1024) return 'must be at most 1024 characters';
  if (/[\u0000-\u001f\u007f]/.test(input)) return 'must not contain control characters';
  if (input.startsWith('-')) return 'must not start with "-"';
  if (/^[a-z][a-z0-9+.-]*:/i.test(input)) return 'must be relative to the project\'s SVN root, not a URL';
  if (input.startsWith('/')) return 'must be relative to the project\'s SVN root (no leading "/")';
  const at = input.lastIndexOf('@');
  const path = at === -1 ? input : input.slice(0, at);
  const rev = at === -1 ? null : input.slice(at + 1);
  if (rev !== null && !/^(\d{1,10}|HEAD)$/.test(rev)) return 'a revision must be @ followed by digits or HEAD';
  if (path.includes('//')) return 'must not contain "//"';
  const segments = path.replace(/\/$/, '').split('/');
  for (const s of segments) {
    if (s === '..' || s === '.') return 'must not contain "." or ".." segments';
    if (!SEGMENT.test(s)) return `segment "${s}" may hold only letters, digits and . _ + ~ , = - (not first) and spaces`;
  }
  return null;
}

/** Splits a valid path into path and revision. Throws on an invalid one. */
export function parseSvnPath(input: string): SvnPath {
  const problem = svnPathProblem(input);
  if (problem) throw new Error(`Invalid SVN path: ${problem}`);
  const at = input.lastIndexOf('@');
  const path = (at === -1 ? input : input.slice(0, at)).replace(/\/$/, '');
  const rev = at === -1 ? 'HEAD' : input.slice(at + 1);
  return { path, revision: rev === 'HEAD' ? 'HEAD' : Number(rev) };
}

/** The URL of path under root; throws unless the result stays under root. */
export function resolveSvnUrl(root: string, path: string): string {
  const base = new URL(root.endsWith('/') ? root : root + '/');
  const url = new URL(path.split('/').map(encodeURIComponent).join('/'), base);
  if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) {
    throw new Error('SVN path leaves the project\'s SVN root');
  }
  return url.href.replace(/\/$/, '');
}
