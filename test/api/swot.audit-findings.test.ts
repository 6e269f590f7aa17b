import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { mention, seed } from '../support/seed.js';

// The SWOT as a marketer read it (audit of the competitor SWOT and digest): share-of-voice claims
// against a previous window with no data, a competitor louder on bad press filed as a threat, a
// rising theme's criticism left unsaid, English "minutes" labelled with the Czech "minut", the
// fragment "times" beside "waiting times", and two parameter gaps.

let t: TestApp;
const HOUR = 3_600_000;
const SINCE = Date.parse('2026-11-09T00:00:00Z');
const WEEK = 7 * 24 * HOUR;
const window = { since: new Date(SINCE).toISOString(), until: new Date(SINCE + WEEK).toISOString() };

beforeAll(async () => {
  t = await createTestApp({ config: { SWOT_CACHE_SECONDS: '0', RATE_LIMIT_PER_MINUTE: '1000000' } });
});
afterAll(async () => t.close());

/** Words used once each (`zqab`, `zqac`…), so filler never makes a theme. */
let wordAt = 0;
const word = () => `zq${String.fromCharCode(97 + (Math.floor(wordAt / 26) % 26))}${String.fromCharCode(97 + (wordAt++ % 26))}`;

type Label = 'positive' | 'neutral' | 'negative';
interface Post { brand: 'own' | 'mocha' | 'roastly'; text: string; label?: Label; lang?: string; previous?: boolean }
const SCORE: Record<Label, number> = { positive: 0.7, neutral: 0, negative: -0.7 };
const NAMES = { own: 'Sunbean', mocha: 'Mocha Mill', roastly: 'Roastly' } as const;

/** `n` posts of a brand naming it and two words of their own. */
const filler = (brand: Post['brand'], n: number, extra: Partial<Post> = {}): Post[] =>
  Array.from({ length: n }, () => ({ brand, text: `${NAMES[brand]} ${word()} ${word()}`, ...extra }));

/** A workspace with Sunbean (own), Mocha Mill and Roastly, holding `posts` in the window (or the one before). */
async function workspace(name: string, posts: Post[]) {
  const ws = await t.workspace(name);
  const ids: Record<Post['brand'], string> = {
    own: (await t.request('POST', '/v1/brands', { key: ws.key, body: { name: 'Sunbean', role: 'own', query: 'sunbean' } })).json.id,
    mocha: (await t.request('POST', '/v1/brands', { key: ws.key, body: { name: 'Mocha Mill', role: 'competitor', query: '"mocha mill"' } })).json.id,
    roastly: (await t.request('POST', '/v1/brands', { key: ws.key, body: { name: 'Roastly', role: 'competitor', query: 'roastly' } })).json.id,
  };
  const sourceId = (await t.request('POST', '/v1/sources', { key: ws.key, body: { type: 'rss', url: 'http://127.0.0.1:9/swot-audit.xml' } })).json.id;
  const rows = await seed(t.deps, {
    workspaceId: ws.id,
    sourceId,
    mentions: posts.map((p, i) => {
      const label = p.label ?? 'neutral';
      const at = SINCE + (p.previous ? -WEEK : 0) + ((i * 7919) % (WEEK - HOUR));
      return mention({ at: new Date(at), brands: [ids[p.brand]], label, score: SCORE[label], text: p.text, lang: p.lang ?? 'en' });
    }),
  });
  const textOf = new Map(rows.map((r) => [String(r.id), r.mention.text]));
  const langOf = new Map(rows.map((r) => [String(r.id), r.mention.lang]));
  const swot = async () => {
    const res = await t.request('GET', `/v1/swot?brand=${ids.own}&since=${window.since}&until=${window.until}`, { key: ws.key });
    expect(res.status, res.text).toBe(200);
    return res.json as Swot;
  };
  return { ...ws, ids, textOf, langOf, swot };
}

interface Item { theme: string; summary: string; rule: string; score: number; evidence: { mentions: number; netSentiment: number | null; brandIds: string[]; sampleMentionIds: string[] } }
interface Swot { status: string; strengths: Item[]; weaknesses: Item[]; opportunities: Item[]; threats: Item[]; sample: { previousOf: number } }
const all = (s: Swot) => [...s.strengths, ...s.weaknesses, ...s.opportunities, ...s.threats];
const shareItems = (s: Swot) => all(s).filter((i) => i.theme.startsWith('share of voice'));

describe('share of voice in the SWOT', () => {
  it('claims no rise against a previous window without mentions ("rose from 0.0% to 27.3%")', async () => {
    const w = await workspace('No previous week', [...filler('own', 25), ...filler('mocha', 15), ...filler('roastly', 15)]);
    const s = await w.swot();
    expect(s.status).toBe('ok');
    expect(s.sample.previousOf).toBe(0);
    expect(shareItems(s)).toEqual([]);
  });

  it('claims no rise resting on a previous window of 14 mentions, one of them the competitor’s', async () => {
    const w = await workspace('Thin previous week', [
      ...filler('own', 13, { previous: true }), ...filler('roastly', 1, { previous: true }),
      ...filler('own', 65), ...filler('mocha', 41), ...filler('roastly', 34),
    ]);
    const s = await w.swot();
    expect(s.sample.previousOf).toBe(14);
    // 1 of 14 (7.1%) against 34 of 140 (24.3%): a 3.4× "rise" the test of two proportions does not bear.
    expect(shareItems(s)).toEqual([]);
  });

  it('files a competitor louder on criticism as an opportunity saying so, and a praised one as a threat with its sentiment', async () => {
    const w = await workspace('Bad press', [
      ...filler('own', 30, { previous: true }), ...filler('mocha', 8, { previous: true }), ...filler('roastly', 8, { previous: true }),
      ...filler('own', 30), ...filler('mocha', 30, { label: 'negative' }), ...filler('roastly', 30, { label: 'positive' }),
    ]);
    const s = await w.swot();
    expect(s.threats.filter((i) => i.evidence.brandIds.includes(w.ids.mocha))).toEqual([]);
    const mocha = s.opportunities.find((i) => i.theme === 'share of voice: Mocha Mill');
    expect(mocha).toMatchObject({ rule: 'competitor_criticised_share_gain', evidence: { mentions: 30, netSentiment: -1, brandIds: [w.ids.mocha] } });
    expect(mocha!.summary).toBe("Mocha Mill's share of voice rose from 17.4% to 33.3% (1.9×) against the previous period, on criticism: net sentiment −1.00 across 30 mentions. Its unhappy customers are Sunbean's to win.");
    // The evidence is the criticism: Mocha Mill's own negative mentions.
    expect(mocha!.evidence.sampleMentionIds).toHaveLength(5);
    for (const id of mocha!.evidence.sampleMentionIds) expect(w.textOf.get(id)).toMatch(/^Mocha Mill /);

    const roastly = s.threats.find((i) => i.theme === 'share of voice: Roastly');
    expect(roastly).toMatchObject({ rule: 'competitor_share_gain', evidence: { netSentiment: 1 } });
    expect(roastly!.summary).toBe("Roastly's share of voice rose from 17.4% to 33.3% (1.9×) against the previous period, with net sentiment +1.00 across 30 mentions.");
  });
});

describe('a competitor theme that is rising and criticised', () => {
  const prices = (): Post[] => (['negative', 'negative', 'negative', 'negative', 'negative', 'neutral', 'positive'] as const)
    .map((label) => ({ brand: 'mocha', text: `Mocha Mill prices ${word()} ${word()}`, label }));
  const week = () => [...filler('own', 25), ...prices(), ...filler('mocha', 15), ...filler('roastly', 10)];
  const before = () => [...filler('own', 15, { previous: true }), ...filler('mocha', 5, { previous: true }), ...filler('roastly', 5, { previous: true })];

  it('is one opportunity that says both, not only "rising"', async () => {
    const w = await workspace('Rising prices', [...before(), ...week()]);
    const items = (await w.swot()).opportunities.filter((i) => i.theme === 'prices');
    expect(items.map((i) => i.rule)).toEqual(['competitors_criticised']);
    expect(items[0]!.summary).toBe('Mocha Mill is criticised for "prices", which is rising (0 → 7 mentions): net sentiment −0.57 across 7 mentions (5 negative); Sunbean has fewer than 3 mentions on it.');
    // Ranked by the stronger signal: new this week (1), not the criticism alone (0.57).
    expect(items[0]!.score).toBe(Math.round(Math.log(8) * 10_000) / 10_000);
    for (const id of items[0]!.evidence.sampleMentionIds) expect(w.textOf.get(id)).toMatch(/^Mocha Mill prices/);
  });

  it('is not called rising against a previous window without mentions', async () => {
    const w = await workspace('Prices, nothing before', week());
    const items = (await w.swot()).opportunities.filter((i) => i.theme === 'prices');
    expect(items.map((i) => i.rule)).toEqual(['competitors_criticised']);
    expect(items[0]!.summary).toBe('Mocha Mill is criticised for "prices": net sentiment −0.57 across 7 mentions (5 negative); Sunbean has fewer than 3 mentions on it.');
  });
});

describe('the own brand’s weaknesses', () => {
  const waits = [25, 20, 30, 40, 35];
  const posts: Post[] = [
    ...waits.map((n): Post => ({ brand: 'own', text: `Waited ${n} minutes at Sunbean ${word()}`, label: 'negative' })),
    ...waits.map((n): Post => ({ brand: 'own', text: `Čekal jsem ${n} minut v Sunbean ${word()}`, label: 'negative', lang: 'cs' })),
    ...Array.from({ length: 5 }, (): Post => ({ brand: 'own', text: `Sunbean waiting times ${word()} ${word()}`, label: 'negative' })),
    ...Array.from({ length: 2 }, (): Post => ({ brand: 'own', text: `Sunbean app crashed three times ${word()}`, label: 'negative' })),
    ...filler('own', 8), ...filler('mocha', 12), ...filler('roastly', 12),
  ];

  it('are per language: English "minutes" and Czech "minut", which stem alike, are two items in their own words', async () => {
    const w = await workspace('Minutes', posts);
    const s = await w.swot();
    const langs = (item: Item | undefined) => [...new Set(item?.evidence.sampleMentionIds.map((id) => w.langOf.get(id)))];
    const minutes = s.weaknesses.find((i) => i.theme === 'minutes');
    const minut = s.weaknesses.find((i) => i.theme === 'minut');
    expect(minutes, JSON.stringify(s.weaknesses.map((i) => i.theme))).toMatchObject({ evidence: { mentions: 5 } });
    expect(langs(minutes)).toEqual(['en']);
    expect(minut).toMatchObject({ evidence: { mentions: 5 } });
    expect(langs(minut)).toEqual(['cs']);
  });

  it('leave out a fragment of a longer theme with too few mentions of its own ("times" beside "waiting times")', async () => {
    const w = await workspace('Times', posts);
    const themes = (await w.swot()).weaknesses.map((i) => i.theme);
    expect(themes).toContain('waiting times');
    expect(themes).not.toContain('times');
  });
});

describe('GET /v1/swot parameters', () => {
  it('says a brand given twice was given more than once', async () => {
    const w = await workspace('Twice', []);
    const res = await t.request('GET', `/v1/swot?brand=${w.ids.own}&brand=${w.ids.own}`, { key: w.key });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toBe('invalid request: brand: given more than once; give it once');
  });

  it('refuses a window longer than 366 days, naming since and the cap, as the digest does', async () => {
    const w = await workspace('Long window', []);
    const res = await t.request('GET', `/v1/swot?brand=${w.ids.own}&since=2000-01-01&until=2026-12-01`, { key: w.key });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: 'validation.failed', message: 'invalid request: since: a SWOT covers at most 366 days; this window has 9831' });
    const year = await t.request('GET', `/v1/swot?brand=${w.ids.own}&since=2025-12-01&until=2026-12-01`, { key: w.key });
    expect(year.status, year.text).toBe(200);
  });
});
