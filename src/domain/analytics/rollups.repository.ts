import { sql, type Kysely } from 'kysely';
import type { DB } from '../../infra/db/schema.js';
import { rollupDeltas, workspaceHashtagDeltas, type MatchedEntry, type RollupDelta, type RollupEntry } from './rollups.js';

const COUNTER_FIELDS = ['mentions', 'positive', 'neutral', 'negative', 'unscored', 'scoreSum'] as const;
type Counters = Pick<RollupDelta, (typeof COUNTER_FIELDS)[number]>;

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

/** A table of counters: its name and its key columns besides workspace_id, with their SQL types. */
interface CounterTable {
  name: 'mention_rollups' | 'brand_hours' | 'brand_days';
  keys: ReadonlyArray<readonly [column: string, type: string]>;
}
const MENTION_ROLLUPS: CounterTable = { name: 'mention_rollups', keys: [['brand_id', 'uuid'], ['hour', 'timestamptz'], ['source_type', 'text'], ['lang', 'text']] };
const BRAND_HOURS: CounterTable = { name: 'brand_hours', keys: [['brand_id', 'uuid'], ['hour', 'timestamptz']] };
const BRAND_DAYS: CounterTable = { name: 'brand_days', keys: [['brand_id', 'uuid'], ['day', 'date']] };

/**
 * Adds each row's counters to the ones stored under its key, inserting the keys not there yet.
 * The rows travel as one JSON parameter: a poll touches a hundred brand-hours or so, and building
 * that many bind parameters cost the event loop more than the upserts.
 */
async function addToCounters(trx: Kysely<DB>, workspaceId: string, table: CounterTable, rows: ReadonlyArray<Record<string, unknown>>): Promise<void> {
  if (!rows.length) return;
  const keys = sql.raw(table.keys.map(([column]) => column).join(', '));
  await sql`
    insert into ${sql.table(table.name)} (${keys}, workspace_id, ${COUNTERS})
    select ${sql.raw(table.keys.map(([column]) => `r.${column}`).join(', '))}, ${workspaceId}::uuid, ${sql.raw(COUNTER_NAMES.map((c) => `r.${c}`).join(', '))}
    from json_to_recordset(${JSON.stringify(rows)}::json)
      as r(${sql.raw(table.keys.map(([column, type]) => `${column} ${type}`).join(', '))}, ${COUNTER_TYPES})
    on conflict (${keys}) do update set ${sql.raw(COUNTER_NAMES.map((c) => `${c} = ${table.name}.${c} + excluded.${c}`).join(', '))}`.execute(trx);
}

/** The deltas summed per key: per brand-hour, per brand-day. */
function sumCounters<K extends Counters & { brandId: string }>(deltas: readonly K[], keyOf: (d: K) => string): K[] {
  const sums = new Map<string, K>();
  for (const d of deltas) {
    const key = keyOf(d);
    const sum = sums.get(key);
    if (!sum) sums.set(key, { ...d });
    else for (const f of COUNTER_FIELDS) sum[f] += d[f];
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
      await addToCounters(
        trx,
        workspaceId,
        MENTION_ROLLUPS,
        rollups.map((d) => ({ brand_id: d.brandId, hour: d.hour, source_type: d.sourceType, lang: d.lang, ...counterColumns(d) })),
      );
      // The brand-hour and brand-day totals: the per-dimension deltas summed over source type and language.
      const brandHours = sumCounters(rollups, (d) => `${d.brandId}|${d.hour.toISOString()}`);
      await addToCounters(trx, workspaceId, BRAND_HOURS, brandHours.map((d) => ({ brand_id: d.brandId, hour: d.hour, ...counterColumns(d) })));
      const brandDays = sumCounters(brandHours, (d) => `${d.brandId}|${utcDay(d.hour)}`);
      await addToCounters(trx, workspaceId, BRAND_DAYS, brandDays.map((d) => ({ brand_id: d.brandId, day: utcDay(d.hour), ...counterColumns(d) })));
      if (hashtags.length) {
        const rows = hashtags.map((h) => ({ brand_id: h.brandId, day: h.day, tag: h.tag, mentions: h.mentions }));
        await sql`
          insert into hashtag_rollups (brand_id, workspace_id, day, tag, mentions)
          select r.brand_id, ${workspaceId}::uuid, r.day, r.tag, r.mentions
          from json_to_recordset(${JSON.stringify(rows)}::json) as r(brand_id uuid, day date, tag text, mentions integer)
          on conflict (brand_id, day, tag) do update set mentions = hashtag_rollups.mentions + excluded.mentions`.execute(trx);
      }
    },

    /**
     * The workspace-wide counts, from the mentions that became matched or stopped being matched
     * in the caller's transaction: one statement, like each per-brand table.
     */
    async applyMatched(trx: Kysely<DB>, workspaceId: string, entries: readonly MatchedEntry[]): Promise<void> {
      const hashtags = workspaceHashtagDeltas(entries);
      if (!hashtags.length) return;
      await sql`
        insert into workspace_hashtags (workspace_id, day, tag, mentions)
        select ${workspaceId}::uuid, r.day, r.tag, r.mentions
        from json_to_recordset(${JSON.stringify(hashtags)}::json) as r(day date, tag text, mentions integer)
        on conflict (workspace_id, day, tag) do update set mentions = workspace_hashtags.mentions + excluded.mentions`.execute(trx);
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
