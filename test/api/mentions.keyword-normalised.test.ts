import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PreparedMention } from '../../src/domain/mentions/ingest.js';
import { toMentionFromPrepared, type Mention } from '../../src/domain/mentions/mentions.usecases.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { parseCsv } from '../support/csv.js';
import { mention, seed } from '../support/seed.js';
import { collectEvents } from '../support/sse.js';
import { waitUntil } from '../reliability/support.js';

// keyword= is read as the query language reads a phrase: whitespace runs are one space, and a
// phrase copied from a brand query with its quotes is that phrase. The list and the export ask
// Postgres (search_forms()), the live stream asks holdsTerm in memory: all three must agree.

let t: TestApp;
let ws: { id: string; key: string };
let acme: string;
let globex: string;
let source: string;

const at = new Date(Date.now() - 3_600_000);

/** A mention whose text names it, matched by these brands with these keywords. */
function matched(text: string, brands: Array<[string, string[]]>): PreparedMention {
  return { ...mention({ at, brands: brands.map(([b]) => b), text }), brands: brands.map(([brandId, keywords]) => ({ brandId, keywords })) };
}

beforeAll(async () => {
  t = await createTestApp({ config: { RATE_LIMIT_PER_MINUTE: '1000000' } });
  ws = await t.workspace('Keyword spacing');
  const brand = (name: string, query: string) => t.request('POST', '/v1/brands', { key: ws.key, body: { name, role: 'own', query } });
  acme = (await brand('Acme', '"paging item 5" OR "कॉफ़ी हाउस" OR "دیجی‌کالا آنلاین" OR acme')).json.id;
  globex = (await brand('Globex', 'globex')).json.id;
  source = (await t.request('POST', '/v1/sources', { key: ws.key, body: { type: 'rss', url: 'http://127.0.0.1:9/spacing.xml' } })).json.id;
  await seed(t.deps, {
    workspaceId: ws.id,
    sourceId: source,
    mentions: [
      matched('paging', [[acme, ['paging item 5']]]),
      matched('hindi', [[acme, ['कॉफ़ी हाउस']]]),
      matched('persian', [[acme, ['دیجی‌کالا آنلاین']]]),
      matched('shared', [
        [acme, ['acme']],
        [globex, ['globex']],
      ]),
      matched('globex alone', [[globex, ['globex']]]),
    ],
  });
});
afterAll(async () => t?.close());

const window = 'since=2020-01-01T00:00:00Z';
const q = encodeURIComponent;

async function listed(query: string): Promise<string[]> {
  const res = await t.request('GET', `/v1/mentions?${window}&${query}`, { key: ws.key });
  expect(res.status, `${query}: ${res.text}`).toBe(200);
  return (res.json.items as Array<{ text: string }>).map((m) => m.text).sort();
}

async function exported(query: string): Promise<string[]> {
  const res = await t.app.request(`/v1/mentions/export.csv?${window}&${query}`, { headers: { authorization: `Bearer ${ws.key}` } });
  expect(res.status, query).toBe(200);
  const [header, ...rows] = parseCsv((await res.text()).replace(/^\uFEFF/, '')) as [string[], ...string[][]];
  return rows.map((row) => row[header.indexOf('text')]!).sort();
}

/** Spellings of each seeded phrase as people paste them: doubled spaces, tabs, no-break and ideographic spaces, the query's quotes. */
const spellings: Array<[string, string[]]> = [
  ['paging', ['paging  item 5', 'paging\titem\u00A05', '  paging item   5 ', '"paging item 5"', '" Paging  Item 5 "', '"paging\u3000item 5"', '“paging item 5”', '„paging item 5“', '«paging item 5»']],
  ['hindi', ['कॉफ़ी  हाउस', '"कॉफ़ी हाउस"', 'कॉफी\u3000हाउस', '“कॉफ़ी हाउस”']],
  // Typed on an Arabic keyboard (ي and ك, no ZWNJ), with a tab and the quotes.
  ['persian', ['دیجی‌کالا  آنلاین', '"ديجيكالا\tآنلاین"']],
];

describe('keyword= is normalised as the query language normalises a phrase', () => {
  it('whitespace runs count as one space and one pair of surrounding quotes is dropped, in the list', async () => {
    for (const [text, written] of spellings) {
      for (const keyword of written) expect(await listed(`keyword=${q(keyword)}`), JSON.stringify(keyword)).toEqual([text]);
    }
  });

  it('the CSV export filters as the list does', async () => {
    for (const [text, written] of spellings) {
      for (const keyword of written) expect(await exported(`keyword=${q(keyword)}`), JSON.stringify(keyword)).toEqual([text]);
    }
  });

  it('quotes inside a keyword, or an unmatched one, are not stripped', async () => {
    expect(await listed(`keyword=${q('"paging item 5')}`)).toEqual([]);
    expect(await listed(`keyword=${q('""paging item 5""')}`)).toEqual([]);
  });

  it('the live stream agrees, in its replay (Postgres) and for new mentions (in memory)', async () => {
    const open = async (query: string) => {
      const res = await t.app.request(`/v1/mentions/live?${query}`, { headers: { authorization: `Bearer ${ws.key}`, 'last-event-id': '0' } });
      expect(res.status).toBe(200);
      return collectEvents<Mention>(res);
    };
    const spaced = await open(`keyword=${q('paging   item\u00A05')}`);
    const quoted = await open(`keyword=${q('"कॉफ़ी  हाउस"')}`);
    try {
      await waitUntil('the replays', () => spaced.events.length === 1 && quoted.events.length === 1, 5_000, 10);
      // Seqs far above the seeded events', so no replay holds them.
      const live = [matched('live paging', [[acme, ['paging item 5']]]), matched('live hindi', [[acme, ['कॉफ़ी हाउस']]]), matched('live other', [[acme, ['acme']]])].map(
        (m, i) => ({ seq: 1_000_000 + i, mention: toMentionFromPrepared(1_000_000 + i, m, { id: source, type: 'rss' }) }),
      );
      await t.deps.publisher.publish(ws.id, live);
      await waitUntil('the live mentions', () => spaced.events.length === 2 && quoted.events.length === 2, 5_000, 10);
      await new Promise((r) => setTimeout(r, 100));
      const texts = (s: typeof spaced) => s.events.map((e) => e.data.text).sort();
      expect(texts(spaced)).toEqual(['live paging', 'paging']);
      expect(texts(quoted)).toEqual(['hindi', 'live hindi']);
    } finally {
      await Promise.all([spaced.close(), quoted.close()]);
    }
  });

  it('a keyword with nothing left once normalised is a 400 naming keyword, as an empty hashtag= is', async () => {
    const empty = ['%20%20', '%E2%80%8B', '%E2%80%8B%20%E2%80%8B', '%E2%80%8C', '%22%22', '%22%20%22', '%22%E2%80%8B%22', '%E3%80%80', '%22'];
    for (const value of empty) {
      for (const path of ['/v1/mentions', '/v1/mentions/export.csv', '/v1/mentions/live']) {
        const res = await t.request('GET', `${path}?keyword=${value}`, { key: ws.key });
        expect(res.status, `${path}?keyword=${value}`).toBe(400);
        expect(res.json.error.code).toBe('validation.failed');
        expect(res.json.error.fields.map((f: { field: string }) => f.field)).toEqual(['keyword']);
      }
    }
    // hashtag= of only invisible characters likewise.
    for (const value of ['%E2%80%8C', '%E2%80%8B', '%23%E2%80%8B']) {
      const res = await t.request('GET', `/v1/mentions?hashtag=${value}`, { key: ws.key });
      expect(res.status, `hashtag=${value}`).toBe(400);
      expect(res.json.error.fields.map((f: { field: string }) => f.field)).toEqual(['hashtag']);
    }
  });
});

describe('hashtag= as copied from an app', () => {
  it('a zero-width space or spaces at either end are not part of the tag; a space inside it is a 400 that says so', async () => {
    await seed(t.deps, { workspaceId: ws.id, sourceId: source, mentions: [{ ...mention({ at, brands: [acme], text: 'tagged', hashtags: ['aromacoffee'] }), brands: [{ brandId: acme, keywords: ['acme'] }] }] });
    for (const value of ['%23aromacoffee%E2%80%8B', '%E2%80%8B%23aromacoffee', '%20aromacoffee%20', 'aromacoffee%E2%81%A0']) {
      const res = await t.request('GET', `/v1/mentions?hashtag=${value}`, { key: ws.key });
      expect(res.status, value).toBe(200);
      expect(res.json.items.map((m: Mention) => m.text), value).toEqual(['tagged']);
    }
    for (const path of ['/v1/mentions', '/v1/mentions/export.csv', '/v1/mentions/live']) {
      const res = await t.request('GET', `${path}?hashtag=aroma%20coffee`, { key: ws.key });
      expect(res.status, path).toBe(400);
      expect(res.json.error.fields).toEqual([{ field: 'hashtag', message: expect.stringContaining('no spaces') }]);
    }
  });
});

describe('keyword= with brand=', () => {
  it("matches a keyword of any brand the mention holds, as the OpenAPI description and the README say", async () => {
    // 'shared' is Acme's mention through 'acme' and Globex's through 'globex'.
    expect(await listed(`brand=${acme}&keyword=globex`)).toEqual(['shared']);
    expect(await listed(`brand=${globex}&keyword=acme`)).toEqual(['shared']);
    expect(await listed('keyword=globex')).toEqual(['globex alone', 'shared']);
    const doc = (await t.request('GET', '/openapi.json')).json as { paths: Record<string, Record<string, { parameters: Array<{ name: string; description?: string }> }>> };
    for (const path of ['/v1/mentions', '/v1/mentions/export.csv', '/v1/mentions/live']) {
      const keyword = doc.paths[path]!.get!.parameters.find((p) => p.name === 'keyword')!;
      expect(keyword.description, path).toMatch(/any brand/);
    }
  });
});
