// Unit: the SVN path rules and URL resolution.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSvnPath, resolveSvnUrl, svnPathProblem } from './svn-path.ts';

test('valid paths parse into path and revision', () => {
  assert.deepEqual(parseSvnPath('trunk'), { path: 'trunk', revision: 'HEAD' });
  assert.deepEqual(parseSvnPath('trunk/'), { path: 'trunk', revision: 'HEAD' });
  assert.deepEqual(parseSvnPath('branches/fix-1@42'), { path: 'branches/fix-1', revision: 42 });
  assert.deepEqual(parseSvnPath('tags/v1.0@HEAD'), { path: 'tags/v1.0', revision: 'HEAD' });
});

test('each rule names its problem', () => {
  const cases: [string, RegExp][] = [
    ['-r', /start with "-"/], ['trunk/../x', /"\.\."/], ['trunk//x', /"\/\/"/], ['tr\tunk', /control/],
    ['svn://h/x', /not a URL/], ['/trunk', /leading "\/"/], ['trunk@x', /revision/], ['trunk@', /revision/],
    ['a;b', /segment/], ['$(id)', /segment/], ['trunk/-x', /segment/], ['', /empty/], ['x'.repeat(1025), /1024/],
  ];
  for (const [input, problem] of cases) assert.match(svnPathProblem(input) ?? 'accepted', problem, JSON.stringify(input));
  assert.throws(() => parseSvnPath('../x'), /Invalid SVN path/);
});

test('a resolved URL stays under the project root', () => {
  assert.equal(resolveSvnUrl('svn://h/repo', 'trunk'), 'svn://h/repo/trunk');
  assert.equal(resolveSvnUrl('svn://h/repo/', 'branches/a b'), 'svn://h/repo/branches/a%20b');
  assert.equal(resolveSvnUrl('file:///var/svn/demo', 'trunk/site'), 'file:///var/svn/demo/trunk/site');
  assert.throws(() => resolveSvnUrl('svn://h/repo', '../other'), /leaves/);
  assert.throws(() => resolveSvnUrl('svn://h/repo', '//evil/x'), /leaves/);
});
