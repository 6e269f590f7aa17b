import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../support/stack.js';
import { rss, startFeedServer, type FeedItem, type FeedServer } from '../support/feed-server.js';
import { collectEvents } from '../support/sse.js';
import { NOT_SCORED } from '../../src/domain/scoring/scorer.js';

let s: TestStack;
let feeds: FeedServer;
let key: string;
let acmeId: string;
let globexId: string;

const day = (d: number, h = 10) => new Date(Date.UTC(2026, 10, d, h)).toUTCString();
const baseItems: FeedItem[] = [
  { guid: 'a1', title: 'Acme Coffee is wonderful', description: 'I love the new roast from Acme Coffee, truly excellent! #AcmeCoffee', link: 'https://news.example.com/a1', pubDate: day(20) },
  { guid: 'a2', title: 'Globex outage', description: 'Globex delivery was terrible and late again. Awful service. #fail', link: 'https://news.example.com/a2', pubDate: day(20, 12) },
  { guid: 'a3', title: 'Káva od Acme', description: 'Acme coffee: nejlepší káva ve městě, opravdu skvělá a výborná chuť.', link: 'https://news.example.com/a3', pubDate: day(21) },
  { guid: 'a4', title: 'Nothing relevant', description: 'The weather in Prague is mild today with some clouds.', link: 'https://news.example.com/a4', pubDate: day(21, 9) },
  { guid: 'a5', title: 'Initech launches', description: 'Initech announced a new stapler for offices everywhere.', link: 'https://news.example.com/a5', pubDate: day(21, 11) },
];

beforeAll(async () => {
  s = await createTestStack();
  feeds = await startFeedServer();
  feeds.routes.set('/feed.xml', { body: rss(baseItems) });
  key = (await s.workspace('E2E')).key;
  acmeId = (await s.request('POST', '/v1/brands', { key, body: { name: 'Acme', role: 'own', query: '"acme coffee" OR #acmecoffee' } })).json.id;
  globexId = (await s.request('POST', '/v1/brands', { key, body: { name: 'Globex', role: 'competitor', query: 'globex' } })).json.id;
});
afterAll(async () => {
  await s.close();
  await feeds.close();
});

const mentions = async (query = '') => (await s.request('GET', `/v1/mentions?since=2026-01-01T00:00:00Z${query}`, { key })).json;

describe('from a feed to scored mentions of the right brands', () => {
  it('a tick polls the source and stores mentions with brands, keywords, hashtags, language and sentiment', async () => {
    const created = await s.request('POST', '/v1/sources', { key, body: { type: 'rss', url: feeds.url('/feed.xml') } });
    expect(created.status).toBe(201);
    await s.tick();

    const page = await mentions();
    expect(page.items).toHaveLength(3); // a4 and a5 match no brand
    const byTitle = Object.fromEntries(page.items.map((m: { title: string }) => [m.title, m]));
    expect(byTitle['Acme Coffee is wonderful']).toMatchObject({
      brandIds: [acmeId],
      hashtags: ['acmecoffee'],
      lang: 'en',
      sentiment: { label: 'positive' },
      source: { id: created.json.id, type: 'rss' },
      url: 'https://news.example.com/a1',
      dateQuality: 'exact',
      reach: null, // a feed gives no audience figures
      engagement: null,
    });
    expect(byTitle['Acme Coffee is wonderful'].keywords).toEqual(expect.arrayContaining(['acme coffee', '#acmecoffee']));
    expect(byTitle['Globex outage']).toMatchObject({ brandIds: [globexId], keywords: ['globex'], sentiment: { label: 'negative' }, lang: 'en' });
    expect(byTitle['Káva od Acme']).toMatchObject({ brandIds: [acmeId], lang: 'cs', sentiment: { label: 'positive' } });
    // Newest first.
    expect(page.items.map((m: { title: string }) => m.title)).toEqual(['Káva od Acme', 'Globex outage', 'Acme Coffee is wonderful']);

    // The items no brand matched are kept for a future brand, not scored: no one sees them yet.
    const raw = await s.db.selectFrom('mentions').select(['item_key', 'lang', 'sentiment_label', 'sentiment_model']).where('matched', '=', false).orderBy('item_key').execute();
    expect(raw).toEqual(['a4', 'a5'].map((item_key) => ({ item_key, lang: null, sentiment_label: 'unscored', sentiment_model: NOT_SCORED })));

    const source = await s.request('GET', `/v1/sources/${created.json.id}`, { key });
    expect(source.json).toMatchObject({ lastStatus: 200, consecutiveFailures: 0, lastError: null });
    // Five items read, all new, three of them about a brand: what tells a quiet feed from queries that miss it.
    expect(source.json.lastPoll).toEqual({ items: 5, newItems: 5, matched: 3 });
    expect(new Date(source.json.nextFetchAt).getTime()).toBeGreaterThan(Date.now() + 700_000);
  });

  it('the same feed again adds no rows, and an unchanged feed costs a 304', async () => {
    const before = (await s.db.selectFrom('mentions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    const [source] = (await s.request('GET', '/v1/sources', { key })).json.items;
    await s.request('POST', `/v1/sources/${source.id}/fetch`, { key });
    await s.drain();
    const after = (await s.db.selectFrom('mentions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    expect(after).toBe(before);
    expect(feeds.requests.at(-1)!.headers['if-none-match']).toBeDefined();
    expect((await s.request('GET', `/v1/sources/${source.id}`, { key })).json).toMatchObject({ lastStatus: 304, lastPoll: { items: 0, newItems: 0, matched: 0 } });
  });

  it('the keyword and hashtag streams and the filters select the right mentions', async () => {
    expect((await mentions('&keyword=globex')).items.map((m: { title: string }) => m.title)).toEqual(['Globex outage']);
    expect((await mentions('&hashtag=%23AcmeCoffee')).items).toHaveLength(1);
    expect((await mentions(`&brand=${acmeId}`)).items).toHaveLength(2);
    expect((await mentions(`&brand=${acmeId}&sentiment=negative`)).items).toHaveLength(0);
    expect((await mentions('&lang=cs')).items).toHaveLength(1);
    expect((await mentions('&source=rss')).items).toHaveLength(3);
    expect((await mentions('&q=k%C3%A1va')).items.map((m: { title: string }) => m.title)).toEqual(['Káva od Acme']);
    const one = (await mentions('&limit=1')).items[0];
    expect((await s.request('GET', `/v1/mentions/${one.id}`, { key })).json).toEqual(one);
  });

  it('three new items become exactly three new mentions, delivered to a connected live client', async () => {
    const [source] = (await s.request('GET', '/v1/sources', { key })).json.items;
    const res = await s.app.request('/v1/mentions/live', { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const { events, close } = collectEvents<{ id: string; title: string }>(res);
    await new Promise((r) => setTimeout(r, 200)); // the stream is subscribed

    const fresh: FeedItem[] = [
      { guid: 'b1', title: 'Acme coffee again', description: 'Acme Coffee opened a new shop. Great news!', link: 'https://news.example.com/b1', pubDate: day(22, 8) },
      { guid: 'b2', title: 'Globex price rise', description: 'Globex prices went up.', link: 'https://news.example.com/b2', pubDate: day(22, 9) },
      { guid: 'b3', title: 'Globex hires', description: 'Globex is hiring engineers in Brno.', link: 'https://news.example.com/b3', pubDate: day(22, 10) },
    ];
    feeds.routes.set('/feed.xml', { body: rss([...fresh, ...baseItems]) });
    const before = (await mentions()).items.length;
    await s.request('POST', `/v1/sources/${source.id}/fetch`, { key });
    await s.drain();
    expect((await mentions()).items.length).toBe(before + 3);
    expect((await s.request('GET', `/v1/sources/${source.id}`, { key })).json.lastPoll).toEqual({ items: 8, newItems: 3, matched: 3 });

    for (let i = 0; i < 50 && events.length < 3; i++) await new Promise((r) => setTimeout(r, 50));
    await close();
    expect(events.map((e) => e.data.title).sort()).toEqual(['Acme coffee again', 'Globex hires', 'Globex price rise']);
    // A live event is the same resource GET returns.
    for (const e of events) expect(e.data).toEqual((await s.request('GET', `/v1/mentions/${e.data.id}`, { key })).json);
    // Event ids are the workspace's live-event sequence numbers, one per new mention.
    expect(new Set(events.map((e) => e.id)).size).toBe(3);
    for (const e of events) expect(e.id).toMatch(/^\d+$/);
  });

  it('a client reconnecting with Last-Event-ID gets what it missed, filtered', async () => {
    // "0": the client saw nothing of this workspace's stream, so every Globex mention is missed.
    const res = await s.app.request(`/v1/mentions/live?brand=${globexId}`, { headers: { authorization: `Bearer ${key}`, 'last-event-id': '0' } });
    const reader = res.body!.getReader();
    let text = '';
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline && (text.match(/event: mention/g) ?? []).length < 3) {
      const { value } = await reader.read();
      text += new TextDecoder().decode(value);
    }
    await reader.cancel();
    const titles = [...text.matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1]!).title);
    expect(titles.sort()).toEqual(['Globex hires', 'Globex outage', 'Globex price rise']);
  });

  it('a new brand finds its history among items that matched nothing', async () => {
    const initech = await s.request('POST', '/v1/brands', { key, body: { name: 'Initech', role: 'competitor', query: 'initech' } });
    expect(initech.status).toBe(201);
    await s.tick();
    const page = await mentions(`&brand=${initech.json.id}`);
    expect(page.items.map((m: { title: string }) => m.title)).toEqual(['Initech launches']);
    expect(page.items[0].brandIds).toEqual([initech.json.id]);
    // Stored unscored, it is scored as the brand links it, and its trend counts it so.
    const a5 = baseItems.find((i) => i.guid === 'a5')!;
    const expected = s.services.scorer.score({ title: a5.title, text: a5.description });
    expect(page.items[0]).toMatchObject({ lang: 'en', sentiment: { label: expected.sentiment.label, model: s.services.scorer.model } });
    const trend = await s.request('GET', `/v1/trends/sentiment?brand=${initech.json.id}&since=2026-11-21T00:00:00Z&until=2026-11-22T00:00:00Z`, { key });
    expect(trend.json.series[0].buckets[0]).toMatchObject({ mentions: 1, [expected.sentiment.label]: 1 });

    // Changing its query re-matches: the old mention goes, a new one comes. Its `lang:` filter
    // needs the language of an item stored without one.
    await s.request('PATCH', `/v1/brands/${initech.json.id}`, { key, body: { query: 'prague lang:en' } });
    await s.tick();
    expect((await mentions(`&brand=${initech.json.id}`)).items.map((m: { title: string }) => m.title)).toEqual(['Nothing relevant']);
    expect((await mentions('&keyword=initech')).items).toEqual([]);

    // Deleting it clears it from the mentions that carried it.
    await s.request('DELETE', `/v1/brands/${initech.json.id}`, { key });
    await s.drain();
    expect((await mentions()).items.some((m: { title: string }) => m.title === 'Nothing relevant')).toBe(false);
  });

  it('the CSV export streams RFC 4180 rows with formulas neutralised', async () => {
    feeds.routes.set('/evil.xml', {
      body: rss([{ guid: 'e1', title: '=HYPERLINK("http://evil")', description: 'Globex, "quoted", and\nnew lines', pubDate: day(22, 11) }]),
    });
    await s.request('POST', '/v1/sources', { key, body: { type: 'rss', url: feeds.url('/evil.xml') } });
    await s.tick();
    const res = await s.app.request(`/v1/mentions/export.csv?since=2026-01-01T00:00:00Z&brand=${globexId}`, { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM, for spreadsheets
    const csv = bytes.subarray(3).toString('utf8');
    expect(csv.startsWith('id,published_at')).toBe(true);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(csv).toContain('"Globex, ""quoted"", and new lines"');
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(1 + 4); // header + a2, b2, b3, e1
  });
});
