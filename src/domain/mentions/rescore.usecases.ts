import { sql, type ExpressionBuilder, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../infra/db/schema.js';
import type { RollupRepository } from '../analytics/rollups.repository.js';
import type { RollupEntry } from '../analytics/rollups.js';
import { NOT_SCORED, type Scorer, type SentimentLabel } from '../scoring/scorer.js';
import { brandNames, readersFor, rereadLinks, storedLinks, writeReadings } from './readings.js';
import { namingTerms } from '../scoring/scorer.ignore.js';

/** Ids per rescoring job: small enough that one batch never holds locks for long. */
export const RESCORE_BATCH = 2000;

export interface ScoreUpdate { id: number; lang: string | null; confidence: number; score: number; label: SentimentLabel }

/**
 * Scores a stored mention again: a language the platform declared (confidence 1) stays; a detected
 * one is detected again. The terms it was matched on (`keywords`) are left out, as ingest left them.
 */
export function scoreStored(
  scorer: Scorer,
  row: { title: string | null; text: string; lang: string | null; lang_confidence: number | null; keywords?: readonly string[] | null },
) {
  return scorer.score({ title: row.title, text: row.text, langHint: row.lang && row.lang_confidence === 1 ? row.lang : null, ignore: row.keywords });
}

/** Writes mentions' new language and sentiment, as scored by `model`. */
export async function writeScores(trx: Transaction<DB>, model: string, updates: readonly ScoreUpdate[]): Promise<void> {
  if (!updates.length) return;
  await sql`
    update mentions m set lang = u.lang, lang_confidence = u.confidence, sentiment_score = u.score,
      sentiment_label = u.label, sentiment_model = ${model}
    from unnest(${updates.map((u) => u.id)}::bigint[], ${updates.map((u) => u.lang)}::text[], ${updates.map((u) => u.confidence)}::real[],
                ${updates.map((u) => u.score)}::real[], ${updates.map((u) => u.label)}::text[]) as u(id, lang, confidence, score, label)
    where m.id = u.id`.execute(trx);
}

/** One of Earshot's own model names, `earshot-sentiment@1.6.2`: its family and version. */
const OWN_MODEL = /^([a-z-]+)@(\d+(?:\.\d+)*)$/;

/**
 * The mentions a rescore takes: those scored by another model than `model`, or with `olderOnly`
 * only by an older version of it (what a release rescores by itself when it starts: a newer
 * version's mentions, from a newer release running beside it during a rolling upgrade, are never
 * taken back to an older model). Raw items never scored (NOT_SCORED) are left to the rematch
 * that links them. Versions compare as integer arrays ({1,10,0} > {1,9,2}); the pattern is
 * checked first, so no other name is cast.
 */
function scoredBefore(model: string, olderOnly: boolean) {
  const own = OWN_MODEL.exec(model);
  return (eb: ExpressionBuilder<DB, 'mentions'>) => {
    const other = eb('sentiment_model', 'not in', [model, NOT_SCORED]);
    if (!olderOnly) return other;
    if (!own) return eb.lit(false);
    const [, family, version] = own;
    return eb.and([
      other,
      sql<boolean>`case when sentiment_model ~ ${`^${family}@[0-9]+(\\.[0-9]+)*$`}
        then string_to_array(substr(sentiment_model, ${family!.length + 2}), '.')::int[] < ${version!.split('.').map(Number)}::int[]
        else false end`,
    ]);
  };
}

/** The id ranges holding the mentions a rescore takes (scoredBefore), for one job each. */
export async function planRescore({ db, model, since, olderOnly = false }: { db: Kysely<DB>; model: string; since?: Date | undefined; olderOnly?: boolean }) {
  const row = await db
    .selectFrom('mentions')
    .select((eb) => [eb.fn.min('id').as('min'), eb.fn.max('id').as('max'), eb.fn.countAll<number>().as('n')])
    .where(scoredBefore(model, olderOnly))
    .$if(since !== undefined, (q) => q.where('occurred_at', '>=', since!))
    .executeTakeFirstOrThrow();
  if (!row.n) return { mentions: 0, ranges: [] as Array<{ fromId: number; toId: number }> };
  const ranges = [];
  for (let from = Number(row.min); from <= Number(row.max); from += RESCORE_BATCH) ranges.push({ fromId: from, toId: from + RESCORE_BATCH - 1 });
  return { mentions: Number(row.n), ranges };
}

/**
 * Rescores one id range with the current model: the mention, its brand links (each brand's own
 * reading of a post naming several: readings.ts), and every rollup it contributes to (the old
 * contribution out, the new one in), in one transaction. Mentions
 * already on the current model are skipped, so a re-run changes nothing.
 */
export async function rescoreRange({
  db,
  scorer,
  rollupRepository,
  fromId,
  toId,
  since,
  olderOnly = false,
}: {
  db: Kysely<DB>;
  scorer: Scorer;
  rollupRepository: RollupRepository;
  fromId: number;
  toId: number;
  since?: Date | undefined;
  olderOnly?: boolean | undefined;
}): Promise<{ rescored: number; changed: number }> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('mentions')
      .select(['id', 'workspace_id', 'source_type', 'title', 'text', 'lang', 'lang_confidence', 'sentiment_label', 'sentiment_score', 'occurred_at', 'hashtags', 'keywords'])
      .where('id', '>=', fromId as never)
      .where('id', '<=', toId as never)
      .where(scoredBefore(scorer.model, olderOnly))
      .$if(since !== undefined, (q) => q.where('occurred_at', '>=', since!))
      .forUpdate()
      .execute();
    // The rollups count brand links, so the deltas go to the brands linked now: a deleted brand's
    // links and rollups are gone, while its id stays in brand_ids until brands.unlink runs. Read
    // once the rows are locked, in a statement of its own, so that it sees the links a rematch
    // batch committed while this one waited for the lock.
    const linked = await storedLinks(trx, rows.map((r) => Number(r.id)));
    const names = await brandNames(trx, [...linked.values()].flatMap((links) => links.map((l) => l.brandId)));
    const readers = await readersFor(trx, rows.filter((r) => (linked.get(Number(r.id))?.length ?? 0) > 1).map((r) => r.workspace_id), scorer);
    const entries = new Map<string, RollupEntry[]>();
    const updates: ScoreUpdate[] = [];
    const links: Parameters<typeof writeReadings>[1] = [];
    const readings: Parameters<typeof writeReadings>[2][number][] = [];
    let changed = 0;
    for (const row of rows) {
      // Without the terms naming its brands, as ingest scored it.
      const next = scoreStored(scorer, { ...row, keywords: namingTerms(row.keywords, (linked.get(Number(row.id)) ?? []).map((l) => names.get(l.brandId) ?? '')) });
      const id = Number(row.id);
      // The column is a float4: a score is unchanged when it stores as the same float4.
      const same = next.lang === row.lang && next.sentiment.label === row.sentiment_label && Math.fround(next.sentiment.score) === Math.fround(row.sentiment_score);
      updates.push({ id, lang: next.lang, confidence: next.langConfidence, score: next.sentiment.score, label: next.sentiment.label });
      const list = entries.get(row.workspace_id) ?? [];
      entries.set(row.workspace_id, list);
      const mention = { id, occurredAt: row.occurred_at, sourceType: row.source_type, title: row.title, text: row.text };
      const after = { lang: next.lang, label: next.sentiment.label, score: next.sentiment.score };
      const reread = rereadLinks(mention, linked.get(id) ?? [], { lang: row.lang, score: row.sentiment_score }, after, readers.get(row.workspace_id), list);
      links.push(...reread.links);
      readings.push({ id, brandSentiments: reread.brandSentiments });
      if (!same || reread.changed) changed++;
    }
    await writeScores(trx, scorer.model, updates);
    await writeReadings(trx, links, readings);
    for (const [workspaceId, list] of entries) if (list.length) await rollupRepository.apply(trx, workspaceId, list);
    return { rescored: rows.length, changed };
  });
}
