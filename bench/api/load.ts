// Bulk load for the analytics bench: mentions and their brand links through COPY, then the
// rollup tables built from the loaded rows with SQL, keyed exactly as the ingest path keys them
// (rollups.ts: brand, UTC hour, source type, '' for an unknown language; hashtags per UTC day,
// each tag once per mention).
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { withClient } from './client.js';
import { SENTIMENT_MODEL } from '../../src/domain/scoring/scorer.js';
import { createRandom } from '../../src/infra/seeded-random.js';
import { SOURCE_MIX, type GeneratedMention, type Model } from './model.js';

const HOUR_MS = 3_600_000;
const ROWS_PER_CHUNK = 2000;

interface Plan {
  model: Model;
  total: number;
  seed: number;
  workspaceId: string;
  sourceIds: string[];
}

/** Every generated mention with its id (1…total, in arrival order), the same on every pass. */
function* generate({ model, total, seed }: Plan): Generator<GeneratedMention & { id: number }> {
  const counts = model.hourlyCounts(total, createRandom(seed));
  const random = createRandom(seed + 1);
  let id = 0;
  for (const [h, count] of counts.entries()) {
    const hourStart = model.startMs + h * HOUR_MS;
    for (let i = 0; i < count; i++) yield { id: ++id, ...model.mention(random, hourStart + Math.floor(random.next() * 3600) * 1000) };
  }
}

const array = (values: readonly string[]) => `{${values.join(',')}}`;

function mentionLine(m: GeneratedMention & { id: number }, plan: Plan): string {
  const source = SOURCE_MIX[m.sourceIndex]!;
  const at = m.occurredAt.toISOString();
  const fetched = new Date(m.occurredAt.getTime() + 300_000).toISOString();
  const url = `https://${source.name}.example.com/item/${m.id}`;
  return [
    m.id,
    plan.workspaceId,
    plan.sourceIds[m.sourceIndex],
    source.type,
    `bench-${m.id}`,
    '\\N', // canonical_url: no cross-source duplicates in this data set
    url,
    source.type === 'rss' ? `${m.brands[0]!.name} in the news` : '\\N',
    m.text,
    m.author,
    at,
    'exact',
    fetched,
    at,
    m.lang ?? '\\N',
    m.lang ? '0.9' : '0',
    m.score,
    m.label,
    SENTIMENT_MODEL,
    array(m.hashtags),
    '{}',
    '\\N',
    '\\N',
    't',
    array(m.brands.map((b) => b.id)),
    array([...new Set(m.brands.map((b) => b.keyword))]),
    'f',
    fetched,
  ].join('\t');
}

function linkLines(m: GeneratedMention & { id: number }, plan: Plan): string {
  const at = m.occurredAt.toISOString();
  return m.brands.map((b) => [b.id, m.id, plan.workspaceId, at, m.label, array([b.keyword])].join('\t')).join('\n');
}

function* chunks(plan: Plan, line: (m: GeneratedMention & { id: number }, plan: Plan) => string, onRow?: (id: number) => void): Generator<string> {
  let buffer: string[] = [];
  for (const m of generate(plan)) {
    buffer.push(line(m, plan));
    if (buffer.length === ROWS_PER_CHUNK) {
      yield `${buffer.join('\n')}\n`;
      buffer = [];
      onRow?.(m.id);
    }
  }
  if (buffer.length) yield `${buffer.join('\n')}\n`;
}

async function copyInto(url: string, statement: string, source: Iterable<string>): Promise<void> {
  await withClient(url, async (client) => {
    // Bulk-load session: the generator makes every foreign key valid, so Postgres skips the
    // per-row RI triggers (session_replication_role needs a superuser, as the bench runs).
    await client.query(`set session_replication_role = replica`);
    await pipeline(Readable.from(source), client.query(copyFrom(statement)));
  });
}

/** Timings of each load step, in seconds. */
export type LoadTimes = Array<[step: string, seconds: number]>;

export async function loadMentions({
  url,
  plan,
  onProgress,
}: {
  url: string;
  plan: Plan;
  onProgress?: (done: number) => void;
}): Promise<LoadTimes> {
  const times: LoadTimes = [];
  const step = async (name: string, run: () => Promise<unknown>) => {
    const started = performance.now();
    await run();
    times.push([name, (performance.now() - started) / 1000]);
  };
  // Secondary indexes are dropped for the load and rebuilt from their own definitions after it:
  // one sorted build per index instead of ten million random inserts into each.
  const indexes = await withClient(url, async (c) => {
    const { rows } = await c.query<{ name: string; def: string }>(
      `select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def
       from pg_index i where i.indrelid in ('mentions'::regclass, 'mention_brands'::regclass) and not i.indisprimary`,
    );
    for (const r of rows) await c.query(`drop index ${r.name}`);
    return rows;
  });
  await step('COPY mentions and mention_brands (two connections)', () =>
    Promise.all([
      copyInto(
        url,
        `copy mentions (id, workspace_id, source_id, source_type, item_key, canonical_url, url, title, text, author, published_at, date_quality,
           fetched_at, occurred_at, lang, lang_confidence, sentiment_score, sentiment_label, sentiment_model, hashtags, handles, engagement,
           author_followers, matched, brand_ids, keywords, is_backlog, created_at) from stdin`,
        chunks(plan, mentionLine, onProgress),
      ),
      copyInto(url, `copy mention_brands (brand_id, mention_id, workspace_id, occurred_at, sentiment_label, keywords) from stdin`, chunks(plan, linkLines)),
    ]),
  );
  await withClient(url, async (c) => {
    await c.query(`set maintenance_work_mem = '512MB'`);
    await c.query(`set work_mem = '256MB'`);
    // Rollups first: they only scan mentions, and are cheaper without index maintenance running.
    await step('build mention_rollups, brand_hours, hashtag_rollups, brand_sources (SQL)', () => buildRollups(c, plan.workspaceId));
    for (const index of indexes) await step(`rebuild index ${index.name}`, () => c.query(index.def));
    await c.query(`select setval(pg_get_serial_sequence('mentions', 'id'), (select max(id) from mentions))`);
    await step('VACUUM ANALYZE', () => c.query('vacuum analyze'));
  });
  return times;
}

// The rollups of the mentions at or after $2, one select per table: what the bulk build inserts
// and what the bench's check compares the ingest-maintained tables against.
const EXPECTED = {
  mentionRollups: `
    select b.brand_id, m.workspace_id, date_trunc('hour', m.occurred_at, 'UTC') as hour, m.source_type, coalesce(m.lang, '') as lang,
      count(*)::int as mentions, (count(*) filter (where m.sentiment_label = 'positive'))::int as positive,
      (count(*) filter (where m.sentiment_label = 'neutral'))::int as neutral, (count(*) filter (where m.sentiment_label = 'negative'))::int as negative,
      (count(*) filter (where m.sentiment_label = 'unscored'))::int as unscored,
      coalesce(sum(m.sentiment_score::float8) filter (where m.sentiment_label <> 'unscored'), 0) as score_sum
    from mentions m cross join unnest(m.brand_ids) b(brand_id)
    where m.workspace_id = $1 and m.occurred_at >= $2
    group by 1, 2, 3, 4, 5`,
  brandHours: `
    select brand_id, workspace_id, hour, sum(mentions)::int as mentions, sum(positive)::int as positive, sum(neutral)::int as neutral,
      sum(negative)::int as negative, sum(unscored)::int as unscored, sum(score_sum) as score_sum
    from mention_rollups where workspace_id = $1 and hour >= $2 group by 1, 2, 3`,
  // Daily totals per UTC day (migration 0007, where present), from the brand-hour totals.
  brandDays: `
    select brand_id, workspace_id, (hour at time zone 'UTC')::date as day, sum(mentions)::int as mentions, sum(positive)::int as positive,
      sum(neutral)::int as neutral, sum(negative)::int as negative, sum(unscored)::int as unscored, sum(score_sum) as score_sum
    from brand_hours where workspace_id = $1 and hour >= $2 group by 1, 2, 3`,
  hashtagRollups: `
    select b.brand_id, m.workspace_id, (m.occurred_at at time zone 'UTC')::date as day, t.tag, count(*)::int as mentions
    from mentions m cross join unnest(m.brand_ids) b(brand_id) cross join lateral (select distinct tag from unnest(m.hashtags) tag) t
    where m.workspace_id = $1 and m.occurred_at >= $2 and cardinality(m.hashtags) > 0
    group by 1, 2, 3, 4`,
};

const EPOCH = new Date(0);

const hasBrandDays = async (c: pg.Client) => (await c.query<{ t: string | null }>(`select to_regclass('brand_days')::text as t`)).rows[0]!.t !== null;

/**
 * The rollup tables as storeMentions would have left them after ingesting every loaded row.
 * Rows go in in time order, as ingestion creates them hour by hour: a day's rollups share heap
 * pages. (Inserted in hash-aggregate order instead, a 7-day trending read touched 25,000 pages
 * instead of 2,700 and took 285 ms instead of 59 ms: a layout no real workspace has.)
 */
export async function buildRollups(c: pg.Client, workspaceId: string): Promise<void> {
  const counts = 'mentions, positive, neutral, negative, unscored, score_sum';
  await c.query(`insert into mention_rollups (brand_id, workspace_id, hour, source_type, lang, ${counts}) ${EXPECTED.mentionRollups} order by hour`, [workspaceId, EPOCH]);
  await c.query(`insert into brand_hours (brand_id, workspace_id, hour, ${counts}) ${EXPECTED.brandHours} order by hour`, [workspaceId, EPOCH]);
  await c.query(`insert into hashtag_rollups (brand_id, workspace_id, day, tag, mentions) ${EXPECTED.hashtagRollups} order by day`, [workspaceId, EPOCH]);
  if (await hasBrandDays(c)) await c.query(`insert into brand_days (brand_id, workspace_id, day, ${counts}) ${EXPECTED.brandDays} order by day`, [workspaceId, EPOCH]);
  await c.query(
    `insert into brand_sources (brand_id, source_id, last_seen_at)
     select b.brand_id, m.source_id, max(m.created_at) from mentions m cross join unnest(m.brand_ids) b(brand_id)
     where m.workspace_id = $1 group by 1, 2`,
    [workspaceId],
  );
}

/**
 * Rollup rows from `since` (a whole UTC day) on that differ from the rollups of the stored rows:
 * those hours hold both bulk-built and ingest-maintained counts, so zero everywhere means the bulk
 * build keys and counts exactly as the ingest path does.
 */
export async function rollupMismatches(url: string, workspaceId: string, since: Date): Promise<Record<string, number>> {
  const counted = 'e.mentions is distinct from a.mentions';
  const fields = ['positive', 'neutral', 'negative', 'unscored'].map((f) => `or e.${f} is distinct from a.${f}`).join(' ');
  const score = 'or abs(coalesce(e.score_sum, 0) - coalesce(a.score_sum, 0)) > 1e-3';
  return withClient(url, async (c) => {
    const mismatches = async (expected: string, table: string, keys: string, extra: string) => {
      const from = table === 'hashtag_rollups' || table === 'brand_days' ? `day >= ($2::timestamptz at time zone 'UTC')::date` : 'hour >= $2';
      const { rows } = await c.query<{ n: number }>(
        `select count(*)::int as n from (${expected}) e
         full join (select * from ${table} where workspace_id = $1 and ${from}) a using (${keys})
         where ${counted} ${extra}`,
        [workspaceId, since],
      );
      return rows[0]!.n;
    };
    return {
      mention_rollups: await mismatches(EXPECTED.mentionRollups, 'mention_rollups', 'brand_id, hour, source_type, lang', `${fields} ${score}`),
      brand_hours: await mismatches(EXPECTED.brandHours, 'brand_hours', 'brand_id, hour', `${fields} ${score}`),
      hashtag_rollups: await mismatches(EXPECTED.hashtagRollups, 'hashtag_rollups', 'brand_id, day, tag', ''),
      ...((await hasBrandDays(c)) ? { brand_days: await mismatches(EXPECTED.brandDays, 'brand_days', 'brand_id, day', `${fields} ${score}`) } : {}),
    };
  });
}
