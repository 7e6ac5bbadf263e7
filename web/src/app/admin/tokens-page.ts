import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { DatePipe } from '@angular/common';
import { FormsModule } from '@angular/forms';
import type { TokenView } from '@gantry/contract';
import { ApiClient, type NewToken } from '../core/api-client';
import { errorMessage } from '../core/api-error';
import { EmptyState, ErrorAlert, Loading } from '../shared/status-views';
import { TimeAgoPipe } from '../shared/time-ago-pipe';

/** The signed-in user's API tokens: create (the secret is shown once) and revoke. */
@Component({
  selector: 'app-tokens-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, FormsModule, EmptyState, ErrorAlert, Loading, TimeAgoPipe],
  template: `
    @if (standalone()) { <h1 class="h3 mb-3">API tokens</h1> } @else { <h2 class="h4 mb-3">API tokens</h2> }
    <p class="text-body-secondary">For CI and scripts: send <code>Authorization: Bearer &lt;token&gt;</code>. A token acts as you, with your roles.</p>
    <form class="row g-2 align-items-end mb-3" (ngSubmit)="create()" novalidate>
      <div class="col-12 col-md-5">
        <label class="form-label" for="token-name">Name</label>
        <input id="token-name" name="name" class="form-control" placeholder="e.g. Jenkins" [ngModel]="name()" (ngModelChange)="name.set($event)"
          [class.is-invalid]="createError()" />
        @if (createError()) { <div class="invalid-feedback">{{ createError() }}</div> }
      </div>
      <div class="col-auto"><button type="submit" class="btn btn-primary" [disabled]="busy()" data-testid="create-token">Create token</button></div>
    </form>
    @if (fresh(); as t) {
      <div class="alert alert-success" role="status" data-testid="new-token">
        <p class="mb-2"><strong>Token “{{ t.name }}” created.</strong> Copy it now: it is shown only this once.</p>
        <div class="input-group">
          <input class="form-control font-monospace" readonly [value]="t.token" aria-label="The new token" data-testid="new-token-value" />
          <button type="button" class="btn btn-outline-success" (click)="copy(t.token)">{{ copied() ? 'Copied' : 'Copy' }}</button>
        </div>
        <button type="button" class="btn btn-sm btn-link px-0 mt-2" (click)="dismissFresh()">I have stored it</button>
      </div>
    }
    <app-error-alert [message]="error()" [retryable]="true" (retry)="load()" />
    @if (loading()) {
      <app-loading text="Loading tokens…" />
    } @else if (!tokens().length && !error()) {
      <app-empty-state icon="bi-key" text="No API tokens yet." />
    } @else {
      <div class="table-responsive">
        <table class="table align-middle" data-testid="tokens">
          <caption class="visually-hidden">Your API tokens</caption>
          <thead><tr><th scope="col">Name</th><th scope="col">Starts with</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">Status</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            @for (t of tokens(); track t.id) {
              <tr [attr.data-token]="t.name" [attr.data-revoked]="!!t.revokedAt">
                <td>{{ t.name }}</td>
                <td><code>{{ t.prefix }}…</code></td>
                <td class="small">{{ t.createdAt | date: 'medium' }}</td>
                <td class="small">{{ t.lastUsedAt ? (t.lastUsedAt | timeAgo) : 'never' }}</td>
                <td>@if (t.revokedAt) { <span class="badge text-bg-secondary">revoked</span> } @else { <span class="badge text-bg-success">active</span> }</td>
                <td class="text-end">
                  @if (!t.revokedAt) {
                    @if (confirming() === t.id) {
                      <button type="button" class="btn btn-sm btn-danger me-1" (click)="revoke(t)" [disabled]="busy()" data-testid="revoke-token-confirm">Revoke {{ t.name }}</button>
                      <button type="button" class="btn btn-sm btn-outline-secondary" (click)="confirm(null)">Keep</button>
                    } @else {
                      <button type="button" class="btn btn-sm btn-outline-danger" (click)="confirm(t.id)" data-testid="revoke-token">Revoke</button>
                    }
                  }
                </td>
              </tr>
            }
          </tbody>
        </table>
      </div>
    }`,
})
export class TokensPage {
  private readonly api = inject(ApiClient);
  /** Route data: true on /tokens (its own page), false inside the admin area. */
  readonly standalone = input(false);
  private readonly state = signal<{ items: TokenView[]; loading: boolean; error: string | null }>({ items: [], loading: true, error: null });
  private readonly action = signal<{ busy: boolean; createError: string | null; fresh: NewToken | null; confirming: number | null; copied: boolean }>({
    busy: false, createError: null, fresh: null, confirming: null, copied: false,
  });
  protected readonly name = signal('');
  protected readonly tokens = computed(() => this.state().items);
  protected readonly loading = computed(() => this.state().loading);
  protected readonly error = computed(() => this.state().error);
  protected readonly busy = computed(() => this.action().busy);
  protected readonly createError = computed(() => this.action().createError);
  protected readonly fresh = computed(() => this.action().fresh);
  protected readonly confirming = computed(() => this.action().confirming);
  protected readonly copied = computed(() => this.action().copied);

  constructor() {
    void this.load();
  }

  protected async load(): Promise<void> {
    this.state.update((s) => ({ ...s, loading: true, error: null }));
    try {
      this.state.set({ items: (await this.api.tokens()).items, loading: false, error: null });
    } catch (err) {
      this.state.set({ items: [], loading: false, error: errorMessage(err) });
    }
  }

  protected async create(): Promise<void> {
    if (!this.name().trim()) {
      this.action.update((a) => ({ ...a, createError: 'Give the token a name, e.g. where it is used.' }));
      return;
    }
    this.action.update((a) => ({ ...a, busy: true, createError: null, fresh: null, copied: false }));
    try {
      const token = await this.api.createToken(this.name().trim());
      this.name.set('');
      this.action.update((a) => ({ ...a, busy: false, fresh: token }));
      const { token: _secret, ...view } = token;
      this.state.update((s) => ({ ...s, items: [...s.items, view] }));
    } catch (err) {
      this.action.update((a) => ({ ...a, busy: false, createError: errorMessage(err) }));
    }
  }

  protected confirm(id: number | null): void {
    this.action.update((a) => ({ ...a, confirming: id }));
  }

  protected async revoke(token: TokenView): Promise<void> {
    this.action.update((a) => ({ ...a, busy: true }));
    try {
      await this.api.revokeToken(token.id);
      this.action.update((a) => ({ ...a, busy: false, confirming: null }));
      await this.load();
    } catch (err) {
      this.action.update((a) => ({ ...a, busy: false }));
      this.state.update((s) => ({ ...s, error: errorMessage(err) }));
    }
  }

  protected dismissFresh(): void {
    this.action.update((a) => ({ ...a, fresh: null }));
  }

  protected copy(text: string): void {
    void navigator.clipboard?.writeText(text).then(() => this.action.update((a) => ({ ...a, copied: true })));
  }
}
