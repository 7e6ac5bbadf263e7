import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { ApiClient } from '../core/api-client';
import { TranslatePipe } from '../i18n/t-pipe';
import { loadable } from '../shared/loadable';

/** Admin area: tabs for projects, users, tokens and the audit log, and Gantry's public ssh key. */
@Component({
  selector: 'app-admin-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterOutlet, RouterLink, RouterLinkActive, TranslatePipe],
  template: `
    <h1 class="h3 mb-3">{{ 'admin.admin' | t }}</h1>
    <section class="card mb-3" aria-labelledby="ssh-key-title">
      <div class="card-body">
        <h2 class="h6" id="ssh-key-title"><i class="bi bi-key me-1" aria-hidden="true"></i>{{ 'admin.ssh_key_title' | t }}</h2>
        <p class="small text-body-secondary mb-2">{{ 'admin.ssh_key_help_before' | t }} <code>{{ authorizedKeys }}</code> {{ 'admin.ssh_key_help_after' | t }}</p>
        @if (sshKey.value(); as key) {
          <div class="input-group">
            <input class="form-control font-monospace-sm" readonly [value]="key" [attr.aria-label]="'admin.ssh_key_title' | t" data-testid="ssh-key" />
            <button type="button" class="btn btn-outline-secondary" (click)="copy(key)"><i class="bi bi-clipboard me-1" aria-hidden="true"></i>{{ (copied() ? 'admin.copied' : 'admin.copy') | t }}</button>
          </div>
        } @else if (sshKey.error()) {
          <div class="alert alert-danger small mb-0" role="alert">{{ sshKey.error() }}</div>
        } @else {
          <div class="small text-body-secondary" role="status">{{ 'shared.loading' | t }}</div>
        }
      </div>
    </section>
    <nav [attr.aria-label]="'admin.sections' | t">
      <ul class="nav nav-tabs mb-3">
        <li class="nav-item"><a class="nav-link" routerLink="projects" routerLinkActive="active" ariaCurrentWhenActive="page">{{ 'admin.tab_projects' | t }}</a></li>
        <li class="nav-item"><a class="nav-link" routerLink="users" routerLinkActive="active" ariaCurrentWhenActive="page" data-testid="admin-nav-users">{{ 'admin.tab_users' | t }}</a></li>
        <li class="nav-item"><a class="nav-link" routerLink="tokens" routerLinkActive="active" ariaCurrentWhenActive="page" data-testid="admin-nav-tokens">{{ 'admin.tab_tokens' | t }}</a></li>
        <li class="nav-item"><a class="nav-link" routerLink="audit" routerLinkActive="active" ariaCurrentWhenActive="page" data-testid="admin-nav-audit">{{ 'admin.tab_audit' | t }}</a></li>
      </ul>
    </nav>
    <router-outlet />`,
})
export class AdminPage {
  private readonly api = inject(ApiClient);
  private readonly copiedFlag = signal(false);
  protected readonly sshKey = loadable<string>();
  protected readonly copied = this.copiedFlag.asReadonly();
  /** Where ssh looks for allowed keys (a path, the same in every language). */
  protected readonly authorizedKeys = '~/.ssh/authorized_keys';

  constructor() {
    void this.sshKey.load(() => this.api.sshKey().then((k) => k.publicKey.trim()));
  }

  protected copy(text: string): void {
    void navigator.clipboard?.writeText(text).then(() => {
      this.copiedFlag.set(true);
      setTimeout(() => this.copiedFlag.set(false), 2000);
    });
  }
}
