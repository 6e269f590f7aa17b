import { finishFeed, type RawFeed } from './feed.items.js';
import { FEED_LIMITS, FeedParseError, type ParsedFeed, type ParseFeedOptions } from './feed.types.js';
import { parseJsonFeed } from './json-feed.parser.js';
import { parseXmlFeed } from './xml-feed.parser.js';

// An HTML page served where a feed was expected (a moved feed, a login wall, an error page).
const HTML_PAGE = /^(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html|head|body)[\s>]/i;

/**
 * Reads an already fetched and decoded feed body: RSS 0.91/0.92/1.0/2.0, Atom 0.3/1.0 or
 * JSON Feed 1.0/1.1. Rejects with a FeedParseError whose code says why; never hangs.
 */
export async function parseFeed(text: string, opts: ParseFeedOptions): Promise<ParsedFeed> {
  new URL(opts.feedUrl); // a caller's mistake, not the feed's: let the TypeError through
  if (text.length > FEED_LIMITS.maxInputChars) {
    throw new FeedParseError('feeds.too_large', `the feed is larger than ${FEED_LIMITS.maxInputChars} characters`);
  }
  try {
    return await finishFeed(await withTimeout(parseBody(text), FEED_LIMITS.timeoutMs), opts);
  } catch (error) {
    if (error instanceof FeedParseError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new FeedParseError('feeds.parse_failed', `the feed could not be read: ${reason.slice(0, 300)}`, { cause: error });
  }
}

async function parseBody(text: string): Promise<RawFeed> {
  const start = text.search(/[^\s\uFEFF]/);
  const body = start > 0 ? text.slice(start) : text;
  if (start === -1) throw new FeedParseError('feeds.not_a_feed', 'the feed is empty');
  if (body.startsWith('{')) return parseJsonFeed(body);
  if (!body.startsWith('<')) throw new FeedParseError('feeds.not_a_feed', 'the document is neither XML nor JSON');
  if (HTML_PAGE.test(body.slice(0, 8192))) {
    throw new FeedParseError('feeds.not_a_feed', 'the address serves an HTML page, not a feed');
  }
  return parseXmlFeed(body);
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new FeedParseError('feeds.parse_timeout', `parsing the feed took longer than ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
