import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../domain/feeds/support.js';
import { rss } from '../support/feed-server.js';
import { freePort } from '../support/process.js';
import type { TestStack } from '../support/stack.js';
import { addSource, cleanupList, fetchNow, upstreamAndStack, type Upstream } from './support.js';

// A source's health tells a reader where to look. An upstream that answered 200 with a body that
// cannot be read is not a network failure: lastStatus says 200 and lastError names the problem,
// whether the rss path reads the body in the ingest step or a preset reads it in its connector.
// lastFetchedAt is the last poll, failed or not; lastSucceededAt the last that succeeded.

const cleanup = cleanupList();
let s: TestStack;
let upstream: Upstream;
let key: string;

beforeAll(async () => {
  ({ upstream, s, key } = await upstreamAndStack(cleanup, 'Source health'));
});
afterAll(() => cleanup.run());

interface Health {
  lastFetchedAt: string | null;
  lastSucceededAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  consecutiveFailures: number;
  lastPoll: { items: number; newItems: number; matched: number } | null;
}
async function health(id: string): Promise<Health> {
  const res = await s.request('GET', `/v1/sources/${id}`, { key });
  expect(res.status).toBe(200);
  return res.json;
}

const truncated = readFileSync(`${FIXTURES}truncated.xml`, 'utf8');

describe('a poll that got an answer it could not read', () => {
  it('of an rss source records the status it got, with the parse problem as lastError', async () => {
    upstream.routes.set('/truncated', { status: 200, body: truncated });
    const { id } = await addSource(s, key, { url: upstream.url('/truncated') });
    await fetchNow(s, key, id);
    expect(await health(id)).toMatchObject({ lastStatus: 200, lastError: expect.stringMatching(/not well-formed XML: Unclosed root tag/), consecutiveFailures: 1, lastSucceededAt: null });
  });

  it('of a preset, whose connector reads the feed, records the status it got too', async () => {
    // Google News is polled at /rss/search?q=…: this host answers every path with the same cut feed.
    const server: Server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(truncated));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanup.add(() => new Promise((resolve) => server.close(resolve)));
    const { port } = server.address() as { port: number };
    const { id } = await addSource(s, key, { type: 'googlenews', query: 'acme', baseUrl: `http://127.0.0.1:${port}` });
    await fetchNow(s, key, id);
    expect(await health(id)).toMatchObject({ lastStatus: 200, lastError: expect.stringMatching(/not well-formed XML/), consecutiveFailures: 1 });
  });

  it('is told apart from one that got no answer at all', async () => {
    const { id } = await addSource(s, key, { url: `http://127.0.0.1:${await freePort()}/feed.xml` });
    await fetchNow(s, key, id);
    expect(await health(id)).toMatchObject({ lastStatus: null, lastError: expect.any(String), consecutiveFailures: 1 });
  });
});

describe('lastSucceededAt', () => {
  it('is the last poll that succeeded: failed polls move lastFetchedAt only, and a new target forgets it', async () => {
    upstream.routes.set('/health', { body: rss([{ guid: 'h-1', title: 'Acme', description: 'Acme news' }]) });
    const { id } = await addSource(s, key, { url: upstream.url('/health') });
    expect(await health(id)).toMatchObject({ lastFetchedAt: null, lastSucceededAt: null, lastPoll: null });

    await fetchNow(s, key, id);
    const good = await health(id);
    expect(good).toMatchObject({ lastStatus: 200, consecutiveFailures: 0, lastPoll: { items: 1, newItems: 1, matched: 0 } });
    expect(good.lastSucceededAt).toBe(good.lastFetchedAt);
    expect(good.lastSucceededAt).not.toBeNull();

    upstream.routes.set('/health', { status: 500, body: 'down' });
    await fetchNow(s, key, id);
    const failing = await health(id);
    // A failed poll keeps what the last successful one read.
    expect(failing).toMatchObject({ lastStatus: 500, consecutiveFailures: 1, lastSucceededAt: good.lastSucceededAt, lastPoll: good.lastPoll });
    expect(new Date(failing.lastFetchedAt!).getTime()).toBeGreaterThan(new Date(good.lastFetchedAt!).getTime());

    const listed = await s.request('GET', '/v1/sources', { key });
    expect(listed.json.items.find((source: { id: string }) => source.id === id)).toMatchObject({ lastSucceededAt: good.lastSucceededAt });

    const moved = await s.request('PATCH', `/v1/sources/${id}`, { key, body: { url: upstream.url('/health-moved') } });
    expect(moved.json).toMatchObject({ lastFetchedAt: null, lastSucceededAt: null, lastStatus: null, lastPoll: null });
  });
});
