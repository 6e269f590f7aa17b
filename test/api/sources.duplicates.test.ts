import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import { createTestApp, type TestApp } from '../support/app.js';

// A workspace cannot add what it already polls: POST (and a PATCH that would make two sources
// alike) answers 409 sources.duplicate naming the source that polls it, over a real socket.
// Private networks are allowed here (nothing is polled), so no URL is looked up.

const API = 'http://127.0.0.1:9';
let t: TestApp;
let server: ServerType;
let base: string;
let key: string;
let otherKey: string;

beforeAll(async () => {
  t = await createTestApp({ config: { SECRET_KEY: randomBytes(32).toString('hex') } });
  key = (await t.workspace('Duplicates')).key;
  otherKey = (await t.workspace('Someone else')).key;
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await t.close();
});

async function call(method: string, path: string, body?: unknown, apiKey = key) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null, text };
}

const post = (body: Record<string, unknown>, apiKey = key) => call('POST', '/v1/sources', body, apiKey);

async function created(body: Record<string, unknown>, apiKey = key): Promise<{ id: string; updatedAt: string } & Record<string, unknown>> {
  const res = await post(body, apiKey);
  expect(res.status, `${JSON.stringify(body)}: ${res.text}`).toBe(201);
  return res.json;
}

/** The 409 a duplicate gets: the code, the existing source's id in the message and as `existingId`. */
function expectDuplicate(res: { status: number; json: any; text: string }, existingId: string, what = '') {
  expect(res.status, `${what} ${res.text}`).toBe(409);
  expect(res.json.error).toMatchObject({ code: 'sources.duplicate', existingId, requestId: expect.any(String) });
  expect(res.json.error.message).toContain(existingId);
}

describe('POST of what the workspace already polls', () => {
  it('the same feed URL again is a 409 sources.duplicate naming the first source', async () => {
    const first = await created({ type: 'rss', url: 'https://feeds.example.test/news.xml' });
    expectDuplicate(await post({ type: 'rss', url: 'https://feeds.example.test/news.xml', intervalSeconds: 300 }), first.id);
    // Whitespace was never part of a URL.
    expectDuplicate(await post({ type: 'rss', url: ' https://feeds.example.test/news.xml\n' }), first.id);
  });

  it('a URL that differs only in scheme or host case, an explicit default port or a fragment is the same feed', async () => {
    const http = await created({ type: 'rss', url: 'http://feeds.example.test/plain.xml' });
    const https = await created({ type: 'rss', url: 'https://Feeds.Example.test/secure.xml?edition=cz' });
    for (const url of [
      'HTTP://FEEDS.EXAMPLE.TEST/plain.xml',
      'http://feeds.example.test:80/plain.xml',
      'http://feeds.example.test/plain.xml#top',
      'http://feeds.example.test/plain.xml#',
    ]) {
      expectDuplicate(await post({ type: 'rss', url }), http.id, url);
    }
    for (const url of ['https://feeds.example.test/secure.xml?edition=cz', 'https://feeds.example.test:443/secure.xml?edition=cz#latest']) {
      expectDuplicate(await post({ type: 'rss', url }), https.id, url);
    }
  });

  it('a path or query that differs only in case is another feed, and the same path again is not', async () => {
    const lower = await created({ type: 'rss', url: 'https://feeds.example.test/blog/rss.xml?tag=acme' });
    await created({ type: 'rss', url: 'https://feeds.example.test/Blog/rss.xml?tag=acme' });
    await created({ type: 'rss', url: 'https://feeds.example.test/blog/rss.xml?tag=Acme' });
    // Another scheme or port is another server.
    await created({ type: 'rss', url: 'http://feeds.example.test/blog/rss.xml?tag=acme' });
    await created({ type: 'rss', url: 'https://feeds.example.test:8443/blog/rss.xml?tag=acme' });
    expectDuplicate(await post({ type: 'rss', url: 'https://feeds.example.test/blog/rss.xml?tag=acme' }), lower.id);
  });

  it('a non-ASCII path is the same feed typed or percent-encoded, as it is requested', async () => {
    const czech = await created({ type: 'rss', url: 'https://zpravy.example.test/zprávy/škoda.xml' });
    expectDuplicate(await post({ type: 'rss', url: 'https://zpravy.example.test/zpr%C3%A1vy/%C5%A1koda.xml' }), czech.id);
    const hindi = await created({ type: 'rss', url: 'https://samachar.example.test/समाचार.xml' });
    expectDuplicate(await post({ type: 'rss', url: 'https://SAMACHAR.example.test/समाचार.xml#नया' }), hindi.id);
  });

  it('each API type: the same search, subreddit, hashtags or channel again is a duplicate', async () => {
    const cases: [Record<string, unknown>, Record<string, unknown>][] = [
      [{ type: 'hackernews', query: 'Acme Coffee', baseUrl: API }, { type: 'hackernews', query: '  acme coffee ', baseUrl: `${API}/` }],
      [{ type: 'reddit', query: 'Acme Beans', baseUrl: API }, { type: 'reddit', query: 'acme beans', baseUrl: API, intervalSeconds: 3600 }],
      [{ type: 'reddit', subreddit: 'AcmeFans', baseUrl: API }, { type: 'reddit', subreddit: 'r/acmefans', baseUrl: API }],
      [{ type: 'mastodon', instance: 'mastodon.example.test', hashtag: 'acme,acmecoffee', baseUrl: API }, { type: 'mastodon', instance: 'https://Mastodon.Example.test/', hashtag: '#AcmeCoffee, #Acme', baseUrl: API }],
      [{ type: 'mastodon', instance: '127.0.0.1:9', hashtag: 'acme' }, { type: 'mastodon', instance: '127.0.0.1:9', hashtag: '#ACME' }],
      [{ type: 'bluesky', query: 'Acme', baseUrl: API }, { type: 'bluesky', query: 'acme', baseUrl: 'HTTP://127.0.0.1:9', credentials: { identifier: 'acme.bsky.social', appPassword: 'abcd-efgh-ijkl-mnop' } }],
      [{ type: 'googlenews', query: 'Acme Coffee', lang: 'cs', country: 'cz', baseUrl: API }, { type: 'googlenews', query: 'acme coffee', lang: 'cs', country: 'CZ', baseUrl: API }],
      [{ type: 'googlenews', query: 'acme', baseUrl: API }, { type: 'googlenews', query: 'ACME', lang: 'en', country: 'US', baseUrl: API }],
      [{ type: 'youtube', channelId: 'UC0123456789abcdefghijkl', baseUrl: API }, { type: 'youtube', channelId: ' UC0123456789abcdefghijkl ', baseUrl: API }],
    ];
    for (const [first, again] of cases) {
      const source = await created(first);
      expectDuplicate(await post(again), source.id, JSON.stringify(again));
    }
  });

  it('what changes the fetch makes another source: base URL, country, subreddit vs search, channel id case, operators', async () => {
    const hn = await created({ type: 'hackernews', query: 'acme tea', baseUrl: API });
    await created({ type: 'hackernews', query: 'acme tea', baseUrl: 'http://127.0.0.1:10' });
    const news = await created({ type: 'googlenews', query: 'acme tea', lang: 'cs', country: 'CZ', baseUrl: API });
    await created({ type: 'googlenews', query: 'acme tea', lang: 'cs', country: 'SK', baseUrl: API });
    await created({ type: 'googlenews', query: 'acme tea', lang: 'sk', country: 'CZ', baseUrl: API });
    await created({ type: 'reddit', query: 'acmetea', baseUrl: API });
    await created({ type: 'reddit', subreddit: 'acmetea', baseUrl: API });
    await created({ type: 'youtube', channelId: 'UCabcdefghijklmnopqrstuv', baseUrl: API });
    await created({ type: 'youtube', channelId: 'UCABCDEFGHIJKLMNOPQRSTUV', baseUrl: API });
    await created({ type: 'mastodon', instance: 'mastodon.example.test', hashtag: 'acmetea', baseUrl: API });
    await created({ type: 'mastodon', instance: 'other.example.test', hashtag: 'acmetea', baseUrl: API });
    // Capital OR is an operator in Reddit's, Bluesky's and Google's syntax; lowercase "or" is a word.
    const or = await created({ type: 'bluesky', query: 'acme OR tea', baseUrl: API });
    await created({ type: 'bluesky', query: 'acme or tea', baseUrl: API });
    expectDuplicate(await post({ type: 'bluesky', query: 'ACME OR TEA', baseUrl: API }), or.id);
    expectDuplicate(await post({ type: 'hackernews', query: 'Acme Tea', baseUrl: API }), hn.id);
    expectDuplicate(await post({ type: 'googlenews', query: 'Acme Tea', lang: 'cs', country: 'cz', baseUrl: API }), news.id);
  });

  it('a Czech or Hindi query is the same search in any case or padding', async () => {
    const czech = await created({ type: 'hackernews', query: 'Škoda Octavia', baseUrl: API });
    expectDuplicate(await post({ type: 'hackernews', query: 'ŠKODA OCTAVIA', baseUrl: API }), czech.id);
    expectDuplicate(await post({ type: 'hackernews', query: 'škoda octavia', baseUrl: API }), czech.id);
    const hindi = await created({ type: 'bluesky', query: 'टाटा मोटर्स', baseUrl: API });
    expectDuplicate(await post({ type: 'bluesky', query: '  टाटा मोटर्स\u00a0', baseUrl: API }), hindi.id);
    // Another word is another search.
    await created({ type: 'bluesky', query: 'टाटा स्टील', baseUrl: API });
    const news = await created({ type: 'googlenews', query: 'Česká spořitelna', lang: 'cs', country: 'CZ', baseUrl: API });
    expectDuplicate(await post({ type: 'googlenews', query: 'ČESKÁ SPOŘITELNA', lang: 'cs', country: 'CZ', baseUrl: API }), news.id);
  });

  it('a query that differs only in the whitespace between its words is the same search', async () => {
    // A workspace of its own: this file's requests would otherwise exceed one key's rate limit.
    const own = (await t.workspace('Spacing')).key;
    const hn = await created({ type: 'hackernews', query: 'acme  roast', baseUrl: API }, own);
    // Stored and sent as written: only the comparison collapses the spacing.
    expect(hn.query).toBe('acme  roast');
    // Tabs and line breaks are refused as control characters; Unicode spaces are not.
    for (const query of ['acme roast', 'ACME\u00a0ROAST', ' acme \u3000\u2003 roast ', 'acme\u2028roast']) {
      expectDuplicate(await post({ type: 'hackernews', query, baseUrl: API }, own), hn.id, JSON.stringify(query));
    }
    const reddit = await created({ type: 'reddit', query: 'acme\u2009OR\u2009pods', baseUrl: API }, own);
    expectDuplicate(await post({ type: 'reddit', query: 'Acme OR  Pods', baseUrl: API }, own), reddit.id);
    const bluesky = await created({ type: 'bluesky', query: 'acme\u202f\u205fbrew', baseUrl: API }, own);
    expectDuplicate(await post({ type: 'bluesky', query: 'acme brew', baseUrl: API }, own), bluesky.id);
    const news = await created({ type: 'googlenews', query: 'acme brew', lang: 'cs', country: 'CZ', baseUrl: API }, own);
    expectDuplicate(await post({ type: 'googlenews', query: 'acme\u1680 brew', lang: 'cs', country: 'CZ', baseUrl: API }, own), news.id);
    // A PATCH that only respaces another source's query is refused too.
    const other = await created({ type: 'hackernews', query: 'acme crema', baseUrl: API }, own);
    expectDuplicate(await call('PATCH', `/v1/sources/${other.id}`, { query: 'acme\u00a0\u00a0roast' }, own), hn.id);
    // Collapsed, not removed: words run together are another search, and so is a zero width space.
    await created({ type: 'hackernews', query: 'acmeroast', baseUrl: API }, own);
    await created({ type: 'hackernews', query: 'acme\u200broast', baseUrl: API }, own);
  });

  it('another workspace may poll the same feed; each is told only of its own source', async () => {
    const mine = await created({ type: 'rss', url: 'https://shared.example.test/feed.xml' });
    const theirs = await created({ type: 'rss', url: 'https://shared.example.test/feed.xml' }, otherKey);
    const res = await post({ type: 'rss', url: 'https://SHARED.example.test/feed.xml' }, otherKey);
    expectDuplicate(res, theirs.id);
    expect(res.text).not.toContain(mine.id);
    // And a PATCH in the other workspace onto this workspace's target is no conflict.
    const other = await created({ type: 'hackernews', query: 'shared', baseUrl: API }, otherKey);
    await created({ type: 'hackernews', query: 'only mine', baseUrl: API });
    const moved = await call('PATCH', `/v1/sources/${other.id}`, { query: 'only mine' }, otherKey);
    expect(moved.status, moved.text).toBe(200);
  });

  it('two POSTs of the same feed at once: one 201, the other 409 naming it', async () => {
    const url = 'https://race.example.test/feed.xml';
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => post({ type: 'rss', url: i % 2 ? url.toUpperCase().replace('/FEED.XML', '/feed.xml') : url })));
    const winners = results.filter((r) => r.status === 201);
    expect(winners, results.map((r) => r.text).join('\n')).toHaveLength(1);
    for (const r of results.filter((r) => r.status !== 201)) expectDuplicate(r, winners[0]!.json.id);
    const rows = await t.db.selectFrom('sources').select('id').where(sql<string>`lower(config->>'url')`, '=', url).execute();
    expect(rows.map((r) => r.id)).toEqual([winners[0]!.json.id]);
  });

  it('when two requests both pass the check before either inserts, the unique index refuses the second', async () => {
    // Both requests read "no such source" before either writes (the first two reads wait for each
    // other): only the database can stop the second. In process, over the same database and deps.
    const real = t.deps.sourceRepository;
    const waiting: (() => void)[] = [];
    let held = 0;
    const racing = createApp({
      ...t.deps,
      sourceRepository: {
        ...real,
        async sameTarget(...args: Parameters<typeof real.sameTarget>) {
          const rows = await real.sameTarget(...args);
          if (held < 2) {
            held++;
            await new Promise<void>((resolve) => {
              waiting.push(resolve);
              if (waiting.length === 2) waiting.forEach((w) => w());
            });
          }
          return rows;
        },
      },
    });
    const send = (body: unknown) =>
      racing.request('/v1/sources', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const [a, b] = await Promise.all([send({ type: 'rss', url: 'https://index.example.test/feed.xml' }), send({ type: 'rss', url: 'https://INDEX.example.test/feed.xml' })]);
    const answers = [
      { status: a.status, text: await a.text() },
      { status: b.status, text: await b.text() },
    ].map((r) => ({ ...r, json: JSON.parse(r.text) }));
    expect(held).toBe(2);
    const winner = answers.find((r) => r.status === 201);
    const loser = answers.find((r) => r.status !== 201);
    expect(winner, answers.map((r) => r.text).join('\n')).toBeDefined();
    expectDuplicate(loser!, winner!.json.id);
  });
});

describe('PATCH', () => {
  it('a change that makes a source poll what another polls is a 409 naming it, and changes nothing', async () => {
    const first = await created({ type: 'rss', url: 'https://patch.example.test/one.xml' });
    const second = await created({ type: 'rss', url: 'https://patch.example.test/two.xml', intervalSeconds: 600 });
    const before = (await call('GET', `/v1/sources/${second.id}`)).json;
    const res = await call('PATCH', `/v1/sources/${second.id}`, { url: 'https://PATCH.example.test:443/one.xml#x', intervalSeconds: 1200 });
    expectDuplicate(res, first.id);
    expect((await call('GET', `/v1/sources/${second.id}`)).json).toEqual(before);

    const hn = await created({ type: 'hackernews', query: 'acme pods', baseUrl: API });
    const other = await created({ type: 'hackernews', query: 'acme beans', baseUrl: API });
    expectDuplicate(await call('PATCH', `/v1/sources/${other.id}`, { query: 'ACME PODS' }), hn.id);
    expect((await call('GET', `/v1/sources/${other.id}`)).json.query).toBe('acme beans');

    const mastodon = await created({ type: 'mastodon', instance: 'social.example.test', hashtag: 'acme,pods', baseUrl: API });
    const tags = await created({ type: 'mastodon', instance: 'social.example.test', hashtag: 'acme', baseUrl: API });
    expectDuplicate(await call('PATCH', `/v1/sources/${tags.id}`, { hashtag: 'pods,#ACME' }), mastodon.id);
  });

  it('a source edited to its own settings, or to another spelling of its own URL, is a 200, and still counts as that feed', async () => {
    const source = await created({ type: 'rss', url: 'https://self.example.test/feed.xml', intervalSeconds: 900 });
    const same = await call('PATCH', `/v1/sources/${source.id}`, { type: 'rss', url: 'https://self.example.test/feed.xml', intervalSeconds: 900, enabled: true });
    expect(same.status, same.text).toBe(200);
    expect(same.json.updatedAt).toBe(source.updatedAt);
    const respelled = await call('PATCH', `/v1/sources/${source.id}`, { url: 'https://SELF.example.test:443/feed.xml', intervalSeconds: 1800 });
    expect(respelled.status, respelled.text).toBe(200);
    expect(respelled.json).toMatchObject({ url: 'https://SELF.example.test:443/feed.xml', intervalSeconds: 1800 });
    const search = await created({ type: 'reddit', query: 'acme', baseUrl: API });
    const recased = await call('PATCH', `/v1/sources/${search.id}`, { query: 'Acme', enabled: false });
    expect(recased.status, recased.text).toBe(200);
    // The re-spelled source is still the one that polls the feed, under any spelling.
    expectDuplicate(await post({ type: 'rss', url: 'https://self.example.test/feed.xml' }), source.id);
    expectDuplicate(await post({ type: 'reddit', query: 'ACME', baseUrl: API }), search.id);
  });

  it('a deleted source frees its feed', async () => {
    const source = await created({ type: 'rss', url: 'https://freed.example.test/feed.xml' });
    expectDuplicate(await post({ type: 'rss', url: 'https://freed.example.test/feed.xml' }), source.id);
    expect((await call('DELETE', `/v1/sources/${source.id}`)).status).toBe(204);
    await created({ type: 'rss', url: 'https://freed.example.test/feed.xml' });
  });
});

describe('/openapi.json', () => {
  it('documents the 409 sources.duplicate of POST and PATCH /v1/sources, with existingId', async () => {
    const doc = (await call('GET', '/openapi.json')).json;
    for (const [path, method] of [
      ['/v1/sources', 'post'],
      ['/v1/sources/{id}', 'patch'],
    ] as const) {
      const conflict = doc.paths[path][method].responses['409'];
      expect(conflict, `${method} ${path}`).toBeDefined();
      expect(conflict.description).toContain('sources.duplicate');
      expect(JSON.stringify(conflict)).toContain('existingId');
    }
  });
});
