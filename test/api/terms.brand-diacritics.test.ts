import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { mention, seed } from '../support/seed.js';

// The audit: docs say brand names and query terms are left out of keywords and themes, and advise
// queries without diacritics (`skoda` finds Škoda). Yet with the query `skoda OR skodovk*` the
// workspace's trending keywords began with "škodovka", the brand's word cloud with škodovka,
// škoda and škodovce, and the SWOT's one strength was `Škoda Auto is praised for "škodovka"`.

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ config: { SWOT_CACHE_SECONDS: '0', RATE_LIMIT_PER_MINUTE: '1000000' } });
});
afterAll(async () => t.close());

const SINCE = '2026-10-05T00:00:00Z';
const UNTIL = '2026-10-12T00:00:00Z';
const window = `since=${SINCE}&until=${UNTIL}`;
const at = (i: number) => new Date(Date.parse(SINCE) + 3_600_000 * (2 + i * 5)).toISOString();
/** What the query `skoda OR skodovk*` finds: škoda, škodovka, škodovky… but not škodovce (skodovk* is not skodovc*). */
const FOUND = /[sš]kod(?:a|ovk)/u;

describe('brand names written with diacritics are left out of keywords, word clouds and the SWOT', () => {
  it('a query without diacritics (skoda OR skodovk*) leaves out Škoda and Škodovka (not Škodovce); a query with them leaves "Citroen" in', async () => {
    const ws = await t.workspace('Škoda diacritics');
    const brand = async (body: { name: string; role: string; query: string }) => {
      const res = await t.request('POST', '/v1/brands', { key: ws.key, body });
      expect(res.status, res.text).toBe(201);
      return res.json.id as string;
    };
    const skoda = await brand({ name: 'Škoda Auto', role: 'own', query: 'skoda OR skodovk*' });
    const citroen = await brand({ name: 'Citroën', role: 'competitor', query: 'citroën' });
    const sourceId = (await t.request('POST', '/v1/sources', { key: ws.key, body: { type: 'rss', url: 'http://127.0.0.1:9/skoda.xml' } })).json.id as string;
    const praise = [
      'Moje nová Škodovka je super, rychlý servis',
      'Škodovka jede skvěle, rychlý servis v Mladé Boleslavi',
      'Ve Škodovce se mi líbí rychlý servis',
      'Škoda má rychlý servis a moje Škodovka nezklamala',
    ];
    await seed(t.deps, {
      workspaceId: ws.id,
      sourceId,
      mentions: [
        ...Array.from({ length: 24 }, (_, i) =>
          mention({ at: at(i), brands: [skoda], label: 'positive', score: 0.7, lang: 'cs', text: `${praise[i % praise.length]} ${i}` })),
        // Written without the diacritics of the competitor's query: its query would not find "Citroen".
        ...Array.from({ length: 21 }, (_, i) =>
          mention({ at: at(i), brands: [citroen], lang: 'cs', text: `Citroen ${['nabízí', 'ukázal', 'chystá'][i % 3]} ${i}` })),
      ],
    });
    const get = async (path: string) => {
      const res = await t.request('GET', path, { key: ws.key });
      expect(res.status, res.text).toBe(200);
      return res.json;
    };

    const cloud = (await get(`/v1/terms?brand=${skoda}&${window}&limit=200`)).items as Array<{ term: string; mentions: number }>;
    expect(cloud.filter((i) => FOUND.test(i.term)), JSON.stringify(cloud.slice(0, 5))).toEqual([]);
    // A word the query does not find is no name of the brand's: it stays.
    expect(cloud.filter((i) => /[sš]kod/u.test(i.term)).map((i) => i.term)).toEqual(['škodovce']);
    expect(cloud.find((i) => i.term === 'rychlý servis')).toMatchObject({ mentions: 24 });

    const trending = (await get(`/v1/trending/keywords?${window}&limit=100`)).items as Array<{ term: string }>;
    expect(trending.filter((i) => FOUND.test(i.term)), JSON.stringify(trending.slice(0, 5))).toEqual([]);
    expect(trending.map((i) => i.term)).toEqual(expect.arrayContaining(['rychlý servis', 'citroen']));

    const swot = await get(`/v1/swot?brand=${skoda}&${window}`);
    const items = [...swot.strengths, ...swot.weaknesses, ...swot.opportunities, ...swot.threats] as Array<{ theme: string; summary: string }>;
    expect(items.filter((i) => FOUND.test(i.theme)), JSON.stringify(items)).toEqual([]);
    expect(swot.strengths.map((i: { theme: string }) => i.theme), JSON.stringify(items)).toContain('rychlý servis');
  });
});
