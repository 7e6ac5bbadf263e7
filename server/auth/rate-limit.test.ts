// Unit: the sign-in limiter's windows.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../errors.ts';
import { SignInLimiter } from './rate-limit.ts';

test('failures lock an account until the window has passed; success clears them', () => {
  let now = 0;
  const limiter = new SignInLimiter({ maxFailuresPerAccount: 2, maxAttemptsPerClient: 100, windowMs: 60_000 }, () => now);
  limiter.begin('ann', 'c1');
  limiter.fail('ann');
  limiter.begin('ANN', 'c1');
  limiter.fail('Ann');
  assert.throws(() => limiter.begin('ann', 'c2'), (e: unknown) => e instanceof AppError && e.status === 429);
  now = 60_001;
  limiter.begin('ann', 'c1');
  limiter.succeed('ann');
  limiter.fail('ann');
  limiter.begin('ann', 'c1');
});

test('a client is limited on attempts across accounts', () => {
  const limiter = new SignInLimiter({ maxFailuresPerAccount: 100, maxAttemptsPerClient: 3, windowMs: 60_000 }, () => 0);
  for (const name of ['a', 'b', 'c']) limiter.begin(name, '10.0.0.1');
  assert.throws(() => limiter.begin('d', '10.0.0.1'), /Too many sign-in attempts/);
  limiter.begin('d', '10.0.0.2');
});
