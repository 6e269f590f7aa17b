import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { parseCsv } from '../support/csv.js';
import { mention, seed } from '../support/seed.js';

// The marketer's audit: `brand_ids` holds uuids only, and every export needed a lookup to say which
// brand a row is about. `brand_names` gives the names, in the order and one per line as brand_ids,
// as the last column, so a reader by position keeps working.

let t: TestApp;
let key: string;
let kofola: string;
let digikala: string;
let formula: string;
const window = 'since=2026-10-01T00:00:00Z&until=2026-10-08T00:00:00Z';

/** The columns before brand_names, as the previous release wrote them. */
const EARLIER_COLUMNS =
  'id,published_at,fetched_at,source_type,source_id,brand_ids,url,title,text,author,lang,sentiment_label,sentiment_score,sentiment_model,hashtags,keywords,' +
  'lang_confidence,brand_sentiments,brand_sentiment_label,brand_sentiment_score,permalink';

beforeAll(async () => {
  t = await createTestApp();
  const ws = await t.workspace('Export names');
  key = ws.key;
  const brand = async (name: string, query: string) => (await t.request('POST', '/v1/brands', { key, body: { name, role: 'own', query } })).json.id as string;
  kofola = await brand('Kofola', 'kofola');
  digikala = await brand('دیجی‌کالا', 'دیجی‌کالا');
  formula = await brand('@Acme =Coffee', 'acme');
  const src = (await t.request('POST', '/v1/sources', { key, body: { type: 'rss', url: 'http://127.0.0.1:9/export-names.xml' } })).json.id;
  await seed(t.deps, {
    workspaceId: ws.id,
    sourceId: src,
    mentions: [
      mention({ at: '2026-10-02T10:00:00Z', brands: [digikala, kofola], text: 'Kofola na دیجی‌کالا' }),
      mention({ at: '2026-10-03T10:00:00Z', brands: [kofola], text: 'Kofola je nejlepší' }),
      mention({ at: '2026-10-04T10:00:00Z', brands: [formula], text: 'acme' }),
    ],
  });
});
afterAll(async () => t.close());

async function exportOf(query: string): Promise<{ header: string[]; rows: Array<Record<string, string>> }> {
  const res = await t.app.request(`/v1/mentions/export.csv?${query}`, { headers: { authorization: `Bearer ${key}` } });
  expect(res.status).toBe(200);
  const [header, ...rows] = parseCsv((await res.text()).replace(/^\uFEFF/, '')) as [string[], ...string[][]];
  return { header, rows: rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i]!]))) };
}

describe('the CSV export names the brands', () => {
  it('in a last column, brand_names, after the columns of the previous release in their places', async () => {
    const { header } = await exportOf(window);
    expect(header.join(',')).toBe(`${EARLIER_COLUMNS},brand_names`);
  });

  it("one name per line, in brand_ids' order, in any script", async () => {
    const { rows } = await exportOf(window);
    const byText = (text: string) => rows.find((r) => r.text === text)!;
    const both = byText('Kofola na دیجی‌کالا');
    expect(both.brand_ids!.split('\n')).toEqual([digikala, kofola]);
    expect(both.brand_names!.split('\n')).toEqual(['دیجی‌کالا', 'Kofola']);
    expect(byText('Kofola je nejlepší').brand_names).toBe('Kofola');
  });

  it('a name a spreadsheet would run as a formula starts with the guard\'s apostrophe, as other list cells do', async () => {
    const { rows } = await exportOf(window);
    expect(rows.find((r) => r.text === 'acme')!.brand_names).toBe("'@Acme =Coffee");
  });

  it('as the brands are named when the export starts: a renamed brand has its new name', async () => {
    expect((await t.request('PATCH', `/v1/brands/${kofola}`, { key, body: { name: 'Kofola ČeskoSlovensko' } })).status).toBe(200);
    const { rows } = await exportOf(`${window}&brand=${kofola}`);
    expect(rows.map((r) => r.brand_names)).toEqual(['Kofola ČeskoSlovensko', 'دیجی‌کالا\nKofola ČeskoSlovensko']);
  });

  it('is described in /openapi.json', async () => {
    const doc = (await t.request('GET', '/openapi.json')).json;
    const csv: string = doc.paths['/v1/mentions/export.csv'].get.description;
    expect(csv).toContain('brand_sentiment_score, permalink, brand_names`');
    expect(csv).toMatch(/`brand_names` holds the brands' names, one line per `brand_ids` line/);
  });
});
