import { sql, type Kysely } from 'kysely';
import type { DB } from '../../infra/db/schema.js';
import { rollupDeltas, type RollupEntry } from './rollups.js';

const CHUNK = 2000;

/** Additive upserts into the rollup tables, always inside the transaction that changed the mentions. */
export function createRollupRepository() {
  return {
    async apply(trx: Kysely<DB>, workspaceId: string, entries: readonly RollupEntry[]): Promise<void> {
      if (!entries.length) return;
      const { rollups, hashtags } = rollupDeltas(entries);
      for (let i = 0; i < rollups.length; i += CHUNK) {
        await trx
          .insertInto('mention_rollups')
          .values(
            rollups.slice(i, i + CHUNK).map((d) => ({
              brand_id: d.brandId,
              workspace_id: workspaceId,
              hour: d.hour,
              source_type: d.sourceType,
              lang: d.lang,
              mentions: d.mentions,
              positive: d.positive,
              neutral: d.neutral,
              negative: d.negative,
              unscored: d.unscored,
              score_sum: d.scoreSum,
            })),
          )
          .onConflict((oc) =>
            oc.columns(['brand_id', 'hour', 'source_type', 'lang']).doUpdateSet({
              mentions: sql`mention_rollups.mentions + excluded.mentions`,
              positive: sql`mention_rollups.positive + excluded.positive`,
              neutral: sql`mention_rollups.neutral + excluded.neutral`,
              negative: sql`mention_rollups.negative + excluded.negative`,
              unscored: sql`mention_rollups.unscored + excluded.unscored`,
              score_sum: sql`mention_rollups.score_sum + excluded.score_sum`,
            }),
          )
          .execute();
      }
      // The brand-hour totals: the per-dimension deltas summed over source type and language.
      const hours = new Map<string, (typeof rollups)[number]>();
      for (const d of rollups) {
        const key = `${d.brandId}|${d.hour.toISOString()}`;
        const h = hours.get(key);
        if (!h) hours.set(key, { ...d });
        else for (const f of ['mentions', 'positive', 'neutral', 'negative', 'unscored', 'scoreSum'] as const) h[f] += d[f];
      }
      const brandHours = [...hours.values()];
      for (let i = 0; i < brandHours.length; i += CHUNK) {
        await trx
          .insertInto('brand_hours')
          .values(
            brandHours.slice(i, i + CHUNK).map((d) => ({
              brand_id: d.brandId,
              workspace_id: workspaceId,
              hour: d.hour,
              mentions: d.mentions,
              positive: d.positive,
              neutral: d.neutral,
              negative: d.negative,
              unscored: d.unscored,
              score_sum: d.scoreSum,
            })),
          )
          .onConflict((oc) =>
            oc.columns(['brand_id', 'hour']).doUpdateSet({
              mentions: sql`brand_hours.mentions + excluded.mentions`,
              positive: sql`brand_hours.positive + excluded.positive`,
              neutral: sql`brand_hours.neutral + excluded.neutral`,
              negative: sql`brand_hours.negative + excluded.negative`,
              unscored: sql`brand_hours.unscored + excluded.unscored`,
              score_sum: sql`brand_hours.score_sum + excluded.score_sum`,
            }),
          )
          .execute();
      }
      for (let i = 0; i < hashtags.length; i += CHUNK) {
        await trx
          .insertInto('hashtag_rollups')
          .values(hashtags.slice(i, i + CHUNK).map((h) => ({ brand_id: h.brandId, workspace_id: workspaceId, day: h.day, tag: h.tag, mentions: h.mentions })))
          .onConflict((oc) => oc.columns(['brand_id', 'day', 'tag']).doUpdateSet({ mentions: sql`hashtag_rollups.mentions + excluded.mentions` }))
          .execute();
      }
    },

    /** Remembers which sources feed which brands, for gap marking. */
    async noteBrandSources(trx: Kysely<DB>, pairs: ReadonlyArray<{ brandId: string; sourceId: string }>, now: Date): Promise<void> {
      const unique = [...new Map(pairs.map((p) => [`${p.brandId}|${p.sourceId}`, p])).values()].sort((a, b) =>
        `${a.brandId}|${a.sourceId}` < `${b.brandId}|${b.sourceId}` ? -1 : 1,
      );
      if (!unique.length) return;
      await trx
        .insertInto('brand_sources')
        .values(unique.map((p) => ({ brand_id: p.brandId, source_id: p.sourceId, last_seen_at: now })))
        .onConflict((oc) => oc.columns(['brand_id', 'source_id']).doUpdateSet({ last_seen_at: now }))
        .execute();
    },
  };
}

export type RollupRepository = ReturnType<typeof createRollupRepository>;
