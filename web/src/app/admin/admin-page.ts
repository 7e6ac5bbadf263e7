import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { ApiClient } from '../core/api-client';
import { errorMessage } from '../core/api-error';

/** Admin area: tabs for projects, users, tokens and the audit log, and Gantry's public ssh key. */
@Component({
  selector: 'app-admin-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterOutlet, RouterLink, RouterLinkActive],
  template: `
    <h1 class="h3 mb-3">Admin</h1>
    <section class="card mb-3" aria-labelledby="ssh-key-title">
      <div class="card-body">
        <h2 class="h6" id="ssh-key-title"><i class="bi bi-key me-1" aria-hidden="true"></i>Gantry's public ssh key</h2>
        <p class="small text-body-secondary mb-2">Add this line to <code>~/.ssh/authorized_keys</code> of the deploy user on every ssh host.</p>
        @if (sshKey(); as key) {
          <div class="input-group">
            <input class="form-control font-monospace-sm" readonly [value]="key" aria-label="Gantry's public ssh key" data-testid="ssh-key" />
            <button type="button" class="btn btn-outline-secondary" (click)="copy(key)"><i class="bi bi-clipboard me-1" aria-hidden="true"></i>{{ copied() ? 'Copied' : 'Copy' }}</button>
          </div>
        } @else if (sshKeyError()) {
          <div class="alert alert-danger small mb-0" role="alert">{{ sshKeyError() }}</div>
        } @else {
          <div class="small text-body-secondary" role="status">Loading…</div>
        }
      </div>
    </section>
    <nav aria-label="Admin sections">
      <ul class="nav nav-tabs mb-3">
        <li class="nav-item"><a class="nav-link" routerLink="projects" routerLinkActive="active" ariaCurrentWhenActive="page">Projects</a></li>
        <li class="nav-item"><a class="nav-link" routerLink="users" routerLinkActive="active" ariaCurrentWhenActive="page" data-testid="admin-nav-users">Users</a></li>
        <li class="nav-item"><a class="nav-link" routerLink="tokens" routerLinkActive="active" ariaCurrentWhenActive="page" data-testid="admin-nav-tokens">API tokens</a></li>
        <li class="nav-item"><a class="nav-link" routerLink="audit" routerLinkActive="active" ariaCurrentWhenActive="page" data-testid="admin-nav-audit">Audit log</a></li>
      </ul>
    </nav>
    <router-outlet />`,
})
export class AdminPage {
  private readonly api = inject(ApiClient);
  private readonly key = signal<string | null>(null);
  private readonly keyError = signal<string | null>(null);
  private readonly copiedFlag = signal(false);
  protected readonly sshKey = this.key.asReadonly();
  protected readonly sshKeyError = this.keyError.asReadonly();
  protected readonly copied = this.copiedFlag.asReadonly();

  constructor() {
    this.api.sshKey().then((k) => this.key.set(k.publicKey.trim())).catch((err) => this.keyError.set(errorMessage(err)));
  }

  protected copy(text: string): void {
    void navigator.clipboard?.writeText(text).then(() => {
      this.copiedFlag.set(true);
      setTimeout(() => this.copiedFlag.set(false), 2000);
    });
  }
}
