import { createServer, type Server } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverAlert, evaluateRule } from '../../src/domain/alerts/alerts.usecases.js';
import { createHttpClient } from '../../src/infra/http/index.js';
import { createTestStack, type TestStack } from '../support/stack.js';
import { mention, seed } from '../support/seed.js';

interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
  verified: boolean;
}

let s: TestStack;
let key: string;
let workspaceId: string;
let brand: string;
let sourceId: string;
let server: Server;
let base: string;
const received: Received[] = [];
const secrets = new Map<string, string>(); // path → secret
const answers = new Map<string, number[]>(); // path → statuses to answer, in order

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const path = req.url ?? '/';
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      let verified = false;
      try {
        new Webhook(secrets.get(path)!).verify(body, headers);
        verified = true;
      } catch {
        verified = false;
      }
      received.push({ path, headers, body, verified });
      const status = answers.get(path)?.shift() ?? 200;
      if (status === 302) res.writeHead(302, { location: `${base}/redirected` }).end();
      else res.writeHead(status).end(status === 200 ? 'ok' : 'nope');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  s = await createTestStack();
  ({ key, id: workspaceId } = await s.workspace('Alerts'));
  brand = (await s.request('POST', '/v1/brands', { key, body: { name: 'Acme', role: 'own', query: 'acme' } })).json.id;
  sourceId = (await s.request('POST', '/v1/sources', { key, body: { type: 'rss', url: 'http://127.0.0.1:9/a.xml' } })).json.id;

  // Three weeks of quiet history: 4–7 mentions an hour, one in five negative.
  const now = Date.now();
  const history = [];
  for (let h = 21 * 24; h >= 2; h--) {
    const hour = Math.floor(now / 3_600_000 - h) * 3_600_000;
    const n = 4 + (h % 4);
    for (let i = 0; i < n; i++) history.push(mention({ at: new Date(hour + i * 60_000), brands: [brand], label: (h + i) % 5 === 0 ? 'negative' : 'neutral' }));
  }
  await seed(s.deps, { workspaceId, sourceId, mentions: history });
});
afterAll(async () => {
  await s.close();
  server.close();
});

async function rule(path: string, extra: Record<string, unknown> = {}) {
  const res = await s.request('POST', '/v1/alert-rules', { key, body: { brandId: brand, webhookUrl: `${base}${path}`, windowMinutes: 30, ...extra } });
  expect(res.status, res.text).toBe(201);
  secrets.set(path, res.json.secret);
  return res.json as { id: string; secret: string };
}

describe('negative-spike alerts', () => {
  it('shows the whsec_ secret once, and never again', async () => {
    const created = await rule('/once');
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    const got = await s.request('GET', `/v1/alert-rules/${created.id}`, { key });
    expect(got.json).not.toHaveProperty('secret');
    expect(JSON.stringify((await s.request('GET', '/v1/alert-rules', { key })).json)).not.toContain(created.secret);
    await s.request('DELETE', `/v1/alert-rules/${created.id}`, { key });
  });

  it('quiet history raises nothing; a spike raises exactly one alert, delivered signed after two failures', async () => {
    const r = await rule('/hook');
    await s.services.queues.add('alerts.evaluate', {});
    await s.drain();
    expect((await s.request('GET', '/v1/alerts', { key })).json.items).toEqual([]);

    // 25 negative mentions in the last 20 minutes, all before the current minute: an evaluation
    // window ends on a whole minute, so a mention from this minute would count only at the next.
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    // Five complaints, each posted five times (numbered as reposts are): the samples are one of each.
    const complaints = ['came cold', 'came late', 'was wrong', 'never came', 'was half empty'];
    const spike = Array.from({ length: 25 }, (_, i) =>
      mention({ at: new Date(minute - (i + 1) * 45_000), brands: [brand], label: 'negative', score: -0.81234567, text: `Acme ruined my order: it ${complaints[i % 5]} (${i})` }),
    );
    await seed(s.deps, { workspaceId, sourceId, mentions: spike });
    answers.set('/hook', [500, 500, 200]);
    await s.services.queues.add('alerts.evaluate', {});
    await s.drain();

    const alerts = (await s.request('GET', '/v1/alerts', { key })).json.items;
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ ruleId: r.id, type: 'alert.negative_spike', observed: 25, deliveryStatus: 'delivered' });
    expect(alerts[0].expected).toBeLessThan(5);
    expect(alerts[0].sampleMentionIds).toHaveLength(5);

    const attempts = received.filter((x) => x.path === '/hook');
    expect(attempts).toHaveLength(3);
    expect(attempts.every((a) => a.verified)).toBe(true);
    expect(new Set(attempts.map((a) => a.headers['webhook-id']))).toEqual(new Set([alerts[0].id]));
    const body = JSON.parse(attempts[2]!.body);
    expect(body).toMatchObject({ type: 'alert.negative_spike', data: { brand: { id: brand, name: 'Acme' }, observed: { negative: 25 } } });
    expect(body.text).toContain('Acme');
    expect(body.data.sampleMentions[0]).toMatchObject({ text: expect.stringContaining('Acme ruined my order'), sentiment: expect.any(Number) });
    expect(new Set(body.data.sampleMentions.map((m: { text: string }) => m.text.replace(/ \(\d+\)$/, '')))).toHaveProperty('size', 5);
    expect(body.data.sampleMentions.map((m: { id: string }) => m.id)).toEqual(alerts[0].sampleMentionIds);
    // Each sample's score reads as GET /v1/mentions/{id} shows it, to 4 decimals.
    for (const sample of body.data.sampleMentions as { id: string; sentiment: number }[]) {
      expect(sample.sentiment).toBe((await s.request('GET', `/v1/mentions/${sample.id}`, { key })).json.sentiment.score);
    }
    expect(body.data).toMatchObject({ ruleId: r.id, sampleMentions: expect.arrayContaining([expect.objectContaining({ lang: 'en' })]) });

    const deliveries = (await s.request('GET', `/v1/alert-rules/${r.id}/deliveries`, { key })).json.items;
    expect(deliveries.map((d: { attempt: number; status: number; outcome: string }) => [d.attempt, d.status, d.outcome])).toEqual([
      [3, 200, 'delivered'],
      [2, 500, 'retry'],
      [1, 500, 'retry'],
    ]);

    // Evaluating again, and by two evaluators at once, never alerts twice for the same spike.
    await s.services.queues.add('alerts.evaluate', {});
    await s.drain();
    const now = new Date();
    await Promise.all([evaluateRule({ ...s.deps, ruleId: r.id, now }), evaluateRule({ ...s.deps, ruleId: r.id, now })]);
    await s.drain();
    expect((await s.request('GET', '/v1/alerts', { key })).json.items).toHaveLength(1);
    expect(received.filter((x) => x.path === '/hook')).toHaveLength(3);
    expect((await s.request('GET', `/v1/alert-rules/${r.id}`, { key })).json.openIncident).toMatchObject({ eventId: alerts[0].id });
    await s.request('DELETE', `/v1/alert-rules/${r.id}`, { key });
  });

  it('a brand with no history raises nothing on its first busy hour: the hours before its first mention are no baseline', async () => {
    const fresh = (await s.request('POST', '/v1/brands', { key, body: { name: 'Zentro', role: 'competitor', query: 'zentro' } })).json.id;
    const res = await s.request('POST', '/v1/alert-rules', { key, body: { brandId: fresh, webhookUrl: `${base}/fresh`, windowMinutes: 60 } });
    expect(res.status, res.text).toBe(201);
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    const burst = Array.from({ length: 12 }, (_, i) =>
      mention({ at: new Date(minute - (i + 1) * 60_000), brands: [fresh], label: 'negative', score: -0.8, text: `Zentro is a scam ${i}` }),
    );
    await seed(s.deps, { workspaceId, sourceId, mentions: burst });
    const result = await evaluateRule({ ...s.deps, ruleId: res.json.id, now: new Date() });
    expect(result.action).toBe('none');
    expect(result.detection?.baseline.guard).toBe('noBaseline');
    const backtest = await s.request('POST', `/v1/alert-rules/${res.json.id}/backtest`, {
      key,
      body: { since: new Date(minute - 86_400_000).toISOString(), until: new Date(minute + 60_000).toISOString() },
    });
    expect(backtest.status, backtest.text).toBe(200);
    expect(backtest.json.alerts).toEqual([]);
    await s.request('DELETE', `/v1/alert-rules/${res.json.id}`, { key });
  });

  it('a 410 disables the rule; a 302 is a failure and is never followed', async () => {
    const gone = await rule('/gone');
    answers.set('/gone', [410]);
    const moved = await rule('/moved');
    answers.set('/moved', [302, 302, 302, 302, 302, 302, 302, 302]);
    await s.services.queues.add('alerts.evaluate', {});
    await s.drain();

    const goneRule = (await s.request('GET', `/v1/alert-rules/${gone.id}`, { key })).json;
    expect(received.filter((x) => x.path === '/gone')).toHaveLength(1);
    // The incident went with the endpoint, and the rule says so; enabled again (the receiver is
    // back), a spike still going alerts again: the one alert of it went nowhere.
    const goneId = received.find((x) => x.path === '/gone')!.headers['webhook-id'];
    expect(goneRule).toMatchObject({
      enabled: false,
      disabledReason: `the webhook endpoint answered 410 Gone; its open incident (alert ${goneId}) was closed without a resolution`,
      openIncident: null,
      lastDelivery: { outcome: 'gone', status: 410, error: null },
    });
    const enabled = await s.request('PATCH', `/v1/alert-rules/${gone.id}`, { key, body: { enabled: true } });
    expect(enabled.json).toMatchObject({ enabled: true, disabledReason: null, openIncident: null });
    // (A minute later: an alert's id is its rule and window, and this minute's is taken.)
    const reopened = await evaluateRule({ ...s.deps, ruleId: gone.id, now: new Date(Date.now() + 60_000) });
    expect(reopened.action).toBe('open');
    expect(reopened.toDeliver).not.toBeNull();
    expect(reopened.toDeliver).not.toBe(received.find((x) => x.path === '/gone')!.headers['webhook-id']);

    expect(received.filter((x) => x.path === '/redirected')).toHaveLength(0);
    const movedAttempts = (await s.request('GET', `/v1/alert-rules/${moved.id}/deliveries`, { key })).json.items;
    expect(movedAttempts).toHaveLength(8);
    expect(movedAttempts.every((d: { status: number }) => d.status === 302)).toBe(true);
    // Newest first: the last attempt failed for good, the seven before it were retried.
    expect(movedAttempts.map((d: { outcome: string }) => d.outcome)).toEqual(['failed', ...Array(7).fill('retry')]);
    const alerts = (await s.request('GET', '/v1/alerts', { key })).json.items;
    expect(alerts.find((a: { ruleId: string }) => a.ruleId === moved.id).deliveryStatus).toBe('failed');
  });

  it('a backtest replays stored history and fires nothing on the quiet weeks', async () => {
    const r = await rule('/backtest', { sensitivity: 'medium' });
    const since = new Date(Date.now() - 14 * 86_400_000).toISOString();
    const until = new Date(Date.now() - 3 * 3_600_000).toISOString();
    const res = await s.request('POST', `/v1/alert-rules/${r.id}/backtest`, { key, body: { since, until } });
    expect(res.status, res.text).toBe(200);
    expect(res.json.evaluations).toBeGreaterThan(200);
    expect(res.json.alerts).toEqual([]);
    expect((await s.request('POST', `/v1/alert-rules/${r.id}/backtest`, { key, body: { since: until, until: since } })).status).toBe(400);
  });

  it('an endpoint that became private after saving is refused at send time, and the receiver sees nothing', async () => {
    const r = await rule('/turned-private');
    // Stored, not yet delivered (only a pending alert is sent).
    const alertId = (await evaluateRule({ ...s.deps, ruleId: r.id, now: new Date() })).toDeliver!;
    expect(alertId).toEqual(expect.any(String));
    const before = received.filter((x) => x.path === '/turned-private').length;
    // The deployment now forbids private networks: the stored alert goes through a strict client.
    const strict = createHttpClient({ allowPrivateNetworks: false });
    const result = await deliverAlert({ alertId, attempt: 1, now: new Date(), http: strict, alertRepository: s.deps.alertRepository });
    await strict.close();
    expect(result).toMatchObject({ outcome: 'refused', status: null });
    expect(received.filter((x) => x.path === '/turned-private').length).toBe(before);
    const attempts = (await s.request('GET', `/v1/alert-rules/${r.id}/deliveries`, { key })).json.items;
    expect(attempts[0]).toMatchObject({ attempt: 1, outcome: 'refused', error: expect.stringContaining('127.0.0.1') });
  });

  it('refuses a webhook URL Earshot must not call, and a brand of another workspace', async () => {
    const bad = await s.request('POST', '/v1/alert-rules', { key, body: { brandId: brand, webhookUrl: 'ftp://example.com/hook' } });
    expect(bad.status).toBe(400);
    // Private networks are allowed here (the receiver is on 127.0.0.1), link-local never: a cloud's metadata service is no webhook.
    const metadata = await s.request('POST', '/v1/alert-rules', { key, body: { brandId: brand, webhookUrl: 'http://169.254.169.254/latest/meta-data' } });
    expect(metadata.status, metadata.text).toBe(400);
    expect(metadata.json.error).toMatchObject({ code: 'alert_rules.url_not_allowed', fields: [{ field: 'webhookUrl', message: '169.254.169.254 is a link-local address' }] });
    const saved = await rule('/link-local');
    const moved = await s.request('PATCH', `/v1/alert-rules/${saved.id}`, { key, body: { webhookUrl: 'http://[fe80::1]/hook' } });
    expect(moved.status, moved.text).toBe(400);
    expect(moved.json.error.fields).toEqual([{ field: 'webhookUrl', message: 'fe80::1 is a link-local address' }]);
    await s.request('DELETE', `/v1/alert-rules/${saved.id}`, { key });
    const other = await s.workspace('Other');
    const foreign = await s.request('POST', '/v1/alert-rules', { key: other.key, body: { brandId: brand, webhookUrl: `${base}/x` } });
    expect(foreign.status).toBe(404);
  });

  it('an incident that grows moves its alert to the peak window, with that window\'s counts, never more negatives than mentions', async () => {
    const peakBrand = (await s.request('POST', '/v1/brands', { key, body: { name: 'Peakco', role: 'competitor', query: 'peakco' } })).json.id;
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    const quiet = [];
    for (let h = 5 * 24; h >= 2; h--) {
      const hour = Math.floor(minute / 3_600_000 - h) * 3_600_000;
      for (let i = 0; i < 4; i++) quiet.push(mention({ at: new Date(hour + i * 60_000), brands: [peakBrand], label: (h + i) % 5 === 0 ? 'negative' : 'neutral' }));
    }
    const negatives = (count: number, from: number) =>
      Array.from({ length: count }, (_, i) => mention({ at: new Date(from + i * 30_000), brands: [peakBrand], label: 'negative', score: -0.8, text: `Peakco broke ${from} ${i}` }));
    // The 22 negatives span exactly 30 minutes, so one 30-minute window holds them all: the one
    // ending at minute + 10. Were several windows to hold all 22, the peak would be the one whose
    // hours expect the fewest negatives (expected is pro rata by hour of day), which depends on the
    // wall clock, not the one this test names.
    await seed(s.deps, { workspaceId, sourceId, mentions: [...quiet, ...negatives(12, minute - 20 * 60_000)] });
    const res = await s.request('POST', '/v1/alert-rules', { key, body: { brandId: peakBrand, webhookUrl: `${base}/peak`, windowMinutes: 30 } });
    expect(res.status, res.text).toBe(201);
    const opened = await evaluateRule({ ...s.deps, ruleId: res.json.id, now: new Date(minute) });
    expect(opened.action).toBe('open');

    // More negatives, up to minute + 9:30, and a later window that holds them all.
    await seed(s.deps, { workspaceId, sourceId, mentions: negatives(10, minute + 5 * 60_000) });
    const grown = await evaluateRule({ ...s.deps, ruleId: res.json.id, now: new Date(minute + 10 * 60_000) });
    expect(grown.action).toBe('update');
    const alert = (await s.request('GET', '/v1/alerts', { key })).json.items.find((a: { ruleId: string }) => a.ruleId === res.json.id);
    expect(alert).toMatchObject({ observed: 22, window: { end: new Date(minute + 10 * 60_000).toISOString() } });
    expect(alert.total).toBeGreaterThanOrEqual(alert.observed);
    expect(alert.expected).toBe(Math.round(grown.detection!.expected * 100) / 100);

    // A later, smaller window leaves the peak as it is.
    const smaller = await evaluateRule({ ...s.deps, ruleId: res.json.id, now: new Date(minute + 25 * 60_000) });
    expect(['update', 'none', 'resolve']).toContain(smaller.action);
    const kept = (await s.request('GET', '/v1/alerts', { key })).json.items.find((a: { ruleId: string }) => a.ruleId === res.json.id);
    expect(kept).toMatchObject({ observed: 22, total: alert.total, window: alert.window });
  });
});
