// Password hashing with argon2id.
import argon2 from 'argon2';
import crypto from 'node:crypto';

/** Hashes a password with argon2id. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

/** True when password matches the stored argon2 hash. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

// A valid hash of a random secret: verifying unknown usernames against it costs the same time as a
// real check, so response times do not reveal which usernames exist.
let decoyHash: Promise<string> | undefined;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword(crypto.randomBytes(16).toString('hex'));
  return decoyHash;
}

/** A readable random password (for generated admin and demo passwords). */
export function generatePassword(): string {
  return crypto.randomBytes(12).toString('base64url');
}
