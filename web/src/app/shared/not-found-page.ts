import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterLink } from '@angular/router';

@Component({
  selector: 'app-not-found-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink],
  template: `<div class="text-center py-5">
    <i class="bi bi-signpost-split display-4 text-body-secondary" aria-hidden="true"></i>
    <h1 class="h3 mt-3" data-testid="not-found">Page not found</h1>
    <p class="text-body-secondary">There is nothing at this address. It may have moved, or the link is mistyped.</p>
    <a routerLink="/" class="btn btn-primary">Go to Waiting for me</a>
  </div>`,
})
export class NotFoundPage {}
