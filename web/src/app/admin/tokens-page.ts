import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import type { TokenView } from '@gantry/contract';
import { ApiClient, type NewToken } from '../core/api-client';
import { errorMessage } from '../core/api-error';
import { DateTimePipe } from '../i18n/date-time-pipe';
import { I18nStore } from '../i18n/i18n-store';
import { TranslatePipe } from '../i18n/t-pipe';
import { loadable } from '../shared/loadable';
import { EmptyState, ErrorAlert, Loading } from '../shared/status-views';
import { TimeAgoPipe } from '../shared/time-ago-pipe';

/** The signed-in user's API tokens: create (the secret is shown once) and revoke. */
@Component({
  selector: 'app-tokens-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DateTimePipe, FormsModule, EmptyState, ErrorAlert, Loading, TimeAgoPipe, TranslatePipe],
  template: `
    @if (standalone()) { <h1 class="h3 mb-3">{{ 'admin.tokens' | t }}</h1> } @else { <h2 class="h4 mb-3">{{ 'admin.tokens' | t }}</h2> }
    <p class="text-body-secondary">{{ 'admin.tokens_intro_before' | t }} <code>{{ authorizationHeader }}</code>{{ 'admin.tokens_intro_after' | t }}</p>
    <form class="row g-2 align-items-end mb-3" (ngSubmit)="create()" novalidate>
      <div class="col-12 col-md-5">
        <label class="form-label" for="token-name">{{ 'admin.token_name' | t }}</label>
        <input id="token-name" name="name" class="form-control" [placeholder]="'admin.token_name_hint' | t" [ngModel]="name()" (ngModelChange)="name.set($event)"
          [class.is-invalid]="createError()" />
        @if (createError()) { <div class="invalid-feedback">{{ createError() }}</div> }
      </div>
      <div class="col-auto"><button type="submit" class="btn btn-primary" [disabled]="busy()" data-testid="create-token">{{ 'admin.create_token' | t }}</button></div>
    </form>
    @if (fresh(); as t) {
      <div class="alert alert-success" role="status" data-testid="new-token">
        <p class="mb-2"><strong>{{ 'admin.token_created' | t: { name: t.name } }}</strong> {{ 'admin.token_copy_now' | t }}</p>
        <div class="input-group">
          <input class="form-control font-monospace" readonly [value]="t.token" [attr.aria-label]="'admin.new_token' | t" data-testid="new-token-value" />
          <button type="button" class="btn btn-outline-success" (click)="copy(t.token)">{{ (copied() ? 'admin.copied' : 'admin.copy') | t }}</button>
        </div>
        <button type="button" class="btn btn-sm btn-link px-0 mt-2" (click)="dismissFresh()">{{ 'admin.token_stored' | t }}</button>
      </div>
    }
    <app-error-alert [message]="list.error()" [retryable]="true" (retry)="load()" />
    @if (list.loading()) {
      <app-loading [text]="'admin.loading_tokens' | t" />
    } @else if (!tokens().length && !list.error()) {
      <app-empty-state icon="bi-key" [text]="'admin.no_tokens' | t" />
    } @else {
      <div class="table-responsive">
        <table class="table align-middle" data-testid="tokens">
          <caption class="visually-hidden">{{ 'admin.tokens_caption' | t }}</caption>
          <thead><tr><th scope="col">{{ 'admin.col_name' | t }}</th><th scope="col">{{ 'admin.col_prefix' | t }}</th><th scope="col">{{ 'admin.col_created' | t }}</th><th scope="col">{{ 'admin.col_last_used' | t }}</th><th scope="col">{{ 'admin.col_status' | t }}</th><th scope="col"><span class="visually-hidden">{{ 'admin.col_actions' | t }}</span></th></tr></thead>
          <tbody>
            @for (t of tokens(); track t.id) {
              <tr [attr.data-token]="t.name" [attr.data-revoked]="!!t.revokedAt">
                <td>{{ t.name }}</td>
                <td><code>{{ t.prefix }}…</code></td>
                <td class="small">{{ t.createdAt | dateTime }}</td>
                <td class="small">{{ t.lastUsedAt ? (t.lastUsedAt | timeAgo) : ('admin.never' | t) }}</td>
                <td>@if (t.revokedAt) { <span class="badge text-bg-secondary">{{ 'admin.revoked' | t }}</span> } @else { <span class="badge text-bg-success">{{ 'admin.token_active' | t }}</span> }</td>
                <td class="text-end">
                  @if (!t.revokedAt) {
                    @if (confirming() === t.id) {
                      <button type="button" class="btn btn-sm btn-danger me-1" (click)="revoke(t)" [disabled]="busy()" data-testid="revoke-token-confirm">{{ 'admin.revoke_token' | t: { name: t.name } }}</button>
                      <button type="button" class="btn btn-sm btn-outline-secondary" (click)="confirm(null)">{{ 'admin.keep' | t }}</button>
                    } @else {
                      <button type="button" class="btn btn-sm btn-outline-danger" (click)="confirm(t.id)" data-testid="revoke-token">{{ 'admin.revoke' | t }}</button>
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
  protected readonly list = loadable<TokenView[]>();
  /** nameMissing: the form was sent without a name (said in the current language by createError). */
  private readonly action = signal<{ busy: boolean; nameMissing: boolean; createError: string | null; fresh: NewToken | null; confirming: number | null; copied: boolean }>({
    busy: false, nameMissing: false, createError: null, fresh: null, confirming: null, copied: false,
  });
  private readonly i18n = inject(I18nStore);
  protected readonly name = signal('');
  /** The header a client sends (HTTP, the same in every language). */
  protected readonly authorizationHeader = 'Authorization: Bearer <token>';
  protected readonly tokens = computed(() => this.list.value() ?? []);
  protected readonly busy = computed(() => this.action().busy);
  protected readonly createError = computed(() => (this.action().nameMissing ? this.i18n.t('admin.token_name_required') : this.action().createError));
  protected readonly fresh = computed(() => this.action().fresh);
  protected readonly confirming = computed(() => this.action().confirming);
  protected readonly copied = computed(() => this.action().copied);

  constructor() {
    void this.load();
  }

  protected load(): Promise<TokenView[] | null> {
    return this.list.load(() => this.api.tokens().then((page) => page.items));
  }

  protected async create(): Promise<void> {
    if (!this.name().trim()) {
      this.action.update((a) => ({ ...a, nameMissing: true, createError: null }));
      return;
    }
    this.action.update((a) => ({ ...a, busy: true, nameMissing: false, createError: null, fresh: null, copied: false }));
    try {
      const token = await this.api.createToken(this.name().trim());
      this.name.set('');
      this.action.update((a) => ({ ...a, busy: false, fresh: token }));
      const { token: _secret, ...view } = token;
      this.list.set([...this.tokens(), view]);
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
      this.list.fail(err);
    }
  }

  protected dismissFresh(): void {
    this.action.update((a) => ({ ...a, fresh: null }));
  }

  protected copy(text: string): void {
    void navigator.clipboard?.writeText(text).then(() => this.action.update((a) => ({ ...a, copied: true })));
  }
}
