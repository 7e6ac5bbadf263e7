// Random bearer secrets (session cookies, API tokens) and their stored form.
import crypto from 'node:crypto';

/** A new random secret with a readable prefix, e.g. `gty_…`. */
export function newSecret(prefix = ''): string {
  return prefix + crypto.randomBytes(32).toString('base64url');
}

/** What the database keeps instead of the secret. Secrets are random, so a fast hash suffices. */
export function hashSecret(secret: string): string {
  return crypto.createHash('sha256').update(secret).digest('hex');
}

/** Compares two strings in constant time. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}
