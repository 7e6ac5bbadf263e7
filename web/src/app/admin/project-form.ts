import { ChangeDetectionStrategy, Component, computed, effect, input, output, signal, untracked } from '@angular/core';
import { FormsModule } from '@angular/forms';
import type { ProjectView } from '@gantry/contract';
import type { ProjectInput } from '../core/api-client';
import type { FieldErrors } from '../core/api-error';
import { TranslatePipe } from '../i18n/t-pipe';

interface Draft {
  slug: string; name: string; svnRoot: string; svnLocal: boolean; svnUsername: string; svnPassword: string; clearPassword: boolean;
  deployPath: string; releaseRemote: string; excludes: string; keepReleases: number; parallel: number;
  allowSelfApproval: boolean; autoRelease: boolean;
}

const EMPTY: Draft = {
  slug: '', name: '', svnRoot: '', svnLocal: false, svnUsername: '', svnPassword: '', clearPassword: false, deployPath: '',
  releaseRemote: '', excludes: '', keepReleases: 5, parallel: 5, allowSelfApproval: false, autoRelease: false,
};

function draftOf(p: ProjectView | null): Draft {
  if (!p) return { ...EMPTY };
  return {
    slug: p.slug, name: p.name, svnRoot: p.svnRoot, svnLocal: p.svnLocal, svnUsername: p.svnUsername ?? '', svnPassword: '',
    clearPassword: false, deployPath: p.deployPath, releaseRemote: p.releaseRemote ?? '', excludes: p.excludes.join('\n'),
    keepReleases: p.keepReleases, parallel: p.parallel, allowSelfApproval: p.allowSelfApproval, autoRelease: p.autoRelease,
  };
}

/** What to send: for a new project everything, for an existing one only what changed (the password only when typed). */
export function projectInput(draft: Draft, original: ProjectView | null): ProjectInput {
  const excludes = draft.excludes.split('\n').map((l) => l.trim()).filter(Boolean);
  const full: ProjectInput = {
    name: draft.name.trim(), svnRoot: draft.svnRoot.trim(), svnLocal: draft.svnLocal, svnUsername: draft.svnUsername.trim() || null,
    deployPath: draft.deployPath.trim(), releaseRemote: draft.releaseRemote.trim() || null, excludes,
    keepReleases: Number(draft.keepReleases), parallel: Number(draft.parallel), allowSelfApproval: draft.allowSelfApproval,
    autoRelease: draft.autoRelease,
  };
  if (draft.svnPassword) full.svnPassword = draft.svnPassword;
  else if (draft.clearPassword) full.svnPassword = null;
  if (!original) return { slug: draft.slug.trim(), ...full };
  const before = projectInput(draftOf(original), null);
  const changed: ProjectInput = {};
  for (const key of Object.keys(full) as (keyof ProjectInput)[]) {
    if (key === 'svnPassword' || JSON.stringify(full[key]) !== JSON.stringify(before[key])) {
      (changed as Record<string, unknown>)[key] = full[key];
    }
  }
  return changed;
}

/** Create or edit a project's settings. The SVN password is write-only: it is never shown. */
@Component({
  selector: 'app-project-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, TranslatePipe],
  templateUrl: './project-form.html',
})
export class ProjectForm {
  readonly project = input<ProjectView | null>(null);
  readonly busy = input(false);
  readonly error = input<string | null>(null);
  readonly fieldErrors = input<FieldErrors>({});
  readonly save = output<ProjectInput>();

  protected readonly draft = signal<Draft>({ ...EMPTY });
  protected readonly creating = computed(() => !this.project());
  /** Example values shown in empty fields (the same in every language). */
  protected readonly examples = { svnRoot: 'svn://svn.example.com/site', deployPath: '/srv/app' };
  protected readonly idPrefix = `pf-${Math.random().toString(36).slice(2, 8)}`;

  constructor() {
    effect(() => {
      const p = this.project();
      untracked(() => this.draft.set(draftOf(p)));
    });
  }

  protected set<K extends keyof Draft>(key: K, value: Draft[K]): void {
    this.draft.update((d) => ({ ...d, [key]: value }));
  }

  protected submit(): void {
    if (!this.busy()) this.save.emit(projectInput(this.draft(), this.project()));
  }

  protected problem(field: string): string | null {
    return this.fieldErrors()[field] ?? null;
  }
}
