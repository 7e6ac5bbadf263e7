import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import type { Role } from '@gantry/contract';

export const ROLES: readonly Role[] = ['developer', 'tester', 'lead'];

/** Three checkboxes for a user's roles on one project. */
@Component({
  selector: 'app-role-checkboxes',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<fieldset class="d-flex flex-wrap gap-3" [disabled]="disabled()">
    <legend class="visually-hidden">{{ label() }}</legend>
    @for (role of roles; track role) {
      <div class="form-check form-check-inline m-0">
        <input class="form-check-input" type="checkbox" [id]="idPrefix() + '-' + role" [checked]="value().includes(role)"
          (change)="toggle(role, $any($event.target).checked)" [attr.data-role]="role" />
        <label class="form-check-label" [for]="idPrefix() + '-' + role">{{ role }}</label>
      </div>
    }
  </fieldset>`,
})
export class RoleCheckboxes {
  readonly value = input.required<readonly Role[]>();
  readonly label = input('Roles');
  readonly idPrefix = input.required<string>();
  readonly disabled = input(false);
  readonly changed = output<Role[]>();
  protected readonly roles = ROLES;

  protected toggle(role: Role, on: boolean): void {
    const next = ROLES.filter((r) => (r === role ? on : this.value().includes(r)));
    this.changed.emit(next);
  }
}
