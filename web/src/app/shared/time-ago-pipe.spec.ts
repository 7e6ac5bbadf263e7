import { TimeAgoPipe } from './time-ago-pipe';

describe('TimeAgoPipe', () => {
  const pipe = new TimeAgoPipe();
  const now = Date.parse('2026-01-01T12:00:00Z');
  it('says how long ago', () => {
    expect(pipe.transform('2026-01-01T11:59:58Z', now)).toBe('just now');
    expect(pipe.transform('2026-01-01T11:57:00Z', now)).toBe('3 minutes ago');
    expect(pipe.transform('2026-01-01T10:00:00Z', now)).toBe('2 hours ago');
    expect(pipe.transform('2025-12-31T12:00:00Z', now)).toBe('yesterday');
    expect(pipe.transform(null, now)).toBe('');
    expect(pipe.transform('not a date', now)).toBe('');
  });
});
