import { HttpErrorResponse } from '@angular/common/http';
import type { ApiErrorBody } from '@gantry/contract';
import { errorText, translate } from '../i18n/i18n-store';

/** One field problem from a 400 answer, keyed by the field's name (e.g. `svnPath`). */
export type FieldErrors = Record<string, string>;

/** An API failure in plain words, in the user's language (by its code), never raw JSON or a stack. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Field problems of a validation failure: `{ svnPath: 'SVN path must not …' }`. */
  fieldErrors(): FieldErrors {
    const out: FieldErrors = {};
    if (!Array.isArray(this.details)) return out;
    for (const item of this.details as unknown[]) {
      if (!item || typeof item !== 'object') continue;
      const { path, message, code } = item as { path?: unknown; message?: unknown; code?: unknown };
      if (typeof path !== 'string' || typeof message !== 'string') continue;
      const field = path.split('.').filter((p) => p !== 'body' && p !== 'query' && p !== 'params')[0] ?? path;
      // By the problem's code in the user's language (the server's words in English and for custom rules).
      out[field] ??= typeof code === 'string' && code !== 'custom' ? errorText(`field_${code}`, message) : message;
    }
    return out;
  }
}

function isErrorBody(body: unknown): body is ApiErrorBody {
  if (!body || typeof body !== 'object') return false;
  const error = (body as { error?: unknown }).error;
  return !!error && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string';
}

/** Turns whatever HttpClient reported into an ApiError with a message a person can read. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof HttpErrorResponse) {
    let body: unknown = err.error;
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body);
      } catch {
        /* not JSON: fall through to the status text */
      }
    }
    if (isErrorBody(body)) {
      const { code, message, details } = body.error;
      return new ApiError(err.status, code, errorText(code, message), details ?? null);
    }
    if (err.status === 0) return new ApiError(0, 'network', translate('error.network'));
    if (err.status >= 500) return new ApiError(err.status, 'server', translate('error.server', { status: err.status }));
    if (err.status === 404) return new ApiError(404, 'not_found', translate('error.not_found'));
    return new ApiError(err.status, 'http', translate('error.http', { status: err.status }));
  }
  if (err instanceof Error) return new ApiError(0, 'client', err.message || translate('error.client'));
  return new ApiError(0, 'client', translate('error.client'));
}

/** The plain-words message of any error. */
export function errorMessage(err: unknown): string {
  return toApiError(err).message;
}
