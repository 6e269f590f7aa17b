import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { parseCsv } from '../support/csv.js';
import { mention, seed } from '../support/seed.js';

// The export's list cells (brand_ids, hashtags, keywords) hold one entry per line. The formula
// guard applies to the cell as a whole, so a cell whose first entry is a handle keyword starts
// with an apostrophe; the OpenAPI description says so, and how to split such a cell back.

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

describe('the CSV export of list cells', () => {
  it('a list cell starting with an apostrophe (a @handle keyword guarded, or a keyword that has one) splits back exactly once one apostrophe is removed, as documented', async () => {
    const ws = await t.workspace('Handle keywords');
    const brand = (await t.request('POST', '/v1/brands', { key: ws.key, body: { name: 'H', role: 'own', query: `@onlyhandle OR "कॉफ़ी हाउस" OR 's-hertogenbosch OR acme` } })).json.id;
    const src = (await t.request('POST', '/v1/sources', { key: ws.key, body: { type: 'rss', url: 'http://127.0.0.1:9/handles.xml' } })).json.id;
    const at = new Date(Date.now() - 60_000);
    await seed(t.deps, {
      workspaceId: ws.id,
      sourceId: src,
      mentions: [
        { ...mention({ at, brands: [brand], text: 'handle first' }), brands: [{ brandId: brand, keywords: ['@onlyhandle', 'कॉफ़ी हाउस'] }] },
        { ...mention({ at: new Date(at.getTime() - 1000), brands: [brand], text: 'phrase first' }), brands: [{ brandId: brand, keywords: ['कॉफ़ी हाउस', '@onlyhandle'] }] },
        // A keyword of its own may start with an apostrophe (the query term 's-Hertogenbosch).
        { ...mention({ at: new Date(at.getTime() - 2000), brands: [brand], text: 'apostrophe first' }), brands: [{ brandId: brand, keywords: ["'s-hertogenbosch", 'acme'] }] },
      ],
    });
    const res = await t.app.request('/v1/mentions/export.csv', { headers: { authorization: `Bearer ${ws.key}` } });
    const [header, ...rows] = parseCsv((await res.text()).replace(/^\uFEFF/, '')) as [string[], ...string[][]];
    const keywords = (row: string[]) => row[header.indexOf('keywords')]!;
    // The guard stays: a spreadsheet would otherwise run '@onlyhandle…' as a formula.
    expect(rows.map(keywords)).toEqual(["'@onlyhandle\nकॉफ़ी हाउस", 'कॉफ़ी हाउस\n@onlyhandle', "''s-hertogenbosch\nacme"]);
    // Text cells are unchanged: only the formula characters are guarded.
    expect(rows.map((row) => row[header.indexOf('text')])).toEqual(['handle first', 'phrase first', 'apostrophe first']);
    // The documented way back: drop one leading apostrophe, then split on line breaks.
    const entries = (cell: string) => cell.replace(/^'/, '').split('\n');
    expect(rows.map((row) => entries(keywords(row)))).toEqual([
      ['@onlyhandle', 'कॉफ़ी हाउस'],
      ['कॉफ़ी हाउस', '@onlyhandle'],
      ["'s-hertogenbosch", 'acme'],
    ]);

    const doc = (await t.request('GET', '/openapi.json')).json;
    const description: string = doc.paths['/v1/mentions/export.csv'].get.description;
    expect(description).toMatch(/`keywords`[^.]*@handle[^.]*apostrophe/);
    expect(description).toMatch(/remove (that|the) apostrophe|drop (that|the) apostrophe/i);
  });
});

describe('the CSV export with a q= that matches rarely', () => {
  // q= reads a bounded stretch of the window per page, so the pages can be empty with a cursor.
  // The export used to stop pulling after such a page and hang after its header, for good.
  it('reads on through empty pages and ends, with every matching row', async () => {
    const ws = await t.workspace('Sparse export');
    const brand = (await t.request('POST', '/v1/brands', { key: ws.key, body: { name: 'Zoo', role: 'own', query: 'acme OR zebra' } })).json.id;
    const src = (await t.request('POST', '/v1/sources', { key: ws.key, body: { type: 'rss', url: 'http://127.0.0.1:9/sparse.xml' } })).json.id;
    const newest = Date.now() - 60_000;
    // 12,001 mentions: the one about zebras is the oldest, past two full stretches of others.
    const mentions = Array.from({ length: 12_000 }, (_, i) => mention({ at: new Date(newest - i * 1000), brands: [brand], text: `acme bulk ${i}` }));
    mentions.push(mention({ at: new Date(newest - 12_000 * 1000), brands: [brand], text: 'a zebra at the end' }));
    await seed(t.deps, { workspaceId: ws.id, sourceId: src, mentions });

    for (const [q, texts] of [['zebra', ['a zebra at the end']], ['nothingmatcheshere', []]] as const) {
      const res = await t.app.request(`/v1/mentions/export.csv?q=${q}`, { headers: { authorization: `Bearer ${ws.key}` }, signal: AbortSignal.timeout(20_000) });
      expect(res.status).toBe(200);
      const [header, ...rows] = parseCsv((await res.text()).replace(/^\uFEFF/, '')) as [string[], ...string[][]];
      expect(rows.map((row) => row[header.indexOf('text')]), q).toEqual(texts);
    }
  }, 30_000);
});
