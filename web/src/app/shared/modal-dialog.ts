import {
  ChangeDetectionStrategy, Component, ElementRef, effect, input, output, viewChild,
} from '@angular/core';
import { TranslatePipe } from '../i18n/t-pipe';

let nextId = 0;

/**
 * A modal dialog on the native <dialog> element: focus moves into it and stays there, Escape closes it,
 * and focus returns to the button that opened it.
 */
@Component({
  selector: 'app-modal-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [TranslatePipe],
  template: `<dialog #dialog class="app-dialog border-0 rounded-3 shadow p-0" [attr.aria-labelledby]="titleId"
      (cancel)="onCancel($event)" (close)="onClose()">
    <div class="modal-content">
      <div class="modal-header">
        <h2 class="modal-title h5" [id]="titleId">{{ title() }}</h2>
        <button type="button" class="btn-close" [attr.aria-label]="'shared.close' | t" (click)="dismiss.emit()"></button>
      </div>
      <ng-content />
    </div>
  </dialog>`,
  styles: `
    .app-dialog { width: min(36rem, calc(100vw - 2rem)); max-height: calc(100vh - 2rem); color: inherit; background: var(--bs-body-bg); }
    .app-dialog::backdrop { background: rgb(0 0 0 / 0.45); }
  `,
})
export class ModalDialog {
  readonly open = input(false);
  readonly title = input.required<string>();
  readonly dismiss = output<void>();
  protected readonly titleId = `dialog-title-${++nextId}`;
  private readonly dialog = viewChild.required<ElementRef<HTMLDialogElement>>('dialog');
  private closing = false;

  constructor() {
    effect(() => {
      const el = this.dialog().nativeElement;
      const open = this.open();
      if (open && !el.open) {
        if (typeof el.showModal === 'function') el.showModal();
        else el.setAttribute('open', '');
      } else if (!open && el.open) {
        this.closing = true;
        if (typeof el.close === 'function') el.close();
        else el.removeAttribute('open');
        this.closing = false;
      }
    });
  }

  protected onCancel(event: Event): void {
    event.preventDefault();
    this.dismiss.emit();
  }

  protected onClose(): void {
    if (!this.closing && this.open()) this.dismiss.emit();
  }
}
