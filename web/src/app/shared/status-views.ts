import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { TranslatePipe } from '../i18n/t-pipe';

/** A spinner with words, for anything that is loading ("Loading…" unless the page says what). */
@Component({
  selector: 'app-loading',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [TranslatePipe],
  template: `<div class="d-flex align-items-center gap-2 text-body-secondary py-3" role="status" aria-live="polite">
    <span class="spinner-border spinner-border-sm" aria-hidden="true"></span><span>{{ text() || ('shared.loading' | t) }}</span></div>`,
})
export class Loading {
  readonly text = input<string | null | undefined>(undefined);
}

/** An error in plain words, with an optional retry. */
@Component({
  selector: 'app-error-alert',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [TranslatePipe],
  template: `@if (message()) {
    <div class="alert alert-danger d-flex align-items-start gap-2" role="alert" data-testid="error-alert">
      <i class="bi bi-exclamation-triangle-fill mt-1" aria-hidden="true"></i>
      <div class="flex-grow-1">{{ message() }}</div>
      @if (retryable()) {
        <button type="button" class="btn btn-sm btn-outline-danger" (click)="retry.emit()" data-testid="error-retry">{{ 'shared.try_again' | t }}</button>
      }
    </div>
  }`,
})
export class ErrorAlert {
  readonly message = input<string | null>(null);
  readonly retryable = input(false);
  readonly retry = output<void>();
}

/** What an empty list says. */
@Component({
  selector: 'app-empty-state',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<div class="text-center text-body-secondary py-4 border rounded bg-body-tertiary">
    <i class="bi {{ icon() }} fs-2 d-block mb-2" aria-hidden="true"></i>
    <p class="mb-0">{{ text() }}</p><ng-content /></div>`,
})
export class EmptyState {
  readonly text = input.required<string>();
  readonly icon = input('bi-inbox');
}
