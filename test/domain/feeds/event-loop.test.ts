import { monitorEventLoopDelay } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { FEED_LIMITS } from '../../../src/domain/feeds/feed.types.js';
import { bigRss, parse } from './support.js';

// BullMQ renews a job's 30 s lock every 15 s; one second of blocking leaves a wide margin.
const MAX_BLOCK_MS = 1000;

describe('parsing a 16 MiB feed keeps the event loop turning', () => {
  it(`never blocks it for ${MAX_BLOCK_MS} ms or more`, async () => {
    const xml = bigRss(10_000, 1400);
    expect(xml.length).toBeGreaterThan(15 * 1024 * 1024);
    expect(xml.length).toBeLessThanOrEqual(FEED_LIMITS.maxInputChars);

    const histogram = monitorEventLoopDelay({ resolution: 10 });
    // A second witness that does not depend on the histogram's sampling.
    let last = performance.now();
    let longestGap = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
    }, 5);
    histogram.enable();
    const feed = await parse(xml);
    await new Promise((resolve) => setTimeout(resolve, 30));
    histogram.disable();
    clearInterval(ticker);

    const maxBlockMs = histogram.max / 1e6;
    console.info(`16 MiB feed: ${feed.items.length} items, max event-loop delay ${maxBlockMs.toFixed(1)} ms, longest timer gap ${longestGap.toFixed(1)} ms`);
    expect(feed.items).toHaveLength(FEED_LIMITS.maxItems);
    expect(feed.items[0]).toMatchObject({ itemKey: 'id-0', hashtags: ['things', 'tag0'] });
    expect(maxBlockMs).toBeLessThan(MAX_BLOCK_MS);
    expect(longestGap).toBeLessThan(MAX_BLOCK_MS);
  });
});
