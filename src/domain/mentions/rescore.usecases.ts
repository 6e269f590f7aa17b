import { sql, type Kysely, type Transaction } from 'kysely';
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

/**
 * The id ranges holding mentions scored by another model, for one job each. Raw items that were
 * never scored (NOT_SCORED) are left to the rematch that links them.
 */
export async function planRescore({ db, model, since }: { db: Kysely<DB>; model: string; since?: Date | undefined }) {
  const row = await db
    .selectFrom('mentions')
    .select((eb) => [eb.fn.min('id').as('min'), eb.fn.max('id').as('max'), eb.fn.countAll<number>().as('n')])
    .where('sentiment_model', 'not in', [model, NOT_SCORED])
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
}: {
  db: Kysely<DB>;
  scorer: Scorer;
  rollupRepository: RollupRepository;
  fromId: number;
  toId: number;
  since?: Date | undefined;
}): Promise<{ rescored: number; changed: number }> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('mentions')
      .select(['id', 'workspace_id', 'source_type', 'title', 'text', 'lang', 'lang_confidence', 'sentiment_label', 'sentiment_score', 'occurred_at', 'hashtags', 'keywords'])
      .where('id', '>=', fromId as never)
      .where('id', '<=', toId as never)
      .where('sentiment_model', 'not in', [scorer.model, NOT_SCORED])
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
