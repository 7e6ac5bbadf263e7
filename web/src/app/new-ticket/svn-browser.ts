import { ChangeDetectionStrategy, Component, computed, effect, inject, input, output, signal, untracked } from '@angular/core';
import type { SvnEntryView } from '@gantry/contract';
import { ApiClient } from '../core/api-client';
import { TranslatePipe } from '../i18n/t-pipe';
import { Loadable } from '../shared/loadable';

/** Browses a project's SVN tree; choosing a folder fills the ticket's SVN path. */
@Component({
  selector: 'app-svn-browser',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [TranslatePipe],
  template: `
    <nav [attr.aria-label]="'new-ticket.svn_folder' | t" class="mb-2">
      <ol class="breadcrumb small mb-0">
        <li class="breadcrumb-item"><button type="button" class="btn btn-link btn-sm p-0" (click)="go('')">{{ 'new-ticket.svn_root' | t }}</button></li>
        @for (c of crumbs(); track c.path; let last = $last) {
          <li class="breadcrumb-item" [class.active]="last" [attr.aria-current]="last ? 'location' : null">
            @if (last) { {{ c.name }} } @else { <button type="button" class="btn btn-link btn-sm p-0" (click)="go(c.path)">{{ c.name }}</button> }
          </li>
        }
      </ol>
    </nav>
    @if (current()) {
      <button type="button" class="btn btn-sm btn-outline-primary mb-2" (click)="chosen.emit(current())" data-testid="svn-use-folder">
        <i class="bi bi-check2 me-1" aria-hidden="true"></i>{{ 'new-ticket.use_path' | t: { path: current() } }}</button>
    }
    @if (error()) { <div class="alert alert-warning small py-2" role="alert">{{ error() }}</div> }
    @if (loading()) {
      <div class="small text-body-secondary py-2" role="status"><span class="spinner-border spinner-border-sm me-1" aria-hidden="true"></span>{{ 'new-ticket.listing' | t }}</div>
    } @else if (!error()) {
      @if (items().length) {
        <ul class="list-group list-group-flush svn-list small" data-testid="svn-list">
          @for (item of items(); track item.name) {
            <li class="list-group-item px-2 py-1 d-flex align-items-center gap-2">
              @if (item.kind === 'dir') {
                <i class="bi bi-folder-fill text-warning" aria-hidden="true"></i>
                <button type="button" class="btn btn-link btn-sm p-0 text-start" (click)="go(join(item.name))"
                  [attr.data-entry]="item.name">{{ item.name }}/</button>
                <button type="button" class="btn btn-sm btn-outline-secondary ms-auto py-0" (click)="chosen.emit(join(item.name))"
                  [attr.aria-label]="'new-ticket.use_path' | t: { path: join(item.name) }" [attr.data-use]="join(item.name)">{{ 'new-ticket.use' | t }}</button>
              } @else {
                <i class="bi bi-file-earmark text-body-secondary" aria-hidden="true"></i><span>{{ item.name }}</span>
              }
            </li>
          }
        </ul>
      } @else {
        <p class="small text-body-secondary mb-0">{{ 'new-ticket.folder_empty' | t }}</p>
      }
    }`,
  styles: `.svn-list { max-height: 18rem; overflow: auto; }`,
})
export class SvnBrowser {
  private readonly api = inject(ApiClient);
  readonly project = input.required<string>();
  readonly chosen = output<string>();

  private readonly folder = signal('');
  /** The open folder's entries, folders first; a newer folder's answer wins over an older one. */
  private readonly listing = new Loadable<SvnEntryView[]>();
  protected readonly current = this.folder.asReadonly();
  protected readonly items = computed(() => this.listing.value() ?? []);
  protected readonly loading = this.listing.loading;
  protected readonly error = this.listing.error;
  protected readonly crumbs = computed(() => {
    const parts = this.folder().split('/').filter(Boolean);
    return parts.map((name, i) => ({ name, path: parts.slice(0, i + 1).join('/') }));
  });

  constructor() {
    effect(() => {
      const project = this.project();
      untracked(() => {
        this.folder.set('');
        void this.list(project, '');
      });
    });
  }

  protected join(name: string): string {
    return this.folder() ? `${this.folder()}/${name}` : name;
  }

  protected go(path: string): void {
    this.folder.set(path);
    void this.list(this.project(), path);
  }

  private async list(project: string, path: string): Promise<void> {
    if (!project) return;
    await this.listing.load(async () => {
      const answer = await this.api.svn(project, path);
      return [...answer.items].sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'dir' ? -1 : 1));
    }, { keep: false });
  }
}
