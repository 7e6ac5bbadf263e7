import { inject } from '@angular/core';
import type { HttpInterceptorFn } from '@angular/common/http';
import { catchError, throwError } from 'rxjs';
import { toApiError } from './api-error';
import { SessionStore } from './session-store';

/**
 * Every failed request becomes an ApiError with a plain message. A session that ended mid-work
 * (401 session_expired, or 401 while we believed we were signed in) sends the user to sign in,
 * with a returnUrl back to where they were.
 */
export const errorInterceptor: HttpInterceptorFn = (req, next) => {
  const session = inject(SessionStore);
  return next(req).pipe(
    catchError((err: unknown) => {
      const error = toApiError(err);
      // Signing in reports its own errors; /me is how the guards find out who is signed in.
      const signingIn = /\/session$/.test(req.url) && req.method === 'POST';
      const askingWhoAmI = /\/me$/.test(req.url);
      if (error.status === 401 && !signingIn && !askingWhoAmI && (error.code === 'session_expired' || session.signedIn())) {
        session.expired(error.code === 'session_expired' ? 'expired' : 'signed-out');
      }
      return throwError(() => error);
    }),
  );
};
