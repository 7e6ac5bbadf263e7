import { TestBed } from '@angular/core/testing';
import type { ProjectView, TicketView } from '@gantry/contract';
import type { TicketEvent } from '../core/api-client';
import { TicketActionDialog } from './ticket-action-dialog';

const ticket: TicketView = {
  id: 5, project: { id: 1, slug: 'demo', name: 'Demo site' }, kind: 'release', state: 'tested', svnPath: 'trunk', reason: 'Fix',
  author: { id: 2, username: 'dev', displayName: 'Dev' }, svnRevision: 7, approvedRevision: null, version: null, lastError: null,
  stagedChanges: null, allowedEvents: ['RETURN', 'APPROVE', 'REJECT'], createdAt: '', updatedAt: '',
};

async function open(event: string, extra: Partial<TicketView> = {}) {
  const fixture = TestBed.createComponent(TicketActionDialog);
  const sent: TicketEvent[] = [];
  fixture.componentInstance.submitted.subscribe((e) => sent.push(e));
  fixture.componentRef.setInput('ticket', { ...ticket, ...extra });
  fixture.componentRef.setInput('event', event);
  await fixture.whenStable();
  return { fixture, sent, el: fixture.nativeElement as HTMLElement };
}

describe('TicketActionDialog', () => {
  it('requires a comment for RETURN', async () => {
    const { fixture, sent, el } = await open('RETURN');
    (el.querySelector('button[type=submit]') as HTMLButtonElement).click();
    await fixture.whenStable();
    expect(sent).toEqual([]);
    expect(el.textContent).toContain('A comment is required');
    const comment = el.querySelector('#action-comment') as HTMLTextAreaElement;
    comment.value = 'Header is broken';
    comment.dispatchEvent(new Event('input'));
    await fixture.whenStable();
    (el.querySelector('button[type=submit]') as HTMLButtonElement).click();
    expect(sent).toEqual([{ type: 'RETURN', comment: 'Header is broken' }]);
  });

  it('names project, version and hosts before a release', async () => {
    const { fixture, el } = await open('RELEASE', { state: 'approved' });
    fixture.componentRef.setInput('nextVersion', 4);
    fixture.componentRef.setInput('project', { targets: [{ name: 'web1' }, { name: 'web2' }] } as ProjectView);
    await fixture.whenStable();
    expect(el.querySelector('[data-testid="confirm-project"]')?.textContent).toContain('Demo site');
    expect(el.querySelector('[data-testid="confirm-version"]')?.textContent).toContain('v4');
    expect(el.querySelector('[data-testid="confirm-hosts"]')?.textContent).toContain('web1, web2');
  });

  it('lets the author change path and reason on RESUBMIT, checking the path as typed', async () => {
    const { fixture, sent, el } = await open('RESUBMIT', { state: 'returned' });
    const path = el.querySelector('#resubmit-path') as HTMLInputElement;
    expect(path.value).toBe('trunk');
    path.value = 'branches//x';
    path.dispatchEvent(new Event('input'));
    await fixture.whenStable();
    expect(el.querySelector('[data-testid="path-problem"]')?.textContent).toContain('must not contain "//"');
    path.value = 'branches/fix@12';
    path.dispatchEvent(new Event('input'));
    await fixture.whenStable();
    expect(el.querySelector('[data-testid="path-problem"]')).toBeNull();
    (el.querySelector('button[type=submit]') as HTMLButtonElement).click();
    expect(sent).toEqual([{ type: 'RESUBMIT', svnPath: 'branches/fix@12' }]);
  });
});
