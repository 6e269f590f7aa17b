import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { mention, seed } from '../support/seed.js';
import { BRANDS, PERIOD, currentWindow, previousWindow } from '../domain/swot/scenario.js';

let t: TestApp;
let key: string;
const ids: Record<string, string> = {};
const keyOfMention = new Map<string, string>(); // database id → scenario id
// The scenario's brands under names in Czech, Persian (a ZWNJ inside) and Tamil; their queries stay the scenario's.
const NAMES: Record<string, string> = { acme: 'Kavárna Šťastný', beta: 'قهوه\u200Cخانه بتا', gamma: 'காமா காபி' };

/** Stores the seeded week of issue 7 through the pipeline's own storage code. */
beforeAll(async () => {
  t = await createTestApp();
  const ws = await t.workspace('SWOT');
  key = ws.key;
  for (const b of BRANDS) ids[b.id] = (await t.request('POST', '/v1/brands', { key, body: { name: NAMES[b.id], role: b.role, query: b.query } })).json.id;
  const sourceId = (await t.request('POST', '/v1/sources', { key, body: { type: 'rss', url: 'http://127.0.0.1:9/swot.xml' } })).json.id;
  const all = [...currentWindow(), ...previousWindow()];
  const rows = await seed(t.deps, {
    workspaceId: ws.id,
    sourceId,
    mentions: all.map((m) =>
      mention({
        at: m.occurredAt,
        brands: m.brandIds.map((b) => ids[b]!),
        label: m.label as 'positive' | 'neutral' | 'negative',
        score: m.sentimentScore ?? 0,
        text: m.text ?? '',
        key: m.id,
      }),
    ),
  });
  for (const r of rows) keyOfMention.set(String(r.id), r.mention.itemKey);
});
afterAll(async () => t.close());

const swot = async (brand: string, window = PERIOD) => t.request('GET', `/v1/swot?brand=${brand}&since=${window.since}&until=${window.until}`, { key });
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- SWOT items as the JSON answer has them
const find = (items: any[], theme: string): any => items.find((i: { theme: string }) => i.theme.includes(theme));

describe('competitor SWOT over stored mentions', () => {
  it('finds the seeded opportunity, strength, threat and weakness, each with its evidence', async () => {
    const res = await swot(ids.acme!);
    expect(res.status, res.text).toBe(200);
    const s = res.json;
    expect(s).toMatchObject({ brandId: ids.acme, status: 'ok' });
    expect(s.competitorIds.sort()).toEqual([ids.beta, ids.gamma].sort());

    const opportunity = find(s.opportunities, 'delivery');
    expect(opportunity, JSON.stringify(s.opportunities)).toBeDefined();
    expect(opportunity!.evidence.brandIds).toEqual([ids.beta]);
    const samples = opportunity!.evidence.sampleMentionIds.map((id: string) => keyOfMention.get(id));
    expect(samples.length).toBeGreaterThanOrEqual(3);
    expect(samples.every((k: string) => k.startsWith('b-delay-'))).toBe(true);
    expect(samples[0]).toBe('b-delay-12'); // the most negative leads

    const strength = find(s.strengths, 'customer service');
    expect(strength).toBeDefined();
    expect(strength!.evidence.sampleMentionIds.map((id: string) => keyOfMention.get(id)).every((k: string) => k.startsWith('a-service-'))).toBe(true);

    const weakness = find(s.weaknesses, 'pricing');
    expect(weakness).toBeDefined();
    expect(weakness!.evidence.netSentiment).toBeLessThan(0);

    expect(s.threats.some((i: { rule: string; evidence: { brandIds: string[] } }) => i.rule === 'competitor_share_gain' && i.evidence.brandIds.includes(ids.gamma!))).toBe(true);
    for (const list of [s.strengths, s.weaknesses, s.opportunities, s.threats]) {
      for (const item of list) expect(item.summary).toMatch(/\d/); // every sentence carries its numbers
    }
  });

  it('names the own brand and every competitor it compares, so each id of the answer reads without GET /v1/brands', async () => {
    const s = (await swot(ids.acme!)).json;
    expect(s.status).toBe('ok');
    expect(s.brands).toEqual([
      { id: ids.acme, name: NAMES.acme, role: 'own' },
      ...s.competitorIds.map((id: string) => ({ id, name: NAMES[Object.keys(ids).find((k) => ids[k] === id)!], role: 'competitor' })),
    ]);
    const named = new Set(s.brands.map((b: { id: string }) => b.id));
    const items = [...s.strengths, ...s.weaknesses, ...s.opportunities, ...s.threats];
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) for (const id of item.evidence.brandIds) expect(named, item.theme).toContain(id);
    // The summaries use the same names, in their scripts.
    expect(items.some((i: { summary: string }) => i.summary.includes(NAMES.gamma!))).toBe(true);

    const thin = (await swot(ids.acme!, { since: '2025-01-01T00:00:00Z', until: '2025-01-08T00:00:00Z' })).json;
    expect(thin.status).toBe('not_enough_data');
    expect(thin.brands).toEqual(s.brands);

    const schemas = (await t.request('GET', '/openapi.json')).json.components.schemas;
    expect(schemas.Swot.required).toContain('brands');
    // A digest made before the SWOT named its brands stores it without them.
    expect(schemas.DigestSwot.required).not.toContain('brands');
    expect(Object.keys(schemas.DigestSwot.properties)).toContain('brands');
  });

  it('says how many mentions its themes came from: here all of them, as many as share of voice counts', async () => {
    const s = (await swot(ids.acme!)).json;
    const sov = await t.request('GET', `/v1/share-of-voice?since=${PERIOD.since}&until=${PERIOD.until}`, { key });
    expect(s.sample).toEqual({ sampled: false, limit: 50_000, mentions: currentWindow().length, of: sov.json.total, previousMentions: previousWindow().length, previousOf: previousWindow().length });
    const schema = (await t.request('GET', '/openapi.json')).json.components.schemas.Swot;
    expect(schema.required).toContain('sample');
    expect(schema.properties.sample.description).toMatch(/newest/);
  });

  it('is deterministic: the same data gives the same SWOT', async () => {
    expect((await swot(ids.acme!)).json).toEqual((await swot(ids.acme!)).json);
  });

  it('answers not_enough_data for a window with too little, never invented items', async () => {
    const res = await swot(ids.acme!, { since: '2025-01-01T00:00:00Z', until: '2025-01-08T00:00:00Z' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'not_enough_data', strengths: [], weaknesses: [], opportunities: [], threats: [] });
    expect(res.json.reason).toEqual(expect.any(String));
  });

  it('refuses a competitor with 400 swot.not_own_brand, and another workspace’s brand with 404', async () => {
    const res = await swot(ids.beta!);
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('swot.not_own_brand');
    const other = await t.workspace('Elsewhere');
    expect((await t.request('GET', `/v1/swot?brand=${ids.acme}`, { key: other.key })).status).toBe(404);
  });
});
