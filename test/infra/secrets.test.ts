import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox, SecretBoxError } from '../../src/infra/secrets.js';

const HEX_KEY = randomBytes(32).toString('hex');
const credentials = { clientId: 'abc123', clientSecret: 's3cr3t-ü-🔑' };

describe('createSecretBox', () => {
  it('opens what it sealed, with a hex key and with a base64 key', () => {
    for (const key of [HEX_KEY, randomBytes(32).toString('base64')]) {
      const box = createSecretBox(key);
      expect(box.open(box.seal(credentials))).toEqual(credentials);
    }
  });

  it('seals with a version prefix, a fresh nonce each time, and without the plain text', () => {
    const box = createSecretBox(HEX_KEY);
    const a = box.seal(credentials);
    const b = box.seal(credentials);
    expect(a.startsWith('v1.')).toBe(true);
    expect(a).not.toBe(b);
    expect(a.split('.')[1]).not.toBe(b.split('.')[1]);
    for (const sealed of [a, b]) {
      expect(sealed).not.toContain('s3cr3t');
      expect(Buffer.from(sealed.split('.')[2]!, 'base64url').toString('latin1')).not.toContain('s3cr3t');
    }
  });

  it('refuses a value with any part changed', () => {
    const box = createSecretBox(HEX_KEY);
    const sealed = box.seal(credentials);
    const parts = sealed.split('.');
    for (let i = 1; i < parts.length; i++) {
      const bytes = Buffer.from(parts[i]!, 'base64url');
      bytes[0] = bytes[0]! ^ 0x01;
      const tampered = parts.map((p, j) => (j === i ? bytes.toString('base64url') : p)).join('.');
      expect(() => box.open(tampered)).toThrow(SecretBoxError);
    }
    expect(() => box.open(`v2.${parts.slice(1).join('.')}`)).toThrow(/version v1/);
    expect(() => box.open(parts.slice(0, 3).join('.'))).toThrow(SecretBoxError);
  });

  it('refuses to open with another key, and says nothing of the contents', () => {
    const sealed = createSecretBox(HEX_KEY).seal(credentials);
    const other = createSecretBox(randomBytes(32).toString('hex'));
    expect(() => other.open(sealed)).toThrow('wrong key or tampered data');
  });

  it('refuses keys that are not 32 bytes', () => {
    expect(() => createSecretBox('too-short')).toThrow(/32 bytes/);
    expect(() => createSecretBox(randomBytes(16).toString('hex'))).toThrow(/32 bytes/);
  });
});
