// Limits sign-in attempts per account (failures) and per client address (all attempts).
import { tooManyAttempts } from '../errors.ts';

interface Limits {
  maxFailuresPerAccount: number;
  maxAttemptsPerClient: number;
  windowMs: number;
}

/** Sliding-window counters kept in memory (each server counts its own attempts). */
export class SignInLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly attempts = new Map<string, number[]>();

  constructor(
    private readonly limits: Limits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws 429 when the account or the client has used up its window; counts the attempt. */
  begin(username: string, client: string): void {
    const account = this.recent(this.failures, username.toLowerCase());
    const fromClient = this.recent(this.attempts, client);
    if (account.length >= this.limits.maxFailuresPerAccount) throw tooManyAttempts(this.retryAfter(account));
    if (fromClient.length >= this.limits.maxAttemptsPerClient) throw tooManyAttempts(this.retryAfter(fromClient));
    fromClient.push(this.now());
  }

  /** Records a failed sign-in against the account. */
  fail(username: string): void {
    this.recent(this.failures, username.toLowerCase()).push(this.now());
  }

  /** A successful sign-in clears the account's failures. */
  succeed(username: string): void {
    this.failures.delete(username.toLowerCase());
  }

  private recent(map: Map<string, number[]>, key: string): number[] {
    const since = this.now() - this.limits.windowMs;
    const list = (map.get(key) ?? []).filter((t) => t > since);
    map.set(key, list);
    if (map.size > 100_000) map.clear(); // bounded memory under a flood of random names
    map.set(key, list);
    return list;
  }

  private retryAfter(list: number[]): number {
    return Math.max(1, Math.ceil(((list[0] ?? this.now()) + this.limits.windowMs - this.now()) / 1000));
  }
}
