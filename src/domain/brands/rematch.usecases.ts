import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../infra/db/schema.js';
import { compileWorkspace, MATCHER_VERSION, parseQuery } from '../query/index.js';
import type { LinkRepository } from '../mentions/links.repository.js';
import type { SourceType } from '../items/item.types.js';
import type { BrandRepository } from './brands.repository.js';
import type { RematchRepository } from './rematch.repository.js';
import type { RollupRepository } from '../analytics/rollups.repository.js';
import { NOT_SCORED, type DetectedLanguage, type Scorer, type SentimentLabel } from '../scoring/scorer.js';
import { scoreStored, writeScores, type ScoreUpdate } from '../mentions/rescore.usecases.js';
import { reconcileReadings, storedLinks } from '../mentions/readings.js';
import { namingTerms } from '../scoring/scorer.ignore.js';

const BATCH = 2000;

/** What a rematch changed in a brand's links, counted over the mentions it went over. */
export interface RematchCounts {
  /** Mentions gone over: the raw window's items and the older mentions linked to the brand. */
  evaluated: number;
  /** Mentions this rematch linked to the brand. */
  gained: number;
  /** Mentions this rematch took the brand off. */
  lost: number;
  /** Mentions linked to the brand before and after it. */
  kept: number;
}

export type RematchResult =
  /** Stopped at a batch because the brand's query changed again: the counts are the batches done. */
  | (RematchCounts & { superseded: true })
  /** Went over the whole history with `matcherVersion`; `previousMatcherVersion` when an older matcher had gone over it last. */
  | (RematchCounts & { matcherVersion: number; previousMatcherVersion?: number });

/**
 * Matches one brand against stored history after it was created or its query changed: every
 * item of the raw window (unmatched ones included) and every older mention linked to it. Runs
 * in batches, each its own transaction, so ingestion is never blocked for long; a crash loses at
 * most the batch in flight, and the retry, going over history again, changes nothing twice.
 * A job whose query was changed again meanwhile stops at its next batch: the newer version's
 * job owns the brand's links from then on.
 */
export async function rematchBrand({
  workspaceId,
  brandId,
  rawWindowDays,
  now,
  db,
  brandRepository,
  linkRepository,
  rematchRepository,
  rollupRepository,
  scorer,
}: {
  workspaceId: string;
  brandId: string;
  rawWindowDays: number;
  scorer: Scorer;
  rollupRepository: RollupRepository;
  now: Date;
  db: Kysely<DB>;
  brandRepository: BrandRepository;
  linkRepository: LinkRepository;
  rematchRepository: RematchRepository;
}): Promise<RematchResult | null> {
  const brand = await brandRepository.get(workspaceId, brandId);
  if (!brand) return null;
  const previousMatcherVersion = await rematchRepository.matcherVersion(brandId);
  // Parsed here, so a stored query that no longer parses fails the job with its reason instead of
  // matching nothing, which would take every mention off the brand.
  const matcher = compileWorkspace([{ id: brand.id, query: parseQuery(brand.query) }]);
  const since = new Date(now.getTime() - rawWindowDays * 86_400_000);
  let afterId = 0;
  const counts: RematchCounts = { evaluated: 0, gained: 0, lost: 0, kept: 0 };
  for (;;) {
    const batch = await db.transaction().execute(async (trx) => {
      const version = await rematchRepository.beginBatch(trx, workspaceId, brandId);
      if (version !== brand.query_version) return { superseded: true as const };
      // Read under the lock, so the brand_ids written below start from the other batches' commits.
      const rows = await rematchRepository.candidates(trx, workspaceId, brandId, { since, afterId, limit: BATCH });
      if (!rows.length) return { done: true as const };
      const keywords = new Map<number, string[]>();
      const detected = new Map<number, DetectedLanguage>();
      for (const row of rows) {
        const id = Number(row.id);
        // A raw item stored unscored has a language only if its source declared one or a `lang:`
        // filter needed it when it was stored; this brand's filter may need it now, and the
        // matcher asks only if the item's words leave the answer open.
        const detect = () => {
          const found = scorer.detect({ title: row.title, text: row.text });
          detected.set(id, found);
          return found.lang;
        };
        const [match] = matcher.match({
          title: row.title,
          text: row.text,
          url: row.url,
          author: row.author,
          lang: row.sentiment_model === NOT_SCORED && row.lang === null ? detect : row.lang,
          sourceType: row.source_type as SourceType,
          hashtags: row.hashtags,
          handles: row.handles,
        });
        if (match) keywords.set(id, match.keywords);
      }
      // Only the mentions linked to the brand before or after are written: the raw items that
      // still match nothing (nearly all of a big history) are left as they are.
      const linkedNow = await rematchRepository.linkedAmong(trx, brandId, rows.map((r) => Number(r.id)));
      const touched = rows.map((r) => Number(r.id)).filter((id) => keywords.has(id) || linkedNow.has(id));
      // Scored without the terms naming the brand, as ingest scores ("Best Buy support was useless").
      const naming = new Map([...keywords].map(([id, terms]) => [id, namingTerms(terms, [brand.name])]));
      const current = await scoreOnLinking(trx, scorer, rows, naming, detected, await rematchRepository.lockForLinking(trx, touched));
      // This brand's links as stored: one it keeps keeps its reading, one it loses takes that reading out of the counts.
      const stored = await storedLinks(trx, touched);
      const own = (id: number) => stored.get(id)?.find((link) => link.brandId === brandId);
      const links = current
        .filter((r) => keywords.has(Number(r.id)))
        .map((r) => {
          const kept = own(Number(r.id));
          return { mentionId: Number(r.id), occurredAt: r.occurred_at, sentimentLabel: kept?.label ?? r.sentiment_label, sentimentScore: kept ? kept.score : null, keywords: keywords.get(Number(r.id))! };
        });
      const before = await linkRepository.replaceBrandLinks(trx, { workspaceId, brandId, evaluated: touched, links });
      const gainedLinks = links.filter((l) => !before.has(l.mentionId)).length;
      const linkedAfter = new Set(links.map((l) => l.mentionId));
      // Rollups change only for mentions that gained or lost this brand: a gained link counts as the
      // post until the readings below are reconciled, a lost one as it was stored.
      const entries = current
        .filter((r) => before.has(Number(r.id)) !== keywords.has(Number(r.id)))
        .map((r) => {
          const sign = keywords.has(Number(r.id)) ? (1 as const) : (-1 as const);
          const lost = sign < 0 ? own(Number(r.id)) : undefined;
          return {
            brandId,
            occurredAt: r.occurred_at,
            sourceType: r.source_type,
            lang: r.lang,
            label: (lost?.label ?? r.sentiment_label) as SentimentLabel,
            score: lost?.score ?? r.sentiment_score,
            hashtags: r.hashtags,
            sign,
          };
        });
      await rollupRepository.apply(trx, workspaceId, entries);
      const fed = current.filter((r) => r.source_id && keywords.has(Number(r.id))).map((r) => ({ brandId, sourceId: r.source_id! }));
      await rollupRepository.noteBrandSources(trx, fed, now);
      await linkRepository.refreshMentions(trx, touched);
      // A mention that gained or lost this brand beside others is read for its brands again.
      await reconcileReadings(trx, { workspaceId, mentionIds: touched.filter((id) => before.has(id) !== keywords.has(id)), scorer, rollupRepository });
      const raw = await rematchRepository.restartRawWindow(trx, touched.filter((id) => before.has(id) && !keywords.has(id)));
      // The workspace-wide counts change only for mentions that gained their first brand or lost
      // their last: one that gains or loses this brand beside others is counted once already.
      const gained = current.filter((r) => !r.matched && keywords.has(Number(r.id)));
      await rollupRepository.applyMatched(trx, workspaceId, [
        ...gained.map((r) => ({ occurredAt: r.occurred_at, hashtags: r.hashtags, sign: 1 as const })),
        ...raw.map((r) => ({ occurredAt: r.occurredAt, hashtags: r.hashtags, sign: -1 as const })),
      ]);
      return {
        evaluated: rows.length,
        gained: gainedLinks,
        lost: [...before].filter((id) => !linkedAfter.has(id)).length,
        kept: links.length - gainedLinks,
        lastId: Number(rows[rows.length - 1]!.id),
      };
    });
    if ('superseded' in batch) return { ...counts, superseded: true };
    if ('done' in batch) break;
    counts.evaluated += batch.evaluated;
    counts.gained += batch.gained;
    counts.lost += batch.lost;
    counts.kept += batch.kept;
    afterId = batch.lastId;
    await yieldToLoop();
  }
  await brandRepository.markMatched(brand.id, { queryVersion: brand.query_version, matcherVersion: MATCHER_VERSION });
  return { ...counts, matcherVersion: MATCHER_VERSION, ...(previousMatcherVersion !== null && previousMatcherVersion < MATCHER_VERSION ? { previousMatcherVersion } : {}) };
}

/**
 * After an upgrade that changed how queries match (MATCHER_VERSION), has the history of every
 * brand an older matcher went over matched again, by the rematch jobs a query edit gets: the tick
 * queues them a batch at a time, each marks its brand with this matcher when done, and an edit
 * meanwhile supersedes it as any newer query version does. A brand whose stored query this
 * release no longer parses is left as it is: its rematch would fail, on every tick, and its links
 * stay until its query is fixed (which rematches it).
 */
export async function rematchOlderMatches({
  brandRepository,
  matcherVersion = MATCHER_VERSION,
}: {
  brandRepository: Pick<BrandRepository, 'matchedByOlderMatcher' | 'requestRematch'>;
  matcherVersion?: number;
}): Promise<{ matcherVersion: number; brands: number; unreadable: string[] }> {
  const older = await brandRepository.matchedByOlderMatcher(matcherVersion);
  const readable: string[] = [];
  const unreadable: string[] = [];
  for (const brand of older) (parses(brand.query) ? readable : unreadable).push(brand.id);
  const brands = await brandRepository.requestRematch(readable, matcherVersion);
  return { matcherVersion, brands, unreadable };
}

function parses(query: string): boolean {
  try {
    parseQuery(query);
    return true;
  } catch {
    return false;
  }
}

/**
 * Raw items are stored unscored (NOT_SCORED); the first brand to link one scores it, before its
 * link and rollups are written from its sentiment, with the language matching detected for it if
 * it did. Returns the locked rows as they are now.
 */
async function scoreOnLinking<Row extends { id: string | number; lang: string | null; sentiment_label: string; sentiment_score: number; sentiment_model: string }>(
  trx: Transaction<DB>,
  scorer: Scorer,
  read: ReadonlyArray<{ id: string | number; title: string | null; text: string; lang_confidence: number | null }>,
  /** The terms naming the brand each item is linked on: left out of its scoring, as ingest leaves them out. */
  linking: ReadonlyMap<number, readonly string[]>,
  detected: ReadonlyMap<number, DetectedLanguage>,
  locked: Row[],
): Promise<Row[]> {
  const byId = new Map(read.map((r) => [Number(r.id), r]));
  const updates: ScoreUpdate[] = [];
  const current = locked.map((row) => {
    const stored = byId.get(Number(row.id));
    if (row.sentiment_model !== NOT_SCORED || !linking.has(Number(row.id)) || !stored) return row;
    const known = detected.get(Number(row.id));
    const keywords = linking.get(Number(row.id))!;
    const next = known ? scorer.score({ ...stored, ignore: keywords }, known) : scoreStored(scorer, { ...stored, lang: row.lang, keywords });
    updates.push({ id: Number(row.id), lang: next.lang, confidence: next.langConfidence, score: next.sentiment.score, label: next.sentiment.label });
    return { ...row, lang: next.lang, sentiment_label: next.sentiment.label, sentiment_score: next.sentiment.score, sentiment_model: scorer.model };
  });
  await writeScores(trx, scorer.model, updates);
  return current;
}

/**
 * After a brand is deleted (its links and per-brand rollups cascade away), clears it from the
 * mentions that carried it, and reads the posts again for the brands they still name. Those left
 * with no brand return to the raw store and age out with it, and leave the workspace-wide counts
 * then, as they leave the mention list.
 */
export async function unlinkBrand({
  workspaceId,
  brandId,
  db,
  brandRepository,
  linkRepository,
  rematchRepository,
  rollupRepository,
  scorer,
}: {
  workspaceId: string;
  brandId: string;
  db: Kysely<DB>;
  brandRepository: BrandRepository;
  linkRepository: LinkRepository;
  rematchRepository: RematchRepository;
  rollupRepository: RollupRepository;
  scorer: Scorer;
}): Promise<number> {
  // Only a brand that is really gone: refreshing a live brand's mentions would keep it and never end.
  if (await brandRepository.get(workspaceId, brandId)) return 0;
  let total = 0;
  for (;;) {
    const ids = await linkRepository.carrying(workspaceId, brandId, BATCH);
    if (!ids.length) {
      await brandRepository.unlinked(brandId);
      return total;
    }
    await db.transaction().execute(async (trx) => {
      await rematchRepository.beginBatch(trx, workspaceId, brandId);
      // Read under the lock: the ids were chosen before it, and a rematch batch that committed
      // since may already have returned some to the raw store (and taken them out of the counts).
      const matched = (await rematchRepository.lockForLinking(trx, ids)).filter((r) => r.matched).map((r) => Number(r.id));
      await linkRepository.refreshMentions(trx, ids);
      // The brands left read the post without the deleted one: one left alone reads as the post again.
      await reconcileReadings(trx, { workspaceId, mentionIds: matched, scorer, rollupRepository });
      const raw = await rematchRepository.restartRawWindow(trx, matched);
      await rollupRepository.applyMatched(trx, workspaceId, raw.map((r) => ({ occurredAt: r.occurredAt, hashtags: r.hashtags, sign: -1 as const })));
    });
    total += ids.length;
  }
}
