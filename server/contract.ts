// The shapes the API answers with: one definition that the server's presenters must satisfy and the
// web app imports (type-only), so client and server never drift apart. No runtime code here.
import type { z } from 'zod';
import type { TicketState, UserEventType, Role } from './tickets/ticket.machine.ts';
import type { LOCALES, signInBody, updateMeBody } from './auth/auth.schema.ts';
import type { createProjectBody, membershipBody, targetBody, updateProjectBody } from './projects/projects.schema.ts';
import type { createTicketBody, eventBody, rollbackBody } from './tickets/tickets.schema.ts';
import type { createUserBody, updateUserBody } from './users/users.schema.ts';

export type { TicketState, UserEventType, Role };

/** Every error answer. */
export interface ApiErrorBody {
  error: { code: string; message: string; details: unknown };
}

/** A page of a list. */
export interface Page<T> {
  items: T[];
  total: number;
  limit?: number;
  offset?: number;
}

export interface UserRef { id: number; username: string; displayName: string }
export interface ProjectRef { id: number; slug: string; name: string }

export interface UserView extends UserRef { isAdmin: boolean; disabled: boolean; createdAt: string }

/** The interface languages. */
export type Locale = (typeof LOCALES)[number];

export interface MeView {
  user: UserRef & { isAdmin: boolean; locale: Locale | null };
  via: 'session' | 'token' | 'basic';
  projects: { project: ProjectRef; roles: Role[] }[];
  csrfToken: string | null;
}

export interface SessionView { user: UserRef & { isAdmin: boolean }; csrfToken: string; expiresAt: string }

export interface StagedChangesView {
  since: { version: number; svnPath: string; svnRevision: number } | null;
  log: { revision: number; author: string; date: string; message: string }[];
  files: { path: string; change: 'added' | 'modified' | 'deleted'; kind?: 'dir' | 'file' }[];
  truncated: boolean;
}

export interface TicketView {
  id: number;
  project: ProjectRef;
  kind: 'release' | 'rollback';
  state: TicketState;
  svnPath: string;
  reason: string;
  author: UserRef;
  svnRevision: number | null;
  approvedRevision: number | null;
  version: number | null;
  lastError: string | null;
  stagedChanges: StagedChangesView | null;
  allowedEvents: UserEventType[];
  createdAt: string;
  updatedAt: string;
}

export interface TargetView {
  id: number; name: string; kind: 'ssh' | 'local'; host: string | null; port: number | null; user: string | null;
  localPath: string | null; hostKeyPinned: boolean;
}

export interface ProjectView extends ProjectRef {
  svnRoot: string; svnLocal: boolean; svnUsername: string | null; hasSvnPassword: boolean; deployPath: string;
  releaseRemote: string | null; deployLock: { ticketId: number; since: string | null } | null; excludes: string[];
  keepReleases: number; parallel: number; allowSelfApproval: boolean; autoRelease: boolean; targets: TargetView[];
  createdAt: string; updatedAt: string;
}

export interface MemberView { user: UserRef; roles: Role[] }

export interface AuditView {
  id: number; ticketId: number | null; projectId: number | null; actor: { id: number | null; username: string };
  action: string; fromState: string | null; toState: string | null; comment: string | null; details: unknown; createdAt: string;
}

export interface LiveView { target: string; live: string | null; error: string | null }

export interface ReleaseView {
  version: number; tag: string; ticketId: number; svnRevision: number; commit: string | null; releasedBy: string | null;
  releasedAt: string; liveOn: string[];
}

export interface TargetRunView {
  target: string; targetId: number; version: number; status: 'copying' | 'copied' | 'switched' | 'failed';
  error: string | null; filesTransferred: number | null; updatedAt: string;
}

export interface LogLineView {
  id: number; ticketId: number; step: string; host?: string; stream: 'stdout' | 'stderr' | 'info'; line: string; createdAt: string;
}

export interface TokenView { id: number; name: string; prefix: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null }

export interface SvnEntryView { name: string; kind: 'dir' | 'file' }

// What clients send: the input side of the server's own zod schemas, so a request the web builds is
// checked against the same contract the server validates with.
export type SignInInput = z.input<typeof signInBody>;
export type MeChange = z.input<typeof updateMeBody>;
export type NewTicketInput = z.input<typeof createTicketBody>;
export type TicketEventInput = z.input<typeof eventBody>;
export type RollbackInput = z.input<typeof rollbackBody>;
export type NewProjectInput = z.input<typeof createProjectBody>;
export type ProjectChange = z.input<typeof updateProjectBody>;
export type TargetInput = z.input<typeof targetBody>;
export type MembershipInput = z.input<typeof membershipBody>;
export type UserInput = z.input<typeof createUserBody>;
export type UserChange = z.input<typeof updateUserBody>;
