import { monitorEventLoopDelay } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseFeed } from '../../../src/domain/feeds/feed.parser.js';
import type { ParsedFeed } from '../../../src/domain/feeds/feed.types.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/feeds/', import.meta.url));
export const FEED_URL = 'https://feeds.example.com/path/feed.xml';
export const FETCHED_AT = new Date('2026-11-22T12:00:00Z');

export function readFixture(name: string): string {
  return readFileSync(FIXTURES + name, 'utf8');
}

export function parse(text: string): Promise<ParsedFeed> {
  return parseFeed(text, { feedUrl: FEED_URL, fetchedAt: FETCHED_AT });
}

/** Resolves to the rejection's code, or fails when the promise resolves. */
export async function errorCode(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    return (error as { code?: string }).code ?? `untyped: ${String(error)}`;
  }
  throw new Error('expected the feed to be rejected');
}

/** A well-formed RSS 2.0 document with `count` items of about `bodyChars` characters each. */
export function bigRss(count: number, bodyChars: number): string {
  const body = 'Lorem ipsum dolor sit amet, <b>consectetur</b> adipiscing elit. '.repeat(Math.ceil(bodyChars / 64));
  const parts = ['<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title><link>https://big.example.com/</link>'];
  for (let i = 0; i < count; i++) {
    parts.push(
      `<item><title>Item ${i} about #things &amp; stuff</title><link>https://big.example.com/p/${i}</link>` +
        `<guid isPermaLink="false">id-${i}</guid><pubDate>Sun, 22 Nov 2026 10:00:00 +0000</pubDate>` +
        `<description><![CDATA[<p>${body} #tag${i}</p>]]></description></item>`,
    );
  }
  parts.push('</channel></rss>');
  return parts.join('');
}

/**
 * Runs `work` while watching the event loop: the histogram's max delay and, as a second witness
 * that does not depend on its sampling, the longest gap between ticks of a 5 ms timer.
 */
export async function watchEventLoop<T>(work: () => Promise<T>): Promise<{ result: T; maxBlockMs: number; longestGapMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  let last = performance.now();
  let longestGapMs = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    longestGapMs = Math.max(longestGapMs, now - last);
    last = now;
  }, 5);
  histogram.enable();
  try {
    const result = await work();
    // Let a block that ended with the work show up in the samples.
    await new Promise((resolve) => setTimeout(resolve, 30));
    return { result, maxBlockMs: histogram.max / 1e6, longestGapMs };
  } finally {
    histogram.disable();
    clearInterval(ticker);
  }
}
