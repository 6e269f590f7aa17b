import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { mention, seed } from '../support/seed.js';

// The newcomer audit of `npm run demo`: a competitor's negative-only word cloud listed "watery" and
// "bland" as praise (its counts split by the post's label, not the brand's reading), and trending
// keywords filled with every phrase of one post the demo had published three times.

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

type TermItem = { term: string; mentions: number; positive: number; neutral: number; negative: number; unscored: number };

async function setUp(name: string) {
  const ws = await t.workspace(name);
  const brand = async (body: { name: string; role: string; query: string }) => (await t.request('POST', '/v1/brands', { key: ws.key, body })).json.id as string;
  const aroma = await brand({ name: 'Aroma Coffee', role: 'own', query: '"aroma coffee"' });
  const beanbros = await brand({ name: 'BeanBros', role: 'competitor', query: 'beanbros' });
  const src = (await t.request('POST', '/v1/sources', { key: ws.key, body: { type: 'rss', url: `http://127.0.0.1:9/${encodeURIComponent(name)}.xml` } })).json.id as string;
  const get = async (path: string) => {
    const res = await t.request('GET', path, { key: ws.key });
    expect(res.status, res.text).toBe(200);
    return res.json;
  };
  return { ws, aroma, beanbros, src, get };
}

describe("/v1/terms with brand= counts by that brand's reading", () => {
  it("a competitor's negative-only cloud has no positive counts, though the posts read positive as a whole", async () => {
    const { ws, aroma, beanbros, src, get } = await setUp('Readings in terms');
    const window = 'since=2026-08-01T00:00:00Z&until=2026-08-08T00:00:00Z';
    // Posts that prefer Aroma to BeanBros: positive as a whole and for Aroma, negative for BeanBros.
    const texts = [
      'The BeanBros delivery was cold and watery, but Aroma Coffee is lovely',
      'BeanBros delivery cold and bland again; Aroma Coffee was great',
      'Another cold BeanBros delivery, so now Aroma Coffee every morning',
    ];
    await seed(t.deps, {
      workspaceId: ws.id,
      sourceId: src,
      mentions: [
        ...texts.map((text, i) =>
          mention({
            at: `2026-08-0${i + 2}T10:00:00Z`,
            brands: [beanbros, aroma],
            text,
            label: 'positive',
            score: 0.57,
            brandSentiments: { [beanbros]: { label: 'negative', score: -0.57 }, [aroma]: { label: 'positive', score: 0.8 } },
          }),
        ),
        // A post of BeanBros alone, negative through and through.
        mention({ at: '2026-08-05T10:00:00Z', brands: [beanbros], text: 'BeanBros delivery arrived cold', label: 'negative', score: -0.5 }),
      ],
    });

    const listed = await get(`/v1/mentions?brand=${beanbros}&sentiment=negative&${window}`);
    expect(listed.items).toHaveLength(4);

    const negative = await get(`/v1/terms?brand=${beanbros}&sentiment=negative&${window}&limit=200`);
    expect(negative.mentions).toBe(4);
    const items = negative.items as TermItem[];
    expect(items.map((i) => i.term)).toEqual(expect.arrayContaining(['delivery', 'cold']));
    for (const item of items) expect(item, item.term).toMatchObject({ positive: 0, neutral: 0, unscored: 0, negative: item.mentions });
    expect(items.find((i) => i.term === 'delivery')).toMatchObject({ mentions: 4, negative: 4 });

    // Unfiltered, BeanBros' cloud still splits by its reading: every post says something bad of it.
    const all = (await get(`/v1/terms?brand=${beanbros}&${window}&limit=200`)).items as TermItem[];
    expect(all.find((i) => i.term === 'delivery')).toMatchObject({ mentions: 4, positive: 0, negative: 4 });
    // Aroma's reading of the same posts is positive, and so is its cloud.
    expect((await get(`/v1/terms?brand=${aroma}&sentiment=negative&${window}`)).mentions).toBe(0);

    // Without brand=, a mention counts once, under the post's own label, as the mention list filters it.
    const workspace = (await get(`/v1/terms?${window}&limit=200`)).items as TermItem[];
    expect(workspace.find((i) => i.term === 'delivery')).toMatchObject({ mentions: 4, positive: 3, negative: 1 });
    const workspaceNegative = await get(`/v1/terms?sentiment=negative&${window}&limit=200`);
    expect(workspaceNegative.mentions).toBe((await get(`/v1/mentions?sentiment=negative&${window}`)).items.length);
  });
});

describe('copies of one text count once in trending keywords and /v1/terms', () => {
  it('a post published three times (under new ids, with other links and handles) does not trend; three different posts saying it do', async () => {
    const { ws, aroma, src, get } = await setUp('Copies');
    const window = 'since=2026-09-08T00:00:00Z&until=2026-09-15T00:00:00Z';
    const at = (day: number) => `2026-09-${String(day).padStart(2, '0')}T10:00:00Z`;
    const copies = [
      'Aroma Coffee now offers oat milk at no extra charge',
      'Aroma Coffee now offers OAT MILK at no extra  charge https://t.co/x1',
      '@aromacoffee Aroma Coffee now offers oat milk at no extra charge https://aroma.example/oat?utm=3',
    ];
    const different = ['Aroma Coffee loyalty card stopped working', 'My Aroma Coffee loyalty card is broken again', 'Is the Aroma Coffee loyalty card down for everyone?'];
    await seed(t.deps, {
      workspaceId: ws.id,
      sourceId: src,
      mentions: [...copies.map((text, i) => mention({ at: at(9 + i), brands: [aroma], text })), ...different.map((text, i) => mention({ at: at(9 + i), brands: [aroma], text }))],
    });

    const trending = (await get(`/v1/trending/keywords?brand=${aroma}&${window}`)).items as Array<{ term: string; mentions: number; previous: number }>;
    expect(trending.map((i) => i.term)).toContain('loyalty card');
    expect(trending.find((i) => i.term === 'loyalty card')).toMatchObject({ mentions: 3, previous: 0 });
    const oat = trending.filter((i) => /oat|milk|charge/u.test(i.term));
    expect(oat, JSON.stringify(oat)).toEqual([]);
    // The same without brand=.
    const workspaceTrending = (await get(`/v1/trending/keywords?${window}`)).items as Array<{ term: string }>;
    expect(workspaceTrending.map((i) => i.term)).toContain('loyalty card');
    expect(workspaceTrending.filter((i) => /oat|milk|charge/u.test(i.term))).toEqual([]);

    // The word cloud reads all six mentions and counts the oat-milk text once.
    const cloud = await get(`/v1/terms?brand=${aroma}&${window}&limit=200`);
    expect({ mentions: cloud.mentions, texts: cloud.texts }).toEqual({ mentions: 6, texts: 4 });
    const items = cloud.items as TermItem[];
    expect(items.find((i) => /oat milk/u.test(i.term))).toMatchObject({ mentions: 1 });
    expect(items.find((i) => i.term === 'loyalty card')).toMatchObject({ mentions: 3 });

    // Mention counts elsewhere count every copy.
    expect((await get(`/v1/mentions?brand=${aroma}&${window}`)).items).toHaveLength(6);
    const voice = await get(`/v1/share-of-voice?${window}`);
    expect(voice.brands.find((b: { brandId: string }) => b.brandId === aroma).mentions).toBe(6);
  });

  it('copies count once in each window, not once across both: a text of last week posted again three times counts 1 now and 1 before', async () => {
    const { ws, aroma, src, get } = await setUp('Copies across windows');
    const copied = 'Aroma Coffee branch queue at Vinohrady is long';
    const other = ['Aroma Coffee Karlín branch queue', 'Aroma Coffee Smíchov branch queue', 'Aroma Coffee Holešovice branch queue'];
    await seed(t.deps, {
      workspaceId: ws.id,
      sourceId: src,
      mentions: [
        mention({ at: '2026-09-03T10:00:00Z', brands: [aroma], text: copied }),
        ...['09', '10', '11'].map((day) => mention({ at: `2026-09-${day}T10:00:00Z`, brands: [aroma], text: copied })),
        ...other.map((said, i) => mention({ at: `2026-09-1${i}T12:00:00Z`, brands: [aroma], text: said })),
      ],
    });
    const trending = (await get(`/v1/trending/keywords?brand=${aroma}&since=2026-09-08T00:00:00Z&until=2026-09-15T00:00:00Z`)).items as Array<{ term: string }>;
    // 4 after 1 (3 ≥ 2·√2): the copied post counts now as well as before, once in each.
    expect(trending.find((i) => i.term === 'branch queue')).toMatchObject({ mentions: 4, previous: 1 });
    expect(trending.filter((i) => /vinohrady/u.test(i.term))).toEqual([]);
  });
});
