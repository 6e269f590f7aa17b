import { createHash, randomBytes } from 'node:crypto';

/** Every key starts with this, so secret scanners and people can recognise an Earshot key. */
export const API_KEY_PREFIX = 'esk_';

export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

export function generateApiKey(): { key: string; prefix: string; hash: Buffer } {
  const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { key, prefix: key.slice(0, API_KEY_PREFIX.length + 8), hash: hashApiKey(key) };
}

export function looksLikeApiKey(value: string): boolean {
  return value.startsWith(API_KEY_PREFIX) && value.length === API_KEY_PREFIX.length + 43;
}

/**
 * Whether a key expiring at `expiresAt` (null: never) would outlive `limit`, the expiry of the key
 * acting on it (null: never, so nothing outlives it). A key that expires may create and revoke only
 * keys that expire no later than itself: otherwise a contractor's key could mint a key that never
 * expires, or revoke the owner's.
 */
export function outlives(expiresAt: Date | null, limit: Date | null): boolean {
  return limit !== null && (expiresAt === null || expiresAt > limit);
}
