import { sql, type Kysely } from 'kysely';
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

    /**
     * Hashtag counts of exactly [since, until) and of the equal window before it, read from the
     * matched mentions themselves: each mention once however many brands it has, a tag once per
     * mention. The hashtag rollups keep whole UTC days, which cannot end a period at 13:00.
     */
    async hashtagCounts({ workspaceId, since, until }: { workspaceId: string; since: Date; until: Date }) {
      const previousSince = new Date(2 * since.getTime() - until.getTime());
      const { rows } = await sql<{ tag: string; current: number; previous: number }>`
        select t.tag,
          count(*) filter (where m.occurred_at >= ${since})::int as current,
          count(*) filter (where m.occurred_at < ${since})::int as previous
        from mentions m
        cross join lateral (select distinct unnest(m.hashtags) as tag) t
        where m.workspace_id = ${workspaceId} and m.matched
          and m.occurred_at >= ${previousSince} and m.occurred_at < ${until}
          and cardinality(m.hashtags) > 0
        group by t.tag
        having count(*) filter (where m.occurred_at >= ${since}) > 0`.execute(db);
      return rows;
    },

    /**
     * Negative-spike alerts fired in [since, until), with what they observed when they fired (the
     * payload sent then): the row's observed and score are raised while the incident lasts, also
     * after the period.
     */
    async alertsFired(workspaceId: string, since: Date, until: Date) {
      const { rows } = await sql<{ id: string; brand_id: string; created_at: Date; observed: number; expected: number; score: number }>`
        select id, brand_id, created_at,
          coalesce((payload #>> '{data,observed,negative}')::int, observed) as observed,
          coalesce((payload #>> '{data,expected}')::float8, expected) as expected,
          coalesce((payload #>> '{data,score}')::float8, score) as score
        from alerts
        where workspace_id = ${workspaceId} and type = 'alert.negative_spike' and created_at >= ${since} and created_at < ${until}
        order by created_at, id`.execute(db);
      return rows;
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
