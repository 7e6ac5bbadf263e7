// Browsing a project's SVN repository, for choosing a ticket's path: one folder at HEAD.
import type { AppContext } from '../context.ts';
import type { SvnEntryView } from '../contract.ts';
import { conflict, notFound } from '../errors.ts';
import type { ProjectRow } from '../projects/projects.service.ts';
import { discardLog } from './log-sink.ts';
import { projectSvn } from './stage.step.ts';
import { SvnError, type SvnListEntry } from './svn.ts';

/** The entries of one folder (a peg revision and a trailing "/" are ignored); 404 when svn has no such path. */
export async function browseSvn(ctx: AppContext, project: ProjectRow, path: string) {
  const { svn } = projectSvn(ctx, project, discardLog, 'browse');
  const folder = path.replace(/@.*$/, '').replace(/\/$/, '');
  try {
    return { path: folder, entries: await svn.list(folder) };
  } catch (err) {
    if (err instanceof SvnError && err.kind === 'not_found') throw notFound('SVN path');
    throw conflict(`svn could not list ${folder || 'the root'}: ${(err as Error).message}`);
  }
}

/** The public form of one folder entry. */
export function presentSvnEntry(e: SvnListEntry): SvnEntryView {
  return { name: e.name, kind: e.kind };
}

/** GET /projects/:project/svn: the folder listed and its entries. */
export function presentSvnListing(listing: { path: string; entries: SvnListEntry[] }): { path: string; items: SvnEntryView[] } {
  return { path: listing.path, items: listing.entries.map(presentSvnEntry) };
}
