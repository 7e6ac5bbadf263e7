import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { ProjectView, ReleaseView } from '@gantry/contract';
import { ApiClient } from '../core/api-client';
import { SessionStore } from '../core/session-store';
import { I18nStore } from '../i18n/i18n-store';
import { WaitingStore } from '../waiting/waiting-store';
import { ProjectPage, currentVersion } from './project-page';

const project = {
  id: 1, slug: 'demo', name: 'Demo', svnRoot: 'svn://x/demo', svnLocal: false, svnUsername: null, hasSvnPassword: false,
  deployPath: '/srv/demo', releaseRemote: null, deployLock: null, excludes: [], keepReleases: 5, parallel: 5,
  allowSelfApproval: false, autoRelease: false, createdAt: '', updatedAt: '',
  targets: [{ id: 1, name: 'web1', kind: 'ssh', host: 'web1', port: 22, user: 'deploy', localPath: null, hostKeyPinned: true }],
} as unknown as ProjectView;
const release = (version: number) => ({
  version, tag: `v${version}`, ticketId: version, svnRevision: 10 + version, releasedAt: '2026-03-01T10:00:00Z', releasedBy: 'dev', liveOn: version === 2 ? ['web1'] : [],
}) as unknown as ReleaseView;

/** The project page against a stand-in API: project demo, v2 live on web1, v1 before it; the user is a developer. */
function configure(): void {
  TestBed.configureTestingModule({
    providers: [
      provideRouter([]),
      {
        provide: ApiClient,
        useValue: {
          project: async () => project,
          live: async () => ({ items: [{ target: 'web1', live: 'v2', error: null }], deployLock: null }),
          releases: async () => ({ items: [release(2), release(1)], total: 2, targets: [] }),
        },
      },
      { provide: SessionStore, useValue: { rolesOn: () => ['developer'] } },
      { provide: WaitingStore, useValue: { refresh: async () => undefined } },
    ],
  });
}

async function renderProjectPage() {
  const fixture = TestBed.createComponent(ProjectPage);
  fixture.componentRef.setInput('slug', 'demo');
  await fixture.whenStable();
  fixture.detectChanges();
  await fixture.whenStable();
  return fixture;
}

describe('project page', () => {
  it('knows the version that is live now', () => {
    expect(currentVersion([{ target: 'a', live: 'v3', error: null }, { target: 'b', live: 'v2', error: null }])).toBe(3);
    expect(currentVersion([{ target: 'a', live: null, error: 'down' }])).toBeNull();
    expect(currentVersion([])).toBeNull();
  });

  it('speaks Chinese after a switch, and English again after switching back', async () => {
    configure();
    const i18n = TestBed.inject(I18nStore);
    i18n.use('zh-CN');
    try {
      const fixture = await renderProjectPage();
      const page = fixture.nativeElement as HTMLElement;
      expect(page.querySelector('#live-title')?.textContent).toBe('当前线上');
      expect(page.querySelector('#releases-title')?.textContent).toBe('发布历史');
      expect(page.querySelector('[data-rollback="1"]')?.textContent?.trim()).toBe('回滚到此版本');
      expect(page.textContent).toContain('每台主机保留 5 个发布版本');
      expect(page.textContent).toContain('由 dev 发布');

      i18n.use('en');
      fixture.detectChanges();
      await fixture.whenStable();
      expect(page.querySelector('#live-title')?.textContent).toBe('Live now');
      expect(page.querySelector('[data-rollback="1"]')?.textContent?.trim()).toBe('Roll back to this version');
      expect(page.textContent).toContain('5 releases per host');
    } finally {
      i18n.use('en');
    }
  });
});
