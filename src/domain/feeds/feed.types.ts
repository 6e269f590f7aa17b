import { AppError } from '../errors.js';
import type { DateQuality } from '../text/dates.js';

export interface ParsedFeedItem {
  /** guid / id; else the absolute link; else `sha256:` of title, text and raw date. Stable across fetches. */
  itemKey: string;
  /** Absolute http(s) URL resolved against the item's and the feed's base, or null. */
  url: string | null;
  title: string | null;
  /** Plain text, at most FEED_LIMITS.maxTextChars characters. */
  text: string;
  author: string | null;
  /** null when the feed gives no readable date: the pipeline buckets such items by fetch time. */
  publishedAt: Date | null;
  dateQuality: DateQuality;
  /** Lowercase, without '#', from the title and text. */
  hashtags: string[];
  /** Lowercase, without '@', from the title and text. */
  handles: string[];
  /** As the feed spells them, trimmed, without case-insensitive duplicates. */
  categories: string[];
}

export interface ParsedFeed {
  title: string | null;
  /** The site's absolute http(s) address, or null. */
  link: string | null;
  items: ParsedFeedItem[];
  /** Why some of its text may be lost (bytes labelled UTF-8 that are not): for the poll's log. */
  warning?: string;
}

/** A fetched feed as it arrived: bytes and the Content-Type that says how to decode them. */
export interface FeedBody {
  bytes: Uint8Array;
  contentType: string | null;
}

export interface ParseFeedOptions {
  /** Where the text was fetched from: the last resort for resolving relative links. */
  feedUrl: string;
  /** When it was fetched: dates more than a day after it are clamped to it. */
  fetchedAt: Date;
}

/**
 * What one feed may cost us. Items past `maxItems` are dropped (feeds list newest first);
 * text past `maxTextChars` is cut; input over `maxInputChars`, more than `maxXmlElements`
 * elements or `maxJsonValues` values, or nesting deeper than `maxDepth` is refused before
 * parsing, so a hostile feed cannot take the memory or the event loop.
 */
export const FEED_LIMITS = Object.freeze({
  /** The fetcher caps bodies at 16 MiB; decoded text has at most as many characters as bytes. */
  maxInputChars: 16 * 1024 * 1024,
  maxItems: 5_000,
  /** About 100 KB of text per item. */
  maxTextChars: 100_000,
  /** HTML per item read before conversion; what lies beyond is never looked at. */
  maxHtmlChars: 1_000_000,
  maxXmlElements: 250_000,
  /** Values (objects, arrays, strings, numbers…) in a JSON Feed: the JSON twin of maxXmlElements. */
  maxJsonValues: 250_000,
  /** Nesting depth, for XML elements and JSON objects and arrays alike. */
  maxDepth: 100,
  maxCategories: 50,
  /** A safety net: parsing yields to the event loop, so this timer can always fire. */
  timeoutMs: 30_000,
});

export const FEED_ERROR_CODES = [
  'feeds.parse_failed',
  'feeds.not_a_feed',
  'feeds.malformed_xml',
  'feeds.invalid_json_feed',
  'feeds.too_large',
  'feeds.too_complex',
  'feeds.parse_timeout',
] as const;
export type FeedErrorCode = (typeof FEED_ERROR_CODES)[number];

/** Why a fetched body could not be read as a feed. Permanent for that body: retrying it is futile. */
export class FeedParseError extends AppError {
  constructor(
    override readonly code: FeedErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, 422, message);
    this.name = 'FeedParseError';
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}
