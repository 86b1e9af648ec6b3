import { createHash, randomBytes } from 'node:crypto';

/** API tokens look like `syd_` + 43 characters of base64url (256 random bits). */
export const TOKEN_PREFIX = 'syd_';

export function generateApiToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/**
 * Tokens carry 256 random bits, so a plain SHA-256 is enough to store them: no salt or slow
 * hash is needed against guessing, and the digest can be looked up by index.
 */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** What identifies a token to people without revealing it: its first characters. */
export function tokenHint(token: string): string {
  return token.slice(0, 8);
}
