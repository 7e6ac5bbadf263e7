import { TestBed } from '@angular/core/testing';
import { svnPathProblem } from '@gantry/svn-path';
import { I18nStore } from '../i18n/i18n-store';
import { svnPathProblemText } from './svn-path-problem';

// One path per rule of server/validation/svn-path.ts.
const BAD_PATHS = ['', 'x'.repeat(1025), 'a\u0001b', '-r', 'svn://host/x', '/trunk', 'trunk@abc', 'a//b', 'a/../b', 'a/$b'];

describe('svnPathProblemText', () => {
  it('says in English exactly what the server says', () => {
    TestBed.inject(I18nStore).use('en');
    for (const path of BAD_PATHS) expect(svnPathProblemText(svnPathProblem(path)!), path).toBe(svnPathProblem(path));
  });

  it('says every rule in Chinese (a rule without a text would stay English)', () => {
    TestBed.inject(I18nStore).use('zh-CN');
    for (const path of BAD_PATHS) {
      const text = svnPathProblemText(svnPathProblem(path)!);
      expect(text.replace(/SVN|URL|HEAD/g, ''), path).not.toMatch(/[a-z]{3}/i);
    }
    expect(svnPathProblemText(svnPathProblem('a/$b')!)).toContain('“$b”');
    expect(svnPathProblemText(svnPathProblem('x'.repeat(1025))!)).toBe('最多 1024 个字符');
    TestBed.inject(I18nStore).use('en');
  });
});
