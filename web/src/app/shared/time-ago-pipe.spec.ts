import { TestBed } from '@angular/core/testing';
import { I18nStore } from '../i18n/i18n-store';
import { TimeAgoPipe } from './time-ago-pipe';

describe('TimeAgoPipe', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  const pipe = () => TestBed.runInInjectionContext(() => new TimeAgoPipe());

  it('says how long ago', () => {
    TestBed.inject(I18nStore).use('en');
    const p = pipe();
    expect(p.transform('2026-01-01T11:59:58Z', now)).toBe('just now');
    expect(p.transform('2026-01-01T11:57:00Z', now)).toBe('3 minutes ago');
    expect(p.transform('2026-01-01T10:00:00Z', now)).toBe('2 hours ago');
    expect(p.transform('2025-12-31T12:00:00Z', now)).toBe('yesterday');
    expect(p.transform(null, now)).toBe('');
    expect(p.transform('not a date', now)).toBe('');
  });

  it('says it in Chinese after a switch', () => {
    TestBed.inject(I18nStore).use('zh-CN');
    const p = pipe();
    expect(p.transform('2026-01-01T11:59:58Z', now)).toBe('刚刚');
    expect(p.transform('2026-01-01T11:57:00Z', now)).toBe('3分钟前');
    expect(p.transform('2025-12-31T12:00:00Z', now)).toBe('昨天');
    TestBed.inject(I18nStore).use('en');
  });
});
