// Every error Gantry answers on purpose: an HTTP status, a stable code and a plain message.

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** Input failed validation; details lists each field path and problem. */
export const validationFailed = (details: unknown, message = 'The request is invalid.') =>
  new AppError(400, 'validation_failed', message, details);
export const malformedJson = () => new AppError(400, 'malformed_json', 'The request body is not valid JSON.');
export const payloadTooLarge = () => new AppError(413, 'payload_too_large', 'The request body is too large.');
export const unauthenticated = (message = 'Sign in first.') => new AppError(401, 'unauthenticated', message);
export const sessionExpired = () =>
  new AppError(401, 'session_expired', 'Your session has ended; sign in again.');
export const invalidCredentials = () =>
  new AppError(401, 'invalid_credentials', 'The username or password is wrong.');
export const csrfFailed = () =>
  new AppError(403, 'csrf_failed', 'The CSRF token is missing or wrong; reload the page and try again.');
export const forbidden = (message = 'You are not allowed to do that.') => new AppError(403, 'forbidden', message);
export const notFound = (what = 'resource') => new AppError(404, 'not_found', `That ${what} does not exist.`);
export const conflict = (message: string, details?: unknown) => new AppError(409, 'conflict', message, details);
export const tooManyAttempts = (retryAfterSeconds: number) =>
  new AppError(429, 'too_many_attempts', `Too many sign-in attempts; try again in ${retryAfterSeconds} seconds.`, {
    retryAfterSeconds,
  });
