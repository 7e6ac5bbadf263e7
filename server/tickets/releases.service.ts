// A project's released versions (each a git tag vN made by a release ticket), newest first.
import type { AppContext } from '../context.ts';
import type { LiveView, Page, ReleaseView } from '../contract.ts';
import { liveVersions, presentLive, type LiveVersion } from '../engine/live.ts';
import { presentPage } from '../http/page.ts';
import type { ProjectRow } from '../projects/projects.service.ts';

interface ReleaseRow { version: number; ticketId: number; svnRevision: number; commit: string | null; releasedById: number; createdAt: Date }

/** One page of a project's releases with who released each, and what every target serves now. */
export async function listReleases(ctx: AppContext, project: ProjectRow, paging: { limit: number; offset: number }) {
  const where = { projectId: project.id };
  const [rows, total] = await Promise.all([
    ctx.db.prisma.release.findMany({ where, orderBy: { version: 'desc' }, take: paging.limit, skip: paging.offset }),
    ctx.db.prisma.release.count({ where }),
  ]);
  const users = await ctx.db.prisma.user.findMany({ where: { id: { in: rows.map((r) => r.releasedById) } } });
  // Which version each target serves now, asked from the targets themselves.
  const live = await liveVersions(ctx, project);
  return { rows, total, usernames: new Map(users.map((u) => [u.id, u.username])), live };
}

/** The public form of a release: its tag, who released it (by username) and the targets it is live on. */
export function presentRelease(r: ReleaseRow, releasedBy: string | null, live: LiveVersion[]): ReleaseView {
  return {
    version: r.version, tag: `v${r.version}`, ticketId: r.ticketId, svnRevision: r.svnRevision, commit: r.commit,
    releasedBy, releasedAt: r.createdAt.toISOString(),
    liveOn: live.filter((l) => l.version === r.version).map((l) => l.target),
  };
}

/** GET /projects/:project/releases: a page of releases plus every target's live version. */
export function presentReleasesPage(
  list: Awaited<ReturnType<typeof listReleases>>, paging: { limit: number; offset: number },
): Page<ReleaseView> & { targets: LiveView[] } {
  const items = list.rows.map((r) => presentRelease(r, list.usernames.get(r.releasedById) ?? null, list.live));
  return { ...presentPage(items, list.total, paging), targets: list.live.map(presentLive) };
}
