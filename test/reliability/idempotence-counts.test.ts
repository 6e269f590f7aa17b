import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollSource } from '../../src/domain/sources/poll.usecases.js';
import { rss, type FeedItem } from '../support/feed-server.js';
import { createTestStack, type TestStack } from '../support/stack.js';
import { addSource, cleanupList, pollDepsOf, startUpstream, type Upstream } from './support.js';

// RELIABILITY 10, what idempotence.test.ts does not look at: the same fetch processed twice at
// once stores each item once (shown there), but a rollup counted by both runs, or a live event
// recorded by both, would double every chart and every live client's feed. Each item here is
// counted once in every rollup and has one live event, and a third, sequential run (a job
// retried after its first attempt committed) adds nothing either.

const cleanup = cleanupList();
let s: TestStack;
let upstream: Upstream;
let key: string;

const N = 120;
const hour = 3_600_000;
const items: FeedItem[] = Array.from({ length: N }, (_, i) => ({
  guid: `count-${i}`,
  title: `Acme count ${i}`,
  description: `Acme is great news number ${i} #acme${i % 3}`,
  link: `https://counts.example.com/${i}`,
  pubDate: new Date(Date.now() - (1 + (i % 5)) * hour).toUTCString(),
}));

beforeAll(async () => {
  upstream = await startUpstream();
  cleanup.add(() => upstream.close());
  s = await createTestStack();
  cleanup.add(() => s.close());
  await s.stopWorkers();
  key = (await s.workspace('Counted once')).key;
  expect((await s.request('POST', '/v1/brands', { key, body: { name: 'Acme', role: 'own', query: 'acme' } })).status).toBe(201);
});
afterAll(() => cleanup.run());

async function counts() {
  const one = async (query: ReturnType<typeof sql<{ n: string | null }>>) => Number((await query.execute(s.db)).rows[0]?.n ?? 0);
  return {
    mentions: await one(sql`select count(*) as n from mentions`),
    links: await one(sql`select count(*) as n from mention_brands`),
    events: await one(sql`select count(*) as n from mention_events`),
    brandHours: await one(sql`select sum(mentions) as n from brand_hours`),
    rollups: await one(sql`select sum(mentions) as n from mention_rollups`),
    hashtags: await one(sql`select sum(mentions) as n from hashtag_rollups`),
  };
}

describe('a fetch processed more than once is counted once', () => {
  it('two concurrent runs and a later retry leave one row, one link, one live event and one count in each rollup per item', async () => {
    upstream.routes.set('/counts', { body: rss(items) });
    const { id } = await addSource(s, key, { url: upstream.url('/counts') });
    const deps = pollDepsOf(s);
    upstream.hold();
    const runs = [pollSource({ ...deps, sourceId: id, now: new Date() }), pollSource({ ...deps, sourceId: id, now: new Date() })];
    await upstream.arrived('/counts', 2);
    upstream.release();
    const outcomes = await Promise.all(runs);
    for (const o of outcomes) expect(o).toMatchObject({ outcome: 'polled', items: N });

    const expected = { mentions: N, links: N, events: N, brandHours: N, rollups: N, hashtags: N };
    expect(await counts()).toEqual(expected);

    // The job's retry after a first attempt that committed: the feed has no validators and a new
    // body (a changed channel title), so every item is read and offered to the store again.
    upstream.routes.set('/counts', { body: rss(items, 'Retitled') });
    const retry = await pollSource({ ...deps, sourceId: id, now: new Date() });
    expect(retry).toMatchObject({ outcome: 'polled', items: N, inserted: 0, matched: 0, notModified: false });
    expect(await counts()).toEqual(expected);
  });
});
