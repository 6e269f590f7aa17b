import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../infra/db/schema.js';
import { AppError, notFound } from '../errors.js';
import { DisplayName } from '../names.js';
import { validationError } from '../validation.js';
import { pageByCreation, type CursorKeys, type Page } from '../pagination/cursor.js';
import { generateApiKey, hashApiKey, looksLikeApiKey, outlives } from './api-keys.js';
import { KEY_TOUCH_INTERVAL_MS, type ApiKeyRow, type WorkspaceRepository } from './workspaces.repository.js';

/** A workspace's or an API key's name, as the API and the command line both take it. */
export const Name = DisplayName;

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toApiKeyView(row: ApiKeyRow): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: iso(row.last_used_at),
    expiresAt: iso(row.expires_at),
    revokedAt: iso(row.revoked_at),
  };
}

/** A workspace is born with one key, so whoever created it can use it at once. */
export async function createWorkspace({
  name,
  db,
  workspaceRepository,
}: {
  name: string;
  db: Kysely<DB>;
  workspaceRepository: WorkspaceRepository;
}): Promise<{ id: string; name: string; createdAt: string; apiKey: string; apiKeyId: string }> {
  const generated = generateApiKey();
  return db.transaction().execute(async (trx) => {
    const workspace = await workspaceRepository.insertWorkspace(trx, name);
    const key = await workspaceRepository.insertKey(trx, { workspaceId: workspace.id, name: 'default', ...generated });
    return { id: workspace.id, name: workspace.name, createdAt: workspace.created_at.toISOString(), apiKey: generated.key, apiKeyId: key.id };
  });
}

/** Usable (not revoked, not expired) API keys a workspace may hold. */
export const MAX_LIVE_KEYS = 100;

/** What a key that expires is told when it asks for one that would outlive it. */
const noLaterThan = (limit: Date) =>
  `must be no later than ${limit.toISOString()}, when the key making this request expires: a key that expires may create only keys that expire no later than itself`;

/**
 * A key that expires (`expiresAt`) answers 401 from then on; it must expire in the future, and no
 * later than the key that creates it (`callerExpiresAt`), which is refused rather than clamped, so
 * the caller knows the new key's real lifetime.
 */
export async function createApiKey({
  workspaceId,
  name,
  expiresAt,
  callerExpiresAt = null,
  now = new Date(),
  capped = true,
  db,
  workspaceRepository,
}: {
  workspaceId: string;
  name: string;
  expiresAt?: Date | undefined;
  /** When the key making the request expires; null when it never does. The command line has no key. */
  callerExpiresAt?: Date | null;
  now?: Date;
  /** At most MAX_LIVE_KEYS usable keys; the command line, for a workspace whose keys are lost, is not capped. */
  capped?: boolean;
  db: Kysely<DB>;
  workspaceRepository: WorkspaceRepository;
}): Promise<ApiKeyView & { key: string }> {
  if (expiresAt && expiresAt <= now) throw validationError([{ field: 'expiresAt', message: 'must be in the future' }]);
  if (callerExpiresAt && outlives(expiresAt ?? null, callerExpiresAt)) {
    throw validationError([{ field: 'expiresAt', message: `${expiresAt ? '' : 'is required, and '}${noLaterThan(callerExpiresAt)}` }]);
  }
  if (capped) {
    // Each key has its own rate budget: unlimited keys would be an unlimited budget.
    const { live } = await db
      .selectFrom('api_keys')
      .select((eb) => eb.fn.countAll<string>().as('live'))
      .where('workspace_id', '=', workspaceId)
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .executeTakeFirstOrThrow();
    if (Number(live) >= MAX_LIVE_KEYS) {
      throw new AppError('api_keys.limit', 409, `this workspace has ${MAX_LIVE_KEYS} usable API keys, the most it may: revoke one it no longer needs first`);
    }
  }
  const generated = generateApiKey();
  const row = await workspaceRepository.insertKey(db, { workspaceId, name, expiresAt, ...generated });
  return { ...toApiKeyView(row), key: generated.key };
}

export async function listApiKeys({
  workspaceId,
  limit,
  cursor,
  workspaceRepository,
  cursorKeys,
}: {
  workspaceId: string;
  limit: number;
  cursor?: string | undefined;
  workspaceRepository: WorkspaceRepository;
  cursorKeys: CursorKeys;
}): Promise<Page<ApiKeyView>> {
  return pageByCreation({ scope: 'api-keys', workspaceId, cursorKeys, limit, cursor, fetch: (page) => workspaceRepository.listKeys(workspaceId, page), toItem: toApiKeyView });
}

/**
 * A key that expires may revoke only keys that expire no later than itself (itself included).
 * Once revoked, the key is announced so, and the live streams open with it end at once.
 */
export async function revokeApiKey({
  workspaceId,
  id,
  callerExpiresAt,
  now = new Date(),
  workspaceRepository,
  announceRevoked,
}: {
  workspaceId: string;
  id: string;
  /** When the key making the request expires; null when it never does. */
  callerExpiresAt: Date | null;
  now?: Date;
  workspaceRepository: WorkspaceRepository;
  /**
   * Tells every API process the key is revoked, after the revocation has committed (a stream that
   * asked Postgres first would still find the key valid). Must not throw: the revocation stands
   * whether or not it is announced, and streams also check their key in Postgres.
   */
  announceRevoked: (keyId: string) => Promise<void>;
}): Promise<void> {
  const outcome = await workspaceRepository.revokeKey(workspaceId, id, now, callerExpiresAt);
  // Revoked already counts too: an announcement lost the first time is made again.
  if (outcome === 'revoked') await announceRevoked(id);
  if (outcome === 'not_found') throw notFound('api_keys', 'API key');
  if (outcome === 'outlives_caller') {
    throw new AppError(
      'api_keys.outlives_caller',
      409,
      `this key expires later than the key making the request (${callerExpiresAt?.toISOString()}), or never; a key that expires may revoke only keys that expire no later than itself: revoke it with a key that does not expire`,
    );
  }
  if (outcome === 'last_key') {
    throw new AppError(
      'api_keys.last_key',
      409,
      "this is the workspace's last usable API key; create another (POST /v1/api-keys) before revoking it, or the workspace would be locked out",
    );
  }
}

export interface Principal {
  workspaceId: string;
  keyId: string;
  /** When the key expires (null: never): the keys it may create and revoke expire no later. */
  keyExpiresAt: Date | null;
}

/** Resolves a bearer token to its workspace; revoked, expired and unknown keys resolve to null alike. */
export async function authenticate({
  token,
  now,
  workspaceRepository,
}: {
  token: string;
  now: Date;
  workspaceRepository: WorkspaceRepository;
}): Promise<Principal | null> {
  if (!looksLikeApiKey(token)) return null;
  const row = await workspaceRepository.findKeyByHash(hashApiKey(token));
  if (!row || row.revoked_at || (row.expires_at && row.expires_at <= now)) return null;
  // The row just read says when the key was last written; within the interval the UPDATE would
  // change nothing, so skipping it saves a round trip on nearly every request.
  const recentlyTouched = row.last_used_at && now.getTime() - row.last_used_at.getTime() < KEY_TOUCH_INTERVAL_MS;
  if (!recentlyTouched) await workspaceRepository.touchKey(row.id, now);
  return { workspaceId: row.workspace_id, keyId: row.id, keyExpiresAt: row.expires_at };
}
