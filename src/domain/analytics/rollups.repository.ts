import { sql, type Kysely } from 'kysely';
import type { DB } from '../../infra/db/schema.js';
import { rollupDeltas, type RollupDelta, type RollupEntry } from './rollups.js';

type Counters = Pick<RollupDelta, 'mentions' | 'positive' | 'neutral' | 'negative' | 'unscored' | 'scoreSum'>;

const counterColumns = (d: Counters) => ({
  mentions: d.mentions,
  positive: d.positive,
  neutral: d.neutral,
  negative: d.negative,
  unscored: d.unscored,
  score_sum: d.scoreSum,
});

const COUNTER_NAMES = ['mentions', 'positive', 'neutral', 'negative', 'unscored', 'score_sum'] as const;
const COUNTERS = sql.raw(COUNTER_NAMES.join(', '));
const COUNTER_TYPES = sql.raw('mentions integer, positive integer, neutral integer, negative integer, unscored integer, score_sum double precision');
/** The counter columns of the record `alias`, in COUNTERS' order. */
const counters = (alias: string) => sql.raw(COUNTER_NAMES.map((c) => `${alias}.${c}`).join(', '));
/** ON CONFLICT: add the delta to the stored counters. */
const addCounters = (table: 'mention_rollups' | 'brand_hours' | 'brand_days') => sql.raw(COUNTER_NAMES.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', '));

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
      // Each table's deltas travel as one JSON parameter: a poll touches a hundred brand-hours or
      // so, and building that many bind parameters cost the event loop more than the upserts.
      if (rollups.length) {
        const rows = rollups.map((d) => ({ brand_id: d.brandId, hour: d.hour, source_type: d.sourceType, lang: d.lang, ...counterColumns(d) }));
        await sql`
          insert into mention_rollups (brand_id, workspace_id, hour, source_type, lang, ${COUNTERS})
          select r.brand_id, ${workspaceId}::uuid, r.hour, r.source_type, r.lang, ${counters('r')}
          from json_to_recordset(${JSON.stringify(rows)}::json) as r(brand_id uuid, hour timestamptz, source_type text, lang text, ${COUNTER_TYPES})
          on conflict (brand_id, hour, source_type, lang) do update set ${addCounters('mention_rollups')}`.execute(trx);
      }
      // The brand-hour and brand-day totals: the per-dimension deltas summed over source type and language.
      const brandHours = sumCounters(rollups, (d) => `${d.brandId}|${d.hour.toISOString()}`);
      if (brandHours.length) {
        const rows = brandHours.map((d) => ({ brand_id: d.brandId, hour: d.hour, ...counterColumns(d) }));
        await sql`
          insert into brand_hours (brand_id, workspace_id, hour, ${COUNTERS})
          select r.brand_id, ${workspaceId}::uuid, r.hour, ${counters('r')}
          from json_to_recordset(${JSON.stringify(rows)}::json) as r(brand_id uuid, hour timestamptz, ${COUNTER_TYPES})
          on conflict (brand_id, hour) do update set ${addCounters('brand_hours')}`.execute(trx);
      }
      const brandDays = sumCounters(brandHours, (d) => `${d.brandId}|${utcDay(d.hour)}`);
      if (brandDays.length) {
        const rows = brandDays.map((d) => ({ brand_id: d.brandId, day: utcDay(d.hour), ...counterColumns(d) }));
        await sql`
          insert into brand_days (brand_id, workspace_id, day, ${COUNTERS})
          select r.brand_id, ${workspaceId}::uuid, r.day, ${counters('r')}
          from json_to_recordset(${JSON.stringify(rows)}::json) as r(brand_id uuid, day date, ${COUNTER_TYPES})
          on conflict (brand_id, day) do update set ${addCounters('brand_days')}`.execute(trx);
      }
      if (hashtags.length) {
        const rows = hashtags.map((h) => ({ brand_id: h.brandId, day: h.day, tag: h.tag, mentions: h.mentions }));
        await sql`
          insert into hashtag_rollups (brand_id, workspace_id, day, tag, mentions)
          select r.brand_id, ${workspaceId}::uuid, r.day, r.tag, r.mentions
          from json_to_recordset(${JSON.stringify(rows)}::json) as r(brand_id uuid, day date, tag text, mentions integer)
          on conflict (brand_id, day, tag) do update set mentions = hashtag_rollups.mentions + excluded.mentions`.execute(trx);
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
