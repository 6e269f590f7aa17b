import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverAlert, evaluateRule } from '../../src/domain/alerts/alerts.usecases.js';
import { MAX_ATTEMPTS } from '../../src/domain/webhooks/index.js';
import { createHttpClient } from '../../src/infra/http/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { mention, seed } from '../support/seed.js';

// Alerts audit, findings 3 to 6: an alert's reason moves with its peak; a paused rule shows no
// open incident; a rule shows its last delivery and /metrics counts attempts by outcome; a
// resolution names the alert it closes; a backtest without since and until replays the last 7 days.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let t: TestApp;
let key: string;
let workspaceId: string;
let sourceId: string;
let brandId: string;
let server: Server;
let base: string;
const received: { path: string; body: any }[] = [];
const answers = new Map<string, number>();
/** Three hours ago, on the hour: two 30-minute windows of this hour hold the spike. */
const H = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, body: JSON.parse(body) });
      res.writeHead(answers.get(path) ?? 200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t = await createTestApp();
  ({ key, id: workspaceId } = await t.workspace('Rule state'));
  sourceId = (await t.request('POST', '/v1/sources', { key, body: { type: 'rss', url: 'http://127.0.0.1:9/state.xml' } })).json.id;
  brandId = (await t.request('POST', '/v1/brands', { key, body: { name: 'Acme & <Söhne>', role: 'own', query: 'acme' } })).json.id;
  // Two weeks of a busy brand before H, as hourly rollups: 300 mentions an hour, 30 negative.
  await sql`
    insert into brand_hours (brand_id, workspace_id, hour, mentions, neutral, negative)
    select ${brandId}::uuid, ${workspaceId}::uuid, g, 300, 270, 30
    from generate_series(${new Date(H - 14 * 24 * HOUR)}::timestamptz, ${new Date(H - HOUR)}::timestamptz, interval '1 hour') g`.execute(t.db);
  // [H, H+30 min): 60 negatives among 600 mentions, the count of negatives unusual (their share is not).
  // [H+30, H+60 min): 70 negatives among 120, the share unusual above all.
  const spread = (from: number, count: number, label: 'negative' | 'neutral') =>
    Array.from({ length: count }, (_, i) => mention({ at: new Date(from + Math.floor((i * 30 * MINUTE) / count)), brands: [brandId], label, score: label === 'negative' ? -0.7 : 0, text: `Acme ${label} ${from} ${i}` }));
  await seed(t.deps, { workspaceId, sourceId, mentions: [...spread(H, 60, 'negative'), ...spread(H, 540, 'neutral'), ...spread(H + 30 * MINUTE, 70, 'negative'), ...spread(H + 30 * MINUTE, 50, 'neutral')] });
});
afterAll(async () => {
  await t.close();
  server.close();
});

async function rule(path: string): Promise<string> {
  const res = await t.request('POST', '/v1/alert-rules', { key, body: { brandId, webhookUrl: `${base}${path}`, windowMinutes: 30 } });
  expect(res.status, res.text).toBe(201);
  return res.json.id;
}
const evaluate = (ruleId: string, at: number) => evaluateRule({ ...t.deps, ruleId, now: new Date(at) });
const getRule = async (ruleId: string) => (await t.request('GET', `/v1/alert-rules/${ruleId}`, { key })).json;
const alertOf = async (ruleId: string, type = 'alert.negative_spike') => (await t.request('GET', `/v1/alerts?rule=${ruleId}&type=${type}`, { key })).json.items[0];

/** The value of one series in Prometheus text, 0 when the scrape has no such line. */
async function metric(series: string): Promise<number> {
  const text = (await t.request('GET', '/metrics')).text;
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}
const attempts = (outcome: string) => metric(`earshot_webhook_deliveries_total{kind="alert",outcome="${outcome}"}`);

describe("an incident's alert", () => {
  it('moves its reason with its peak: the figures and the test that fired are all the peak window’s', async () => {
    const ruleId = await rule('/peak');
    const opened = await evaluate(ruleId, H + 30 * MINUTE);
    expect(opened).toMatchObject({ action: 'open', detection: { reason: 'count' } });
    expect(await alertOf(ruleId)).toMatchObject({ observed: 60, total: 600, reason: 'count' });

    const peak = await evaluate(ruleId, H + 60 * MINUTE);
    expect(peak).toMatchObject({ action: 'update', detection: { reason: 'share' } });
    expect(await alertOf(ruleId)).toMatchObject({
      window: { start: new Date(H + 30 * MINUTE).toISOString(), end: new Date(H + 60 * MINUTE).toISOString() },
      observed: 70,
      total: 120,
      reason: 'share',
    });
  });

  it('a resolution names the alert it closes: its id, when the incident started and its peak', async () => {
    const ruleId = await rule('/resolved');
    const openId = (await evaluate(ruleId, H + 30 * MINUTE)).toDeliver!;
    expect((await evaluate(ruleId, H + 60 * MINUTE)).action).toBe('update');
    let resolved: string | null = null;
    for (let at = H + 91 * MINUTE; !resolved && at < H + 100 * MINUTE; at += MINUTE) resolved = (await evaluate(ruleId, at)).toDeliver;
    expect(resolved).toEqual(expect.any(String));
    for (const id of [openId, resolved!]) expect((await deliverAlert({ ...t.deps, alertId: id, attempt: 1, now: new Date() })).outcome).toBe('delivered');

    const [opening, resolution] = received.filter((r) => r.path === '/resolved').map((r) => r.body);
    expect(opening.data.resolves).toBeUndefined();
    expect(resolution.type).toBe('alert.negative_spike.resolved');
    expect(resolution.data.resolves).toEqual({
      alertId: openId,
      startedAt: new Date(H).toISOString(),
      peak: {
        window: { start: new Date(H + 30 * MINUTE).toISOString(), end: new Date(H + 60 * MINUTE).toISOString() },
        observed: { negative: 70, total: 120 },
        expected: expect.any(Number),
        score: expect.any(Number),
        reason: 'share',
      },
    });
    expect(resolution.data.resolves.peak.score).toBeGreaterThan(opening.data.score);
  });
});

describe('a paused rule', () => {
  it('shows no open incident: none of its alerts will go out, and enabling it forgets the incident', async () => {
    const ruleId = await rule('/paused');
    expect((await evaluate(ruleId, H + 30 * MINUTE)).action).toBe('open');
    expect((await getRule(ruleId)).openIncident).toMatchObject({ startedAt: new Date(H).toISOString() });
    const paused = await t.request('PATCH', `/v1/alert-rules/${ruleId}`, { key, body: { enabled: false } });
    expect(paused.json).toMatchObject({ enabled: false, openIncident: null });
    expect((await getRule(ruleId)).openIncident).toBeNull();
  });
});

describe('failing webhooks', () => {
  it("show on the rule as its last delivery, in GET and in the list, and /metrics counts every attempt's outcome", async () => {
    const ruleId = await rule('/flaky');
    expect((await getRule(ruleId)).lastDelivery).toBeNull();
    const alertId = (await evaluate(ruleId, H + 30 * MINUTE)).toDeliver!;
    const before = Object.fromEntries(await Promise.all(['delivered', 'retry', 'failed', 'gone', 'refused'].map(async (o) => [o, await attempts(o)] as const)));

    // The deployment forbids private networks now: the stored URL is refused, for this alert and every later one.
    const strict = createHttpClient({ allowPrivateNetworks: false });
    expect((await deliverAlert({ alertId, attempt: 1, now: new Date(), http: strict, alertRepository: t.deps.alertRepository })).outcome).toBe('refused');
    await strict.close();
    const refused = { outcome: 'refused', status: null, error: expect.stringContaining('127.0.0.1'), attemptedAt: expect.any(String) };
    expect(await getRule(ruleId)).toMatchObject({ enabled: true, lastDelivery: refused });
    const listed = (await t.request('GET', '/v1/alert-rules', { key })).json.items.find((r: { id: string }) => r.id === ruleId);
    expect(listed.lastDelivery).toEqual((await getRule(ruleId)).lastDelivery);

    // Other alerts of other rules: a 500 (retried), a 500 on the last attempt (failed), a 410 (gone), a 2xx.
    const outcomes: Record<string, string> = {};
    for (const [path, status, attempt] of [['/e500', 500, 1], ['/e500-last', 500, MAX_ATTEMPTS], ['/e410', 410, 1], ['/e200', 200, 1]] as const) {
      answers.set(path, status);
      const id = (await evaluate(await rule(path), H + 30 * MINUTE)).toDeliver!;
      outcomes[path] = (await deliverAlert({ ...t.deps, alertId: id, attempt, now: new Date() })).outcome;
    }
    expect(outcomes).toEqual({ '/e500': 'retry', '/e500-last': 'failed', '/e410': 'gone', '/e200': 'delivered' });
    for (const outcome of ['delivered', 'retry', 'failed', 'gone', 'refused']) expect({ outcome, count: (await attempts(outcome)) - before[outcome]! }).toEqual({ outcome, count: 1 });
  });
});

describe('a backtest', () => {
  it('without since and until replays the last 7 days, as every window of the API defaults', async () => {
    const ruleId = await rule('/backtest');
    const res = await t.request('POST', `/v1/alert-rules/${ruleId}/backtest`, { key, body: {} });
    expect(res.status, res.text).toBe(200);
    expect(Math.abs(Date.parse(res.json.until) - Date.now())).toBeLessThan(60_000);
    expect(Date.parse(res.json.until) - Date.parse(res.json.since)).toBe(7 * 24 * HOUR);
    const sinceOnly = await t.request('POST', `/v1/alert-rules/${ruleId}/backtest`, { key, body: { since: new Date(H - 24 * HOUR).toISOString() } });
    expect(sinceOnly.status, sinceOnly.text).toBe(200);
    expect(sinceOnly.json.since).toBe(new Date(H - 24 * HOUR).toISOString());
  });
});
