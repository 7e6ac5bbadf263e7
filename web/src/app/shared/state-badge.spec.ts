import { TestBed } from '@angular/core/testing';
import { StateBadge } from './state-badge';

describe('StateBadge', () => {
  it('shows the state with its colour from the one map', async () => {
    const fixture = TestBed.createComponent(StateBadge);
    fixture.componentRef.setInput('state', 'release_failed');
    await fixture.whenStable();
    const badge = (fixture.nativeElement as HTMLElement).querySelector('.badge')!;
    expect(badge.textContent?.trim()).toBe('Release failed');
    expect(badge.classList).toContain('text-bg-danger');
    expect(badge.getAttribute('data-state')).toBe('release_failed');
  });
});
