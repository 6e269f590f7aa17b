import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestStack } from '../support/stack.js';
import { rss } from '../support/feed-server.js';
import { pollSource } from '../../src/domain/sources/poll.usecases.js';
import { addSource, cleanupList, fetchNow, getSource, pollDepsOf, upstreamAndStack, type Upstream } from './support.js';

// RELIABILITY 6 for "poll now": while the upstream has asked Earshot to wait (Retry-After on a 429
// or 503, an API's rate-limit reset), POST /v1/sources/:id/fetch is refused with 409
// sources.rate_limited and a Retry-After, and the upstream is not asked again. Earshot's own
// backoff after a failure without such a request never stops "poll now".

const cleanup = cleanupList();
let s: TestStack;
let upstream: Upstream;
let key: string;

beforeAll(async () => {
  ({ upstream, s, key } = await upstreamAndStack(cleanup, 'Upstream waits'));
});
afterAll(() => cleanup.run());

async function sourceAnswering(status: number, headers: Record<string, string> = {}, body = 'slow down') {
  const path = `/wait${upstream.routes.size}`;
  upstream.routes.set(path, { status, headers, body });
  const { id } = await addSource(s, key, { url: upstream.url(path), intervalSeconds: 60 });
  return { id, path, requests: () => upstream.requests.filter((r) => r.path === path).length };
}

const fetchRequest = (id: string) => s.request('POST', `/v1/sources/${id}/fetch`, { key });

describe('"poll now" while the upstream asked Earshot to wait', () => {
  for (const status of [429, 503]) {
    it(`after HTTP ${status} with Retry-After 7200, it answers 409 sources.rate_limited with a Retry-After, and polls nothing`, async () => {
      const source = await sourceAnswering(status, { 'retry-after': '7200' });
      await fetchNow(s, key, source.id);
      const failed = await getSource(s, key, source.id);
      expect(failed).toMatchObject({ consecutiveFailures: 1, lastStatus: status });

      const res = await fetchRequest(source.id);
      expect(res.status, res.text).toBe(409);
      expect(res.json.error.code).toBe('sources.rate_limited');
      const retryAfter = Number(res.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(7100);
      expect(retryAfter).toBeLessThanOrEqual(7200);
      // Until when, and why.
      expect(res.json.error.message).toContain(failed.nextFetchAt);
      expect(res.json.error.message).toContain(`HTTP ${status}`);
      await s.drain();
      expect(source.requests()).toBe(1);
      expect(await getSource(s, key, source.id)).toMatchObject({ consecutiveFailures: 1, nextFetchAt: failed.nextFetchAt });
    });
  }

  it("after an API's 429 with X-Ratelimit-Reset and no Retry-After, it is refused the same way", async () => {
    let requests = 0;
    const api: Server = createServer((_req, res) => {
      requests++;
      res.writeHead(429, { 'content-type': 'application/json', 'x-ratelimit-reset': '3600' }).end('{"message":"rate limited"}');
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    cleanup.add(() => new Promise<void>((resolve) => api.close(() => resolve())));
    const { port } = api.address() as { port: number };
    const { id } = await addSource(s, key, { type: 'hackernews', query: 'acme', baseUrl: `http://127.0.0.1:${port}`, intervalSeconds: 60 });
    await fetchNow(s, key, id);
    expect(requests).toBe(1);

    const res = await fetchRequest(id);
    expect(res.status, res.text).toBe(409);
    expect(res.json.error.code).toBe('sources.rate_limited');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(3500);
    await s.drain();
    expect(requests).toBe(1);
  });

  it('once the wait is over it polls again, and a success ends it', async () => {
    const source = await sourceAnswering(429, { 'retry-after': '1' });
    await fetchNow(s, key, source.id);
    await new Promise((r) => setTimeout(r, 1_100));
    upstream.routes.set(
      `/wait${upstream.routes.size - 1}`,
      { body: rss([{ guid: 'after-wait', title: 'Acme', description: 'Acme again' }]) },
    );
    await fetchNow(s, key, source.id);
    expect(await getSource(s, key, source.id)).toMatchObject({ consecutiveFailures: 0, lastStatus: 200 });
    expect((await fetchRequest(source.id)).status).toBe(202);
    await s.drain();
    expect(source.requests()).toBe(3);
  });

  it('a new URL is not held to the old one\'s wait', async () => {
    const source = await sourceAnswering(429, { 'retry-after': '7200' });
    await fetchNow(s, key, source.id);
    expect((await fetchRequest(source.id)).status).toBe(409);
    upstream.routes.set('/wait-elsewhere', { body: rss([{ guid: 'elsewhere', title: 'Acme', description: 'Acme' }]) });
    const patched = await s.request('PATCH', `/v1/sources/${source.id}`, { key, body: { url: upstream.url('/wait-elsewhere') } });
    expect(patched.status, patched.text).toBe(200);
    expect((await fetchRequest(source.id)).status).toBe(202);
    await s.drain();
  });

  it('re-enabling a source the owner disabled during the wait keeps the wait', async () => {
    const source = await sourceAnswering(503, { 'retry-after': '7200' });
    await fetchNow(s, key, source.id);
    const failed = await getSource(s, key, source.id);
    expect((await s.request('PATCH', `/v1/sources/${source.id}`, { key, body: { enabled: false } })).status).toBe(200);
    const reenabled = await s.request('PATCH', `/v1/sources/${source.id}`, { key, body: { enabled: true } });
    expect(reenabled.json.nextFetchAt).toBe(failed.nextFetchAt);
    expect((await fetchRequest(source.id)).status).toBe(409);
    await s.tick();
    await s.drain();
    expect(source.requests()).toBe(1);
  });
});

describe('a fetch job that reaches a source during its wait', () => {
  it('is skipped without a request (queued before the upstream asked), and /openapi.json documents the 409', async () => {
    const source = await sourceAnswering(429, { 'retry-after': '7200' });
    await fetchNow(s, key, source.id);
    expect(await pollSource({ ...pollDepsOf(s), sourceId: source.id, now: new Date() })).toEqual({ outcome: 'skipped', reason: 'the upstream asked to wait' });
    expect(source.requests()).toBe(1);
    const doc = (await s.request('GET', '/openapi.json')).json;
    expect(doc.paths['/v1/sources/{id}/fetch'].post.responses['409'].description).toContain('sources.rate_limited');
  });
});

describe('"poll now" during Earshot\'s own backoff', () => {
  it('after HTTP 500 without Retry-After, it is accepted and polls', async () => {
    const source = await sourceAnswering(500, {}, 'Internal Server Error');
    await fetchNow(s, key, source.id);
    const failed = await getSource(s, key, source.id);
    expect(new Date(failed.nextFetchAt).getTime()).toBeGreaterThan(Date.now());
    await fetchNow(s, key, source.id);
    expect(source.requests()).toBe(2);
  });

  it('after a 429 whose Retry-After is shorter than the backoff, it is accepted once that wait is over', async () => {
    const source = await sourceAnswering(429, { 'retry-after': '1' });
    await fetchNow(s, key, source.id);
    await new Promise((r) => setTimeout(r, 1_100));
    await fetchNow(s, key, source.id);
    expect(source.requests()).toBe(2);
  });
});

describe('a Retry-After shorter than the backoff', () => {
  it('the refusal says when poll now is accepted again and when the schedule polls, not that it polls at the wait\'s end', async () => {
    const source = await sourceAnswering(429, { 'retry-after': '20' });
    await fetchNow(s, key, source.id);
    const failed = await getSource(s, key, source.id);
    const res = await fetchRequest(source.id);
    expect(res.status).toBe(409);
    const until = /wait until (\S+) /.exec(res.json.error.message)![1]!;
    expect(Date.parse(until)).toBeLessThan(Date.parse(failed.nextFetchAt));
    expect(res.json.error.message).toContain(`Poll now is accepted from then; the schedule polls it next at ${failed.nextFetchAt}`);
  });
});

describe('a Retry-After longer than Earshot waits', () => {
  it('lastError says the wait applied: the day Earshot waits at most, not the year asked', async () => {
    const source = await sourceAnswering(429, { 'retry-after': '31536000' });
    await fetchNow(s, key, source.id);
    const failed = await getSource(s, key, source.id);
    expect(new Date(failed.nextFetchAt).getTime() - new Date(failed.lastFetchedAt!).getTime()).toBe(86_400_000);
    expect(failed.lastError).toBe('HTTP 429, retry after 31536000 s; next poll in 1 day, the longest Earshot waits');
    const res = await fetchRequest(source.id);
    expect(res.status).toBe(409);
    expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(86_400);
  });
});
