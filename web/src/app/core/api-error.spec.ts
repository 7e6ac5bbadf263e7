import { HttpErrorResponse } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import { I18nStore } from '../i18n/i18n-store';
import { ApiError, errorMessage, toApiError } from './api-error';

describe('API errors in plain words', () => {
  it('uses the server message and code', () => {
    const err = toApiError(new HttpErrorResponse({
      status: 401, error: { error: { code: 'invalid_credentials', message: 'The username or password is wrong.', details: null } },
    }));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(401);
    expect(err.code).toBe('invalid_credentials');
    expect(err.message).toBe('The username or password is wrong.');
  });

  it('reads an error body that arrived as text', () => {
    const err = toApiError(new HttpErrorResponse({
      status: 429, error: JSON.stringify({ error: { code: 'too_many_attempts', message: 'Too many sign-in attempts; try again in 60 seconds.', details: { retryAfterSeconds: 60 } } }),
    }));
    expect(err.code).toBe('too_many_attempts');
    expect(err.message).toContain('60 seconds');
  });

  it('never shows raw bodies, stacks or [object Object]', () => {
    expect(errorMessage(new HttpErrorResponse({ status: 502, error: '<html>Bad gateway</html>' }))).toBe('The server could not answer (HTTP 502). Try again in a moment.');
    expect(errorMessage(new HttpErrorResponse({ status: 0, error: new ProgressEvent('error') }))).toMatch(/cannot be reached/);
    expect(errorMessage(new HttpErrorResponse({ status: 418, error: { unexpected: true } }))).toBe('The request failed (HTTP 418).');
    expect(errorMessage({ weird: 'object' })).toBe('Something went wrong.');
    expect(errorMessage(new Error('Boom'))).toBe('Boom');
  });

  it('maps validation details to fields', () => {
    const err = new ApiError(400, 'validation_failed', 'The request is invalid.', [
      { path: 'body.svnPath', message: 'SVN path must not contain "//"', code: 'custom' },
      { path: 'body.reason', message: 'must not be empty', code: 'too_small' },
      { path: 'body.svnPath', message: 'second problem', code: 'custom' },
      'junk',
    ]);
    expect(err.fieldErrors()).toEqual({ svnPath: 'SVN path must not contain "//"', reason: 'must not be empty' });
    expect(new ApiError(409, 'conflict', 'x', { other: 1 }).fieldErrors()).toEqual({});
  });

  it('in Chinese: a server error by its code, a field problem by its code, custom rules as the server said', () => {
    const i18n = TestBed.inject(I18nStore);
    i18n.use('zh-CN');
    try {
      const err = toApiError(new HttpErrorResponse({
        status: 400, error: { error: { code: 'validation_failed', message: 'The request is invalid.', details: [
          { path: 'body.reason', message: 'must be at most 4000 characters', code: 'too_big' },
          { path: 'body.svnPath', message: 'SVN path must not contain "//"', code: 'custom' },
        ] } },
      }));
      expect(err.message).toBe('请求内容无效。');
      expect(err.fieldErrors()).toEqual({ reason: '太长或太大。', svnPath: 'SVN path must not contain "//"' });
      expect(toApiError(new HttpErrorResponse({ status: 418, error: { unexpected: true } })).message).toBe('请求失败（HTTP 418）。');
    } finally {
      i18n.use('en');
    }
    expect(new ApiError(400, 'validation_failed', 'x', [{ path: 'body.reason', message: 'must be at most 4000 characters', code: 'too_big' }]).fieldErrors())
      .toEqual({ reason: 'must be at most 4000 characters' });
  });
});
