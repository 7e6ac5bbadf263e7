// Express middleware: resolves req.auth; checkCsrf guards changes made with the session cookie.
import type { NextFunction, Request, Response } from 'express';
import { parse as parseCookies } from 'cookie';
import type { AppContext } from '../context.ts';
import { AppError, csrfFailed, unauthenticated } from '../errors.ts';
import { authFromSession, authFromToken, checkPassword } from './auth.service.ts';
import { safeEqual } from './secrets.ts';

export const SESSION_COOKIE = 'gantry_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Refuses a change made with the session cookie unless it carries the session's CSRF token. */
export function checkCsrf(req: Request): void {
  const session = req.auth?.session;
  if (!session || SAFE_METHODS.has(req.method)) return;
  if (!safeEqual(req.get('x-csrf-token') ?? '', session.csrfToken)) throw csrfFailed();
}

/** The client address used for rate limiting. */
export const clientOf = (req: Request) => req.ip ?? req.socket.remoteAddress ?? 'unknown';

/** Resolves who is calling. Never sends a Basic challenge, so browsers never cache Basic credentials. */
export function authenticate(ctx: AppContext) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    req.auth = null;
    const header = req.headers.authorization;
    if (header) {
      const [scheme, value = ''] = header.split(' ', 2);
      if (scheme?.toLowerCase() === 'bearer') {
        req.auth = await authFromToken(ctx, value.trim());
        if (!req.auth) throw new AppError(401, 'invalid_token', 'The API token is unknown or revoked.');
      } else if (scheme?.toLowerCase() === 'basic') {
        const decoded = Buffer.from(value.trim(), 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        if (colon < 1) throw unauthenticated('The Basic credentials are malformed.');
        const user = await checkPassword(ctx, decoded.slice(0, colon), decoded.slice(colon + 1), clientOf(req));
        req.auth = { user, via: 'basic' };
      } else {
        throw unauthenticated('Use Authorization: Bearer <token> or Basic.');
      }
      return next();
    }
    const secret = parseCookies(req.headers.cookie ?? '')[SESSION_COOKIE];
    if (secret) {
      req.auth = await authFromSession(ctx, secret);
      if (!req.auth) req.sessionExpired = true;
    }
    next();
  };
}
