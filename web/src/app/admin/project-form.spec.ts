import type { ProjectView } from '@gantry/contract';
import { projectInput } from './project-form';

const project = {
  id: 1, slug: 'demo', name: 'Demo', svnRoot: 'svn://x/demo', svnLocal: false, svnUsername: 'ci', hasSvnPassword: true,
  deployPath: '/srv/demo', releaseRemote: null, deployLock: null, excludes: ['*.log'], keepReleases: 5, parallel: 5,
  allowSelfApproval: false, autoRelease: false, targets: [], createdAt: '', updatedAt: '',
} satisfies ProjectView;

const draft = (over: object = {}) => ({
  slug: 'demo', name: 'Demo', svnRoot: 'svn://x/demo', svnLocal: false, svnUsername: 'ci', svnPassword: '', clearPassword: false,
  deployPath: '/srv/demo', releaseRemote: '', excludes: '*.log', keepReleases: 5, parallel: 5, allowSelfApproval: false, autoRelease: false,
  ...over,
});

describe('project form', () => {
  it('sends only what changed, and never the password unless typed', () => {
    expect(projectInput(draft(), project)).toEqual({});
    expect(projectInput(draft({ name: 'Demo 2', excludes: '*.log\n tmp/ \n' }), project)).toEqual({ name: 'Demo 2', excludes: ['*.log', 'tmp/'] });
    expect(projectInput(draft({ svnPassword: 'secret' }), project)).toEqual({ svnPassword: 'secret' });
    expect(projectInput(draft({ clearPassword: true }), project)).toEqual({ svnPassword: null });
  });

  it('sends everything for a new project', () => {
    const input = projectInput(draft({ slug: ' shop ', releaseRemote: '', svnUsername: '' }), null);
    expect(input).toMatchObject({ slug: 'shop', name: 'Demo', svnUsername: null, releaseRemote: null, keepReleases: 5 });
    expect('svnPassword' in input).toBe(false);
  });
});
