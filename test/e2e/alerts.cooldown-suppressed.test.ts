import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateRule } from '../../src/domain/alerts/alerts.usecases.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { mention, quietWeeksThenNegativeSpike, seed } from '../support/seed.js';

// Alerts audit, finding 8: a spike the cooldown held back left no trace, so "why was there no
// alert?" had no answer. The rule now shows how many evaluations the cooldown held back since its
// last alert, and when it last did.

const MINUTE = 60_000;

let t: TestApp;
let key: string;
let workspaceId: string;
let sourceId: string;
let brandId: string;
let quietBrand: string;
/** Two hours ago, on the minute: the first spike ends here, and the first alert opens. */
const base = Math.floor((Date.now() - 2 * 3_600_000) / MINUTE) * MINUTE;

beforeAll(async () => {
  t = await createTestApp();
  ({ key, id: workspaceId } = await t.workspace('Cooldown'));
  sourceId = (await t.request('POST', '/v1/sources', { key, body: { type: 'rss', url: 'http://127.0.0.1:9/a.xml' } })).json.id;
  brandId = (await t.request('POST', '/v1/brands', { key, body: { name: 'Lumen', role: 'own', query: 'lumen' } })).json.id;
  quietBrand = (await t.request('POST', '/v1/brands', { key, body: { name: 'Quill', role: 'own', query: 'quill' } })).json.id;
  await seed(t.deps, { workspaceId, sourceId, mentions: quietWeeksThenNegativeSpike(brandId, base) });
});
afterAll(async () => t.close());

async function rule(): Promise<string> {
  const res = await t.request('POST', '/v1/alert-rules', { key, body: { brandId, webhookUrl: 'http://127.0.0.1:9/hook', windowMinutes: 30, cooldownMinutes: 10 } });
  expect(res.status, res.text).toBe(201);
  expect(res.json).toMatchObject({ suppressedCount: 0, lastSuppressedAt: null });
  return res.json.id;
}

const evaluate = (ruleId: string, at: number) => evaluateRule({ ...t.deps, ruleId, now: new Date(at) });
const shown = async (ruleId: string) => {
  const res = await t.request('GET', `/v1/alert-rules/${ruleId}`, { key });
  expect(res.status, res.text).toBe(200);
  return res.json as { suppressedCount: number; lastSuppressedAt: string | null; openIncident: unknown; brandId: string };
};

describe('fires held back by the cooldown', () => {
  const ruleIds: string[] = [];
  let resolvedAt = 0;

  beforeAll(async () => {
    // Two rules through the same story: a spike opens an incident, it ends and resolves, and a
    // second spike comes a minute later, within the 10-minute cooldown.
    ruleIds.push(await rule(), await rule());
    for (const ruleId of ruleIds) {
      expect((await evaluate(ruleId, base)).action).toBe('open');
      expect((await shown(ruleId)).suppressedCount).toBe(0);
      let at = base + 31 * MINUTE;
      while ((await evaluate(ruleId, at)).action !== 'resolve') {
        at += MINUTE;
        expect(at, 'the first incident resolves once its spike left the window').toBeLessThan(base + 40 * MINUTE);
      }
      resolvedAt = at;
    }
    const second = Array.from({ length: 25 }, (_, i) =>
      mention({ at: new Date(resolvedAt - (i + 1) * 30_000), brands: [brandId], label: 'negative', score: -0.8, text: `Lumen crashed again ${i}` }),
    );
    await seed(t.deps, { workspaceId, sourceId, mentions: second });
  });

  it('are counted on the rule, once per window judged, with when the last one was; GET and the list show them', async () => {
    const [ruleId] = ruleIds as [string];
    const held = await evaluate(ruleId, resolvedAt + MINUTE);
    expect(held.action).toBe('none');
    expect(held.detection?.fired, 'the window fired: only the cooldown held it back').toBe(true);
    expect(await shown(ruleId)).toMatchObject({ suppressedCount: 1, lastSuppressedAt: new Date(resolvedAt + MINUTE).toISOString(), openIncident: null });

    // The same window judged again (a retried job, a second evaluator) is not a second fire held back.
    await evaluate(ruleId, resolvedAt + MINUTE + 20_000);
    expect(await shown(ruleId)).toMatchObject({ suppressedCount: 1, lastSuppressedAt: new Date(resolvedAt + MINUTE + 20_000).toISOString() });

    await evaluate(ruleId, resolvedAt + 2 * MINUTE);
    expect(await shown(ruleId)).toMatchObject({ suppressedCount: 2, lastSuppressedAt: new Date(resolvedAt + 2 * MINUTE).toISOString() });
    const listed = (await t.request('GET', '/v1/alert-rules', { key })).json.items.find((r: { id: string }) => r.id === ruleId);
    expect(listed).toMatchObject({ suppressedCount: 2, lastSuppressedAt: new Date(resolvedAt + 2 * MINUTE).toISOString() });
  });

  it('a new alert starts the count again and keeps when the last fire was held back', async () => {
    const [ruleId] = ruleIds as [string];
    // The cooldown has passed; the second spike is still in the window.
    expect((await evaluate(ruleId, resolvedAt + 11 * MINUTE)).action).toBe('open');
    expect(await shown(ruleId)).toMatchObject({ suppressedCount: 0, lastSuppressedAt: new Date(resolvedAt + 2 * MINUTE).toISOString(), openIncident: expect.anything() });
    // While the incident lasts nothing is held back: the window goes on firing into it.
    expect((await evaluate(ruleId, resolvedAt + 12 * MINUTE)).action).toBe('update');
    expect((await shown(ruleId)).suppressedCount).toBe(0);
  });

  it('moving the rule to another brand forgets them with the cooldown: they were the old brand\'s', async () => {
    const [, ruleId] = ruleIds as [string, string];
    await evaluate(ruleId, resolvedAt + MINUTE);
    expect((await shown(ruleId)).suppressedCount).toBe(1);
    const patched = await t.request('PATCH', `/v1/alert-rules/${ruleId}`, { key, body: { brandId: quietBrand } });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.json).toMatchObject({ brandId: quietBrand, suppressedCount: 0, lastSuppressedAt: null });
  });
});
