import { describe, expect, it } from 'vitest';
import { FEED_LIMITS } from '../../../src/domain/feeds/feed.types.js';
import { bigRss, parse, watchEventLoop } from './support.js';

// BullMQ renews a job's 30 s lock every 15 s; one second of blocking leaves a wide margin.
const MAX_BLOCK_MS = 1000;

describe('parsing a 16 MiB feed keeps the event loop turning', () => {
  it(`never blocks it for ${MAX_BLOCK_MS} ms or more`, async () => {
    const xml = bigRss(10_000, 1400);
    expect(xml.length).toBeGreaterThan(15 * 1024 * 1024);
    expect(xml.length).toBeLessThanOrEqual(FEED_LIMITS.maxInputChars);

    const { result: feed, maxBlockMs, longestGapMs } = await watchEventLoop(() => parse(xml));
    console.info(`16 MiB feed: ${feed.items.length} items, max event-loop delay ${maxBlockMs.toFixed(1)} ms, longest timer gap ${longestGapMs.toFixed(1)} ms`);
    expect(feed.items).toHaveLength(FEED_LIMITS.maxItems);
    expect(feed.items[0]).toMatchObject({ itemKey: 'id-0', hashtags: ['things', 'tag0'] });
    expect(maxBlockMs).toBeLessThan(MAX_BLOCK_MS);
    expect(longestGapMs).toBeLessThan(MAX_BLOCK_MS);
  });

  it(`a 16 MiB JSON Feed never blocks it for ${MAX_BLOCK_MS} ms or more either`, async () => {
    const body = '<p>' + 'Lorem ipsum <b>dolor</b> sit amet. '.repeat(45) + '</p>';
    const items = Array.from({ length: 9_500 }, (_, i) => ({ id: `j${i}`, url: `/p/${i}`, title: `Item ${i} #json`, content_html: body, date_published: '2026-11-21T10:00:00Z' }));
    const json = JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'J', home_page_url: 'https://j.example/', items });
    expect(json.length).toBeGreaterThan(15 * 1024 * 1024);

    const { result: feed, maxBlockMs, longestGapMs } = await watchEventLoop(() => parse(json));
    console.info(`16 MiB JSON Feed: ${feed.items.length} items, max event-loop delay ${maxBlockMs.toFixed(1)} ms, longest timer gap ${longestGapMs.toFixed(1)} ms`);
    expect(feed.items).toHaveLength(FEED_LIMITS.maxItems);
    expect(feed.items[0]).toMatchObject({ itemKey: 'j0', url: 'https://j.example/p/0', hashtags: ['json'] });
    expect(maxBlockMs).toBeLessThan(MAX_BLOCK_MS);
    expect(longestGapMs).toBeLessThan(MAX_BLOCK_MS);
  });
});
