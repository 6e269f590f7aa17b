import { createServer, type Server } from 'node:http';
import { rss, type FeedItem } from '../../test/support/feed-server.js';
import { LANGS, generateText, type Lang } from './corpus.js';
import { createRandom } from '../../src/infra/seeded-random.js';
import type { BrandSet, PrepareRequest } from '../../src/domain/mentions/compute.js';

export interface BenchFeed {
  index: number;
  lang: Lang;
  body: Buffer;
}

/** Feeds per language, roughly as a listening setup sees them: English first, then local markets. */
const LANG_WEIGHTS: Record<Lang, number> = { en: 16, cs: 8, es: 6, de: 5, hi: 5, fa: 5, ta: 5 };

/**
 * `count` RSS 2.0 feeds of `items` items each, one language per feed and no <language> element,
 * so every item goes through language detection. Guids and links are distinct across all feeds
 * and rounds: round r is what the same feeds carry at their r-th poll, all of it new.
 */
export function generateFeeds({ count, items, seed, now, round = 0 }: { count: number; items: number; seed: number; now: Date; round?: number }): BenchFeed[] {
  const random = createRandom(seed + round * 7919);
  const langs = LANGS.flatMap((l) => Array.from({ length: LANG_WEIGHTS[l] }, () => l));
  return Array.from({ length: count }, (_, index) => {
    const lang = langs[index % langs.length]!;
    const feedItems: FeedItem[] = Array.from({ length: items }, (_, i) => {
      const { title, text } = generateText(random, lang);
      // Newest first, a few minutes apart, over the last day or so.
      const published = new Date(now.getTime() - (i * 7 + random.int(0, 6)) * 60_000);
      return {
        guid: `bench-${seed}-r${round}-${index}-${i}`,
        title,
        description: text,
        link: `https://news${index}.example.com/${lang}/${published.getUTCFullYear()}/story-${round}-${index}-${i}`,
        pubDate: published.toUTCString(),
        author: `Reporter ${random.int(1, 40)}`,
      };
    });
    return { index, lang, body: Buffer.from(rss(feedItems, `Bench feed ${index} (${lang})`)) };
  });
}

/** How the bench's feeds are served, and where a parser is told they came from. */
export const FEED_CONTENT_TYPE = 'application/rss+xml; charset=utf-8';
export const feedUrlOf = (feed: BenchFeed) => `https://news${feed.index}.example.com/feed.xml`;

/**
 * A feed as a poll hands it to `IngestCompute.prepare`. The bytes are a copy: a pool takes them
 * over (detaches them), and the bench sends the same feed again.
 */
export function prepareRequestFor(feed: BenchFeed, { now, brands }: { now: Date; brands: BrandSet }): PrepareRequest {
  return {
    sourceType: 'rss',
    fetchedAt: now,
    isBacklog: false,
    brands,
    feed: { body: { bytes: new Uint8Array(feed.body), contentType: FEED_CONTENT_TYPE }, opts: { feedUrl: feedUrlOf(feed), fetchedAt: now } },
  };
}

/**
 * Each feed on its own 127.0.0.1 port, so each is its own host for Earshot's per-host politeness
 * (50 feeds on one host would be polled two at a time by design). Serves the current round's
 * body (`setRound`) and records when each feed was last served in full.
 */
export async function serveFeeds(rounds: ReadonlyArray<readonly BenchFeed[]>) {
  const servedAt = new Map<number, number>();
  const servers: Server[] = [];
  const urls: string[] = [];
  let current = rounds[0]!;
  for (const { index } of current) {
    const server = createServer((req, res) => {
      if (req.url !== '/feed.xml') {
        res.writeHead(404).end();
        return;
      }
      const feed = current[index]!;
      res.on('finish', () => servedAt.set(feed.index, Date.now()));
      res.writeHead(200, { 'content-type': FEED_CONTENT_TYPE, 'content-length': feed.body.length }).end(feed.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    urls.push(`http://127.0.0.1:${(server.address() as { port: number }).port}/feed.xml`);
  }
  return {
    urls,
    servedAt,
    setRound(round: number) {
      current = rounds[round]!;
      servedAt.clear();
    },
    close: () => Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())))),
  };
}
