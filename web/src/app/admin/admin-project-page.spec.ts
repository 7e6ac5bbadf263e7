import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { ProjectView, UserView } from '@gantry/contract';
import { ApiClient } from '../core/api-client';
import { SessionStore } from '../core/session-store';
import { I18nStore } from '../i18n/i18n-store';
import { AdminProjectPage } from './admin-project-page';

const project = {
  id: 1, slug: 'demo', name: 'Demo', svnRoot: 'svn://x/demo', svnLocal: false, svnUsername: null, hasSvnPassword: true,
  deployPath: '/srv/demo', releaseRemote: null, deployLock: null, excludes: [], keepReleases: 5, parallel: 5,
  allowSelfApproval: false, autoRelease: false, createdAt: '', updatedAt: '',
  targets: [{ id: 7, name: 'web1', kind: 'ssh', host: 'web1', port: 22, user: 'deploy', localPath: null, hostKeyPinned: true }],
} satisfies ProjectView;
const tester = { id: 3, username: 'tester', displayName: 'Tess Tester', isAdmin: false, disabled: false, createdAt: '' } as UserView;

/** The admin page of project demo against a stand-in API: one pinned ssh host, tester is a developer on it. */
function configure(): void {
  TestBed.configureTestingModule({
    providers: [
      provideRouter([]),
      {
        provide: ApiClient,
        useValue: {
          project: async () => project,
          users: async () => ({ items: [tester], total: 1 }),
          members: async () => ({ items: [{ user: tester, roles: ['developer'] }], total: 1 }),
        },
      },
      { provide: SessionStore, useValue: { user: () => null, ensureLoaded: async () => undefined } },
    ],
  });
}

describe('admin project page', () => {
  it('shows settings, hosts and roles in Chinese after a switch, and in English again after switching back', async () => {
    configure();
    const i18n = TestBed.inject(I18nStore);
    i18n.use('zh-CN');
    try {
      const fixture = TestBed.createComponent(AdminProjectPage);
      fixture.componentRef.setInput('slug', 'demo');
      // The members load after the project: let both answers arrive.
      for (let i = 0; i < 3; i++) {
        await fixture.whenStable();
        fixture.detectChanges();
      }
      const page = fixture.nativeElement as HTMLElement;
      const roleLabel = () => page.querySelector('[data-user="tester"] label[for="m-3-developer"]')?.textContent?.trim();
      expect(page.querySelector('#settings-title')?.textContent).toBe('设置');
      expect(page.querySelector('[data-target="web1"] .badge')?.textContent).toBe('主机密钥已固定');
      expect(page.querySelector('[data-testid="project-save"]')?.textContent?.trim()).toBe('保存设置');
      expect(page.querySelector<HTMLInputElement>('[name="svnPassword"]')?.placeholder).toBe('已设置（输入新密码即可替换）');
      expect(roleLabel()).toBe('开发');

      i18n.use('en');
      fixture.detectChanges();
      await fixture.whenStable();
      expect(page.querySelector('#settings-title')?.textContent).toBe('Settings');
      expect(page.querySelector('[data-target="web1"] .badge')?.textContent).toBe('host key pinned');
      expect(roleLabel()).toBe('developer');
    } finally {
      i18n.use('en');
    }
  });
});
