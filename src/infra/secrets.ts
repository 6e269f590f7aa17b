import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Source credentials at rest (Reddit client secrets, Bluesky app passwords): AES-256-GCM with
 * the SECRET_KEY from the environment. A sealed value reads `v1.<nonce>.<ciphertext>.<tag>`
 * (base64url); the version names the algorithm so the key or cipher can change later, and it
 * is authenticated with the rest, so a flipped byte anywhere makes `open` throw.
 */

const VERSION = 'v1';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
// Binds a sealed value to its purpose: the same key sealing something else cannot be swapped in.
const AAD = Buffer.from('earshot:source-credentials:v1');

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

export interface SecretBox {
  seal(value: Record<string, string>): string;
  open(sealed: string): Record<string, string>;
}

/** 32 bytes from 64 hex characters or base64, as config's SECRET_KEY accepts them. */
export function parseSecretKey(key: string): Buffer {
  const trimmed = key.trim();
  const bytes = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (bytes.length !== 32) throw new SecretBoxError('SECRET_KEY must be 32 bytes as 64 hex characters or base64');
  return bytes;
}

export function createSecretBox(key: string): SecretBox {
  const keyBytes = parseSecretKey(key);
  return {
    seal(value) {
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', keyBytes, nonce, { authTagLength: TAG_BYTES });
      cipher.setAAD(AAD);
      const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
      return [VERSION, nonce, ciphertext, cipher.getAuthTag()].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
    },
    open(sealed) {
      const parts = sealed.split('.');
      if (parts.length !== 4 || parts[0] !== VERSION) throw new SecretBoxError(`not a sealed value of version ${VERSION}`);
      const [nonce, ciphertext, tag] = parts.slice(1).map((p) => Buffer.from(p, 'base64url'));
      if (nonce!.length !== NONCE_BYTES || tag!.length !== TAG_BYTES) throw new SecretBoxError('sealed value is truncated or malformed');
      let plain: string;
      try {
        const decipher = createDecipheriv('aes-256-gcm', keyBytes, nonce!, { authTagLength: TAG_BYTES });
        decipher.setAAD(AAD);
        decipher.setAuthTag(tag!);
        plain = Buffer.concat([decipher.update(ciphertext!), decipher.final()]).toString('utf8');
      } catch {
        // Never say more: the cause is a wrong key or a changed byte, and either way nothing is readable.
        throw new SecretBoxError('sealed value could not be opened: wrong key or tampered data');
      }
      const value: unknown = JSON.parse(plain);
      if (!value || typeof value !== 'object' || Array.isArray(value) || Object.values(value).some((v) => typeof v !== 'string')) {
        throw new SecretBoxError('sealed value is not a credentials object');
      }
      return value as Record<string, string>;
    },
  };
}
