import type { z } from 'zod';
import type { ParsedFeed, ParsedFeedItem, FeedBody, ParseFeedOptions } from '../domain/feeds/feed.types.js';
import type { SourceType } from '../domain/items/item.types.js';
import type { HttpClient } from '../infra/http/index.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** What the platform tells us about an item's reach; absent fields were not given. */
export interface Engagement {
  points?: number;
  comments?: number;
  favourites?: number;
  reposts?: number;
  replies?: number;
}

/** One item from any source: a parsed feed item plus what APIs add. */
export interface SourceItem extends ParsedFeedItem {
  engagement: Engagement | null;
  /** The author's follower count, where the API gives it cheaply. */
  authorFollowers: number | null;
  /** The language the platform declares (Mastodon, Bluesky), a hint for detection. */
  langHint: string | null;
  /**
   * The item's own address where `url` is another page: a Hacker News story's or a Reddit link
   * post's discussion, whose `url` is the article it links to. Mentions are deduplicated by this
   * address when it is given, so two discussions of one article are two voices, while one
   * discussion read by two sources is one mention. Feed items never have one (their `url` is the
   * story), so the ingest path reads an absent field for them and nothing more.
   */
  permalink?: string;
}

/** A feed's item as a source item: a feed says nothing of engagement, followers or an item's language. */
export const fromFeedItem = (item: ParsedFeedItem): SourceItem => ({ ...item, engagement: null, authorFollowers: null, langHint: null });

export interface PollContext<C> {
  /** The source's own settings, already validated by the connector's schema. */
  config: C;
  /** Decrypted secret settings (OAuth client secret, app password); null when none. Never log them. */
  credentials: Record<string, string> | null;
  /** What the previous successful poll returned as `state`: cursor, high-water mark, HTTP validators. */
  state: JsonValue | null;
  http: HttpClient;
  /**
   * Decodes and reads a fetched feed body (on the ingest pool's threads where there are any). The
   * bytes may be handed over to a thread: the caller must not read them afterwards.
   */
  parseFeed: (body: FeedBody, opts: ParseFeedOptions) => Promise<ParsedFeed>;
  now: Date;
  signal?: AbortSignal;
}

/** A fetched feed whose items are read by the ingest step, not by the connector. */
export interface FetchedFeed {
  body: FeedBody;
  opts: ParseFeedOptions;
}

export interface PollResult {
  /** New items, in any order. Ingestion deduplicates by item key, so overlap is harmless; gaps are not. */
  items: SourceItem[];
  /**
   * Or, with `items` empty, a feed body whose items are all new as far as the connector knows:
   * the ingest step reads it where it scores them (an ingest thread), so the feed's text crosses
   * between threads once instead of coming back as items and going out again. Reading errors
   * are failures of the poll, as they are from `parseFeed`; the bytes belong to the ingest step.
   */
  feed?: FetchedFeed;
  /** Stored with the source only after the items are committed, so a restart resumes without gaps. */
  state: JsonValue | null;
  /** True when the upstream said nothing changed (304, the same body hash, no new items). */
  notModified: boolean;
  /** The HTTP status of the last request of this poll. */
  status: number;
  /**
   * What failed of a poll that still read something (one of a subreddit's two listings): the
   * items and state above are stored, and this becomes the source's `lastError` and `lastStatus`
   * (null: no answer came) beside a success, so its health shows what is missing. The connector
   * leaves the failed part's cursor where it was, so nothing is missed once it answers again.
   */
  partialFailure?: { message: string; status: number | null };
}

/**
 * A poll that failed. `retryAfterMs` comes from Retry-After (429/503); `permanent` stops the
 * source (410 Gone, 401/403 with bad credentials); otherwise the scheduler backs off.
 */
export class SourceFetchError extends Error {
  constructor(
    message: string,
    readonly details: { status: number | null; retryAfterMs?: number | null; permanent?: boolean } = { status: null },
  ) {
    super(message);
    this.name = 'SourceFetchError';
  }
}

/**
 * Marks a config issue about a URL Earshot must not fetch (not http(s), credentials in it, not a
 * URL) rather than a malformed field: the sources use-cases answer it as the URL policy answers
 * any refused URL, `sources.url_not_allowed` naming the field. Set as the issue's `params`.
 */
export const URL_REFUSAL = Object.freeze({ refusal: 'url_not_allowed' as const });

/** Whether a zod issue of a connector's config is a refused URL (see `URL_REFUSAL`). */
export const isUrlRefusal = (issue: z.core.$ZodIssue): boolean =>
  issue.code === 'custom' && (issue as { params?: { refusal?: unknown } }).params?.refusal === URL_REFUSAL.refusal;

export interface Connector<C = unknown> {
  type: SourceType;
  /** The type's own fields in POST /v1/sources (strict: unknown fields are refused). */
  config: z.ZodType<C>;
  /** Secret fields accepted at creation, stored encrypted, never returned. */
  credentials?: z.ZodType<Record<string, string>>;
  /** The least interval the upstream tolerates (Reddit unauthenticated: about one request a minute). */
  minIntervalSeconds?: number;
  /**
   * The URL polled, for display, validation at save time and per-host politeness. `credentialed`:
   * for a source with credentials, which may poll another service (Bluesky logs in at the
   * account's service rather than the public AppView).
   */
  endpoint(config: C, options?: { credentialed?: boolean }): string;
  /**
   * Config fields that would send a source's credentials where they must not go (Bluesky's
   * AppView, which takes no logins), each with why: refused at save, naming the field.
   */
  credentialTargetProblems?(config: C): { field: string; message: string }[];
  /**
   * Base URLs a source's credentials are sent to besides its endpoint, defaults included (Reddit
   * posts its client secret to the token endpoint on `baseUrl`, www.reddit.com when unset): stored
   * credentials follow none of them to another origin unless given again.
   */
  credentialUrls?(config: C): string[];
  poll(ctx: PollContext<C>): Promise<PollResult>;
}
