import { currentVersion } from './project-page';

describe('project page', () => {
  it('knows the version that is live now', () => {
    expect(currentVersion([{ target: 'a', live: 'v3', error: null }, { target: 'b', live: 'v2', error: null }])).toBe(3);
    expect(currentVersion([{ target: 'a', live: null, error: 'down' }])).toBeNull();
    expect(currentVersion([])).toBeNull();
  });
});
