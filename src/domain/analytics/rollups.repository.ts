import { sql, type Kysely } from 'kysely';
import type { DB } from '../../infra/db/schema.js';
import { rollupDeltas, type RollupDelta, type RollupEntry } from './rollups.js';

const CHUNK = 2000;

type Counters = Pick<RollupDelta, 'mentions' | 'positive' | 'neutral' | 'negative' | 'unscored' | 'scoreSum'>;

const counterColumns = (d: Counters) => ({
  mentions: d.mentions,
  positive: d.positive,
  neutral: d.neutral,
  negative: d.negative,
  unscored: d.unscored,
  score_sum: d.scoreSum,
});

/** ON CONFLICT: add the delta to the stored counters. */
const addCounters = (table: 'mention_rollups' | 'brand_hours' | 'brand_days') => {
  const add = <T>(column: string) => sql<T>`${sql.ref(`${table}.${column}`)} + ${sql.ref(`excluded.${column}`)}`;
  return {
    mentions: add<number>('mentions'),
    positive: add<number>('positive'),
    neutral: add<number>('neutral'),
    negative: add<number>('negative'),
    unscored: add<number>('unscored'),
    score_sum: add<number>('score_sum'),
  };
};

/** The deltas summed per key: per brand-hour, per brand-day. */
function sumCounters<K extends Counters & { brandId: string }>(deltas: readonly K[], keyOf: (d: K) => string): K[] {
  const sums = new Map<string, K>();
  for (const d of deltas) {
    const key = keyOf(d);
    const sum = sums.get(key);
    if (!sum) sums.set(key, { ...d });
    else for (const f of ['mentions', 'positive', 'neutral', 'negative', 'unscored', 'scoreSum'] as const) sum[f] += d[f];
  }
  return [...sums.values()];
}

const utcDay = (hour: Date) => hour.toISOString().slice(0, 10);

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
              ...counterColumns(d),
            })),
          )
          .onConflict((oc) => oc.columns(['brand_id', 'hour', 'source_type', 'lang']).doUpdateSet(addCounters('mention_rollups')))
          .execute();
      }
      // The brand-hour and brand-day totals: the per-dimension deltas summed over source type and language.
      const brandHours = sumCounters(rollups, (d) => `${d.brandId}|${d.hour.toISOString()}`);
      for (let i = 0; i < brandHours.length; i += CHUNK) {
        await trx
          .insertInto('brand_hours')
          .values(brandHours.slice(i, i + CHUNK).map((d) => ({ brand_id: d.brandId, workspace_id: workspaceId, hour: d.hour, ...counterColumns(d) })))
          .onConflict((oc) => oc.columns(['brand_id', 'hour']).doUpdateSet(addCounters('brand_hours')))
          .execute();
      }
      const brandDays = sumCounters(brandHours, (d) => `${d.brandId}|${utcDay(d.hour)}`);
      for (let i = 0; i < brandDays.length; i += CHUNK) {
        await trx
          .insertInto('brand_days')
          .values(brandDays.slice(i, i + CHUNK).map((d) => ({ brand_id: d.brandId, workspace_id: workspaceId, day: utcDay(d.hour), ...counterColumns(d) })))
          .onConflict((oc) => oc.columns(['brand_id', 'day']).doUpdateSet(addCounters('brand_days')))
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
