import { TestBed } from '@angular/core/testing';
import { TicketStepper } from './ticket-stepper';

describe('TicketStepper', () => {
  it('marks where the ticket is now', async () => {
    const fixture = TestBed.createComponent(TicketStepper);
    fixture.componentRef.setInput('kind', 'release');
    fixture.componentRef.setInput('state', 'approved');
    await fixture.whenStable();
    const steps = [...(fixture.nativeElement as HTMLElement).querySelectorAll('li')];
    expect(steps).toHaveLength(6);
    const current = steps.find((s) => s.getAttribute('aria-current') === 'step')!;
    expect(current.getAttribute('data-step')).toBe('approved');
    expect(current.textContent).toContain('Approved');
  });
});
