import type { Engagement } from '../../connectors/connector.types.js';
import { estimateReach } from '../../connectors/reach.js';
import { AppError, notFound } from '../errors.js';
import type { SourceType } from '../items/item.types.js';
import { cursorBigintId, cursorCodec, cursorTime, type CursorKeys, type Page } from '../pagination/cursor.js';
import { matchQuery, parseQuery, QueryError, type QueryNode } from '../query/index.js';
import type { BrandRepository } from '../brands/brands.repository.js';
import { brandNotFound } from '../analytics/analytics.usecases.js';
import type { MentionFilter, MentionRepository, MentionRow } from './mentions.repository.js';
import { keywordsOf, type PreparedMention } from './ingest.js';
import { holdsTerm } from './search-forms.js';
import type { SentimentLabel } from '../scoring/scorer.js';
import { readingOf, type BrandSentiments } from '../themes/brand-readings.js';

export interface Mention {
  id: string;
  brandIds: string[];
  source: { id: string | null; type: SourceType };
  url: string | null;
  /**
   * The item's own address when `url` is another page: a Hacker News story's discussion
   * (`https://news.ycombinator.com/item?id=…`) or a Reddit link post's (`https://www.reddit.com/comments/…`),
   * whose `url` is the article. Null when `url` is the item itself.
   */
  permalink: string | null;
  title: string | null;
  text: string;
  author: string | null;
  /** Null when the source gave no readable date; the mention is then placed at fetchedAt. */
  publishedAt: string | null;
  fetchedAt: string;
  lang: string | null;
  /** How sure language detection was of `lang`, 0..1 (1 for a language the platform declared); null when `lang` is. */
  langConfidence: number | null;
  sentiment: { score: number; label: 'positive' | 'neutral' | 'negative' | 'unscored'; model: string };
  /**
   * What the post says of each of its brands, in brandIds' order: the post's own sentiment, except
   * for a post naming several brands that says different things of them (brand-readings.ts).
   */
  brandSentiments: Array<{ brandId: string; score: number; label: Mention['sentiment']['label'] }>;
  hashtags: string[];
  keywords: string[];
  engagement: Engagement | null;
  /** The author's followers where the platform gives them cheaply (Mastodon). */
  authorFollowers: number | null;
  /** An order-of-magnitude audience estimate: followers + 20 × interactions (docs/sources.md); null when unknown. */
  reach: number | null;
  /** How publishedAt was read: `exact`, `unknown` (null; placed at fetchedAt) or `clamped` (absurd, pulled into range). */
  dateQuality: 'exact' | 'unknown' | 'clamped';
}

/**
 * A score as the API shows it: the float4 the `real` column holds, to 4 decimals. The live event
 * starts from the scorer's double and GET from the decimal Postgres prints; Math.fround brings
 * both to the same float4 first, else the two can round to different sides of a half.
 */
export const apiScore = (score: number) => Math.round(Math.fround(score) * 1e4) / 1e4;

/**
 * A language's confidence as the API shows it, rounded as scores are. Null without a language:
 * detection's share for a language it did not name says nothing a client can use.
 */
const apiLangConfidence = (lang: string | null, confidence: number | null) => (lang === null || confidence === null ? null : apiScore(confidence));

function brandSentimentsOf(brandIds: readonly string[], own: BrandSentiments | null, post: { score: number; label: SentimentLabel }): Mention['brandSentiments'] {
  return brandIds.map((brandId) => {
    const reading = readingOf(own, brandId, post);
    return { brandId, score: apiScore(reading.score), label: reading.label };
  });
}

export function toMention(row: MentionRow): Mention {
  // A deleted brand's id stays on the row until its unlink has run: left out now, as it will be then.
  const brandIds = row.unlinking.length ? row.brand_ids.filter((id) => !row.unlinking.includes(id)) : row.brand_ids;
  return {
    id: String(row.id),
    brandIds,
    source: { id: row.source_id, type: row.source_type as SourceType },
    url: row.url,
    permalink: row.permalink,
    title: row.title,
    text: row.text,
    author: row.author,
    publishedAt: row.published_at ? row.published_at.toISOString() : null,
    fetchedAt: row.fetched_at.toISOString(),
    lang: row.lang,
    langConfidence: apiLangConfidence(row.lang, row.lang_confidence),
    sentiment: { score: apiScore(row.sentiment_score), label: row.sentiment_label as Mention['sentiment']['label'], model: row.sentiment_model },
    brandSentiments: brandSentimentsOf(brandIds, row.brand_sentiments as BrandSentiments | null, { score: row.sentiment_score, label: row.sentiment_label as SentimentLabel }),
    hashtags: row.hashtags,
    keywords: row.keywords,
    engagement: (row.engagement as Engagement | null) ?? null,
    authorFollowers: row.author_followers,
    reach: estimateReach((row.engagement as Engagement | null) ?? null, row.author_followers),
    dateQuality: row.date_quality as Mention['dateQuality'],
  };
}

/** The API view of a mention just stored, from what was prepared: no need to read it back. */
export function toMentionFromPrepared(id: number, m: PreparedMention, source: { id: string; type: SourceType }): Mention {
  return {
    id: String(id),
    brandIds: m.brands.map((b) => b.brandId),
    source,
    url: m.url,
    permalink: m.permalink ?? null,
    title: m.title,
    text: m.text,
    author: m.author,
    publishedAt: m.publishedAt ? m.publishedAt.toISOString() : null,
    fetchedAt: m.fetchedAt.toISOString(),
    lang: m.lang,
    langConfidence: apiLangConfidence(m.lang, m.langConfidence),
    sentiment: { score: apiScore(m.sentiment.score), label: m.sentiment.label, model: m.sentiment.model },
    brandSentiments: brandSentimentsOf(m.brands.map((b) => b.brandId), m.brandSentiments, m.sentiment),
    hashtags: [...m.hashtags],
    keywords: keywordsOf(m.brands),
    engagement: m.engagement,
    authorFollowers: m.authorFollowers,
    reach: estimateReach(m.engagement, m.authorFollowers),
    dateQuality: m.dateQuality,
  };
}

/** Parses `q=` once per request; a broken query is a 400 naming its position. */
export function parseFilterQuery(q: string | undefined): QueryNode | undefined {
  if (!q) return undefined;
  try {
    return parseQuery(q);
  } catch (err) {
    if (err instanceof QueryError) throw new AppError('query.invalid', 400, `q: ${err.message}`, { position: err.position, fields: [{ field: 'q', message: err.message }] });
    throw err;
  }
}

/** Whether a mention passes the filters: the live stream applies the same filters in memory. */
export function mentionMatches(m: Mention, f: Omit<MentionFilter, 'since' | 'until'>, q?: QueryNode): boolean {
  if (f.brandId && !m.brandIds.includes(f.brandId)) return false;
  if (f.keyword && !holdsTerm(m.keywords, f.keyword)) return false;
  if (f.hashtag && !holdsTerm(m.hashtags, f.hashtag)) return false;
  // With a brand, its reading of the post, as the list filters on the brand's link.
  const label = f.brandId ? (m.brandSentiments.find((b) => b.brandId === f.brandId)?.label ?? m.sentiment.label) : m.sentiment.label;
  if (f.sentiment && label !== f.sentiment) return false;
  if (f.sourceType && m.source.type !== f.sourceType) return false;
  if (f.sourceId && m.source.id !== f.sourceId) return false;
  if (f.lang && m.lang !== f.lang) return false;
  if (q && !matchQuery(q, { ...m, sourceType: m.source.type, handles: [] })) return false;
  return true;
}

export async function assertBrandInWorkspace({ workspaceId, brandId, brandRepository }: { workspaceId: string; brandId: string; brandRepository: BrandRepository }) {
  if (!(await brandRepository.get(workspaceId, brandId))) throw brandNotFound();
}

/** Rows scanned at most per request when `q=` filters in memory; the cursor then resumes the scan. */
const MAX_SCAN = 5000;

/**
 * A mention cursor is good for the workspace and the filters it was issued for: a
 * client that changes a filter but keeps its cursor gets a 400 saying so, not the new filter's
 * list from part-way down. The window is left out, as a list without `until` ends at each
 * request's now.
 */
function cursorFilters(filter: MentionFilter, q: QueryNode | undefined): string {
  const { since: _since, until: _until, ...rest } = filter;
  const fields = Object.entries(rest).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
  return `${JSON.stringify(fields)}:${q ? JSON.stringify(q) : ''}`;
}

export async function listMentions({
  workspaceId,
  filter,
  q,
  limit,
  cursor,
  mentionRepository,
  cursorKeys,
}: {
  workspaceId: string;
  filter: MentionFilter;
  q?: QueryNode | undefined;
  limit: number;
  cursor?: string | undefined;
  mentionRepository: MentionRepository;
  cursorKeys: CursorKeys;
}): Promise<Page<Mention>> {
  let after: { occurredAt: Date; id: number } | undefined;
  const codec = cursorCodec({ scope: 'mentions', workspaceId, filters: cursorFilters(filter, q) }, await cursorKeys());
  if (cursor) {
    const c = codec.decode(cursor);
    after = { occurredAt: cursorTime(c.k), id: cursorBigintId(c.id) };
  }
  const cursorAt = (row: MentionRow) => codec.encode({ k: row.occurred_at.toISOString(), id: String(row.id) });
  const batch = q ? 500 : limit;
  const items: Mention[] = [];
  let scanned = 0;
  for (;;) {
    const rows = await mentionRepository.list(workspaceId, filter, { limit: batch, ...(after ? { after } : {}) });
    const moreRows = rows.length > batch;
    const page = rows.slice(0, batch);
    for (const [i, row] of page.entries()) {
      scanned++;
      const mention = toMention(row);
      if (q && !mentionMatches(mention, {}, q)) continue;
      items.push(mention);
      if (items.length === limit) return { items, nextCursor: i < page.length - 1 || moreRows ? cursorAt(row) : null };
    }
    const last = page[page.length - 1];
    if (!moreRows || !last) return { items, nextCursor: null };
    // A `q=` filter that matches rarely: answer what was found, and let the cursor resume the scan.
    if (scanned >= MAX_SCAN) return { items, nextCursor: cursorAt(last) };
    after = { occurredAt: last.occurred_at, id: Number(last.id) };
  }
}

export async function getMention({ workspaceId, id, mentionRepository }: { workspaceId: string; id: string; mentionRepository: MentionRepository }) {
  // Only the canonical form of an id: /v1/mentions/0001 is not mention 1.
  const row = /^[1-9]\d{0,17}$/.test(id) ? await mentionRepository.get(workspaceId, Number(id)) : undefined;
  if (!row) throw notFound('mentions', 'mention');
  return toMention(row);
}
