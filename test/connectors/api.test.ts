import { afterEach, describe, expect, it } from 'vitest';
import { rateLimitResetMs } from '../../src/connectors/api.request.js';
import { blueskyConnector } from '../../src/connectors/bluesky.connector.js';
import { SourceFetchError } from '../../src/connectors/connector.types.js';
import { googlenewsConnector } from '../../src/connectors/googlenews.connector.js';
import { hackernewsConnector } from '../../src/connectors/hackernews.connector.js';
import { connectorFor, connectors, estimateReach, VIEWERS_PER_INTERACTION } from '../../src/connectors/index.js';
import { mastodonConnector } from '../../src/connectors/mastodon.connector.js';
import { rssConnector } from '../../src/connectors/rss.connector.js';
import type { HttpResponse } from '../../src/infra/http/index.js';
import { SOURCE_TYPES } from '../../src/domain/items/item.types.js';
import { fixtureJson, NOW, pollFailure, pollOnce, startApi, type ApiServer } from './api-server.js';

const withHeaders = (headers: Record<string, string>) => ({ status: 429, headers }) as unknown as HttpResponse;

describe('estimateReach', () => {
  it('is the followers plus twenty viewers per interaction', () => {
    expect(VIEWERS_PER_INTERACTION).toBe(20);
    expect(estimateReach({ favourites: 17, reposts: 5, replies: 2 }, 842)).toBe(842 + 20 * 24);
    expect(estimateReach({ points: 156, comments: 42 }, null)).toBe(20 * 198);
    expect(estimateReach(null, 120)).toBe(120);
  });

  it('is null when the source says nothing about reach, and zero when it says nobody engaged', () => {
    expect(estimateReach(null, null)).toBeNull();
    expect(estimateReach({}, null)).toBeNull();
    expect(estimateReach({ favourites: 0 }, null)).toBe(0);
  });
});

describe('rate-limit reset headers', () => {
  it("reads Reddit's seconds, Mastodon's ISO timestamp and Bluesky's epoch seconds", () => {
    expect(rateLimitResetMs(withHeaders({ 'x-ratelimit-reset': '37' }), NOW)).toBe(37_000);
    expect(rateLimitResetMs(withHeaders({ 'x-ratelimit-reset': '2026-11-22T12:05:00.019685Z' }), NOW)).toBe(300_020);
    expect(rateLimitResetMs(withHeaders({ 'ratelimit-reset': String(NOW.getTime() / 1000 + 90) }), NOW)).toBe(90_000);
    expect(rateLimitResetMs(withHeaders({ 'x-ratelimit-reset': 'soon' }), NOW)).toBeNull();
    expect(rateLimitResetMs(withHeaders({}), NOW)).toBeNull();
  });

  it('caps an absurd reset at a year, so the wait and its message stay finite', () => {
    expect(rateLimitResetMs(withHeaders({ 'x-ratelimit-reset': '9'.repeat(400) }), NOW)).toBe(365 * 86_400_000);
    expect(rateLimitResetMs(withHeaders({ 'x-ratelimit-reset': '2999-01-01T00:00:00Z' }), NOW)).toBe(365 * 86_400_000);
  });

  let api: ApiServer;
  afterEach(async () => api?.close());

  it('when Mastodon answers 429 with X-RateLimit-Reset only, the poll waits until then', async () => {
    api = await startApi(() => ({ status: 429, headers: { 'x-ratelimit-limit': '300', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2026-11-22T12:02:00.000Z' }, body: { error: 'Too many requests' } }));
    const err = await pollFailure(pollOnce(mastodonConnector, { config: { instance: 'mastodon.social', hashtag: 'acme', baseUrl: api.origin } }));
    expect((err as SourceFetchError).details).toMatchObject({ status: 429, retryAfterMs: 120_000 });
  });

  it('when a 429 has an unreadable Retry-After, the poll waits for X-RateLimit-Reset instead', async () => {
    api = await startApi(() => ({ status: 429, headers: { 'retry-after': 'later', 'x-ratelimit-reset': '2026-11-22T12:02:00.000Z' }, body: { error: 'Too many requests' } }));
    const err = await pollFailure(pollOnce(mastodonConnector, { config: { instance: 'mastodon.social', hashtag: 'acme', baseUrl: api.origin } }));
    expect((err as SourceFetchError).details).toMatchObject({ status: 429, retryAfterMs: 120_000 });
  });

  it('when Bluesky refuses a login with 429 and RateLimit-Reset, the poll waits until then', async () => {
    api = await startApi(() => ({ status: 429, headers: { 'ratelimit-limit': '30', 'ratelimit-remaining': '0', 'ratelimit-reset': String(NOW.getTime() / 1000 + 240), 'ratelimit-policy': '30;w=300' }, body: { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' } }));
    const err = await pollFailure(pollOnce(blueskyConnector, { config: { query: 'acme', baseUrl: api.origin }, credentials: { identifier: 'a.bsky.social', appPassword: 'x' } }));
    expect((err as SourceFetchError).details).toMatchObject({ status: 429, retryAfterMs: 240_000 });
    expect((err as SourceFetchError).details.permanent).toBeFalsy();
  });
});

describe('connector registry', () => {
  it('has a connector for every source type', () => {
    expect(Object.keys(connectors).sort()).toEqual([...SOURCE_TYPES].sort());
    for (const type of SOURCE_TYPES) expect(connectorFor(type).type).toBe(type);
  });

  it('parses a stored config to the same config, so the scheduler may validate it again', () => {
    const samples: Record<string, unknown> = {
      rss: { url: 'https://example.com/feed.xml' },
      hackernews: { query: ' acme ', baseUrl: 'https://hn.example/api/v1/' },
      reddit: { subreddit: '/r/SelfHosted' },
      mastodon: { instance: 'https://Mastodon.Social/', hashtag: '#Acme, acmecorp' },
      bluesky: { query: 'acme' },
      googlenews: { query: 'acme', country: 'cz', lang: 'cs' },
      youtube: { channelId: 'UCxAcmeChannel00000000A0' },
    };
    for (const type of SOURCE_TYPES) {
      const once = connectorFor(type).config.parse(samples[type]);
      expect(connectorFor(type).config.parse(once), type).toEqual(once);
    }
    expect(connectorFor('mastodon').config.parse(samples.mastodon)).toEqual({ instance: 'mastodon.social', hashtag: 'acme,acmecorp' });
  });

  it('stops a source whose stored credentials have the wrong fields, naming the fields but not the values', async () => {
    const err = await pollFailure(pollOnce(blueskyConnector, { config: { query: 'acme', baseUrl: 'http://127.0.0.1:9' }, credentials: { user: 'me', password: 'hunter2' } }));
    expect((err as SourceFetchError).details).toMatchObject({ permanent: true });
    expect(err.message).toMatch(/identifier, appPassword/);
    expect(err.message).not.toContain('hunter2');
  });

  it('starts afresh from a state it cannot read instead of failing', async () => {
    const api = await startApi(() => ({ body: fixtureJson('mastodon/tag-timeline.json') }));
    try {
      const result = await pollOnce(mastodonConnector, { config: { instance: 'mastodon.social', hashtag: 'acme', baseUrl: api.origin }, state: { minId: 42 } as never });
      expect(result.items).toHaveLength(2);
      expect(api.received[0]!.query.has('min_id')).toBe(false);
    } finally {
      await api.close();
    }
  });
});

describe('an upstream error names the path that answered, for the types whose path is a baseUrl and a route', () => {
  let api: ApiServer;
  afterEach(async () => api?.close());
  const notFound = () => ({ status: 404, body: 'not found' });

  it('a Hacker News baseUrl missing /api/v1 shows in the error, without the query', async () => {
    api = await startApi(notFound);
    const err = await pollFailure(pollOnce(hackernewsConnector, { config: { query: 'acme coffee', baseUrl: `${api.origin}/hn` } }));
    expect(err.message).toBe(`HTTP 404 from ${api.origin}/hn/search_by_date: not found`);
    expect(err.message).not.toContain('acme');
  });

  it("a Mastodon tag in another script is named as written, and a segment that reads as a token is left out", async () => {
    api = await startApi(notFound);
    const base = `${api.origin}/k/3f9a8c7e6d5b4a39281706f5/masto`;
    const err = await pollFailure(pollOnce(mastodonConnector, { config: { instance: 'mastodon.social', hashtag: 'káva', baseUrl: base } }));
    expect(api.received[0]!.path).toBe('/k/3f9a8c7e6d5b4a39281706f5/masto/api/v1/timelines/tag/k%C3%A1va');
    expect(err.message).toBe(`HTTP 404 from ${api.origin}/k/[redacted]/masto/api/v1/timelines/tag/káva: not found`);
  });

  it("a preset's feed (Google News) is named with its path too, but a feed's own URL, whose path can be its token, only as before", async () => {
    api = await startApi(notFound);
    const preset = await pollFailure(pollOnce(googlenewsConnector, { config: { query: 'acme', baseUrl: `${api.origin}/gn` } }));
    expect(preset.message).toBe(`HTTP 404 from ${api.origin}/gn/rss/search: not found`);
    const feed = await pollFailure(pollOnce(rssConnector, { config: { url: `${api.origin}/feeds/private-feed.rss` } }));
    expect(feed.message).toBe('HTTP 404: not found');
  });
});
