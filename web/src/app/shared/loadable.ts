import { computed, signal } from '@angular/core';
import { errorMessage } from '../core/api-error';

interface State<T> {
  loading: boolean;
  value: T | null;
  /** The failure in the user's language, or null. */
  error: string | null;
}

/**
 * The one way a page holds "loading / error / value" of something it fetches. A newer load wins over
 * an older one still running (its answer is dropped), so a quick filter change never shows stale rows.
 *
 *   protected readonly projects = loadable<ProjectView[]>();
 *   load() { return this.projects.load(() => this.api.projects().then((p) => p.items)); }
 *   template: @if (projects.loading()) {…} <app-error-alert [message]="projects.error()" />
 */
export class Loadable<T> {
  private readonly state = signal<State<T>>({ loading: false, value: null, error: null });
  private latest = 0;
  readonly loading = computed(() => this.state().loading);
  readonly value = computed(() => this.state().value);
  readonly error = computed(() => this.state().error);
  /** True once a value has arrived (an empty list counts). */
  readonly ready = computed(() => !this.state().loading && this.state().value !== null);

  constructor(initial: T | null = null, loading = false) {
    this.state.set({ loading, value: initial, error: null });
  }

  /** Runs fetch; keeps the previous value while loading (keep: false clears it). */
  async load(fetch: () => Promise<T>, { keep = true }: { keep?: boolean } = {}): Promise<T | null> {
    const mine = ++this.latest;
    this.state.update((s) => ({ loading: true, value: keep ? s.value : null, error: null }));
    try {
      const value = await fetch();
      if (mine === this.latest) this.state.set({ loading: false, value, error: null });
      return value;
    } catch (err) {
      if (mine === this.latest) this.state.update((s) => ({ loading: false, value: s.value, error: errorMessage(err) }));
      return null;
    }
  }

  /** Replaces the value (after a change the page made itself). */
  set(value: T): void {
    this.state.set({ loading: false, value, error: null });
  }

  /** Forgets value and error (e.g. on sign-out); an answer still on its way is dropped. */
  reset(): void {
    this.latest++;
    this.state.set({ loading: false, value: null, error: null });
  }

  /** Shows an error that did not come from a load (e.g. a failed action). */
  fail(err: unknown): void {
    this.state.update((s) => ({ ...s, loading: false, error: errorMessage(err) }));
  }
}

/** A Loadable that starts out loading (the page fetches on open). */
export function loadable<T>(initial: T | null = null): Loadable<T> {
  return new Loadable<T>(initial, true);
}
