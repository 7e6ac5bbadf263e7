// Answers every error as { error: { code, message, details } }; unknown errors become a bare 500.
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { AppError, malformedJson, notFound, payloadTooLarge } from '../errors.ts';

function known(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  const e = err as { type?: string; status?: number };
  if (e?.type === 'entity.parse.failed') return malformedJson();
  if (e?.type === 'entity.too.large') return payloadTooLarge();
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
    return new AppError(415, 'unsupported_encoding', 'The request body encoding is not supported.');
  }
  return null;
}

/** The last middleware: answers known errors, logs and hides the rest. */
export function errorHandler(log: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const error = known(err);
    if (!error) log.error({ err, method: req.method, url: req.originalUrl }, 'unhandled error');
    const answer = error ?? new AppError(500, 'internal', 'Something went wrong on our side; it has been logged.');
    if (res.headersSent) return res.end();
    if (answer.status === 429) {
      const retry = (answer.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
      if (retry) res.set('Retry-After', String(retry));
    }
    res.status(answer.status).json({
      error: { code: answer.code, message: answer.message, details: answer.details ?? null },
    });
  };
}

/** 404 for API paths nothing answered. */
export function apiNotFound(req: Request, _res: Response, next: NextFunction) {
  next(Object.assign(notFound('endpoint'), { message: `No endpoint ${req.method} ${req.originalUrl.split('?')[0]}.` }));
}
