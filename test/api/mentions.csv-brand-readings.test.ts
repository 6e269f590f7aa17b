import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toMentionFromPrepared } from '../../src/domain/mentions/mentions.usecases.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { parseCsv } from '../support/csv.js';
import { mention, seed } from '../support/seed.js';

// The newcomer audit: `export.csv?brand=BeanBros&sentiment=negative` gave rows labelled positive with
// nothing to say why (the filter takes the brand's reading, the CSV had only the post's); and the
// README promised a language confidence that neither the API nor the CSV showed.

let t: TestApp;
let key: string;
let aroma: string;
let beanbros: string;
const window = 'since=2026-10-01T00:00:00Z&until=2026-10-08T00:00:00Z';

beforeAll(async () => {
  t = await createTestApp();
  const ws = await t.workspace('Export readings');
  key = ws.key;
  aroma = (await t.request('POST', '/v1/brands', { key, body: { name: 'Aroma Coffee', role: 'own', query: '"aroma coffee"' } })).json.id;
  beanbros = (await t.request('POST', '/v1/brands', { key, body: { name: 'BeanBros', role: 'competitor', query: 'beanbros' } })).json.id;
  const src = (await t.request('POST', '/v1/sources', { key, body: { type: 'rss', url: 'http://127.0.0.1:9/export-readings.xml' } })).json.id;
  await seed(t.deps, {
    workspaceId: ws.id,
    sourceId: src,
    mentions: [
      {
        ...mention({
          at: '2026-10-02T10:00:00Z',
          brands: [beanbros, aroma],
          text: 'Switching from BeanBros to Aroma Coffee',
          label: 'positive',
          score: 0.57,
          brandSentiments: { [beanbros]: { label: 'negative', score: -0.57 }, [aroma]: { label: 'positive', score: 0.8 } },
        }),
        langConfidence: 0.62,
      },
      { ...mention({ at: '2026-10-03T10:00:00Z', brands: [beanbros], text: 'BeanBros delivery arrived cold', label: 'negative', score: -0.5, lang: 'en' }), langConfidence: 0.91 },
      // Detection was unsure: no language, so no confidence either.
      { ...mention({ at: '2026-10-04T10:00:00Z', brands: [aroma], text: 'Aroma Coffee 👍', label: 'positive', score: 0.4, lang: null }), langConfidence: 0.2 },
    ],
  });
});
afterAll(async () => t.close());

async function exportRows(query: string): Promise<Array<Record<string, string>>> {
  const res = await t.app.request(`/v1/mentions/export.csv?${query}`, { headers: { authorization: `Bearer ${key}` } });
  expect(res.status).toBe(200);
  const [header, ...rows] = parseCsv((await res.text()).replace(/^\uFEFF/, '')) as [string[], ...string[][]];
  return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i]!])));
}

describe("the CSV export carries each brand's reading", () => {
  it("with brand= and sentiment=, each row shows the brand's label that selected it beside the post's own", async () => {
    const rows = await exportRows(`brand=${beanbros}&sentiment=negative&${window}`);
    expect(rows.map((r) => r.text)).toEqual(['BeanBros delivery arrived cold', 'Switching from BeanBros to Aroma Coffee']);
    const switching = rows[1]!;
    expect(switching).toMatchObject({ sentiment_label: 'positive', sentiment_score: '0.57', brand_sentiment_label: 'negative', brand_sentiment_score: '-0.57' });
    // Every row's brand label is what the filter asked for.
    expect(rows.map((r) => r.brand_sentiment_label)).toEqual(['negative', 'negative']);
    // Each brand's reading, one line per brand, in the order of brand_ids.
    expect(switching.brand_ids!.split('\n')).toEqual([beanbros, aroma]);
    expect(switching.brand_sentiments!.split('\n')).toEqual(['negative -0.57', 'positive 0.8']);
  });

  it('without brand=, the per-brand columns are empty and the readings list is still there; the header is the same', async () => {
    const rows = await exportRows(window);
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row, row.text).toMatchObject({ brand_sentiment_label: '', brand_sentiment_score: '' });
    expect(rows.find((r) => r.text === 'Switching from BeanBros to Aroma Coffee')!.brand_sentiments).toBe('negative -0.57\npositive 0.8');
    expect(rows.find((r) => r.text === 'BeanBros delivery arrived cold')!.brand_sentiments).toBe('negative -0.5');
    const res = await t.app.request(`/v1/mentions/export.csv?${window}&bom=false`, { headers: { authorization: `Bearer ${key}` } });
    expect((await res.text()).split('\r\n')[0]).toBe(
      'id,published_at,fetched_at,source_type,source_id,brand_ids,url,title,text,author,lang,sentiment_label,sentiment_score,sentiment_model,hashtags,keywords,' +
        'lang_confidence,brand_sentiments,brand_sentiment_label,brand_sentiment_score,permalink,brand_names',
    );
  });

  it('gives the language confidence, empty where there is no language', async () => {
    const rows = await exportRows(window);
    const byText = (text: string) => rows.find((r) => r.text === text)!;
    expect(byText('BeanBros delivery arrived cold')).toMatchObject({ lang: 'en', lang_confidence: '0.91' });
    expect(byText('Switching from BeanBros to Aroma Coffee')).toMatchObject({ lang: 'en', lang_confidence: '0.62' });
    expect(byText('Aroma Coffee 👍')).toMatchObject({ lang: '', lang_confidence: '' });
  });
});

describe('the Mention gives its language confidence', () => {
  it('as langConfidence, 0..1, null when lang is null, on the list, on GET by id and on a live event alike', async () => {
    const res = await t.request('GET', `/v1/mentions?${window}`, { key });
    expect(res.status).toBe(200);
    const byText = (text: string) => res.json.items.find((m: { text: string }) => m.text === text);
    expect(byText('BeanBros delivery arrived cold')).toMatchObject({ lang: 'en', langConfidence: 0.91 });
    expect(byText('Aroma Coffee 👍')).toMatchObject({ lang: null, langConfidence: null });
    const one = await t.request('GET', `/v1/mentions/${byText('Switching from BeanBros to Aroma Coffee').id}`, { key });
    expect(one.json).toMatchObject({ lang: 'en', langConfidence: 0.62 });
    // A live event is built from the prepared mention, not read back: it must agree with GET.
    const prepared = { ...mention({ at: '2026-10-02T10:00:00Z', brands: [aroma], lang: 'en' }), langConfidence: 0.62 };
    expect(toMentionFromPrepared(1, prepared, { id: 'x', type: 'rss' }).langConfidence).toBe(0.62);
    expect(toMentionFromPrepared(1, { ...prepared, lang: null, langConfidence: 0.2 }, { id: 'x', type: 'rss' }).langConfidence).toBeNull();
  });

  it('is described in /openapi.json', async () => {
    const doc = (await t.request('GET', '/openapi.json')).json;
    const field = doc.components.schemas.Mention.properties.langConfidence;
    expect(field).toMatchObject({ minimum: 0, maximum: 1 });
    expect(JSON.stringify(field)).toMatch(/null/);
    expect(doc.components.schemas.Mention.required).toContain('langConfidence');
    const csv: string = doc.paths['/v1/mentions/export.csv'].get.description;
    for (const column of ['lang_confidence', 'brand_sentiments', 'brand_sentiment_label', 'brand_sentiment_score']) expect(csv).toContain(column);
  });
});
