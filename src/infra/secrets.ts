import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Secrets at rest: source credentials (Reddit client secrets, Bluesky app passwords) and webhook
 * signing secrets, AES-256-GCM with the SECRET_KEY from the environment. A sealed value reads
 * `v1.<nonce>.<ciphertext>.<tag>` (base64url); the version names the algorithm so the key or
 * cipher can change later, and it is authenticated with the rest, so a flipped byte anywhere
 * makes `open` throw.
 */

const VERSION = 'v1';
/** How every sealed value starts. */
export const SEALED_PREFIX = `${VERSION}.`;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
// Binds a sealed value to its purpose: the same key sealing something else cannot be swapped in
// (a sealed credential does not open as a webhook secret, nor the reverse).
const CREDENTIALS_AAD = Buffer.from('earshot:source-credentials:v1');
const WEBHOOK_SECRET_AAD = Buffer.from('earshot:webhook-secret:v1');

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

export interface SecretBox {
  seal(value: Record<string, string>): string;
  open(sealed: string): Record<string, string>;
  /** A webhook signing secret (`whsec_…`), sealed for that purpose only. */
  sealWebhookSecret(secret: string): string;
  openWebhookSecret(sealed: string): string;
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

  function sealText(plain: string, aad: Buffer): string {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', keyBytes, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad);
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, nonce, ciphertext, cipher.getAuthTag()].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
  }

  function openText(sealed: string, aad: Buffer): string {
    const parts = sealed.split('.');
    if (parts.length !== 4 || parts[0] !== VERSION) throw new SecretBoxError(`not a sealed value of version ${VERSION}`);
    const [nonce, ciphertext, tag] = parts.slice(1).map((p) => Buffer.from(p, 'base64url'));
    if (nonce!.length !== NONCE_BYTES || tag!.length !== TAG_BYTES) throw new SecretBoxError('sealed value is truncated or malformed');
    try {
      const decipher = createDecipheriv('aes-256-gcm', keyBytes, nonce!, { authTagLength: TAG_BYTES });
      decipher.setAAD(aad);
      decipher.setAuthTag(tag!);
      return Buffer.concat([decipher.update(ciphertext!), decipher.final()]).toString('utf8');
    } catch {
      // Never say more: the cause is a wrong key or a changed byte, and either way nothing is readable.
      throw new SecretBoxError('sealed value could not be opened: wrong key or tampered data');
    }
  }

  return {
    seal: (value) => sealText(JSON.stringify(value), CREDENTIALS_AAD),
    open(sealed) {
      const value: unknown = JSON.parse(openText(sealed, CREDENTIALS_AAD));
      if (!value || typeof value !== 'object' || Array.isArray(value) || Object.values(value).some((v) => typeof v !== 'string')) {
        throw new SecretBoxError('sealed value is not a credentials object');
      }
      return value as Record<string, string>;
    },
    sealWebhookSecret: (secret) => sealText(secret, WEBHOOK_SECRET_AAD),
    openWebhookSecret: (sealed) => openText(sealed, WEBHOOK_SECRET_AAD),
  };
}
