import { Injectable, effect, inject } from '@angular/core';
import { Title } from '@angular/platform-browser';
import { type RouterStateSnapshot, TitleStrategy } from '@angular/router';
import type { MessageKey } from './catalog';
import { I18nStore } from './i18n-store';

/**
 * Route titles are catalog keys (`title: 'app.title_tickets'`): the browser tab shows "工单 · Gantry" or
 * "Tickets · Gantry", and changes with a language switch.
 */
@Injectable({ providedIn: 'root' })
export class TranslatedTitle extends TitleStrategy {
  private readonly title = inject(Title);
  private readonly i18n = inject(I18nStore);
  private key: MessageKey | null = null;

  constructor() {
    super();
    effect(() => {
      this.i18n.locale();
      this.apply();
    });
  }

  override updateTitle(snapshot: RouterStateSnapshot): void {
    this.key = (this.buildTitle(snapshot) as MessageKey | undefined) ?? null;
    this.apply();
  }

  private apply(): void {
    if (this.key) this.title.setTitle(`${this.i18n.t(this.key)} · Gantry`);
  }
}
