// Who is calling: resolved once per request from a session cookie, a bearer token or HTTP Basic.

export interface AuthUser {
  id: number;
  username: string;
  displayName: string;
  isAdmin: boolean;
}

export interface Auth {
  user: AuthUser;
  via: 'session' | 'token' | 'basic';
  /** Set when via === 'session'. */
  session?: { id: string; csrfToken: string };
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      auth?: Auth | null;
      /** A session cookie came with the request but its session has ended. */
      sessionExpired?: boolean;
    }
  }
}
