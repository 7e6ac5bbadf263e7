import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import type { Role } from '@gantry/contract';
import { TranslatePipe } from '../i18n/t-pipe';
import { roleLabel } from '../shared/ticket-states';

export const ROLES: readonly Role[] = ['developer', 'tester', 'lead'];

/** Three checkboxes for a user's roles on one project. */
@Component({
  selector: 'app-role-checkboxes',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [TranslatePipe],
  template: `<fieldset class="d-flex flex-wrap gap-3" [disabled]="disabled()">
    <legend class="visually-hidden">{{ label() ?? ('admin.roles' | t) }}</legend>
    @for (role of roles; track role) {
      <div class="form-check form-check-inline m-0">
        <input class="form-check-input" type="checkbox" [id]="idPrefix() + '-' + role" [checked]="value().includes(role)"
          (change)="toggle(role, $any($event.target).checked)" [attr.data-role]="role" />
        <label class="form-check-label" [for]="idPrefix() + '-' + role">{{ roleName(role) }}</label>
      </div>
    }
  </fieldset>`,
})
export class RoleCheckboxes {
  readonly value = input.required<readonly Role[]>();
  /** What the group is for, read by screen readers (default: "Roles"). */
  readonly label = input<string | null>(null);
  readonly idPrefix = input.required<string>();
  readonly disabled = input(false);
  readonly changed = output<Role[]>();
  protected readonly roles = ROLES;
  protected readonly roleName = roleLabel;

  protected toggle(role: Role, on: boolean): void {
    const next = ROLES.filter((r) => (r === role ? on : this.value().includes(r)));
    this.changed.emit(next);
  }
}
