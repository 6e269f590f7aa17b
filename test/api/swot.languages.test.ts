import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Swot as SwotSchema } from '../../src/api/routes/swot.js';
import { messagesOf } from '../../src/domain/i18n/messages.js';
import type { SwotSummaryFacts } from '../../src/domain/i18n/swot.facts.js';
import { summaryIn } from '../../src/domain/swot/index.js';
import { swotOfWindow } from '../../src/domain/swot/swot.usecases.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { mention, seed } from '../support/seed.js';
import { BRANDS, PERIOD, currentWindow, previousWindow } from '../domain/swot/scenario.js';

// GET /v1/swot?lang=: the sentences in the asked language, written from the facts each item
// carries (summaryFacts), the same facts a digest keeps. English unless asked.

let t: TestApp;
let key: string;
let workspaceId: string;
const ids: Record<string, string> = {};
const NAMES: Record<string, string> = { acme: 'Kavárna Šťastný', beta: 'Beta', gamma: 'காமா காபி' };

beforeAll(async () => {
  t = await createTestApp();
  const ws = await t.workspace('SWOT languages');
  key = ws.key;
  workspaceId = ws.id;
  for (const b of BRANDS) ids[b.id] = (await t.request('POST', '/v1/brands', { key, body: { name: NAMES[b.id], role: b.role, query: b.query } })).json.id;
  const sourceId = (await t.request('POST', '/v1/sources', { key, body: { type: 'rss', url: 'http://127.0.0.1:9/swot.xml' } })).json.id;
  await seed(t.deps, {
    workspaceId,
    sourceId,
    mentions: [...currentWindow(), ...previousWindow()].map((m) =>
      mention({ at: m.occurredAt, brands: m.brandIds.map((b) => ids[b]!), label: m.label as 'positive' | 'neutral' | 'negative', score: m.sentimentScore ?? 0, text: m.text ?? '', key: m.id })),
  });
});
afterAll(async () => t.close());

const swot = (query = '', window = PERIOD) => t.request('GET', `/v1/swot?brand=${ids.acme}&since=${window.since}&until=${window.until}${query}`, { key });
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- SWOT items as the JSON answer has them
const itemsOf = (s: any): Array<{ theme: string; summary: string; summaryFacts: SwotSummaryFacts; evidence: unknown; rule: string }> =>
  [...s.strengths, ...s.weaknesses, ...s.opportunities, ...s.threats];

describe('GET /v1/swot?lang=', () => {
  it('answers English by default, every item with its sentence as facts', async () => {
    const res = await swot();
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('content-language')).toBe('en');
    const items = itemsOf(res.json);
    expect(items.length).toBeGreaterThanOrEqual(4);
    for (const item of items) {
      expect(item.summaryFacts.sentence, item.theme).toMatch(/^[a-z_]+$/u);
      expect(item.summary).toBe(summaryIn(item.summaryFacts));
    }
    expect(SwotSchema.safeParse(res.json).success).toBe(true);
    expect((await swot('&lang=en')).text).toBe(res.text);
  });

  it('?lang=cs answers Czech summaries from the same facts, with the same figures', async () => {
    const english = (await swot()).json;
    const res = await swot('&lang=cs');
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('content-language')).toBe('cs');
    const [en, cs] = [itemsOf(english), itemsOf(res.json)];
    expect(cs.map((i) => [i.theme, i.rule, i.evidence, i.summaryFacts])).toEqual(en.map((i) => [i.theme, i.rule, i.evidence, i.summaryFacts]));
    const m = messagesOf('cs').swot;
    for (const [i, item] of cs.entries()) {
      expect(item.summary).not.toBe(en[i]!.summary);
      expect(item.summary).toBe(m[item.summaryFacts.sentence](item.summaryFacts as never));
    }
    const delays = cs.find((i) => i.theme === 'delivery delays')!;
    expect(delays.summary).toBe('Značka Beta čelí kritice kvůli „delivery delays“, téma přitom sílí (0 → 12 zmínek): čistý sentiment -1,00 (12 zmínek; negativní: 12); značka Kavárna Šťastný má k tématu méně než 3 zmínky.');
    // Everything but the sentences is the English answer's.
    const strip = (s: typeof english) => ({ ...s, strengths: [], weaknesses: [], opportunities: [], threats: [] });
    expect(strip(res.json)).toEqual(strip(english));
    expect(SwotSchema.safeParse(res.json).success).toBe(true);
  });

  it('takes the code in any case, and writes Persian with the names and themes isolated', async () => {
    const res = await swot('&lang=FA');
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('content-language')).toBe('fa');
    const delays = itemsOf(res.json).find((i) => i.theme === 'delivery delays')!;
    expect(delays.summary).toMatch(/[\u0600-\u06FF]/u);
    expect(delays.summary).toContain('\u2068Beta\u2069');
    expect(delays.summary).toContain('\u2068Kavárna Šťastný\u2069');
  });

  it('writes the not-enough-data reason in the language, with its facts', async () => {
    const thin = { since: '2025-01-01T00:00:00Z', until: '2025-01-08T00:00:00Z' };
    const en = (await swot('', thin)).json;
    expect(en).toMatchObject({ status: 'not_enough_data', reason: 'Kavárna Šťastný has 0 mentions in the period; at least 20 are needed', reasonFacts: { reason: 'own_too_few', own: 'Kavárna Šťastný', mentions: 0, needed: 20 } });
    const cs = (await swot('&lang=cs', thin)).json;
    expect(cs.reason).toBe(messagesOf('cs').swot.reason(en.reasonFacts));
    expect(cs.reason).toContain('Kavárna Šťastný');
    expect(cs.reason).not.toBe(en.reason);
    expect(cs.reasonFacts).toEqual(en.reasonFacts);
  });

  it('refuses another language with 400 naming the supported ones, and the parameter given twice', async () => {
    for (const lang of ['xx', 'de', 'cs-CZ', '']) {
      const res = await swot(`&lang=${lang}`);
      expect(res.status, lang).toBe(400);
      expect(res.json.error.code).toBe('validation.failed');
      expect(res.json.error.fields).toEqual([{ field: 'lang', message: expect.stringContaining('en, cs, fa, hi, ne, gu or ta') }]);
    }
    const twice = await swot('&lang=cs&lang=fa');
    expect(twice.status).toBe(400);
    expect(twice.json.error.fields).toEqual([{ field: 'lang', message: expect.stringContaining('more than once') }]);
  });

  it('documents lang= and the facts in the OpenAPI document', async () => {
    const doc = (await t.request('GET', '/openapi.json')).json;
    const op = doc.paths['/v1/swot'].get;
    const lang = op.parameters.find((p: { name: string }) => p.name === 'lang');
    expect(lang.description).toContain('en, cs, fa, hi, ne, gu, ta');
    expect(op.description).toContain('`?lang=`');
    expect(doc.components.schemas.SwotSummaryFacts).toBeDefined();
  });
});

describe('the SWOT of a digest', () => {
  it('as a digest computes it (no recording around it), every item carries its own facts', async () => {
    const [since, until] = [new Date(PERIOD.since), new Date(PERIOD.until)];
    const previousSince = new Date(2 * since.getTime() - until.getTime());
    const { analyticsRepository, brandRepository } = t.deps;
    const built = await swotOfWindow({
      workspaceId,
      ownBrandId: ids.acme!,
      brands: await brandRepository.all(workspaceId),
      since,
      until,
      totals: await analyticsRepository.totalsByBrand(workspaceId, since, until),
      previousTotals: await analyticsRepository.totalsByBrand(workspaceId, previousSince, since),
      analyticsRepository,
    });
    const items = itemsOf(built);
    expect(items.length).toBeGreaterThanOrEqual(4);
    for (const item of items) expect(item.summary).toBe(summaryIn(item.summaryFacts));
  });

  it('a digest composed now keeps on every SWOT item the facts GET /v1/swot answers', async () => {
    const made = await t.request('POST', '/v1/digests', { key, body: PERIOD });
    expect(made.status, made.text).toBe(201);
    const items = itemsOf(made.json.document.swot);
    expect(items.length).toBeGreaterThanOrEqual(4);
    const api = itemsOf((await swot('&lang=cs')).json);
    expect(items.map((i) => i.summaryFacts)).toEqual(api.map((i) => i.summaryFacts));
    for (const item of items) expect(item.summary).toBe(summaryIn(item.summaryFacts));
  });
});
