import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterLink } from '@angular/router';
import { TranslatePipe } from '../i18n/t-pipe';

/** What an address that leads nowhere shows. */
@Component({
  selector: 'app-not-found-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, TranslatePipe],
  template: `<div class="text-center py-5">
    <i class="bi bi-signpost-split display-4 text-body-secondary" aria-hidden="true"></i>
    <h1 class="h3 mt-3" data-testid="not-found">{{ 'shared.not_found_title' | t }}</h1>
    <p class="text-body-secondary">{{ 'shared.not_found_text' | t }}</p>
    <a routerLink="/" class="btn btn-primary">{{ 'shared.not_found_home' | t }}</a>
  </div>`,
})
export class NotFoundPage {}
