import { ChangeDetectionStrategy, Component, effect, inject, signal } from '@angular/core';
import { NavigationEnd, Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { filter } from 'rxjs';
import { SessionStore } from './core/session-store';
import { LanguageSwitch } from './i18n/language-switch';
import { TranslatePipe } from './i18n/t-pipe';
import { WaitingStore } from './waiting/waiting-store';

@Component({
  selector: 'app-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterOutlet, RouterLink, RouterLinkActive, LanguageSwitch, TranslatePipe],
  templateUrl: './app.html',
  styleUrl: './app.scss',
})
export class App {
  protected readonly session = inject(SessionStore);
  protected readonly waiting = inject(WaitingStore);
  private readonly menuOpen = signal(false);
  protected readonly navExpanded = this.menuOpen.asReadonly();

  constructor() {
    // Poll "waiting for me" while someone is signed in.
    effect(() => {
      if (this.session.signedIn()) this.waiting.start();
      else this.waiting.clear();
    });
    inject(Router).events.pipe(filter((e) => e instanceof NavigationEnd), takeUntilDestroyed()).subscribe(() => this.closeMenu());
  }

  protected toggleMenu(): void {
    this.menuOpen.update((open) => !open);
  }

  protected closeMenu(): void {
    this.menuOpen.set(false);
  }

  protected signOut(): void {
    void this.session.signOut();
  }
}
