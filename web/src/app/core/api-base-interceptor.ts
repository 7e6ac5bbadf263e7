import { InjectionToken, inject } from '@angular/core';
import type { HttpInterceptorFn } from '@angular/common/http';

/** Where the API lives (same origin; `ng serve` proxies it). */
export const API_BASE_URL = new InjectionToken<string>('API_BASE_URL', { factory: () => '/api/v1' });

/** Prefixes relative request URLs (`tickets/1`) with the API base URL. */
export const apiBaseInterceptor: HttpInterceptorFn = (req, next) => {
  if (/^([a-z]+:)?\/\//i.test(req.url) || req.url.startsWith('/')) return next(req);
  const base = inject(API_BASE_URL).replace(/\/$/, '');
  return next(req.clone({ url: `${base}/${req.url}` }));
};
