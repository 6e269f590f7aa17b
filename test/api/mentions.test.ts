import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceItem } from '../../src/connectors/connector.types.js';
import { prepareMentions } from '../../src/domain/mentions/ingest.js';
import { toMentionFromPrepared } from '../../src/domain/mentions/mentions.usecases.js';
import { compileWorkspace } from '../../src/domain/query/index.js';
import { createScorer } from '../../src/domain/scoring/scorer.js';
import { createLogger } from '../../src/logger.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { mention, seed, sourceItem } from '../support/seed.js';
import { parseCsv } from '../support/csv.js';
import { waitUntil } from '../reliability/support.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

/** Mastodon items through the pipeline's own preparation (scoring, matching 'acme', cleaning) into storage. */
async function storeThroughPipeline(workspaceId: string, sourceId: string, brandId: string, items: SourceItem[]) {
  const prepared = await prepareMentions({
    items,
    sourceType: 'mastodon',
    fetchedAt: new Date(),
    isBacklog: false,
    scorer: createScorer(),
    matcher: compileWorkspace([{ id: brandId, query: 'acme' }]),
  });
  await seed(t.deps, { workspaceId, sourceId, sourceType: 'mastodon', mentions: prepared });
}

describe('the mention resource', () => {
  it('carries engagement, follower counts, the documented reach estimate and how its date was read', async () => {
    const ws = await t.workspace('Reach');
    const brand = (await t.request('POST', '/v1/brands', { key: ws.key, body: { name: 'R', role: 'own', query: 'r' } })).json.id;
    const src = (await t.request('POST', '/v1/sources', { key: ws.key, body: { type: 'mastodon', instance: 'https://127.0.0.1:9', hashtag: 'r' } })).json.id;
    await seed(t.deps, {
      workspaceId: ws.id,
      sourceId: src,
      sourceType: 'mastodon',
      mentions: [mention({ at: new Date(Date.now() - 3600_000), brands: [brand], engagement: { favourites: 3, reposts: 2, replies: 1 }, authorFollowers: 120 })],
    });
    const [m] = (await t.request('GET', '/v1/mentions', { key: ws.key })).json.items;
    expect(m).toMatchObject({
      source: { id: src, type: 'mastodon' },
      engagement: { favourites: 3, reposts: 2, replies: 1 },
      authorFollowers: 120,
      reach: 120 + 20 * 6,
      dateQuality: 'exact',
    });
  });

  it('stores an item whose key, url, title, text or author carry NUL, which Postgres text cannot hold, without it', async () => {
    const ws = await t.workspace('NUL');
    const brand = (await t.request('POST', '/v1/brands', { key: ws.key, body: { name: 'N', role: 'own', query: 'acme' } })).json.id;
    const src = (await t.request('POST', '/v1/sources', { key: ws.key, body: { type: 'mastodon', instance: 'https://127.0.0.1:9', hashtag: 'acme' } })).json.id;
    const item = sourceItem({
      itemKey: 'status\u0000-1',
      url: 'https://mastodon.example/@sam/1\u0000',
      title: 'Acme\u0000 title',
      text: 'Acme post\u0000 with a NUL',
      author: '@sam\u0000@mastodon.example',
      publishedAt: new Date(Date.now() - 60_000),
      langHint: 'en',
    });
    await storeThroughPipeline(ws.id, src, brand, [item]);
    const [stored] = (await t.request('GET', '/v1/mentions', { key: ws.key })).json.items;
    expect(stored).toMatchObject({ url: 'https://mastodon.example/@sam/1', title: 'Acme title', text: 'Acme post with a NUL', author: '@sam@mastodon.example' });
    const keys = await t.db.selectFrom('mentions').select('item_key').where('workspace_id', '=', ws.id).execute();
    expect(keys).toEqual([{ item_key: 'status-1' }]);
  });

  it('stores an item carrying a lone UTF-16 surrogate, which Postgres JSON cannot hold, with U+FFFD in its place, and the next items too', async () => {
    const ws = await t.workspace('Surrogate');
    const brand = (await t.request('POST', '/v1/brands', { key: ws.key, body: { name: 'S', role: 'own', query: 'acme' } })).json.id;
    const src = (await t.request('POST', '/v1/sources', { key: ws.key, body: { type: 'mastodon', instance: 'https://127.0.0.1:9', hashtag: 'acme' } })).json.id;
    const cut = sourceItem({
      itemKey: 'status-\ud83d',
      url: 'https://mastodon.example/@sam/1',
      title: 'Acme \udc00title',
      text: 'Acme cut the price \ud83d',
      author: '@sam\ud83d@mastodon.example',
      publishedAt: new Date(Date.now() - 120_000),
      langHint: 'en',
    });
    const whole = sourceItem({ itemKey: 'status-2', url: 'https://mastodon.example/@sam/2', text: 'Acme coffee 😀 again', author: '@sam@mastodon.example', publishedAt: new Date(Date.now() - 60_000), langHint: 'en' });
    await storeThroughPipeline(ws.id, src, brand, [cut, whole]);
    const stored = (await t.request('GET', '/v1/mentions', { key: ws.key })).json.items;
    expect(stored.map((m: { text: string }) => m.text)).toEqual(['Acme coffee 😀 again', 'Acme cut the price \ufffd']);
    expect(stored[1]).toMatchObject({ title: 'Acme \ufffdtitle', author: '@sam\ufffd@mastodon.example' });
  });

  it('stores a follower count a Postgres integer cannot hold as the nearest it can, instead of failing the poll', async () => {
    const ws = await t.workspace('Followers');
    const brand = (await t.request('POST', '/v1/brands', { key: ws.key, body: { name: 'F', role: 'own', query: 'acme' } })).json.id;
    const src = (await t.request('POST', '/v1/sources', { key: ws.key, body: { type: 'mastodon', instance: 'https://127.0.0.1:9', hashtag: 'acme' } })).json.id;
    const claimed = [3e9, 1.5, -4, Number.NaN, 842];
    const items = claimed.map((authorFollowers, i) =>
      sourceItem({
        itemKey: `status-${i}`,
        url: `https://mastodon.example/@sam/${i}`,
        text: `Acme post number ${i}`,
        author: '@sam@mastodon.example',
        publishedAt: new Date(Date.now() - (i + 1) * 60_000),
        authorFollowers,
        langHint: 'en',
      }),
    );
    await storeThroughPipeline(ws.id, src, brand, items);
    const stored = (await t.request('GET', '/v1/mentions', { key: ws.key })).json.items as Array<{ text: string; authorFollowers: number | null }>;
    expect(stored.map((m) => [m.text, m.authorFollowers])).toEqual([
      ['Acme post number 0', 2_147_483_647],
      ['Acme post number 1', 1],
      ['Acme post number 2', null],
      ['Acme post number 3', null],
      ['Acme post number 4', 842],
    ]);
  });

  it('a cursor is good for the filters and the workspace it was issued for, and refused with others', async () => {
    const ws = await t.workspace('Cursor scope');
    const other = await t.workspace('Cursor scope, other');
    const brand = async (key: string, name: string) => (await t.request('POST', '/v1/brands', { key, body: { name, role: 'own', query: name.toLowerCase() } })).json.id as string;
    const [acme, globex] = [await brand(ws.key, 'Acme'), await brand(ws.key, 'Globex')];
    const src = (await t.request('POST', '/v1/sources', { key: ws.key, body: { type: 'rss', url: 'http://127.0.0.1:9/cursor.xml' } })).json.id;
    const hours = (h: number) => new Date(Date.now() - h * 3600_000);
    await seed(t.deps, { workspaceId: ws.id, sourceId: src, mentions: [1, 2, 3].flatMap((h) => [mention({ at: hours(h), brands: [acme] }), mention({ at: hours(h), brands: [globex] })]) });
    const first = await t.request('GET', `/v1/mentions?brand=${acme}&limit=1`, { key: ws.key });
    const cursor = encodeURIComponent(first.json.nextCursor);
    // The same filters, with the default window ending at each request's now: the next page.
    const next = await t.request('GET', `/v1/mentions?brand=${acme}&limit=1&cursor=${cursor}`, { key: ws.key });
    expect(next.status, next.text).toBe(200);
    expect(next.json.items[0].brandIds).toEqual([acme]);
    const refused = [
      [ws.key, `brand=${globex}&limit=1`],
      [ws.key, 'limit=1'],
      [ws.key, `brand=${acme}&sentiment=neutral&limit=1`],
      [ws.key, `brand=${acme}&q=acme&limit=1`],
      [other.key, 'limit=1'],
    ] as const;
    for (const [key, query] of refused) {
      const res = await t.request('GET', `/v1/mentions?${query}&cursor=${cursor}`, { key });
      expect(res.status, query).toBe(400);
      expect(res.json.error.fields[0].field, query).toBe('cursor');
      // The API did issue it: with other filters it says so, rather than calling it forged.
      // Another workspace's is not one of this workspace's lists.
      expect(res.json.error.message, query).toBe(
        key === ws.key ? 'cursor: this cursor belongs to other filters; start again without cursor' : 'cursor: not a cursor of this list in this workspace (altered, or issued for another list or workspace); start again without cursor',
      );
    }
    // A tampered one is still not one the API issued.
    const [body, sum] = decodeURIComponent(cursor).split('.');
    const tampered = await t.request('GET', `/v1/mentions?brand=${acme}&limit=1&cursor=${encodeURIComponent(`${body}x.${sum}`)}`, { key: ws.key });
    expect(tampered.json.error.message).toBe('cursor: not a cursor of this list in this workspace (altered, or issued for another list or workspace); start again without cursor');
  });

  it('is found by its canonical id only: /v1/mentions/0001 is not mention 1', async () => {
    const ws = await t.workspace('Canonical');
    const brand = (await t.request('POST', '/v1/brands', { key: ws.key, body: { name: 'C', role: 'own', query: 'acme' } })).json.id;
    const src = (await t.request('POST', '/v1/sources', { key: ws.key, body: { type: 'rss', url: 'http://127.0.0.1:9/canonical.xml' } })).json.id;
    const [stored] = await seed(t.deps, { workspaceId: ws.id, sourceId: src, mentions: [mention({ at: new Date(Date.now() - 3600_000), brands: [brand] })] });
    expect((await t.request('GET', `/v1/mentions/${stored!.id}`, { key: ws.key })).status).toBe(200);
    for (const alias of [`0${stored!.id}`, `000${stored!.id}`]) {
      const res = await t.request('GET', `/v1/mentions/${alias}`, { key: ws.key });
      expect(res.status, alias).toBe(404);
      expect(res.json.error.code).toBe('mentions.not_found');
    }
  });

  it('shows the same score in its live event as in GET, whatever the float4 column rounds the scorer\'s double to', async () => {
    const ws = await t.workspace('Scores');
    const brand = (await t.request('POST', '/v1/brands', { key: ws.key, body: { name: 'S', role: 'own', query: 'acme' } })).json.id;
    const src = (await t.request('POST', '/v1/sources', { key: ws.key, body: { type: 'rss', url: 'http://127.0.0.1:9/scores.xml' } })).json.id;
    // Scores reported to disagree, then a sweep just around every 40th rounding half (where they can).
    const scores = [-0.4809500033001268, 0.6969499905545344, 0.4507500039967569];
    for (let k = -9999; k < 9999; k += 40) for (const nudge of [-3e-9, 0, 3e-9]) scores.push((k + 0.5) / 1e4 + nudge);
    const now = Date.now();
    const stored = await seed(t.deps, {
      workspaceId: ws.id,
      sourceId: src,
      mentions: scores.map((score, i) => mention({ at: new Date(now - 60_000 - i), brands: [brand], score })),
    });
    const live = new Map(stored.map((r) => [String(r.id), toMentionFromPrepared(r.id, r.mention, { id: src, type: 'rss' }).sentiment.score]));
    const got = new Map<string, number>();
    let cursor: string | null = null;
    do {
      const page: { items: Array<{ id: string; sentiment: { score: number } }>; nextCursor: string | null } = (
        await t.request('GET', `/v1/mentions?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { key: ws.key })
      ).json;
      for (const m of page.items) got.set(m.id, m.sentiment.score);
      cursor = page.nextCursor;
    } while (cursor);
    expect(got.size).toBe(scores.length);
    const differ = [...live].filter(([id, score]) => got.get(id) !== score).map(([id, score]) => ({ id, live: score, get: got.get(id) }));
    expect(differ).toEqual([]);
  });
});

describe('the CSV export', () => {
  let e: TestApp;
  let logs = '';
  beforeAll(async () => {
    e = await createTestApp({ log: createLogger({ level: 'info', destination: new Writable({ write: (chunk, _e, done) => ((logs += chunk.toString()), done()) }) }) });
  });
  afterAll(async () => e.close());

  /** A workspace whose mentions carry these texts (as title, text and author), newest first. */
  async function workspaceWith(name: string, texts: string[]) {
    const ws = await e.workspace(name);
    const brand = (await e.request('POST', '/v1/brands', { key: ws.key, body: { name: 'E', role: 'own', query: 'acme' } })).json.id;
    const src = (await e.request('POST', '/v1/sources', { key: ws.key, body: { type: 'rss', url: 'http://127.0.0.1:9/export.xml' } })).json.id;
    const now = Date.now();
    const mentions = texts.map((text, i) => ({ ...mention({ at: new Date(now - 60_000 - i * 1000), brands: [brand] }), title: text, text, author: text }));
    await seed(e.deps, { workspaceId: ws.id, sourceId: src, mentions });
    return ws;
  }
  const exportOf = async (key: string) => e.app.request('/v1/mentions/export.csv', { headers: { authorization: `Bearer ${key}` } });
  /** Postgres really failing: every query on mentions errors until the table is back. */
  async function withoutMentionsTable<T>(run: () => Promise<T>): Promise<T> {
    await sql`alter table mentions rename to mentions_away`.execute(e.db);
    try {
      return await run();
    } finally {
      await sql`alter table mentions_away rename to mentions`.execute(e.db);
    }
  }

  it('neutralises full-width formula characters as it does ASCII ones', async () => {
    const cells = ['\uFF1D1+1', '\uFF0B1', '\uFF0D1', '\uFF20SUM(A1)', '=1+1', 'plain'];
    const ws = await workspaceWith('Full-width', cells);
    const csv = (await (await exportOf(ws.key)).text()).replace(/^\uFEFF/, '');
    const [header, ...rows] = csv.split('\r\n').filter(Boolean);
    const title = header!.split(',').indexOf('title');
    expect(rows.map((r) => r.split(',')[title])).toEqual(["'\uFF1D1+1", "'\uFF0B1", "'\uFF0D1", "'\uFF20SUM(A1)", "'=1+1", 'plain']);
  });

  it('list cells hold one entry per line, so keywords with spaces split back exactly', async () => {
    const ws = await e.workspace('Lists');
    const body = (name: string, query: string) => ({ key: ws.key, body: { name, role: 'own', query } });
    const a = (await e.request('POST', '/v1/brands', body('A', '"acme coffee" OR acme'))).json.id;
    const b = (await e.request('POST', '/v1/brands', body('B', '"कॉफ़ी हाउस"'))).json.id;
    const src = (await e.request('POST', '/v1/sources', { key: ws.key, body: { type: 'rss', url: 'http://127.0.0.1:9/lists.xml' } })).json.id;
    const seeded = { ...mention({ at: new Date(Date.now() - 60_000), brands: [a, b], hashtags: ['kávovar', 'नमस्ते'] }) };
    seeded.brands = [
      { brandId: a, keywords: ['acme coffee', 'acme'] },
      { brandId: b, keywords: ['कॉफ़ी हाउस'] },
    ];
    await seed(e.deps, { workspaceId: ws.id, sourceId: src, mentions: [seeded] });
    const rows = parseCsv((await (await exportOf(ws.key)).text()).replace(/^\uFEFF/, ''));
    expect(rows).toHaveLength(2);
    const [header, row] = rows as [string[], string[]];
    const cell = (name: string) => row[header.indexOf(name)]!.split('\n');
    expect(cell('keywords').sort()).toEqual(['acme', 'acme coffee', 'कॉफ़ी हाउस']);
    expect(cell('hashtags')).toEqual(['kávovar', 'नमस्ते']);
    expect(cell('brand_ids').sort()).toEqual([a, b].sort());
  });

  it('logs how each export ended and how many rows it sent: completed, or cancelled by the client', async () => {
    const ws = await workspaceWith('Export log', Array.from({ length: 1001 }, (_, i) => `mention ${i}`)); // two pages of 1000
    const endOf = (res: Response) => () =>
      logs.split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((l) => l.requestId === res.headers.get('x-request-id') && /^mention export /u.test(l.msg)) ?? null;
    const whole = await exportOf(ws.key);
    expect((await whole.text()).split('\r\n').filter(Boolean)).toHaveLength(1 + 1001);
    await waitUntil('the completed export logged', endOf(whole));
    expect(endOf(whole)()).toMatchObject({ msg: 'mention export completed', rows: 1001, durationMs: expect.any(Number) });

    const cut = await exportOf(ws.key);
    const reader = cut.body!.getReader();
    await reader.read();
    await reader.cancel();
    await waitUntil('the cancelled export logged', endOf(cut));
    expect(endOf(cut)()).toMatchObject({ msg: 'mention export cancelled by the client', rows: expect.any(Number) });
    expect(endOf(cut)().rows).toBeLessThan(1001);
  });

  it('when Postgres fails before anything was sent, answers with the error envelope and its status, not an empty CSV', async () => {
    const ws = await workspaceWith('Early failure', ['one', 'two', 'three']);
    const res = await withoutMentionsTable(() => exportOf(ws.key));
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(((await res.json()) as { error: unknown }).error).toMatchObject({ code: 'internal.error', requestId: expect.any(String) });
  });

  it('when Postgres fails after the export started, breaks the transfer instead of ending it like a complete file, and logs why', async () => {
    const ws = await workspaceWith('Late failure', Array.from({ length: 1001 }, (_, i) => `mention ${i}`)); // two pages of 1000
    const res = await exportOf(ws.key);
    expect(res.status).toBe(200);
    // The first page was read before the answer began; the second is read as the client takes the first.
    let received = '';
    const failure = await withoutMentionsTable(async () => {
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return null;
          received += value;
        }
      } catch (err) {
        return err as Error;
      }
    });
    expect(failure).toEqual(expect.objectContaining({ message: 'mention export aborted' }));
    expect(received.split('\r\n').filter(Boolean)).toHaveLength(1 + 1000);
    const logged = logs
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line))
      .find((l) => l.requestId === res.headers.get('x-request-id') && l.level === 50);
    expect(logged).toMatchObject({ msg: 'mention export failed after it started; connection aborted', err: { message: 'relation "mentions" does not exist' } });
  });
});
