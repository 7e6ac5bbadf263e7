import { filterFromQuery } from './tickets-page';

describe('tickets filter from the URL', () => {
  it('keeps known values and drops the rest', () => {
    expect(filterFromQuery({ project: 'demo', state: 'tested', kind: 'rollback', author: ' dev ', q: 'fix', limit: '100', offset: '200' })).toEqual({
      project: 'demo', state: 'tested', kind: 'rollback', author: 'dev', q: 'fix', limit: 100, offset: 200,
    });
    expect(filterFromQuery({ state: 'bogus', kind: 'x', limit: '5000', offset: '-1' })).toEqual({
      project: undefined, state: undefined, kind: undefined, author: undefined, q: undefined, limit: 50, offset: 0,
    });
  });
});
