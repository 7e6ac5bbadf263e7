import { detailPairs } from './audit-page';

describe('audit details', () => {
  it('reads as key: value pairs, never raw JSON', () => {
    expect(detailPairs({ target: 'web1', fingerprint: 'SHA256:x' })).toEqual([
      { key: 'target', value: 'web1' }, { key: 'fingerprint', value: 'SHA256:x' },
    ]);
    expect(detailPairs({ hosts: ['a', 'b'], nested: { a: 1 }, none: null })).toEqual([
      { key: 'hosts', value: 'a, b' }, { key: 'nested', value: 'a=1' }, { key: 'none', value: '—' },
    ]);
    expect(detailPairs(null)).toEqual([]);
  });
});
