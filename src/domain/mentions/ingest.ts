import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Engagement, SourceItem } from '../../connectors/connector.types.js';
import { indexableKey } from '../feeds/feed.items.js';
import type { SourceType } from '../items/item.types.js';
import type { BrandMatch, WorkspaceMatcher } from '../query/index.js';
import { declaredLanguage, NOT_SCORED, type DetectedLanguage, type Scorer, type SentimentLabel } from '../scoring/scorer.js';
import type { BrandReader, BrandSentiments } from '../themes/brand-readings.js';
import { namingTerms } from '../scoring/scorer.ignore.js';
import { canonicalUrl } from './canonical-url.js';

export interface PreparedMention {
  itemKey: string;
  canonicalUrl: string | null;
  url: string | null;
  /**
   * The item's own address where `url` is another page (SourceItem.permalink: a Hacker News
   * story's or a Reddit link post's discussion); absent otherwise, and then left out of the row.
   */
  permalink?: string | undefined;
  title: string | null;
  text: string;
  author: string | null;
  publishedAt: Date | null;
  dateQuality: 'exact' | 'unknown' | 'clamped';
  fetchedAt: Date;
  occurredAt: Date;
  lang: string | null;
  langConfidence: number;
  sentiment: { score: number; label: SentimentLabel; model: string };
  hashtags: string[];
  handles: string[];
  engagement: Engagement | null;
  authorFollowers: number | null;
  brands: BrandMatch[];
  /** What the post says of each brand whose reading is not the post's own (a post naming several: brand-readings.ts); null when none. */
  brandSentiments: BrandSentiments | null;
  isBacklog: boolean;
}

/** Items between yields to the event loop, so a big batch never starves BullMQ's lock renewal. */
const YIELD_EVERY = 250;
/**
 * Postgres text cannot hold NUL, nor its JSON a lone UTF-16 surrogate (a post cut in the middle of
 * an emoji, a JSON API's "\ud83d"): an item that carries one would fail its whole batch, and the
 * source would read it again at every poll. NUL is dropped; a lone surrogate becomes U+FFFD.
 */
const clean = <T extends string | null>(s: T): T => {
  if (!s) return s;
  const kept = s.includes('\u0000') ? s.replaceAll('\u0000', '') : s;
  return (kept.isWellFormed() ? kept : kept.toWellFormed()) as T;
};
/** Nor can a Postgres integer hold a fraction or more than 2^31 − 1 followers, whatever an API claims. */
const INTEGER_MAX = 2_147_483_647;
const followers = (n: number | null): number | null => (n === null || !Number.isFinite(n) || n < 0 ? null : Math.min(Math.floor(n), INTEGER_MAX));

/** What a raw item (one no brand matched) stores for its sentiment until a brand links it. */
const notScored = { score: 0, label: 'unscored' as const, model: NOT_SCORED };
const unknownLanguage: DetectedLanguage = { lang: null, langConfidence: 0 };

/**
 * Turns one poll's items into rows: every brand of the workspace in one pass per item, then
 * language and sentiment for the items that matched. Unmatched items are kept too, unscored:
 * they are the raw store that a new brand is matched against, which scores the ones it links
 * (most of a feed matches no brand, and no one sees those). An item's language is detected during
 * matching only when a brand's `lang:` filter is reached for it, and scoring reuses that answer;
 * an unmatched item keeps it if it was detected, else only the language its source declares (a
 * rematch whose `lang:` filter needs it detects it then). An item older than `keepSince` (the
 * workspace's retention) is left out: retention deleted it, or would within the hour, and storing
 * it again would count it and announce it again as new.
 *
 * A post naming two or more brands is read for each of them too (`reader`, brand-readings.ts):
 * the clauses about a brand are its reading, which that brand's counts and alerts take.
 *
 * Copies of one story in the poll (one canonical URL: an article and its update, cross-posts, a
 * feed listing it twice) are one mention, kept as copies from different polls are
 * (mentions.repository.ts insertMany): the first, unless it names no brand and a later one does.
 */
export async function prepareMentions({
  items,
  sourceType,
  fetchedAt,
  isBacklog,
  keepSince = null,
  scorer,
  matcher,
  reader,
  names,
}: {
  items: readonly SourceItem[];
  sourceType: SourceType;
  fetchedAt: Date;
  isBacklog: boolean;
  keepSince?: Date | null;
  scorer: Scorer;
  matcher: WorkspaceMatcher;
  /** Without one, every brand reads as the post (tests of matching alone). */
  reader?: BrandReader | undefined;
  /** Brand id → name, for the terms that name a brand (namingTerms); without it every matched term is taken to name its brand. */
  names?: ReadonlyMap<string, string> | undefined;
}): Promise<PreparedMention[]> {
  // A discussion is deduplicated by its own address, not by the article it links to (SourceItem.permalink).
  const canonical = items.map((item) => canonicalUrl(item.permalink ?? item.url));
  const urlCounts = new Map<string, number>();
  for (const key of canonical) if (key) urlCounts.set(key, (urlCounts.get(key) ?? 0) + 1);
  const seenKeys = new Set<string>();
  const prepared: PreparedMention[] = [];
  /** Where the copy kept so far of each story told more than once in the poll is in `prepared`. */
  const keptCopy = new Map<string, number>();
  for (const [i, item] of items.entries()) {
    if (i > 0 && i % YIELD_EVERY === 0) await yieldToLoop();
    // API connectors build their own keys: the same limit as the feed parser's.
    const itemKey = indexableKey(clean(item.itemKey));
    if (seenKeys.has(itemKey)) continue;
    seenKeys.add(itemKey);
    const occurredAt = item.publishedAt ?? fetchedAt;
    if (keepSince !== null && occurredAt < keepSince) continue;
    let url = canonical[i] ?? null;
    const copies = url === null ? 1 : urlCounts.get(url)!;
    if (copies > 1 && isSharedLink(sourceType, copies, items.length)) url = null;
    const kept = url === null || copies === 1 ? undefined : keptCopy.get(url);
    // A kept copy that names a brand stays, whatever this one says.
    if (kept !== undefined && prepared[kept]!.brands.length > 0) continue;
    const input = { title: item.title, text: item.text, langHint: item.langHint };
    let detected: DetectedLanguage | undefined;
    const brands = matcher.match({
      title: item.title,
      text: item.text,
      url: item.url,
      author: item.author,
      lang: () => (detected = scorer.detect(input)).lang,
      sourceType,
      hashtags: item.hashtags,
      handles: item.handles,
    });
    // The kept copy named none either; one that names a brand takes its place.
    if (kept !== undefined && brands.length === 0) continue;
    // The terms naming its brands are not what the post says of them ("Best Buy support was useless").
    const scored = brands.length > 0 ? scorer.score({ ...input, ignore: namingTermsOf(brands, names) }, detected) : { ...(detected ?? declaredLanguage(item.langHint, item.title ? `${item.title}\n${item.text}` : item.text) ?? unknownLanguage), sentiment: notScored };
    const mention: PreparedMention = {
      itemKey,
      canonicalUrl: url,
      url: clean(item.url),
      permalink: item.permalink,
      title: clean(item.title),
      text: clean(item.text),
      author: clean(item.author),
      publishedAt: item.publishedAt,
      dateQuality: item.dateQuality,
      fetchedAt,
      occurredAt,
      lang: scored.lang,
      langConfidence: scored.langConfidence,
      sentiment: scored.sentiment,
      hashtags: item.hashtags,
      handles: item.handles,
      engagement: item.engagement,
      authorFollowers: followers(item.authorFollowers),
      brands,
      brandSentiments:
        reader && brands.length > 1
          ? reader.read({ title: item.title, text: item.text, lang: scored.lang, label: scored.sentiment.label, score: scored.sentiment.score }, brands.map((b) => b.brandId))
          : null,
      isBacklog,
    };
    if (kept !== undefined) {
      prepared[kept] = mention;
    } else {
      if (url !== null && copies > 1) keptCopy.set(url, prepared.length);
      prepared.push(mention);
    }
  }
  return prepared;
}

/**
 * Whether the URL that `copies` of a poll's `items` share is a feed's one link for all of them (a
 * section page, a profile) rather than one story's address: in an RSS feed, when at least three
 * items and half the poll or more share it. Then it deduplicates none of them. An API's item links
 * to its own post or to the page the post shares, so there a shared URL is always one story. (A
 * site's home page is no story's address anywhere: canonical-url.ts.)
 */
function isSharedLink(sourceType: SourceType, copies: number, items: number): boolean {
  return sourceType === 'rss' && copies >= 3 && copies * 2 >= items;
}

/** The terms of a post's matches that name their brands; without the names, every matched term. */
function namingTermsOf(brands: readonly BrandMatch[], names: ReadonlyMap<string, string> | undefined): string[] {
  return names ? brands.flatMap((b) => namingTerms(b.keywords, [names.get(b.brandId) ?? ''])) : keywordsOf(brands);
}

/** The union of matched terms over all brands, in first-seen order. */
export function keywordsOf(brands: readonly BrandMatch[]): string[] {
  return [...new Set(brands.flatMap((b) => b.keywords))];
}
