import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../infra/db/schema.js';

/**
 * Which brands each mention belongs to: the link table and the denormalised copy on mentions.
 * `replaceBrandLinks` returns the mentions that were linked before, so callers can adjust rollups.
 */
export function createLinkRepository({ db }: { db: Kysely<DB> }) {
  return {
    async replaceBrandLinks(
      trx: Transaction<DB>,
      { workspaceId, brandId, evaluated, links }: {
        workspaceId: string;
        brandId: string;
        evaluated: number[];
        links: Array<{ mentionId: number; occurredAt: Date; sentimentLabel: string; sentimentScore: number | null; keywords: string[] }>;
      },
    ): Promise<Set<number>> {
      if (!evaluated.length) return new Set();
      const old = await trx
        .deleteFrom('mention_brands')
        .where('brand_id', '=', brandId)
        .where('mention_id', 'in', evaluated as never[])
        .returning('mention_id')
        .execute();
      if (links.length) {
        await trx
          .insertInto('mention_brands')
          .values(
            links.map((l) => ({
              brand_id: brandId,
              mention_id: l.mentionId,
              workspace_id: workspaceId,
              occurred_at: l.occurredAt,
              sentiment_label: l.sentimentLabel,
              sentiment_score: l.sentimentScore,
              keywords: l.keywords,
            })),
          )
          .execute();
      }
      return new Set(old.map((r) => Number(r.mention_id)));
    },

    /** Recomputes brand_ids, keywords and matched on mentions from their links. */
    async refreshMentions(trx: Kysely<DB>, ids: number[]): Promise<void> {
      if (!ids.length) return;
      await sql`
        update mentions m set
          brand_ids = coalesce((select array_agg(mb.brand_id order by mb.brand_id) from mention_brands mb where mb.mention_id = m.id), '{}'),
          keywords = coalesce((select array_agg(distinct k) from mention_brands mb, unnest(mb.keywords) k where mb.mention_id = m.id), '{}'),
          matched = exists (select 1 from mention_brands mb where mb.mention_id = m.id)
        where m.id = any(${ids}::bigint[])`.execute(trx);
    },

    /** Mentions still carrying a deleted brand's id, a batch at a time. */
    async carrying(workspaceId: string, brandId: string, limit: number): Promise<number[]> {
      const rows = await db
        .selectFrom('mentions')
        .select('id')
        .where('workspace_id', '=', workspaceId)
        .where('brand_ids', '@>', sql<string[]>`array[${brandId}]::uuid[]`)
        .limit(limit)
        .execute();
      return rows.map((r) => Number(r.id));
    },

    /** Deletes a workspace's mentions that occurred before the cutoff, a batch at a time (rollups stay). */
    async expire(workspaceId: string, before: Date, limit: number): Promise<number> {
      const res = await sql`
        delete from mentions where id in (
          select id from mentions where workspace_id = ${workspaceId} and occurred_at < ${before} limit ${limit})`.execute(db);
      return Number(res.numAffectedRows ?? 0);
    },

    /** Deletes live events older than the cutoff, a batch at a time: a client gone that long pages the list instead. */
    async purgeEvents(before: Date, limit: number): Promise<number> {
      const res = await sql`
        delete from mention_events where (workspace_id, seq) in (
          select workspace_id, seq from mention_events where created_at < ${before} limit ${limit})`.execute(db);
      return Number(res.numAffectedRows ?? 0);
    },
  };
}

export type LinkRepository = ReturnType<typeof createLinkRepository>;
