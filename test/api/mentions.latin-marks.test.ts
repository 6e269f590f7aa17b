import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PreparedMention } from '../../src/domain/mentions/ingest.js';
import { toMentionFromPrepared, type Mention } from '../../src/domain/mentions/mentions.usecases.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { parseCsv } from '../support/csv.js';
import { mention, seed } from '../support/seed.js';
import { collectEvents } from '../support/sse.js';
import { waitUntil } from '../reliability/support.js';

// The keyword and hashtag streams treat Latin diacritics as the query language does, one way:
// a term written without them finds the stored term with or without them, a term written with
// them finds only that spelling. Marks on other scripts' letters are part of the word.

let t: TestApp;
let ws: { id: string; key: string };
let brand: string;
let source: string;

const at = new Date(Date.now() - 3_600_000);

/** A mention whose text names it, with these hashtags and these matched keywords. */
function tagged(text: string, hashtags: string[], keywords: string[] = []): PreparedMention {
  return { ...mention({ at, brands: [brand], hashtags, text }), brands: [{ brandId: brand, keywords }] };
}

beforeAll(async () => {
  t = await createTestApp({ config: { RATE_LIMIT_PER_MINUTE: '1000000' } });
  ws = await t.workspace('Diakritika');
  brand = (await t.request('POST', '/v1/brands', { key: ws.key, body: { name: 'Škoda', role: 'own', query: 'škoda OR skoda' } })).json.id;
  source = (await t.request('POST', '/v1/sources', { key: ws.key, body: { type: 'rss', url: 'http://127.0.0.1:9/diakritika.xml' } })).json.id;
  await seed(t.deps, {
    workspaceId: ws.id,
    sourceId: source,
    mentions: [
      tagged('marked', ['škodaauto'], ['škoda']),
      tagged('bare', ['skodaauto'], ['skoda']),
      // İstanbul folds to i + U+0307 (a dot above the Latin i); phở carries two marks on its o.
      tagged('turkish and vietnamese', ['i\u0307stanbul', 'phở']),
      // A Devanagari anusvara and an Arabic kasra: marks that make another word.
      tagged('hindi and persian', ['हिंदी', 'کِتاب']),
    ],
  });
});
afterAll(async () => t?.close());

const window = 'since=2020-01-01T00:00:00Z';

async function listed(query: string): Promise<string[]> {
  const res = await t.request('GET', `/v1/mentions?${window}&${query}`, { key: ws.key });
  expect(res.status, res.text).toBe(200);
  return (res.json.items as Array<{ text: string }>).map((m) => m.text).sort();
}

async function exported(query: string): Promise<string[]> {
  const res = await t.app.request(`/v1/mentions/export.csv?${window}&${query}`, { headers: { authorization: `Bearer ${ws.key}` } });
  expect(res.status).toBe(200);
  const [header, ...rows] = parseCsv((await res.text()).replace(/^\uFEFF/, '')) as [string[], ...string[][]];
  return rows.map((row) => row[header.indexOf('text')]!).sort();
}

const q = encodeURIComponent;

describe('the hashtag and keyword streams and Latin diacritics', () => {
  it('hashtag= without diacritics finds the tag with or without them; with diacritics, only that spelling', async () => {
    expect(await listed('hashtag=skodaauto')).toEqual(['bare', 'marked']);
    expect(await listed(`hashtag=${q('#SkodaAuto')}`)).toEqual(['bare', 'marked']);
    expect(await listed(`hashtag=${q('škodaauto')}`)).toEqual(['marked']);
    expect(await listed(`hashtag=${q('#ŠKODAAUTO')}`)).toEqual(['marked']);
    expect(await listed('hashtag=istanbul')).toEqual(['turkish and vietnamese']);
    expect(await listed(`hashtag=${q('İstanbul')}`)).toEqual(['turkish and vietnamese']);
    expect(await listed('hashtag=pho')).toEqual(['turkish and vietnamese']);
    expect(await listed(`hashtag=${q('pho\u031B')}`)).toEqual([]);
  });

  it('q= with a hashtag follows the same rule as hashtag=', async () => {
    expect(await listed(`q=${q('#skodaauto')}`)).toEqual(['bare', 'marked']);
    expect(await listed(`q=${q('#škodaauto')}`)).toEqual(['marked']);
    expect(await listed(`q=${q('#pho')}`)).toEqual(['turkish and vietnamese']);
  });

  it('keyword= follows the same rule, with or without a brand', async () => {
    expect(await listed('keyword=skoda')).toEqual(['bare', 'marked']);
    expect(await listed(`keyword=skoda&brand=${brand}`)).toEqual(['bare', 'marked']);
    expect(await listed(`keyword=${q('Škoda')}`)).toEqual(['marked']);
    expect(await listed(`keyword=${q('škoda')}&brand=${brand}`)).toEqual(['marked']);
  });

  it('marks on Devanagari and Arabic letters are part of the word', async () => {
    expect(await listed(`hashtag=${q('हिदी')}`)).toEqual([]);
    expect(await listed(`hashtag=${q('हिंदी')}`)).toEqual(['hindi and persian']);
    expect(await listed(`hashtag=${q('کتاب')}`)).toEqual([]);
    expect(await listed(`hashtag=${q('کِتاب')}`)).toEqual(['hindi and persian']);
  });

  it('the CSV export filters as the list does', async () => {
    expect(await exported('hashtag=skodaauto')).toEqual(['bare', 'marked']);
    expect(await exported(`hashtag=${q('škodaauto')}`)).toEqual(['marked']);
    expect(await exported('keyword=skoda')).toEqual(['bare', 'marked']);
  });

  it('the live stream filters its replay (in Postgres) and its new mentions (in memory) the same way', async () => {
    const open = async (query: string) => {
      const res = await t.app.request(`/v1/mentions/live?${query}`, { headers: { authorization: `Bearer ${ws.key}`, 'last-event-id': '0' } });
      expect(res.status).toBe(200);
      return collectEvents<Mention>(res);
    };
    const bare = await open('hashtag=skodaauto');
    const marked = await open(`hashtag=${q('škodaauto')}`);
    const keyword = await open('keyword=skoda');
    try {
      await waitUntil('the replays', () => bare.events.length === 2 && marked.events.length === 1 && keyword.events.length === 2, 5_000, 10);
      // Seqs far above the seeded events', so no replay holds them.
      const live = [tagged('live marked', ['škodaauto'], ['škoda']), tagged('live bare', ['skodaauto'], ['skoda']), tagged('live other', ['hindi'])].map(
        (m, i) => ({ seq: 1_000_000 + i, mention: toMentionFromPrepared(1_000_000 + i, m, { id: source, type: 'rss' }) }),
      );
      await t.deps.publisher.publish(ws.id, live);
      await waitUntil('the live mentions', () => bare.events.length === 4 && marked.events.length === 2 && keyword.events.length === 4, 5_000, 10);
      await new Promise((r) => setTimeout(r, 100));
      const texts = (s: typeof bare) => s.events.map((e) => e.data.text).sort();
      expect(texts(bare)).toEqual(['bare', 'live bare', 'live marked', 'marked']);
      expect(texts(marked)).toEqual(['live marked', 'marked']);
      expect(texts(keyword)).toEqual(['bare', 'live bare', 'live marked', 'marked']);
    } finally {
      await Promise.all([bare.close(), marked.close(), keyword.close()]);
    }
  });
});
