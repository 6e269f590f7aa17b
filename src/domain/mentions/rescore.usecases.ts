import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../infra/db/schema.js';
import type { RollupRepository } from '../analytics/rollups.repository.js';
import type { RollupEntry } from '../analytics/rollups.js';
import { NOT_SCORED, type Scorer, type SentimentLabel } from '../scoring/scorer.js';

/** Ids per rescoring job: small enough that one batch never holds locks for long. */
export const RESCORE_BATCH = 2000;

export interface ScoreUpdate { id: number; lang: string | null; confidence: number; score: number; label: SentimentLabel }

/** Scores a stored mention again: a language the platform declared (confidence 1) stays; a detected one is detected again. */
export function scoreStored(scorer: Scorer, row: { title: string | null; text: string; lang: string | null; lang_confidence: number | null }) {
  return scorer.score({ title: row.title, text: row.text, langHint: row.lang && row.lang_confidence === 1 ? row.lang : null });
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
 * Rescores one id range with the current model: the mention, its brand links, and every rollup
 * it contributes to (the old contribution out, the new one in), in one transaction. Mentions
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
      .select(['id', 'workspace_id', 'source_type', 'title', 'text', 'lang', 'lang_confidence', 'sentiment_label', 'sentiment_score', 'occurred_at', 'hashtags'])
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
    const linked = new Map<number, string[]>();
    if (rows.length) {
      const links = await trx
        .selectFrom('mention_brands')
        .select(['mention_id', 'brand_id'])
        .where('mention_id', '=', sql<never>`any(${rows.map((r) => r.id)}::bigint[])`)
        .orderBy('brand_id')
        .execute();
      for (const { mention_id, brand_id } of links) {
        const list = linked.get(Number(mention_id));
        if (list) list.push(brand_id);
        else linked.set(Number(mention_id), [brand_id]);
      }
    }
    const entries = new Map<string, RollupEntry[]>();
    const updates: ScoreUpdate[] = [];
    let changed = 0;
    for (const row of rows) {
      const next = scoreStored(scorer, row);
      updates.push({ id: Number(row.id), lang: next.lang, confidence: next.langConfidence, score: next.sentiment.score, label: next.sentiment.label });
      // The column is a float4: a score is unchanged when it stores as the same float4.
      const same = next.lang === row.lang && next.sentiment.label === row.sentiment_label && Math.fround(next.sentiment.score) === Math.fround(row.sentiment_score);
      if (same) continue;
      changed++;
      const list = entries.get(row.workspace_id) ?? [];
      for (const brandId of linked.get(Number(row.id)) ?? []) {
        const base = { brandId, occurredAt: row.occurred_at, sourceType: row.source_type, hashtags: [] as string[] };
        list.push({ ...base, lang: row.lang, label: row.sentiment_label as SentimentLabel, score: row.sentiment_score, sign: -1 });
        list.push({ ...base, lang: next.lang, label: next.sentiment.label, score: next.sentiment.score, sign: 1 });
      }
      entries.set(row.workspace_id, list);
    }
    if (updates.length) {
      await writeScores(trx, scorer.model, updates);
      await sql`
        update mention_brands mb set sentiment_label = m.sentiment_label
        from mentions m where m.id = mb.mention_id and m.id = any(${updates.map((u) => u.id)}::bigint[])
          and mb.sentiment_label <> m.sentiment_label`.execute(trx);
    }
    for (const [workspaceId, list] of entries) await rollupRepository.apply(trx, workspaceId, list);
    return { rescored: rows.length, changed };
  });
}
