import { z } from 'zod';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { mapInSlices, sliceIsOver, type RawFeed, type RawFeedItem, type TextConstruct } from './feed.items.js';
import { FEED_LIMITS, FeedParseError } from './feed.types.js';

/*
 * JSON Feed 1.0 and 1.1 (jsonfeed.org). The envelope must be right (version, items); inside an
 * item a field of the wrong type is ignored rather than failing the feed, as feed readers do.
 */

const text = z.string().optional().catch(undefined);
const Author = z.object({ name: text, url: text });
const Item = z.object({
  // The spec says string; numbers are common in the wild and are just as stable, up to 2^53:
  // JSON.parse rounds larger ones, and two items would share a key. Those fall back to the url.
  id: z.union([z.string(), z.number().transform((n) => (Number.isSafeInteger(n) ? String(n) : undefined))]).optional().catch(undefined),
  url: text,
  external_url: text,
  title: text,
  content_html: text,
  content_text: text,
  summary: text,
  date_published: text,
  date_modified: text,
  author: Author.optional().catch(undefined),
  authors: z.array(Author).optional().catch(undefined),
  tags: z.array(z.string()).optional().catch(undefined),
});
const Feed = z.object({
  version: z.string().regex(/^https?:\/\/jsonfeed\.org\/version\/1(\.1)?\/?$/, 'is not a JSON Feed 1.0 or 1.1 version URL'),
  title: text,
  home_page_url: text,
  author: Author.optional().catch(undefined),
  authors: z.array(Author).optional().catch(undefined),
  items: z.array(z.unknown()),
});

export async function parseJsonFeed(body: string): Promise<RawFeed> {
  await checkShape(body);
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new FeedParseError('feeds.invalid_json_feed', `the feed is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const feed = Feed.safeParse(json);
  if (!feed.success) {
    const issue = feed.error.issues[0];
    const where = issue?.path.join('.') || 'document';
    throw new FeedParseError('feeds.invalid_json_feed', `the document is not a JSON Feed: ${where} ${issue?.message ?? 'is invalid'}`);
  }
  const items = await mapInSlices(feed.data.items.slice(0, FEED_LIMITS.maxItems), (candidate) => {
    const item = Item.safeParse(candidate);
    return item.success ? readItem(item.data) : null;
  });
  return {
    title: plain(feed.data.title),
    link: feed.data.home_page_url ?? null,
    author: feed.data.authors?.find((a) => a.name)?.name ?? feed.data.author?.name ?? null,
    bases: [],
    items,
  };
}

/*
 * JSON.parse takes seconds over millions of nested brackets, or of tiny values (`[{},{},…]`),
 * and holds the event loop meanwhile; a feed never nests deeper than a handful of levels nor
 * holds millions of values, so one cheap pass refuses such input first. The '{', '[' and ','
 * outside strings count the objects and arrays and every entry but the first of each: about
 * what JSON.parse would have to build.
 */
async function checkShape(body: string): Promise<void> {
  let depth = 0;
  let values = 0;
  let inString = false;
  let sliceStart = performance.now();
  for (let i = 0; i < body.length; i++) {
    if ((i & 0xffff) === 0 && sliceIsOver(sliceStart)) {
      await nextTurn();
      sliceStart = performance.now();
    }
    const c = body.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > FEED_LIMITS.maxDepth) {
        throw new FeedParseError('feeds.too_complex', `the JSON nests deeper than ${FEED_LIMITS.maxDepth} levels`);
      }
      if (++values > FEED_LIMITS.maxJsonValues) throw tooManyValues();
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    } else if (c === 0x2c && ++values > FEED_LIMITS.maxJsonValues) {
      throw tooManyValues();
    }
  }
}

function tooManyValues(): FeedParseError {
  return new FeedParseError('feeds.too_complex', `the JSON holds more than ${FEED_LIMITS.maxJsonValues} values`);
}

function readItem(item: z.infer<typeof Item>): RawFeedItem {
  const bodies: TextConstruct[] = [];
  if (item.content_html) bodies.push({ value: item.content_html, kind: 'html' });
  if (item.content_text) bodies.push({ value: item.content_text, kind: 'text' });
  if (item.summary) bodies.push({ value: item.summary, kind: 'text' });
  const author = item.authors?.find((a) => a.name)?.name ?? item.author?.name ?? null;
  return {
    id: item.id ?? null,
    link: item.url ?? item.external_url ?? null,
    permalink: null,
    base: null,
    title: plain(item.title),
    bodies,
    author,
    dates: [item.date_published, item.date_modified].filter((d): d is string => typeof d === 'string'),
    categories: item.tags ?? [],
  };
}

function plain(value: string | undefined): TextConstruct | null {
  return value === undefined ? null : { value, kind: 'text' };
}
