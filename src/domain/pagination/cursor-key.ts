import { createSecretKey, hkdfSync, randomBytes } from 'node:crypto';
import type { CursorKey, CursorKeys } from './cursor.js';
import type { InstallationSecretRepository } from './installation-secrets.repository.js';

const KEY_BYTES = 32;

/**
 * The installation's cursor key (cursor.ts signs with it). With a SECRET_KEY it is derived from
 * it, for this use only, so every process started with it signs alike and nothing is stored.
 * Without one, the first process that needs a key makes a random one and keeps it in Postgres:
 * every API process of the deployment reads the same, and restarts keep cursors good. Setting
 * or changing SECRET_KEY later changes the key: cursors issued before are then refused (400),
 * and their lists start again. Read once per process; a read that fails (Postgres away) is tried
 * again by the next request.
 */
export function createCursorKeys({ secretKey, secrets }: { secretKey: Buffer | null; secrets: InstallationSecretRepository }): CursorKeys {
  if (secretKey) {
    const derived = Promise.resolve(createSecretKey(Buffer.from(hkdfSync('sha256', secretKey, '', 'earshot:cursor-key:v1', KEY_BYTES))));
    return () => derived;
  }
  let stored: Promise<CursorKey> | undefined;
  return () =>
    (stored ??= secrets.getOrCreate('cursor-key', randomBytes(KEY_BYTES)).then((bytes) => createSecretKey(bytes), (err: unknown) => {
      stored = undefined;
      throw err;
    }));
}
