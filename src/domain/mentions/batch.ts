import { keywordsOf, type PreparedMention } from './ingest.js';

/** Rows per INSERT statement: one JSON parameter each, small enough to parse without a long stall. */
const ROWS_PER_CHUNK = 1000;

/**
 * A poll's prepared mentions as they are stored. Every mention travels as its row, already
 * serialised as the JSON `json_to_recordset` reads and encoded to UTF-8, so the event loop
 * neither builds nor encodes the rows of a batch; only the mentions that matched a brand come
 * whole, because their brand links, rollups and live events need more than the row.
 */
export interface MentionBatch {
  /** JSON arrays of mention rows, UTF-8, at most ROWS_PER_CHUNK rows each. */
  rows: Uint8Array[];
  /** The mentions that matched at least one brand, in batch order. */
  matched: PreparedMention[];
  /** How many mentions the rows hold. */
  size: number;
  /** The read feed's warning (ParsedFeed), for the poll's log. */
  warning?: string;
}

/**
 * A date as JSON.stringify writes it (null when invalid), done here: a Date left in the row sends
 * the serialiser down its slow path through toJSON (`npm run bench -- ingest --stages` times this
 * serialisation as "serialise rows").
 */
const isoDate = (date: Date | null) => (date === null || Number.isNaN(date.getTime()) ? null : date.toISOString());

/**
 * A mention as the columns of `mentions` (json_to_recordset's record). `permalink` is undefined
 * for all but Hacker News stories and Reddit link posts, and JSON.stringify leaves an undefined
 * value's key out: json_to_recordset reads a missing key as null, so a feed's rows carry no bytes
 * for it.
 */
function mentionRow(m: PreparedMention) {
  return {
    item_key: m.itemKey,
    canonical_url: m.canonicalUrl,
    url: m.url,
    permalink: m.permalink,
    title: m.title,
    text: m.text,
    author: m.author,
    published_at: isoDate(m.publishedAt),
    date_quality: m.dateQuality,
    fetched_at: isoDate(m.fetchedAt),
    occurred_at: isoDate(m.occurredAt),
    lang: m.lang,
    lang_confidence: m.langConfidence,
    sentiment_score: m.sentiment.score,
    sentiment_label: m.sentiment.label,
    sentiment_model: m.sentiment.model,
    hashtags: m.hashtags,
    handles: m.handles,
    engagement: m.engagement,
    author_followers: m.authorFollowers,
    matched: m.brands.length > 0,
    brand_ids: m.brands.map((b) => b.brandId),
    keywords: keywordsOf(m.brands),
    brand_sentiments: m.brandSentiments,
    is_backlog: m.isBacklog,
  };
}

/** Mentions as the JSON array `json_to_recordset` reads. */
export const mentionRows = (mentions: readonly PreparedMention[]) => JSON.stringify(mentions.map(mentionRow));

const encoder = new TextEncoder();

export function toMentionBatch(mentions: readonly PreparedMention[]): MentionBatch {
  const rows: Uint8Array[] = [];
  for (let start = 0; start < mentions.length; start += ROWS_PER_CHUNK) {
    rows.push(encoder.encode(mentionRows(mentions.slice(start, start + ROWS_PER_CHUNK))));
  }
  return { rows, matched: mentions.filter((m) => m.brands.length > 0), size: mentions.length };
}
