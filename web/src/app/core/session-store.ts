import { Injectable, computed, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import type { MeView, Role } from '@gantry/contract';
import { I18nStore } from '../i18n/i18n-store';
import { ApiClient } from './api-client';
import { toApiError } from './api-error';

type Status = 'unknown' | 'signed-out' | 'signed-in';

/** Who is signed in, their roles per project, and the CSRF token for changes. */
@Injectable({ providedIn: 'root' })
export class SessionStore {
  private readonly api = inject(ApiClient);
  private readonly router = inject(Router);
  private readonly i18n = inject(I18nStore);
  private readonly state = signal<{ status: Status; me: MeView | null; csrfToken: string | null }>({
    status: 'unknown', me: null, csrfToken: null,
  });
  private loading: Promise<MeView | null> | null = null;

  readonly status = computed(() => this.state().status);
  readonly me = computed(() => this.state().me);
  readonly user = computed(() => this.state().me?.user ?? null);
  readonly signedIn = computed(() => this.state().status === 'signed-in');
  readonly isAdmin = computed(() => this.state().me?.user.isAdmin ?? false);
  readonly csrfToken = computed(() => this.state().csrfToken);
  /** Projects where the user may file tickets. */
  readonly developerProjects = computed(() =>
    (this.state().me?.projects ?? []).filter((p) => p.roles.includes('developer')).map((p) => p.project),
  );
  readonly canFileTickets = computed(() => this.developerProjects().length > 0);

  /** The roles the user holds on one project (by slug). */
  rolesOn(slug: string): Role[] {
    return this.state().me?.projects.find((p) => p.project.slug === slug)?.roles ?? [];
  }

  /** Loads /me once (or again with force); null when nobody is signed in. */
  ensureLoaded(force = false): Promise<MeView | null> {
    if (!force && this.state().status !== 'unknown') return Promise.resolve(this.state().me);
    this.loading ??= this.api
      .me()
      .then((me) => {
        this.state.set({ status: 'signed-in', me, csrfToken: me.csrfToken });
        // The language the user chose (on any browser) wins over this browser's.
        if (me.user.locale && me.user.locale !== this.i18n.locale()) this.i18n.use(me.user.locale);
        return me;
      })
      .catch((err: unknown) => {
        if (toApiError(err).status === 401) {
          this.state.set({ status: 'signed-out', me: null, csrfToken: null });
          return null;
        }
        throw toApiError(err);
      })
      .finally(() => {
        this.loading = null;
      });
    return this.loading;
  }

  /** Signs in, then loads the roles. Throws an ApiError (wrong password, too many attempts…). */
  async signIn(username: string, password: string): Promise<MeView | null> {
    const session = await this.api.signIn(username, password);
    this.state.set({ status: 'unknown', me: null, csrfToken: session.csrfToken });
    return this.ensureLoaded(true);
  }

  async signOut(): Promise<void> {
    try {
      await this.api.signOut();
    } finally {
      this.state.set({ status: 'signed-out', me: null, csrfToken: null });
      await this.router.navigate(['/sign-in'], { queryParams: { reason: 'signed-out' } });
    }
  }

  /** The server no longer knows our session: back to sign-in, then back to where we were. */
  expired(reason: 'expired' | 'signed-out' = 'expired'): void {
    const wasKnown = this.state().status !== 'signed-out';
    this.state.set({ status: 'signed-out', me: null, csrfToken: null });
    const current = this.router.url;
    // Before the first navigation has finished, the route guard sends the user to sign in (with the right returnUrl).
    if (!wasKnown || !this.router.navigated || current.startsWith('/sign-in')) return;
    void this.router.navigate(['/sign-in'], { queryParams: { returnUrl: current, reason } });
  }
}
