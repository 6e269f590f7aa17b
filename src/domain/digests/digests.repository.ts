import type { Kysely } from 'kysely';
import type { DB } from '../../infra/db/schema.js';
import { isUuid, type CreatedAfter } from '../pagination/cursor.js';
import { newestFirst } from '../pagination/keyset.js';
import type { DigestDocument } from './digest.types.js';

const columns = ['id', 'workspace_id', 'kind', 'period_start', 'period_end', 'created_at'] as const;

export function createDigestRepository({ db }: { db: Kysely<DB> }) {
  return {
    /** Stores a digest; a scheduled one of a period already stored is not stored again (returns null). */
    async insert(d: { workspaceId: string; kind: 'scheduled' | 'manual'; since: Date; until: Date; document: DigestDocument }) {
      const row = await db
        .insertInto('digests')
        .values({ workspace_id: d.workspaceId, kind: d.kind, period_start: d.since, period_end: d.until, document: JSON.stringify(d.document) })
        .onConflict((oc) => oc.columns(['workspace_id', 'period_end']).where('kind', '=', 'scheduled').doNothing())
        .returning(columns)
        .executeTakeFirst();
      return row ?? null;
    },

    async get(workspaceId: string, id: string) {
      if (!isUuid(id)) return undefined;
      return db.selectFrom('digests').select([...columns, 'document']).where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
    },

    async byId(id: string) {
      if (!isUuid(id)) return undefined;
      return db.selectFrom('digests').select([...columns, 'document']).where('id', '=', id).executeTakeFirst();
    },

    async list(workspaceId: string, page: { limit: number; after?: CreatedAfter }) {
      return newestFirst(db.selectFrom('digests').select(columns).where('workspace_id', '=', workspaceId), page).execute();
    },

    async recordAttempt(a: { digestId: string; channel: 'webhook' | 'email'; target: string; attempt: number; outcome: string; status: number | null; error?: string | undefined }) {
      await db
        .insertInto('digest_deliveries')
        .values({ digest_id: a.digestId, channel: a.channel, target: a.target, attempt: a.attempt, outcome: a.outcome, status: a.status, error: a.error ?? null })
        .execute();
    },

    async deliveries(digestId: string) {
      return db
        .selectFrom('digest_deliveries')
        .select(['channel', 'target', 'attempt', 'outcome', 'status', 'error', 'attempted_at'])
        .where('digest_id', '=', digestId)
        .orderBy('id')
        .execute();
    },
  };
}

export type DigestRepository = ReturnType<typeof createDigestRepository>;
