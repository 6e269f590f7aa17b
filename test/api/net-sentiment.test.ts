import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { mention, seed } from '../support/seed.js';

// One brand, one period, one net sentiment: share of voice, the SWOT's evidence and the digest
// must agree, also when some mentions are in a language without a lexicon (unscored).

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let t: TestApp;
let key: string;
let acme: string;
let globex: string;
// The current window ends at a whole hour that has passed, so a digest can cover it exactly.
const until = new Date(Math.floor(Date.now() / HOUR) * HOUR - HOUR);
const since = new Date(until.getTime() - 7 * DAY);
const previousSince = new Date(since.getTime() - 7 * DAY);
const window = `since=${since.toISOString()}&until=${until.toISOString()}`;

/** Words used once each (letters only), so filler never makes a theme. */
let wordAt = 0;
const word = () => {
  let n = wordAt++;
  let out = '';
  do {
    out += String.fromCharCode(97 + (n % 26));
    n = Math.floor(n / 26);
  } while (n > 0);
  return `zq${out}v`;
};

type Label = 'positive' | 'neutral' | 'negative' | 'unscored';
/** Spread over the window's hours, so the digest's days differ. */
let placed = 0;
function many(n: number, p: { brand: () => string; label: Label; from: Date; text: () => string; lang?: string }) {
  return Array.from({ length: n }, () =>
    mention({ at: new Date(p.from.getTime() + ((placed++ * 7) % 160) * HOUR + 60_000), brands: [p.brand()], label: p.label, text: p.text(), lang: p.lang ?? 'en' }),
  );
}

beforeAll(async () => {
  t = await createTestApp();
  const ws = await t.workspace('Net sentiment');
  key = ws.key;
  acme = (await t.request('POST', '/v1/brands', { key, body: { name: 'Acme', role: 'own', query: 'acme' } })).json.id;
  globex = (await t.request('POST', '/v1/brands', { key, body: { name: 'Globex', role: 'competitor', query: 'globex' } })).json.id;
  const sourceId = (await t.request('POST', '/v1/sources', { key, body: { type: 'rss', url: 'http://127.0.0.1:9/net.xml' } })).json.id;
  const a = () => acme;
  const g = () => globex;
  const filler = (name: string) => () => `${name} ${word()} ${word()}`;
  const mentions = [
    // Previous window. Acme: 20 positive, 5 neutral, 5 unscored (net +0.80 over 25 scored). Globex: 5 neutral.
    ...many(20, { brand: a, label: 'positive', from: previousSince, text: filler('Acme') }),
    ...many(5, { brand: a, label: 'neutral', from: previousSince, text: filler('Acme') }),
    ...many(5, { brand: a, label: 'unscored', lang: 'gu', from: previousSince, text: filler('Acme') }),
    ...many(5, { brand: g, label: 'neutral', from: previousSince, text: filler('Globex') }),
    // Current window. Acme: 6 positive, 6 negative, 12 neutral, 6 unscored (net 0.00 over 24 scored).
    ...many(6, { brand: a, label: 'positive', from: since, text: filler('Acme') }),
    ...many(6, { brand: a, label: 'negative', from: since, text: filler('Acme') }),
    ...many(12, { brand: a, label: 'neutral', from: since, text: filler('Acme') }),
    ...many(6, { brand: a, label: 'unscored', lang: 'gu', from: since, text: filler('Acme') }),
    // Globex: 12 positive, 6 negative, 7 neutral, 5 unscored: net (12 − 6) / 25 = +0.24 (not 6 / 30).
    // Its "screen glass" theme: 5 negative in English, 5 unscored in Gujarati.
    ...many(5, { brand: g, label: 'negative', from: since, text: () => `Globex screen glass is awful ${word()}` }),
    ...many(5, { brand: g, label: 'unscored', lang: 'gu', from: since, text: () => `Globex screen glass ખૂબ ${word()}` }),
    ...many(12, { brand: g, label: 'positive', from: since, text: filler('Globex') }),
    ...many(1, { brand: g, label: 'negative', from: since, text: filler('Globex') }),
    ...many(7, { brand: g, label: 'neutral', from: since, text: filler('Globex') }),
  ];
  await seed(t.deps, { workspaceId: ws.id, sourceId, mentions });
});
afterAll(async () => t.close());

async function getOk(path: string) {
  const res = await t.request('GET', path, { key });
  expect(res.status, res.text).toBe(200);
  return res.json;
}

const netOf = (c: { positive: number; neutral: number; negative: number }) => {
  const scored = c.positive + c.neutral + c.negative;
  return scored ? Math.round(((c.positive - c.negative) / scored) * 1e4) / 1e4 : null;
};

describe('net sentiment is one number for a brand and period', () => {
  it('share of voice divides by scored mentions, leaving the unscored out', async () => {
    const sov = await getOk(`/v1/share-of-voice?${window}`);
    const byBrand = Object.fromEntries(sov.brands.map((b: { brandId: string }) => [b.brandId, b]));
    expect(byBrand[acme]).toMatchObject({ mentions: 30, netSentiment: 0 });
    expect(byBrand[globex]).toMatchObject({ mentions: 30, netSentiment: 0.24 });
  });

  it('the SWOT evidence for a brand carries the share-of-voice net sentiment, and its sentences say how many were scored', async () => {
    const sov = await getOk(`/v1/share-of-voice?${window}`);
    const net = (id: string) => sov.brands.find((b: { brandId: string }) => b.brandId === id).netSentiment;
    const swot = await getOk(`/v1/swot?brand=${acme}&${window}`);
    expect(swot.status).toBe('ok');

    const gain = swot.threats.find((i: { rule: string }) => i.rule === 'competitor_share_gain');
    expect(gain, JSON.stringify(swot.threats)).toBeDefined();
    expect(gain.evidence).toMatchObject({ mentions: 30, scored: 25, netSentiment: net(globex), brandIds: [globex] });

    const momentum = swot.threats.find((i: { rule: string }) => i.rule === 'own_negative_momentum');
    expect(momentum, JSON.stringify(swot.threats)).toBeDefined();
    expect(momentum.evidence).toMatchObject({ mentions: 30, scored: 24, netSentiment: net(acme) });
    expect(momentum.summary).toBe("Acme's net sentiment fell from +0.80 to 0.00 against the previous period, across 30 mentions (24 scored).");

    const glass = swot.opportunities.find((i: { theme: string }) => i.theme === 'screen glass');
    expect(glass, JSON.stringify(swot.opportunities)).toBeDefined();
    expect(glass).toMatchObject({ rule: 'competitors_criticised', evidence: { mentions: 10, scored: 5, netSentiment: -1, brandIds: [globex] } });
    expect(glass.summary).toBe('Globex is criticised for "screen glass", which is rising (0 → 10 mentions): net sentiment −1.00 across 10 mentions (5 scored, 5 negative); Acme has fewer than 3 mentions on it.');
  });

  it('the digest states the same net sentiment as share of voice and the SWOT, per brand and per day', async () => {
    const sov = await getOk(`/v1/share-of-voice?${window}`);
    const swot = await getOk(`/v1/swot?brand=${acme}&${window}`);
    const made = await t.request('POST', '/v1/digests', { key, body: { since: since.toISOString(), until: until.toISOString() } });
    expect(made.status, made.text).toBe(201);
    const doc = made.json.document;
    expect(doc.period).toMatchObject({ since: since.toISOString(), until: until.toISOString() });

    for (const b of sov.brands) expect(doc.brands.find((x: { brandId: string }) => x.brandId === b.brandId).netSentiment, b.brandId).toBe(b.netSentiment);
    expect(doc.swot).toEqual(swot);

    const trend = await getOk(`/v1/trends/sentiment?interval=day&tz=UTC&${window}`);
    for (const series of doc.sentimentTrend) {
      const buckets = trend.series.find((s: { brandId: string }) => s.brandId === series.brandId).buckets;
      const byDate = new Map(buckets.map((b: { start: string }) => [b.start.slice(0, 10), b]));
      for (const day of series.days) expect(day.netSentiment, `${series.brandId} ${day.date}`).toBe(netOf(byDate.get(day.date) as never));
    }
    // Some day of the period held unscored mentions, or this compared nothing new.
    expect(trend.series.some((s: { buckets: Array<{ unscored: number }> }) => s.buckets.some((b) => b.unscored > 0))).toBe(true);
  });

  it('every netSentiment in the OpenAPI document says the same thing', async () => {
    const doc = (await t.request('GET', '/openapi.json')).json;
    const found: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (!node || typeof node !== 'object') return;
      for (const [k, v] of Object.entries(node)) {
        if (k === 'netSentiment') found.push(`${path}: ${(v as { description?: string }).description}`);
        walk(v, `${path}/${k}`);
      }
    };
    walk(doc, '');
    // Share of voice, the SWOT's evidence, the digest's brands and days.
    expect(found.length).toBeGreaterThanOrEqual(4);
    const descriptions = new Set(found.map((f) => f.slice(f.indexOf(': ') + 2)));
    expect(descriptions.size, found.join('\n')).toBe(1);
    expect([...descriptions][0]).toContain('/ scored mentions');
  });
});
