import { inject } from '@angular/core';
import type { HttpInterceptorFn } from '@angular/common/http';
import { SessionStore } from './session-store';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Sends the session's CSRF token with every change (POST, PUT, PATCH, DELETE). */
export const csrfInterceptor: HttpInterceptorFn = (req, next) => {
  if (SAFE.has(req.method)) return next(req);
  const token = inject(SessionStore).csrfToken();
  if (!token || req.headers.has('X-CSRF-Token')) return next(req);
  return next(req.clone({ setHeaders: { 'X-CSRF-Token': token } }));
};
