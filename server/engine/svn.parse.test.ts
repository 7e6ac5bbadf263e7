// Unit (pure): the svn --xml parsers and the error classifier, on output captured from svn 1.14.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  classifySvnError,
  decodeXmlEntities,
  parseSvnDiffSummary,
  parseSvnInfo,
  parseSvnList,
  parseSvnLog,
} from './svn.ts';

const INFO_DIR = `<?xml version="1.0" encoding="UTF-8"?>
<info>
<entry
   kind="dir"
   path="trunk"
   revision="3">
<url>svn://127.0.0.1:33343/app/trunk</url>
<relative-url>^/trunk</relative-url>
<repository>
<root>svn://127.0.0.1:33343/app</root>
<uuid>b535186d-15cb-43f0-ae95-0dee44bae3e9</uuid>
</repository>
<commit
   revision="2">
<author>gantry</author>
<date>2026-11-23T15:37:59.651448Z</date>
</commit>
</entry>
</info>
`;

const INFO_FILE = `<?xml version="1.0" encoding="UTF-8"?>
<info>
<entry
   revision="1"
   kind="file"
   size="12"
   path="index.html">
<url>svn://127.0.0.1:33343/app/trunk/a%20%26%20b.html</url>
<relative-url>^/trunk/a%20%26%20b.html</relative-url>
<commit
   revision="1">
<author>gantry</author>
<date>2026-11-23T15:37:59.460451Z</date>
</commit>
</entry>
</info>
`;

const LOG = `<?xml version="1.0" encoding="UTF-8"?>
<log>
<logentry
   revision="2">
<author>gantry</author>
<date>2026-11-23T15:37:59.651448Z</date>
<msg>second</msg>
</logentry>
<logentry
   revision="1">
<author>gantry</author>
<date>2026-11-23T15:37:59.460451Z</date>
<msg>first "commit" &amp; &lt;stuff&gt;
second line</msg>
</logentry>
<logentry
   revision="0">
</logentry>
</log>
`;

const DIFF = `<?xml version="1.0" encoding="UTF-8"?>
<diff>
<paths>
<path
   item="modified"
   props="none"
   kind="file">svn://127.0.0.1:33343/app/trunk/index.html</path>
<path
   item="deleted"
   props="none"
   kind="dir">svn://127.0.0.1:33343/app/trunk/lib</path>
<path
   kind="file"
   item="added"
   props="none">svn://127.0.0.1:33343/app/trunk/new%20file.txt</path>
<path
   kind="file"
   item="none"
   props="modified">svn://127.0.0.1:33343/app/trunk/run.sh</path>
<path
   kind="dir"
   item="none"
   props="modified">svn://127.0.0.1:33343/app/trunk</path>
<path
   kind="file"
   item="added"
   props="none">svn://127.0.0.1:33343/app/trunk/a+b%26c.txt</path>
</paths>
</diff>
`;

const LS = `<?xml version="1.0" encoding="UTF-8"?>
<lists>
<list
   path="svn://127.0.0.1:33343/app/trunk">
<entry
   kind="file">
<name>index.html</name>
<size>2</size>
<commit
   revision="2">
<author>gantry</author>
<date>2026-11-23T15:37:59.651448Z</date>
</commit>
</entry>
<entry
   kind="dir">
<name>lib</name>
<commit
   revision="2">
<author>gantry</author>
<date>2026-11-23T15:37:59.651448Z</date>
</commit>
</entry>
<entry
   kind="file">
<name>Tom &amp; Jerry.txt</name>
<size>1</size>
<commit
   revision="2">
</commit>
</entry>
</list>
</lists>
`;

describe('svn output parsers', () => {
  it('decodes named and numeric XML entities once', () => {
    assert.equal(decodeXmlEntities('a &amp;lt; b &lt;&gt;&quot;&apos; &#65;&#x42;'), 'a &lt; b <>"\' AB');
  });

  it('reads the revision, last changed revision, url and kind of a directory', () => {
    assert.deepEqual(parseSvnInfo(INFO_DIR), {
      url: 'svn://127.0.0.1:33343/app/trunk',
      revision: 3,
      lastChangedRevision: 2,
      kind: 'dir',
    });
  });

  it('reads a file entry whatever the attribute order', () => {
    const info = parseSvnInfo(INFO_FILE);
    assert.equal(info.kind, 'file');
    assert.equal(info.revision, 1);
    assert.equal(info.url, 'svn://127.0.0.1:33343/app/trunk/a%20%26%20b.html');
  });

  it('refuses info output without an entry (svn printed only the frame)', () => {
    assert.throws(() => parseSvnInfo('<?xml version="1.0"?>\n<info>\n</info>\n'), /no info entry/);
  });

  it('reads log entries newest first with decoded multi-line messages', () => {
    assert.deepEqual(parseSvnLog(LOG), [
      { revision: 2, author: 'gantry', date: '2026-11-23T15:37:59.651448Z', message: 'second' },
      { revision: 1, author: 'gantry', date: '2026-11-23T15:37:59.460451Z', message: 'first "commit" & <stuff>\nsecond line' },
      { revision: 0, author: '', date: '', message: '' },
    ]);
  });

  it('turns a diff summary into paths relative to the compared folder', () => {
    const base = 'svn://127.0.0.1:33343/app/trunk';
    assert.deepEqual(parseSvnDiffSummary(DIFF, [base, 'svn://127.0.0.1:33343/app/branches/b1']), [
      { path: 'index.html', change: 'modified', kind: 'file' },
      { path: 'lib', change: 'deleted', kind: 'dir' },
      { path: 'new file.txt', change: 'added', kind: 'file' },
      { path: 'run.sh', change: 'modified', kind: 'file' }, // properties only (svn:executable)
      { path: 'a+b&c.txt', change: 'added', kind: 'file' },
    ]);
  });

  it('matches the base URL whichever way it is escaped', () => {
    const xml = '<diff><paths><path item="added" props="none" kind="file">svn://h/r/rel+1/x.txt</path></paths></diff>';
    assert.deepEqual(parseSvnDiffSummary(xml, ['svn://h/r/rel%2B1']), [{ path: 'x.txt', change: 'added', kind: 'file' }]);
  });

  it('reads an empty diff summary as no changes', () => {
    assert.deepEqual(parseSvnDiffSummary('<?xml version="1.0"?>\n<diff>\n<paths>\n</paths>\n</diff>\n', ['svn://h/r']), []);
  });

  it('lists directories and files by name', () => {
    assert.deepEqual(parseSvnList(LS), [
      { name: 'index.html', kind: 'file' },
      { name: 'lib', kind: 'dir' },
      { name: 'Tom & Jerry.txt', kind: 'file' },
    ]);
  });
});

describe('svn error classification', () => {
  const cases: { name: string; stderr: string; kind: string; codes: string[] }[] = [
    {
      name: 'wrong password is auth, although svn first says it cannot connect',
      stderr: "svn: E170013: Unable to connect to a repository at URL 'svn://127.0.0.1:33343/app'\nsvn: E170001: Authentication error from server: Password incorrect\n",
      kind: 'auth',
      codes: ['E170013', 'E170001'],
    },
    {
      name: 'no more credentials is auth',
      stderr: 'svn: E215004: No more credentials or we tried too many times.\nAuthentication failed\n',
      kind: 'auth',
      codes: ['E215004'],
    },
    {
      name: 'a refused connection is unreachable',
      stderr: "svn: E170013: Unable to connect to a repository at URL 'svn://127.0.0.1:33343/app'\nsvn: E000111: Can't connect to host '127.0.0.1': Connection refused\n",
      kind: 'unreachable',
      codes: ['E170013', 'E000111'],
    },
    {
      name: 'an unknown host is unreachable',
      stderr: "svn: E170013: Unable to connect to a repository at URL 'svn://nowhere.invalid/app'\nsvn: E670008: Unknown hostname 'nowhere.invalid'\n",
      kind: 'unreachable',
      codes: ['E170013', 'E670008'],
    },
    {
      name: 'a missing path in info is not found (warning plus summary error)',
      stderr: "svn: warning: W170000: URL 'svn://127.0.0.1:33343/app/nope' non-existent in revision 2\n\nsvn: E200009: Could not display info for all targets because some targets don't exist\n",
      kind: 'not_found',
      codes: ['W170000', 'E200009'],
    },
    { name: 'a missing path in switch is not found', stderr: "svn: E160013: '/nope' path not found\n", kind: 'not_found', codes: ['E160013'] },
    { name: 'a revision beyond HEAD is not found', stderr: 'svn: E160006: No such revision 99\n', kind: 'not_found', codes: ['E160006'] },
    {
      name: 'a missing repository is not found, not unreachable',
      stderr: "svn: E170013: Unable to connect to a repository at URL 'svn://127.0.0.1:33343/norepo/trunk'\nsvn: E210005: No repository found in 'svn://127.0.0.1:33343/norepo/trunk'\n",
      kind: 'not_found',
      codes: ['E170013', 'E210005'],
    },
    { name: 'a broken working copy is other', stderr: "svn: E155007: '/tmp/w' is not a working copy\n", kind: 'other', codes: ['E155007'] },
    { name: 'output without codes is other', stderr: 'Segmentation fault\n', kind: 'other', codes: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = classifySvnError(c.stderr);
      assert.equal(got.kind, c.kind);
      assert.deepEqual(got.codes, c.codes);
      assert.equal(got.lines.length, c.codes.length);
      for (const line of got.lines) assert.match(line, /^svn: (warning: )?[EW]\d{6}: /);
    });
  }
});
