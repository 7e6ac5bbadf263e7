import { TestBed } from '@angular/core/testing';
import type { LogLineView } from '@gantry/contract';
import { LogView, ROW_HEIGHT, visibleWindow } from './log-view';

const lines = (n: number): LogLineView[] => Array.from({ length: n }, (_, i) => ({
  id: i + 1, ticketId: 1, step: 'release', host: i % 2 ? 'web1' : 'web2', stream: 'stdout', line: `line ${i + 1}`,
  createdAt: '2026-01-01T12:00:00.000Z',
}));

describe('LogView', () => {
  it('computes a small window around what is visible', () => {
    expect(visibleWindow(50_000, 0, 400)).toEqual({ start: 0, end: 40 });
    expect(visibleWindow(50_000, 1000 * ROW_HEIGHT, 400)).toEqual({ start: 990, end: 1030 });
    expect(visibleWindow(50_000, 50_000 * ROW_HEIGHT, 400)).toEqual({ start: 49_990, end: 50_000 });
    expect(visibleWindow(10, 0, 400)).toEqual({ start: 0, end: 10 });
  });

  it('renders only a window of 50,000 lines and filters by host', async () => {
    const fixture = TestBed.createComponent(LogView);
    fixture.componentRef.setInput('lines', lines(50_000));
    fixture.componentRef.setInput('hosts', ['web1', 'web2']);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    const rendered = el.querySelectorAll('.log-line').length;
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThan(200);
    expect(el.querySelector('[data-testid="log-count"]')?.textContent).toContain('50000 lines');
    const select = el.querySelector('select') as HTMLSelectElement;
    select.value = 'web1';
    select.dispatchEvent(new Event('change'));
    await fixture.whenStable();
    expect(el.querySelector('[data-testid="log-count"]')?.textContent).toContain('25000 lines');
    expect([...el.querySelectorAll('.log-host')].every((h) => h.textContent === '[web1]')).toBe(true);
  });

  it('says when there is nothing yet', async () => {
    const fixture = TestBed.createComponent(LogView);
    fixture.componentRef.setInput('lines', []);
    await fixture.whenStable();
    expect((fixture.nativeElement as HTMLElement).textContent).toContain('No log lines yet.');
  });
});
