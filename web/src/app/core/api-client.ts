import { Injectable, inject } from '@angular/core';
import { HttpClient, HttpParams } from '@angular/common/http';
import { firstValueFrom } from 'rxjs';
import type {
  AuditView, LiveView, Locale, MeChange, NewProjectInput, ProjectChange, TargetInput, TicketEventInput, UserChange, UserInput, LogLineView, MeView, MemberView, Page, ProjectView, ReleaseView, Role, SessionView,
  SvnEntryView, TargetRunView, TargetView, TicketState, TicketView, TokenView, UserEventType, UserView,
} from '@gantry/contract';

/** Query values; undefined, null and '' are left out. */
type Query = Record<string, string | number | boolean | null | undefined>;

export interface TicketFilter {
  project?: string;
  state?: TicketState;
  kind?: 'release' | 'rollback';
  author?: string;
  awaiting?: 'me';
  q?: string;
  limit?: number;
  offset?: number;
}

/** An event as the server's schema takes it (RETURN and REJECT need a comment). */
export type TicketEvent = TicketEventInput;

export interface AuditFilter {
  ticket?: number;
  project?: number;
  actor?: string;
  action?: string;
  since?: string;
  limit?: number;
  offset?: number;
}

/** Fields an admin may set on a project (the SVN password is write-only: null clears it); the slug only on create. */
export type ProjectInput = ProjectChange & Partial<Pick<NewProjectInput, 'slug'>>;
export type { TargetInput, TicketEventInput, UserChange, UserInput };

export type ReleasesPage = Page<ReleaseView> & { targets: LiveView[] };
export interface LiveAnswer { items: LiveView[]; deployLock: ProjectView['deployLock'] }
export interface SvnListing { path: string; items: SvnEntryView[] }
export interface HostKeyAnswer { target: string; fingerprint: string; knownHostsLine?: string; pinned: boolean }
export type NewToken = TokenView & { token: string };

function params(query: Query = {}): HttpParams {
  let p = new HttpParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    p = p.set(key, String(value));
  }
  return p;
}

const seg = (value: string | number) => encodeURIComponent(String(value));

/** The Gantry REST API (/api/v1), typed with the server's own contract. */
@Injectable({ providedIn: 'root' })
export class ApiClient {
  private readonly http = inject(HttpClient);

  // Session
  me(): Promise<MeView> { return this.get('me'); }
  updateMe(changes: MeChange): Promise<{ locale: Locale | null }> { return this.send('PATCH', 'me', changes); }
  signIn(username: string, password: string): Promise<SessionView> { return this.send('POST', 'session', { username, password }); }
  signOut(): Promise<void> { return this.send('DELETE', 'session'); }

  // Tickets
  tickets(filter: TicketFilter = {}): Promise<Page<TicketView>> { return this.get('tickets', { ...filter }); }
  ticket(id: number): Promise<TicketView> { return this.get(`tickets/${seg(id)}`); }
  createTicket(body: { project: string; svnPath: string; reason: string }): Promise<TicketView> {
    return this.send('POST', 'tickets', body);
  }
  sendEvent(id: number, event: TicketEvent): Promise<TicketView> { return this.send('POST', `tickets/${seg(id)}/events`, event); }
  history(id: number): Promise<Page<AuditView>> { return this.get(`tickets/${seg(id)}/history`); }
  log(id: number, after = 0): Promise<Page<LogLineView>> { return this.get(`tickets/${seg(id)}/log`, { after }); }
  targetRuns(id: number): Promise<Page<TargetRunView>> { return this.get(`tickets/${seg(id)}/targets`); }
  /** The URL of the live log stream (Server-Sent Events). */
  logStreamUrl(id: number): string { return `/api/v1/tickets/${seg(id)}/log/stream`; }

  // Projects
  projects(): Promise<Page<ProjectView>> { return this.get('projects'); }
  project(slug: string): Promise<ProjectView> { return this.get(`projects/${seg(slug)}`); }
  createProject(body: ProjectInput): Promise<ProjectView> { return this.send('POST', 'projects', body); }
  updateProject(slug: string, body: ProjectInput): Promise<ProjectView> { return this.send('PATCH', `projects/${seg(slug)}`, body); }
  addTarget(slug: string, body: TargetInput): Promise<TargetView> { return this.send('POST', `projects/${seg(slug)}/targets`, body); }
  removeTarget(slug: string, targetId: number): Promise<void> { return this.send('DELETE', `projects/${seg(slug)}/targets/${seg(targetId)}`); }
  fetchHostKey(slug: string, targetId: number): Promise<HostKeyAnswer> {
    return this.send('POST', `projects/${seg(slug)}/targets/${seg(targetId)}/host-key`);
  }
  acceptHostKey(slug: string, targetId: number, fingerprint: string): Promise<HostKeyAnswer> {
    return this.send('PUT', `projects/${seg(slug)}/targets/${seg(targetId)}/host-key`, { fingerprint });
  }
  members(slug: string): Promise<Page<MemberView>> { return this.get(`projects/${seg(slug)}/members`); }
  setRoles(slug: string, userId: number, roles: Role[]): Promise<{ userId: number; roles: Role[] }> {
    return this.send('PUT', `projects/${seg(slug)}/members/${seg(userId)}`, { roles });
  }
  live(slug: string): Promise<LiveAnswer> { return this.get(`projects/${seg(slug)}/live`); }
  releases(slug: string, limit = 50, offset = 0): Promise<ReleasesPage> { return this.get(`projects/${seg(slug)}/releases`, { limit, offset }); }
  requestRollback(slug: string, version: number, reason: string): Promise<TicketView> {
    return this.send('POST', `projects/${seg(slug)}/rollbacks`, { version, reason });
  }
  svn(slug: string, path: string): Promise<SvnListing> { return this.get(`projects/${seg(slug)}/svn`, { path }); }

  // Users, tokens, audit, ssh key
  users(limit = 200, offset = 0): Promise<Page<UserView>> { return this.get('users', { limit, offset }); }
  createUser(body: UserInput): Promise<UserView> { return this.send('POST', 'users', body); }
  updateUser(id: number, body: UserChange): Promise<UserView> { return this.send('PATCH', `users/${seg(id)}`, body); }
  tokens(): Promise<Page<TokenView>> { return this.get('tokens'); }
  createToken(name: string): Promise<NewToken> { return this.send('POST', 'tokens', { name }); }
  revokeToken(id: number): Promise<void> { return this.send('DELETE', `tokens/${seg(id)}`); }
  audit(filter: AuditFilter = {}): Promise<Page<AuditView>> { return this.get('audit', { ...filter }); }
  sshKey(): Promise<{ publicKey: string }> { return this.get('ssh-key'); }

  private get<T>(url: string, query?: Query): Promise<T> {
    return firstValueFrom(this.http.get<T>(url, { params: params(query) }));
  }

  private send<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown): Promise<T> {
    return firstValueFrom(this.http.request<T>(method, url, { body: body ?? null })) as Promise<T>;
  }
}
