// Gantry's API from the test process, as each user: one cookie session per user (signed in once), with
// the CSRF token on every change, exactly as the web app calls it. The browser contexts reuse the session.
import type { SessionView } from '@gantry/contract';

export const SESSION_COOKIE = 'gantry_session';

export interface ApiAnswer<T> { status: number; body: T }

/** One signed-in user of the API. */
export class ApiUser {
  private constructor(
    private readonly baseUrl: string,
    readonly username: string,
    readonly id: number,
    /** The session cookie's value, for browser contexts signed in as this user. */
    readonly sessionSecret: string,
    private readonly csrfToken: string,
  ) {}

  /** Signs in with POST /session and keeps the cookie and the CSRF token. */
  static async signIn(baseUrl: string, username: string, password: string): Promise<ApiUser> {
    const res = await fetch(`${baseUrl}/api/v1/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (res.status !== 201) throw new Error(`signing in as ${username}: ${res.status} ${await res.text()}`);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
    if (!cookie) throw new Error(`signing in as ${username}: no session cookie`);
    const secret = decodeURIComponent(cookie.slice(SESSION_COOKIE.length + 1).split(';')[0]!);
    const body = (await res.json()) as SessionView;
    return new ApiUser(baseUrl, username, body.user.id, secret, body.csrfToken);
  }

  /** Any call; the answer's status and parsed body. */
  async call<T = unknown>(method: string, url: string, body?: unknown): Promise<ApiAnswer<T>> {
    const headers: Record<string, string> = { Cookie: `${SESSION_COOKIE}=${encodeURIComponent(this.sessionSecret)}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET') headers['X-CSRF-Token'] = this.csrfToken;
    const res = await fetch(`${this.baseUrl}/api/v1${url}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }

  /** A call that must answer with `status`; returns the body. */
  async expect<T = unknown>(status: number, method: string, url: string, body?: unknown): Promise<T> {
    const answer = await this.call<T>(method, url, body);
    if (answer.status !== status) {
      throw new Error(`${this.username}: ${method} ${url} answered ${answer.status}, expected ${status}: ${JSON.stringify(answer.body)}`);
    }
    return answer.body;
  }
}

/** The users of one test run, each signed in once, on first use. */
export class ApiUsers {
  private readonly signedIn = new Map<string, Promise<ApiUser>>();

  constructor(private readonly baseUrl: string, private readonly password: string) {}

  as(username: string): Promise<ApiUser> {
    let user = this.signedIn.get(username);
    if (!user) {
      user = ApiUser.signIn(this.baseUrl, username, this.password);
      user.catch(() => this.signedIn.delete(username));
      this.signedIn.set(username, user);
    }
    return user;
  }
}
