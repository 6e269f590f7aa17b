import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../infra/db/schema.js';
import type { DigestLanguage } from '../i18n/languages.js';
import { isUuid, type CreatedAfter } from '../pagination/cursor.js';
import { newestFirst } from '../pagination/keyset.js';
import { outlives } from './api-keys.js';

/** last_used_at is written at most this often per key. */
export const KEY_TOUCH_INTERVAL_MS = 60_000;

const keyColumns = ['id', 'workspace_id', 'name', 'prefix', 'created_at', 'last_used_at', 'expires_at', 'revoked_at'] as const;

const workspaceColumns = [
  'id',
  'name',
  'retention_days',
  'digest_schedule',
  'digest_timezone',
  'digest_webhook_url',
  'digest_webhook_secret',
  'digest_recipients',
  'digest_language',
  'created_at',
] as const;

export interface WorkspacePatch {
  name?: string;
  retentionDays?: number | null;
  /** Null: no scheduled digests. */
  digestSchedule?: string | null;
  digestTimeZone?: string;
  digestWebhookUrl?: string | null;
  digestWebhookSecret?: string | null;
  digestRecipients?: string[];
  /** The language digests are composed in (src/domain/i18n/languages.ts). */
  digestLanguage?: DigestLanguage;
}

export function createWorkspaceRepository({ db }: { db: Kysely<DB> }) {
  return {
    async insertWorkspace(trx: Transaction<DB>, name: string) {
      return trx.insertInto('workspaces').values({ name }).returning(['id', 'name', 'created_at']).executeTakeFirstOrThrow();
    },

    async getWorkspace(id: string) {
      if (!isUuid(id)) return undefined;
      return db.selectFrom('workspaces').select(workspaceColumns).where('id', '=', id).executeTakeFirst();
    },

    async updateWorkspace(id: string, patch: WorkspacePatch) {
      return db
        .updateTable('workspaces')
        .set({
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.retentionDays !== undefined ? { retention_days: patch.retentionDays } : {}),
          ...(patch.digestSchedule !== undefined ? { digest_schedule: patch.digestSchedule } : {}),
          ...(patch.digestTimeZone !== undefined ? { digest_timezone: patch.digestTimeZone } : {}),
          ...(patch.digestWebhookUrl !== undefined ? { digest_webhook_url: patch.digestWebhookUrl } : {}),
          ...(patch.digestWebhookSecret !== undefined ? { digest_webhook_secret: patch.digestWebhookSecret } : {}),
          ...(patch.digestRecipients !== undefined ? { digest_recipients: patch.digestRecipients } : {}),
          ...(patch.digestLanguage !== undefined ? { digest_language: patch.digestLanguage } : {}),
        })
        .where('id', '=', id)
        .returning(workspaceColumns)
        .executeTakeFirst();
    },

    /**
     * The digest webhook answered 410 Gone: it is switched off, but only if it is still the URL
     * that answered, so a URL the workspace set meanwhile stays. Returns whether it was cleared.
     */
    async disableDigestWebhook(id: string, url: string): Promise<boolean> {
      const result = await db
        .updateTable('workspaces')
        .set({ digest_webhook_url: null, digest_webhook_secret: null })
        .where('id', '=', id)
        .where('digest_webhook_url', '=', url)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    /** Every workspace's digest schedule, to keep the job schedulers in step with the database. */
    async digestSchedules() {
      return db.selectFrom('workspaces').select(['id', 'digest_schedule', 'digest_timezone']).execute();
    },

    /** Workspaces that expire old mentions. */
    async withRetention() {
      return db.selectFrom('workspaces').select(['id', 'retention_days']).where('retention_days', 'is not', null).execute();
    },

    async insertKey(executor: Kysely<DB>, values: { workspaceId: string; name: string; prefix: string; hash: Buffer; expiresAt?: Date | undefined }) {
      return executor
        .insertInto('api_keys')
        .values({ workspace_id: values.workspaceId, name: values.name, prefix: values.prefix, key_hash: values.hash, expires_at: values.expiresAt ?? null })
        .returning(keyColumns)
        .executeTakeFirstOrThrow();
    },

    async listKeys(workspaceId: string, page: { limit: number; after?: CreatedAfter }) {
      const q = db.selectFrom('api_keys').select(keyColumns).where('workspace_id', '=', workspaceId);
      return newestFirst(q, page).execute();
    },

    /**
     * Revokes a key unless it is the workspace's last usable one (not revoked, not expired at
     * `now`): without a key, nobody could use the workspace or make it a new key. Nor when it
     * expires after `limit`, the expiry of the key revoking it (null: that key never expires).
     */
    async revokeKey(workspaceId: string, id: string, now: Date, limit: Date | null): Promise<'revoked' | 'not_found' | 'last_key' | 'outlives_caller'> {
      if (!isUuid(id)) return 'not_found';
      return db.transaction().execute(async (trx) => {
        // A workspace's revocations take turns, so two at once cannot each leave the other key as
        // the last and revoke both. NO KEY UPDATE: the inserts that reference the workspace go on.
        await trx.selectFrom('workspaces').select('id').where('id', '=', workspaceId).forNoKeyUpdate().execute();
        const key = await trx.selectFrom('api_keys').select(['revoked_at', 'expires_at']).where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
        if (!key) return 'not_found';
        if (outlives(key.expires_at, limit)) return 'outlives_caller';
        // Revoked already (the list still shows it, with revokedAt): done, and its time stays.
        if (key.revoked_at) return 'revoked';
        const live = await trx.selectFrom('api_keys').select(['id', 'expires_at']).where('workspace_id', '=', workspaceId).where('revoked_at', 'is', null).execute();
        if (!live.some((k) => k.id !== id && (k.expires_at === null || k.expires_at > now))) return 'last_key';
        await trx.updateTable('api_keys').set({ revoked_at: now }).where('id', '=', id).execute();
        return 'revoked';
      });
    },

    async findKeyByHash(hash: Buffer) {
      return db.selectFrom('api_keys').select(keyColumns).where('key_hash', '=', hash).executeTakeFirst();
    },

    /** Writes last_used_at at most once a minute per key, so authentication stays one read. */
    async touchKey(id: string, now: Date): Promise<void> {
      await db
        .updateTable('api_keys')
        .set({ last_used_at: now })
        .where('id', '=', id)
        .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', new Date(now.getTime() - KEY_TOUCH_INTERVAL_MS))]))
        .execute();
    },
  };
}

export type WorkspaceRepository = ReturnType<typeof createWorkspaceRepository>;
export type ApiKeyRow = Awaited<ReturnType<WorkspaceRepository['findKeyByHash']>> & {};
