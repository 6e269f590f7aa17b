import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../infra/db/schema.js';

/** The first key of the advisory lock that serialises a workspace's rematch and unlink batches (the second: the workspace). */
const REMATCH_LOCK = 0x524d4154; // 'RMAT'

/**
 * Holds a workspace's rematch and unlink batches off until the caller's transaction ends: a poll
 * storing mentions matched against the brands it read takes it, then checks those brands are
 * still current. Polls share it; a rematch batch waits for them, and they for it.
 */
export async function holdOffRematches(trx: Transaction<DB>, workspaceId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock_shared(${REMATCH_LOCK}, hashtext(${workspaceId}))`.execute(trx);
}

/**
 * The raw store (mentions that match no brand) as re-matching sees it: the batch lock, the
 * candidates, the raw window and its purge.
 */
export function createRematchRepository({ db }: { db: Kysely<DB> }) {
  return {
    /**
     * Starts a rematch or unlink batch: waits for the workspace's other batches to commit, then
     * reads the brand's query version (null when it is gone). Serialised, a batch recomputing a
     * mention's brand_ids always sees the links another brand's batch just wrote.
     */
    async beginBatch(trx: Transaction<DB>, workspaceId: string, brandId: string): Promise<number | null> {
      await sql`select pg_advisory_xact_lock(${REMATCH_LOCK}, hashtext(${workspaceId}))`.execute(trx);
      const row = await trx.selectFrom('brands').select('query_version').where('workspace_id', '=', workspaceId).where('id', '=', brandId).executeTakeFirst();
      return row?.query_version ?? null;
    },

    /** The matcher that last went over the brand's history (null when the brand is gone). */
    async matcherVersion(brandId: string): Promise<number | null> {
      const row = await db.selectFrom('brands').select('matcher_version').where('id', '=', brandId).executeTakeFirst();
      return row?.matcher_version ?? null;
    },

    /** Mentions to re-evaluate for a brand, in id order: every item of the raw window, and every older one it is linked to. */
    async candidates(trx: Transaction<DB>, workspaceId: string, brandId: string, { since, afterId, limit }: { since: Date; afterId: number; limit: number }) {
      return trx
        .selectFrom('mentions as m')
        .select(['m.id', 'm.source_id', 'm.title', 'm.text', 'm.url', 'm.author', 'm.lang', 'm.lang_confidence', 'm.sentiment_model', 'm.source_type', 'm.hashtags', 'm.handles'])
        .where('m.workspace_id', '=', workspaceId)
        .where('m.id', '>', afterId as never)
        .where((eb) => eb.or([eb('m.created_at', '>=', since), eb('m.brand_ids', '@>', sql<string[]>`array[${brandId}]::uuid[]`)]))
        .orderBy('m.id')
        .limit(limit)
        .execute();
    },

    /** Which of these mentions are linked to the brand now. */
    async linkedAmong(trx: Transaction<DB>, brandId: string, ids: readonly number[]): Promise<Set<number>> {
      if (!ids.length) return new Set();
      const rows = await trx
        .selectFrom('mention_brands')
        .select('mention_id')
        .where('brand_id', '=', brandId)
        .where('mention_id', '=', sql<never>`any(${ids}::bigint[])`)
        .execute();
      return new Set(rows.map((r) => Number(r.mention_id)));
    },

    /**
     * Locks the mentions whose links a batch changes and reads what their rollups and links are
     * made of as it is now: a rescore that committed since the candidates were read is counted,
     * and `matched` is what the workspace-wide counts hold of them.
     */
    async lockForLinking(trx: Transaction<DB>, ids: readonly number[]) {
      if (!ids.length) return [];
      return trx
        .selectFrom('mentions')
        .select(['id', 'source_id', 'source_type', 'occurred_at', 'lang', 'sentiment_label', 'sentiment_score', 'sentiment_model', 'hashtags', 'matched'])
        .where('id', '=', sql<never>`any(${ids}::bigint[])`)
        .orderBy('id')
        .forUpdate()
        .execute();
    },

    /**
     * Mentions that just lost a brand start the raw window afresh, so a query widened back within
     * the window finds them again (the candidates are the window's mentions), whether or not
     * another brand still has them; and one that lost its last brand, back in the raw store, is not
     * deleted by the next purge because it was fetched a year ago. `ids` are mentions that were
     * matched when the batch locked them; returns those now raw, which leave the workspace-wide counts.
     */
    async restartRawWindow(trx: Transaction<DB>, ids: readonly number[]): Promise<Array<{ id: number; occurredAt: Date; hashtags: string[] }>> {
      if (!ids.length) return [];
      const { rows } = await sql<{ id: string; occurred_at: Date; hashtags: string[]; matched: boolean }>`
        update mentions set created_at = now() where id = any(${ids}::bigint[])
        returning id, occurred_at, hashtags, matched`.execute(trx);
      return rows.filter((r) => !r.matched).map((r) => ({ id: Number(r.id), occurredAt: r.occurred_at, hashtags: r.hashtags }));
    },

    /**
     * Deletes unmatched items that entered the raw store before the cutoff, a batch at a time.
     * The conditions are repeated on the row deleted: an item a rematch matched after the
     * batch was chosen is rechecked on its new version and kept.
     */
    async purgeRaw(before: Date, limit: number): Promise<number> {
      const res = await sql`
        delete from mentions m where m.id in (
          select id from mentions where not matched and created_at < ${before} limit ${limit})
        and not m.matched and m.created_at < ${before}`.execute(db);
      return Number(res.numAffectedRows ?? 0);
    },
  };
}

export type RematchRepository = ReturnType<typeof createRematchRepository>;
