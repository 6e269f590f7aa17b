import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backtest, deliverAlert, evaluateRule } from '../../src/domain/alerts/alerts.usecases.js';
import { createTestStack, type TestStack } from '../support/stack.js';
import { mention, quietWeeksThenNegativeSpike, seed } from '../support/seed.js';

// Follow-ups of the alerts audit: a backtest judges only hours that have ended; moving a rule to
// another brand closes the old brand's incident and its cooldown; sample mentions are distinct
// posts spread over languages, with their ids and languages in the webhook.

const HOUR = 3_600_000;
const MINUTE = 60_000;

let s: TestStack;
let key: string;
let workspaceId: string;
let sourceId: string;
let otherSourceId: string;
let server: Server;
let base: string;
const received: { path: string; body: any }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      received.push({ path: req.url ?? '/', body: JSON.parse(body) });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  s = await createTestStack();
  ({ key, id: workspaceId } = await s.workspace('Alert follow-ups'));
  sourceId = (await s.request('POST', '/v1/sources', { key, body: { type: 'rss', url: 'http://127.0.0.1:9/a.xml' } })).json.id;
  otherSourceId = (await s.request('POST', '/v1/sources', { key, body: { type: 'rss', url: 'http://127.0.0.1:9/b.xml' } })).json.id;
});
afterAll(async () => {
  await s.close();
  server.close();
});

async function brand(name: string): Promise<string> {
  const res = await s.request('POST', '/v1/brands', { key, body: { name, role: 'competitor', query: name.toLowerCase() } });
  expect(res.status, res.text).toBe(201);
  return res.json.id;
}

async function rule(brandId: string, path: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await s.request('POST', '/v1/alert-rules', { key, body: { brandId, webhookUrl: `${base}${path}`, windowMinutes: 30, ...extra } });
  expect(res.status, res.text).toBe(201);
  return res.json.id;
}

/** Hours [from, to) of quiet mentions: four an hour, one in five negative. */
function quietHours(brandId: string, from: number, to: number) {
  const mentions = [];
  for (let hour = from; hour < to; hour += HOUR) {
    for (let i = 0; i < 4; i++) mentions.push(mention({ at: new Date(hour + i * MINUTE), brands: [brandId], label: (hour / HOUR + i) % 5 === 0 ? 'negative' : 'neutral' }));
  }
  return mentions;
}

describe('a backtest judges only hours that have ended', () => {
  // Six hours ago H: five quiet days before it, and 25 negatives early in the hour before H.
  const H = Math.floor(Date.now() / HOUR) * HOUR - 6 * HOUR;
  let ruleId: string;

  beforeAll(async () => {
    const brandId = await brand('Backco');
    const spike = Array.from({ length: 25 }, (_, i) =>
      mention({ at: new Date(H - HOUR + i * 30_000), brands: [brandId], label: 'negative', score: -0.8, text: `Backco lost my parcel, case ${i}` }),
    );
    await seed(s.deps, { workspaceId, sourceId, mentions: [...quietHours(brandId, H - 5 * 24 * HOUR, H - HOUR), ...spike] });
    ruleId = await rule(brandId, '/backtest', { windowMinutes: 60 });
  });

  it('an until after now stops at now: no resolution is made up from the empty hours to come', async () => {
    const now = new Date(H + 30 * MINUTE);
    const result = await backtest({ workspaceId, id: ruleId, since: new Date(H - 24 * HOUR), until: new Date(H + 6 * HOUR), now, alertRepository: s.deps.alertRepository });
    expect(result.until).toBe(now.toISOString());
    // Evaluations at H − 24 h … H, the last one judging the hour before H, which has ended.
    expect(result.evaluations).toBe(25);
    expect(result.alerts.map((a) => [a.type, a.at])).toEqual([['alert.negative_spike', new Date(H).toISOString()]]);
  });

  it('the hour still under way is not judged as a whole hour', async () => {
    // Half an hour into the spike's hour, that hour has not ended: nothing opens "at H".
    const now = new Date(H - 30 * MINUTE);
    const result = await backtest({ workspaceId, id: ruleId, since: new Date(H - 24 * HOUR), until: new Date(H + 6 * HOUR), now, alertRepository: s.deps.alertRepository });
    expect(result.until).toBe(now.toISOString());
    expect(result.alerts).toEqual([]);
  });

  it('through the API, an until in the future answers the span replayed, and a since in the future is a 400 naming since', async () => {
    const res = await s.request('POST', `/v1/alert-rules/${ruleId}/backtest`, {
      key,
      body: { since: new Date(H - 24 * HOUR).toISOString(), until: new Date(Date.now() + 3 * HOUR).toISOString() },
    });
    expect(res.status, res.text).toBe(200);
    expect(Date.parse(res.json.until)).toBeLessThanOrEqual(Date.now());
    expect(res.json.alerts.length).toBeGreaterThan(0);
    for (const alert of res.json.alerts) expect(Date.parse(alert.at)).toBeLessThanOrEqual(Date.parse(res.json.until));

    const future = await s.request('POST', `/v1/alert-rules/${ruleId}/backtest`, { key, body: { since: '2030-01-01T00:00:00Z', until: '2030-01-02T00:00:00Z' } });
    expect(future.status, future.text).toBe(400);
    expect(future.json.error.code).toBe('validation.failed');
    expect(future.json.error.fields).toEqual([{ field: 'since', message: expect.stringContaining('past') }]);
  });
});

describe('a backtest that could judge nothing says why', () => {
  // Five quiet days of mentions, the first in the hour from F, up to six hours ago.
  const F = Math.floor(Date.now() / HOUR) * HOUR - 5 * 24 * HOUR - 6 * HOUR;
  const iso = (ms: number) => new Date(ms).toISOString();
  let ruleId: string;

  beforeAll(async () => {
    const brandId = await brand('Notyet');
    await seed(s.deps, { workspaceId, sourceId, mentions: quietHours(brandId, F, F + 5 * 24 * HOUR) });
    ruleId = await rule(brandId, '/notyet', { windowMinutes: 60 });
  });

  const replay = async (since: number, until: number) => {
    const res = await s.request('POST', `/v1/alert-rules/${ruleId}/backtest`, { key, body: { since: iso(since), until: iso(until) } });
    expect(res.status, res.text).toBe(200);
    return res.json as { evaluations: number; alerts: unknown[]; note?: string };
  };

  it('a span before the brand was first mentioned: no mentions to evaluate, from the history before since on', async () => {
    const since = F - 100 * 24 * HOUR;
    const answer = await replay(since, since + 7 * 24 * HOUR);
    expect(answer).toMatchObject({ evaluations: 0, alerts: [] });
    expect(answer.note).toBe(`nothing to evaluate: the brand has no mentions from ${iso(since - 8 * 168 * HOUR)} (the 8 weeks before since, its baseline's history) to until`);
  });

  it('a span ending within an hour of the first mention: too late for a whole window', async () => {
    const answer = await replay(F - 24 * HOUR, F + 30 * MINUTE);
    expect(answer).toMatchObject({ evaluations: 0, alerts: [] });
    expect(answer.note).toBe(`nothing to evaluate: the brand's first mention since ${iso(F - 24 * HOUR - 8 * 168 * HOUR)} is in the hour from ${iso(F)}, too late for a whole 1-hour window to end before until`);
  });

  it('a span within three days of the first mention: not enough history for a baseline', async () => {
    const answer = await replay(F, F + 2 * 24 * HOUR);
    expect(answer.evaluations).toBeGreaterThan(0);
    expect(answer.alerts).toEqual([]);
    expect(answer.note).toMatch(/^not enough history for a baseline: a window is judged against at least 3 days of the brand's mentions before it, and the brand's first mention since \S+ is in the hour from \S+, so no window of this span could fire$/);
    expect(answer.note).toContain(`in the hour from ${iso(F)}`);
  });

  it('a span the first three days overlap: how many evaluations could not fire; none when all could', async () => {
    // Evaluations at F + 48 h … F + 95 h; a window (the hour before) has three days before it from F + 73 h on.
    const partly = await replay(F + 48 * HOUR, F + 96 * HOUR);
    expect(partly.evaluations).toBe(48);
    expect(partly.note).toMatch(new RegExp(`^25 of the 48 evaluations could not fire for want of history: .* is in the hour from ${iso(F).replace(/[.]/g, '\\.')}$`));
    const judged = await replay(F + 4 * 24 * HOUR, F + 5 * 24 * HOUR);
    expect(judged.evaluations).toBe(24);
    expect(judged).not.toHaveProperty('note');
  });
});

describe('moving a rule to another brand', () => {
  let spiking: string;
  let quiet: string;
  let alsoSpiking: string;

  beforeAll(async () => {
    spiking = await brand('Kofi');
    quiet = await brand('Zeta');
    alsoSpiking = await brand('Pylo');
    const now = Date.now();
    const history = [...quietWeeksThenNegativeSpike(spiking, now), ...quietWeeksThenNegativeSpike(alsoSpiking, now), ...quietHours(quiet, Math.floor(now / HOUR) * HOUR - 14 * 24 * HOUR, Math.floor(now / HOUR) * HOUR)];
    await seed(s.deps, { workspaceId, sourceId, mentions: history });
  });

  it("closes the old brand's incident with a resolution naming the old brand, and never resolves one for the new brand", async () => {
    const ruleId = await rule(spiking, '/moved');
    const now = Date.now();
    const opened = await evaluateRule({ ...s.deps, ruleId, now: new Date(now) });
    expect(opened.action).toBe('open');
    await deliverAlert({ alertId: opened.toDeliver!, attempt: 1, now: new Date(), http: s.services.http, alertRepository: s.deps.alertRepository });

    const patched = await s.request('PATCH', `/v1/alert-rules/${ruleId}`, { key, body: { brandId: quiet } });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.json).toMatchObject({ brandId: quiet, openIncident: null });

    // The next evaluation's sweep of pending alerts sends the resolution.
    await s.services.queues.add('alerts.evaluate', {});
    await s.drain();
    const bodies = received.filter((r) => r.path === '/moved').map((r) => r.body);
    expect(bodies.map((b) => [b.type, b.data.brand.id])).toEqual([
      ['alert.negative_spike', spiking],
      ['alert.negative_spike.resolved', spiking],
    ]);
    expect(bodies[1].text).toBe('Resolved: this alert rule no longer watches Kofi, so its incident is closed (not judged back to normal).');
    expect(bodies[1].data).toMatchObject({ ruleId, reason: null, sampleMentions: [] });

    // Quiet windows of the new brand later on resolve nothing: it has no incident.
    for (let minutes = 1; minutes <= 5; minutes++) {
      const result = await evaluateRule({ ...s.deps, ruleId, now: new Date(now + minutes * MINUTE) });
      expect(result.action, `${minutes} min later`).toBe('none');
    }
    const alerts = (await s.request('GET', '/v1/alerts', { key })).json.items.filter((a: { ruleId: string }) => a.ruleId === ruleId);
    expect(alerts.map((a: { type: string; brandId: string }) => [a.type, a.brandId])).toEqual([
      ['alert.negative_spike.resolved', spiking],
      ['alert.negative_spike', spiking],
    ]);
  });

  it("forgets the old brand's cooldown: a spike of the new brand alerts at once", async () => {
    const ruleId = await rule(spiking, '/cooldown', { cooldownMinutes: 600 });
    const now = Date.now();
    expect((await evaluateRule({ ...s.deps, ruleId, now: new Date(now) })).action).toBe('open');
    // The spike's mentions leave the 30-minute window: three quiet evaluations resolve it.
    let resolved = false;
    for (let minutes = 31; minutes < 40 && !resolved; minutes++) resolved = (await evaluateRule({ ...s.deps, ruleId, now: new Date(now + minutes * MINUTE) })).action === 'resolve';
    expect(resolved).toBe(true);

    const patched = await s.request('PATCH', `/v1/alert-rules/${ruleId}`, { key, body: { brandId: alsoSpiking } });
    expect(patched.status, patched.text).toBe(200);
    const result = await evaluateRule({ ...s.deps, ruleId, now: new Date(now + MINUTE) });
    expect(result).toMatchObject({ action: 'open', toDeliver: expect.any(String) });
  });

  it('a new window length keeps the incident open and evaluates on at once, not as a re-run of a window already judged', async () => {
    const ruleId = await rule(spiking, '/longer');
    const now = Date.now();
    const opened = await evaluateRule({ ...s.deps, ruleId, now: new Date(now) });
    expect(opened.action).toBe('open');
    const patched = await s.request('PATCH', `/v1/alert-rules/${ruleId}`, { key, body: { windowMinutes: 120 } });
    expect(patched.json.openIncident).toMatchObject({ eventId: opened.toDeliver });
    // A minute later the 120-minute window, holding the whole spike, still fires: the incident goes on.
    const next = await evaluateRule({ ...s.deps, ruleId, now: new Date(now + MINUTE) });
    expect(next.action).toBe('update');
  });
});

describe('the samples of an alert', () => {
  it('are one of each reposted text, spread over the languages, the most negative first, with their ids and languages', async () => {
    const brandId = await brand('Vexa');
    const minute = Math.floor(Date.now() / MINUTE) * MINUTE;
    let n = 0;
    const post = (text: string, lang: string, score: number, source = sourceId) => ({
      source,
      mention: mention({ at: new Date(minute - (++n + 1) * 20_000), brands: [brandId], label: 'negative', score, lang, text }),
    });
    const posts = [
      // The most negative are eight reposts of one Persian sentence, then four of one Tamil one.
      ...Array.from({ length: 8 }, (_, i) => post(`وکسا افتضاح است. (${i + 3})`, 'fa', -0.9)),
      ...Array.from({ length: 4 }, (_, i) => post(`வெக்ஸா மிகவும் மோசம் ${i}`, 'ta', -0.85)),
      post('Vexa je hrozná, už nikdy.', 'cs', -0.7),
      post('Vexa is terrible, never again.', 'en', -0.6, otherSourceId),
      post('Vexa broke on day one.', 'en', -0.65),
      post('वेक्सा बहुत खराब है।', 'hi', -0.5),
      post('Vexa je hrozná, už nikdy!!', 'cs', -0.75),
    ];
    const hour = Math.floor(minute / HOUR) * HOUR;
    await seed(s.deps, { workspaceId, sourceId, mentions: quietHours(brandId, hour - 14 * 24 * HOUR, hour - HOUR) });
    await seed(s.deps, { workspaceId, sourceId, mentions: posts.filter((p) => p.source === sourceId).map((p) => p.mention) });
    await seed(s.deps, { workspaceId, sourceId: otherSourceId, mentions: posts.filter((p) => p.source === otherSourceId).map((p) => p.mention) });
    const ruleId = await rule(brandId, '/samples');

    const opened = await evaluateRule({ ...s.deps, ruleId, now: new Date(minute) });
    expect(opened.action).toBe('open');
    const delivered = await deliverAlert({ alertId: opened.toDeliver!, attempt: 1, now: new Date(), http: s.services.http, alertRepository: s.deps.alertRepository });
    expect(delivered.outcome).toBe('delivered');
    const body = received.find((r) => r.path === '/samples')!.body;
    const samples = body.data.sampleMentions as { id: string; lang: string; text: string; sentiment: number; url: string }[];

    expect(samples.map((m) => m.lang)).toEqual(['fa', 'ta', 'cs', 'en', 'hi']);
    expect(samples.map((m) => m.text)).toEqual(['وکسا افتضاح است. (3)', 'வெக்ஸா மிகவும் மோசம் 0', 'Vexa je hrozná, už nikdy!!', 'Vexa broke on day one.', 'वेक्सा बहुत खराब है।']);
    expect(samples.map((m) => m.sentiment)).toEqual([-0.9, -0.85, -0.75, -0.65, -0.5]);
    expect(body.data.ruleId).toBe(ruleId);
    const alert = (await s.request('GET', '/v1/alerts', { key })).json.items.find((a: { id: string }) => a.id === opened.toDeliver);
    expect(samples.map((m) => m.id)).toEqual(alert.sampleMentionIds);
    const listed = await s.request('GET', `/v1/mentions/${samples[0]!.id}`, { key });
    expect(listed.status, listed.text).toBe(200);
    expect(listed.json.text).toBe('وکسا افتضاح است. (3)');
  });
});
