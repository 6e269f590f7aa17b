import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateRule } from '../../src/domain/alerts/alerts.usecases.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { mention, seed } from '../support/seed.js';

// Alerts audit, finding 2: a window counts mentions by publication time, and a mention stored
// after the windows holding it were judged (a 15-minute poll, a feed publishing late) was never
// counted, so a 5-minute rule could not see a spike at all. Now each evaluation judges again the
// recent windows that got mentions stored since the last one.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let t: TestApp;
let key: string;
let workspaceId: string;
let sourceId: string;

beforeAll(async () => {
  t = await createTestApp();
  ({ key, id: workspaceId } = await t.workspace('Late mentions'));
  sourceId = (await t.request('POST', '/v1/sources', { key, body: { type: 'rss', url: 'http://127.0.0.1:9/late.xml' } })).json.id;
});
afterAll(async () => t.close());

/** A brand with two quiet weeks before this hour: four mentions an hour, one in five negative. */
async function quietBrand(name: string): Promise<string> {
  const brandId = (await t.request('POST', '/v1/brands', { key, body: { name, role: 'own', query: 'žabička' } })).json.id as string;
  const thisHour = Math.floor(Date.now() / HOUR) * HOUR;
  const mentions = [];
  for (let hour = thisHour - 14 * 24 * HOUR; hour < thisHour; hour += HOUR) {
    for (let i = 0; i < 4; i++) mentions.push(mention({ at: new Date(hour + (i * 13 + 2) * MINUTE), brands: [brandId], label: (hour / HOUR + i) % 5 === 0 ? 'negative' : 'neutral', lang: 'cs' }));
  }
  await seed(t.deps, { workspaceId, sourceId, mentions });
  return brandId;
}

async function rule(brandId: string): Promise<string> {
  const res = await t.request('POST', '/v1/alert-rules', { key, body: { brandId, webhookUrl: 'http://127.0.0.1:9/hook', windowMinutes: 5, cooldownMinutes: 0 } });
  expect(res.status, res.text).toBe(201);
  return res.json.id;
}

/** `count` negatives published from `minutesAgo` before now on, 30 s apart, stored now. */
function lateNegatives(brandId: string, minutesAgo: number, count = 8) {
  const from = Date.now() - minutesAgo * MINUTE;
  return Array.from({ length: count }, (_, i) =>
    mention({ at: new Date(from + i * 30_000), brands: [brandId], label: 'negative', score: -0.8, lang: 'cs', text: `Kavárna Žabička: studená káva a nepříjemná obsluha, podruhé (${i})` }),
  );
}

const evaluate = (ruleId: string, now = new Date()) => evaluateRule({ ...t.deps, ruleId, now });
const alertsOf = async (ruleId: string) => (await t.request('GET', `/v1/alerts?rule=${ruleId}`, { key })).json.items as { id: string; window: { start: string; end: string }; observed: number }[];

describe('mentions stored after the windows holding them were judged', () => {
  it('a 5-minute rule alerts on a spike published 10 to 7 minutes before it was stored, once, in the window that holds it', async () => {
    const brandId = await quietBrand('Kavárna Žabička');
    const ruleId = await rule(brandId);
    expect((await evaluate(ruleId)).action).toBe('none');

    // A poll stores eight negatives published 10.5 to 7 minutes ago: every 5-minute window
    // holding them by publication time was judged before they arrived.
    const published = lateNegatives(brandId, 10.5);
    await seed(t.deps, { workspaceId, sourceId, mentions: published });
    const now = new Date();
    const result = await evaluate(ruleId, now);
    expect(result.action).toBe('open');
    expect(result.detection?.window.end.getTime()).toBeLessThan(now.getTime() - 5 * MINUTE);

    const [alert, ...others] = await alertsOf(ruleId);
    expect(others).toEqual([]);
    expect(alert!.id).toBe(result.toDeliver);
    // The window holds all eight, by publication time.
    expect(alert!.observed).toBeGreaterThanOrEqual(8);
    expect(Date.parse(alert!.window.start)).toBeLessThanOrEqual(published[0]!.occurredAt.getTime());
    expect(Date.parse(alert!.window.end)).toBeGreaterThan(published.at(-1)!.occurredAt.getTime());

    // A re-run of the same evaluation, and the next minutes' ones, raise nothing more.
    expect((await evaluate(ruleId, now)).action).toBe('none');
    for (let minute = 1; minute <= 3; minute++) expect(['update', 'none']).toContain((await evaluate(ruleId, new Date(now.getTime() + minute * MINUTE))).action);
    expect(await alertsOf(ruleId)).toHaveLength(1);
  });

  it('a rule evaluated for the first time judges only the window ending now', async () => {
    const brandId = await quietBrand('Žabička první');
    await seed(t.deps, { workspaceId, sourceId, mentions: lateNegatives(brandId, 10.5) });
    const ruleId = await rule(brandId);
    expect((await evaluate(ruleId)).action).toBe('none');
    expect(await alertsOf(ruleId)).toEqual([]);
  });

  it('mentions published more than two hours before they were stored, or a new source’s backlog, raise nothing', async () => {
    const brandId = await quietBrand('Žabička pozdě');
    const ruleId = await rule(brandId);
    expect((await evaluate(ruleId)).action).toBe('none');
    const backlog = lateNegatives(brandId, 10.5).map((m) => ({ ...m, isBacklog: true }));
    await seed(t.deps, { workspaceId, sourceId, mentions: [...lateNegatives(brandId, 3 * 60), ...backlog] });
    expect((await evaluate(ruleId)).action).toBe('none');
    expect(await alertsOf(ruleId)).toEqual([]);
  });
});
