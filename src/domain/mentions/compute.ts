import { fromFeedItem, type FetchedFeed, type SourceItem } from '../../connectors/connector.types.js';
import { parseFeed } from '../feeds/feed.parser.js';
import type { FeedBody, ParsedFeed, ParseFeedOptions } from '../feeds/feed.types.js';
import { decodeDocument } from '../../infra/http/index.js';
import type { SourceType } from '../items/item.types.js';
import { compileWorkspace, type WorkspaceMatcher } from '../query/index.js';
import type { Scorer } from '../scoring/scorer.js';
import { createBrandReader, type BrandReader } from '../themes/brand-readings.js';
import { createVersionedCache } from '../brands/versioned-cache.js';
import { toMentionBatch, type MentionBatch } from './batch.js';
import { prepareMentions } from './ingest.js';

/** A workspace's brands as of one version: what a matcher is compiled from, cheap to send to a thread. */
export interface BrandSet {
  workspaceId: string;
  /** Changes whenever a brand of the workspace is created, re-queried or deleted. */
  version: string;
  brands: ReadonlyArray<{ id: string; name: string; query: string }>;
}

/** A poll's items to score, match and serialise: read by the connector, or a fetched feed still to read. */
export type PrepareRequest = {
  sourceType: SourceType;
  fetchedAt: Date;
  isBacklog: boolean;
  /** Items that occurred before this are left out: the workspace's retention (prepareMentions). */
  keepSince?: Date | null;
  brands: BrandSet;
} & ({ items: readonly SourceItem[]; feed?: never } | { feed: FetchedFeed; items?: never });

/**
 * The CPU-bound half of ingestion: reading feed bodies, and scoring and matching items. It is
 * pure (no I/O), so it can run on this thread or on a pool of worker threads
 * (`src/infra/ingest-pool/`) while the event loop keeps doing the fetching, storing and queue work.
 */
export interface IngestCompute {
  /** Decodes (charset) and parses a fetched body; a pool takes the bytes over rather than copying them. */
  parseFeed(body: FeedBody, opts: ParseFeedOptions): Promise<ParsedFeed>;
  /**
   * Scores and matches a poll's items and serialises them as the rows to store; given a fetched
   * feed, reads it first (a pool takes its bytes over), and a feed that cannot be read fails with
   * the FeedParseError `parseFeed` would have thrown.
   */
  prepare(request: PrepareRequest): Promise<MentionBatch>;
  /** Gets ready for work now (a pool starts its threads) rather than on the first task. */
  start(): void;
  close(): Promise<void>;
}

/** What a poll's items are read with for one workspace's brands: its matcher, and the reader of multi-brand posts. */
export interface BrandTools {
  matcher: WorkspaceMatcher;
  reader: BrandReader;
  /** Brand id → name: the terms naming a brand are left out of a post's scoring (namingTerms). */
  names: ReadonlyMap<string, string>;
}

/**
 * Compiled matchers (and brand readers) per workspace, recompiled only when the workspace's brand
 * version moves. Compiling fifty queries costs far more than the version check that guards it.
 */
export function createMatcherCompiler({ scorer, max = 1000 }: { scorer: Scorer; max?: number }) {
  const cache = createVersionedCache<BrandTools>(max);
  return (set: BrandSet): BrandTools =>
    cache.get(set.workspaceId, set.version) ??
    cache.set(set.workspaceId, set.version, { matcher: compileWorkspace(set.brands), reader: createBrandReader(set.brands, scorer), names: new Map(set.brands.map((b) => [b.id, b.name])) });
}

/** The warning of a feed read with U+FFFD for its bytes (charset.decode.ts `invalidUtf8`). */
const NOT_UTF8 = 'the feed is labelled UTF-8 but is not, and names no other encoding: its invalid bytes were read as U+FFFD';

/** Decodes a fetched feed's bytes by their charset and parses them. */
export async function parseFeedBody({ bytes, contentType }: FeedBody, opts: ParseFeedOptions): Promise<ParsedFeed> {
  const { text, invalidUtf8 } = decodeDocument(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), contentType);
  const parsed = await parseFeed(text, opts);
  return invalidUtf8 ? { ...parsed, warning: NOT_UTF8 } : parsed;
}

/** A fetched feed's items as source items, and its warning. */
async function readFeed({ body, opts }: FetchedFeed): Promise<{ items: SourceItem[]; warning: string | undefined }> {
  const parsed = await parseFeedBody(body, opts);
  return { items: parsed.items.map(fromFeedItem), warning: parsed.warning };
}

/** The work done on the calling thread: what each pool thread runs, and the whole story with INGEST_THREADS=0. */
export function createLocalCompute({ scorer }: { scorer: Scorer }): IngestCompute {
  const toolsFor = createMatcherCompiler({ scorer });
  return {
    parseFeed: parseFeedBody,
    async prepare({ brands, items, feed, ...request }) {
      const polled = feed ? await readFeed(feed) : { items, warning: undefined };
      const batch = toMentionBatch(await prepareMentions({ ...request, items: polled.items, scorer, ...toolsFor(brands) }));
      return polled.warning ? { ...batch, warning: polled.warning } : batch;
    },
    start: () => {},
    close: async () => {},
  };
}
