import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverAlert, evaluateRule } from '../../src/domain/alerts/alerts.usecases.js';
import { alertEventId } from '../../src/domain/alerts/incidents.js';
import { MAX_ATTEMPTS } from '../../src/domain/webhooks/index.js';
import { createLogger } from '../../src/logger.js';
import { createTestStack, type TestStack } from '../support/stack.js';
import { quietWeeksThenNegativeSpike, seed } from '../support/seed.js';

/**
 * Delivering a stored alert against a real receiver, real workers, Postgres and Redis: one alert
 * is sent once, a rule that stops sending ends its waiting alerts, and the deliveries log says
 * when each attempt started and how the last one ended.
 */
type Reply = { status?: number; delayMs?: number; before?: () => Promise<void> };
const received: { path: string; headers: Record<string, string>; body: string }[] = [];
const scripts = new Map<string, Reply[]>();
let server: Server;
let base: string;
let logs = '';
let s: TestStack;
let key: string;
let workspaceId: string;
let brand: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])), body });
      const reply = scripts.get(path)?.shift() ?? {};
      void (async () => {
        await reply.before?.();
        if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
        res.writeHead(reply.status ?? 200).end(reply.status && reply.status >= 300 ? 'nope' : 'ok');
      })();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const log = createLogger({ level: 'info', destination: new Writable({ write: (chunk, _e, done) => ((logs += chunk.toString()), done()) }) });
  s = await createTestStack({ log });
  ({ key, id: workspaceId } = await s.workspace('Deliveries'));
  brand = (await s.request('POST', '/v1/brands', { key, body: { name: 'Acme', role: 'own', query: 'acme' } })).json.id;
  const sourceId = (await s.request('POST', '/v1/sources', { key, body: { type: 'rss', url: 'http://127.0.0.1:9/d.xml' } })).json.id;

  // Every rule of the brand opens an incident at its first evaluation.
  await seed(s.deps, { workspaceId, sourceId, mentions: quietWeeksThenNegativeSpike(brand) });
});
afterAll(async () => {
  await s.close();
  server.closeAllConnections();
  server.close();
});

async function rule(path: string) {
  const res = await s.request('POST', '/v1/alert-rules', { key, body: { brandId: brand, webhookUrl: `${base}${path}`, windowMinutes: 30 } });
  expect(res.status, res.text).toBe(201);
  return res.json.id as string;
}

/** The rule's first evaluation: the spike opens an incident, and its alert is stored pending. */
async function opened(ruleId: string, now = new Date()): Promise<string> {
  const result = await evaluateRule({ ...s.deps, ruleId, now });
  expect(result.action).toBe('open');
  return result.toDeliver!;
}

const sentTo = (path: string) => received.filter((x) => x.path === path);
const deliver = (alertId: string, attempt: number, now = new Date()) => deliverAlert({ ...s.deps, alertId, attempt, now });
const deliverJob = (alertId: string) => s.services.queues.add('alerts.deliver', { alertId }, { jobId: `deliver-${alertId}` });
const deliveryStatus = async (alertId: string) =>
  (await s.db.selectFrom('alerts').select('delivery_status').where('id', '=', alertId).executeTakeFirstOrThrow()).delivery_status;
async function deliveries(ruleId: string) {
  const res = await s.request('GET', `/v1/alert-rules/${ruleId}/deliveries`, { key });
  expect(res.status, res.text).toBe(200);
  return res.json.items as { alertId: string; attempt: number; status: number | null; outcome: string; attemptedAt: string }[];
}

describe('delivering an alert', () => {
  it('an alert whose delivery job is added again after the first one completed and was removed is sent once', async () => {
    const ruleId = await rule('/twice');
    const alertId = await opened(ruleId);
    await deliverJob(alertId);
    await s.drain();
    // The job completed and was removed (removeOnComplete), so its id is free: the evaluation's
    // sweep, having read the alert as pending just before 'delivered' committed, adds it anew.
    expect(await s.services.queues.queues.get('webhooks')!.getJob(`deliver-${alertId}`)).toBeUndefined();
    await deliverJob(alertId);
    await s.drain();

    expect(sentTo('/twice')).toHaveLength(1);
    expect((await deliveries(ruleId)).map((d) => [d.alertId, d.attempt, d.outcome])).toEqual([[alertId, 1, 'delivered']]);
    expect(await deliveryStatus(alertId)).toBe('delivered');
  });

  it('pausing a rule while its alert is retrying cancels the alert: not sent again, not queued every tick, not revived by enabling the rule', async () => {
    const ruleId = await rule('/paused');
    scripts.set('/paused', [{ status: 500 }]);
    const first = await opened(ruleId);
    expect((await deliver(first, 1)).outcome).toBe('retry');

    const paused = await s.request('PATCH', `/v1/alert-rules/${ruleId}`, { key, body: { enabled: false } });
    expect(paused.status, paused.text).toBe(200);
    const listed = (await s.request('GET', '/v1/alerts', { key })).json.items.find((a: { id: string }) => a.id === first);
    expect(listed.deliveryStatus).toBe('cancelled');
    expect((await s.deps.alertRepository.pendingAlerts(new Date())).map((a) => a.id)).not.toContain(first);
    // Attempt 2, when the retry schedule brings it, sends nothing.
    expect((await deliver(first, 2)).outcome).toBe('skipped');
    expect(sentTo('/paused')).toHaveLength(1);

    // Enabled again, the spike still going raises a new alert (a minute on: this minute's id is
    // taken), and only that one goes out, through the evaluation's sweep.
    const enabled = await s.request('PATCH', `/v1/alert-rules/${ruleId}`, { key, body: { enabled: true } });
    expect(enabled.json).toMatchObject({ enabled: true, openIncident: null });
    const second = await opened(ruleId, new Date(Date.now() + 60_000));
    await s.services.queues.add('alerts.evaluate', {});
    await s.drain();
    expect(sentTo('/paused').map((x) => x.headers['webhook-id'])).toEqual([first, second]);
    expect(await deliveryStatus(first)).toBe('cancelled');
    expect((await deliveries(ruleId)).map((d) => [d.alertId, d.attempt, d.outcome])).toEqual([
      [second, 1, 'delivered'],
      [first, 1, 'retry'],
    ]);
  });

  it("a 410 cancels the rule's other alert still waiting, and the sweep no longer queues it", async () => {
    const ruleId = await rule('/gone');
    scripts.set('/gone', [{ status: 410 }]);
    const spike = await opened(ruleId);
    // Another alert of the rule still waiting for delivery (stored while Redis was away, say).
    const waiting = alertEventId(ruleId, new Date(Date.UTC(2026, 0, 1)));
    await sql`insert into alerts (id, rule_id, workspace_id, brand_id, type, window_start, window_end, observed, total, expected, score, payload)
              values (${waiting}, ${ruleId}, ${workspaceId}, ${brand}, 'alert.negative_spike', now(), now(), 9, 9, 1, 5, '{"type":"alert.negative_spike"}')`.execute(s.db);

    expect((await deliver(spike, 1)).outcome).toBe('gone');
    expect(await deliveryStatus(spike)).toBe('gone');
    expect(await deliveryStatus(waiting)).toBe('cancelled');
    expect((await s.deps.alertRepository.pendingAlerts(new Date())).map((a) => a.id)).not.toContain(waiting);
    expect((await deliver(waiting, 1)).outcome).toBe('skipped');
    expect(sentTo('/gone')).toHaveLength(1);
  });

  it('an alert still pending when its rule is found disabled is cancelled by its attempt, not sent', async () => {
    const ruleId = await rule('/disabled');
    const alertId = await opened(ruleId);
    // Disabled without going through PATCH (an older version, or a 410 racing this attempt).
    await s.db.updateTable('alert_rules').set({ enabled: false }).where('id', '=', ruleId).execute();
    expect((await s.deps.alertRepository.pendingAlerts(new Date())).map((a) => a.id)).not.toContain(alertId);
    expect((await deliver(alertId, 1)).outcome).toBe('cancelled');
    expect(await deliveryStatus(alertId)).toBe('cancelled');
    expect(sentTo('/disabled')).toHaveLength(0);
    expect(await deliveries(ruleId)).toEqual([]);
  });

  it('a rule deleted while an attempt is in flight ends the attempt quietly: no retry, nothing above info in the log', async () => {
    const ruleId = await rule('/deleted');
    scripts.set('/deleted', [
      {
        status: 500,
        before: async () => {
          expect((await s.request('DELETE', `/v1/alert-rules/${ruleId}`, { key })).status).toBe(204);
        },
      },
    ]);
    const alertId = await opened(ruleId);
    const from = logs.length;
    await deliverJob(alertId);
    await s.drain();

    expect(sentTo('/deleted')).toHaveLength(1);
    const lines = logs
      .slice(from)
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { level: number; msg: string; jobId?: string; attempt?: number; outcome?: string })
      .filter((l) => l.jobId === `deliver-${alertId}`);
    expect(lines.filter((l) => l.level > 30)).toEqual([]);
    expect(lines.filter((l) => l.msg === 'webhook attempt').map((l) => [l.attempt, l.outcome])).toEqual([[1, 'skipped']]);
  });

  it('the deliveries log dates an attempt from its start, not from when the receiver answered', async () => {
    const ruleId = await rule('/slow');
    scripts.set('/slow', [{ status: 200, delayMs: 1_500 }]);
    const alertId = await opened(ruleId);
    const started = new Date();
    expect((await deliver(alertId, 1, started)).outcome).toBe('delivered');
    const [attempt] = await deliveries(ruleId);
    expect(attempt).toMatchObject({ attempt: 1, outcome: 'delivered', attemptedAt: started.toISOString() });
  });

  it('the last of the failed attempts is logged as failed, not retry', async () => {
    const ruleId = await rule('/failing');
    scripts.set('/failing', [{ status: 500 }, { status: 500 }]);
    const alertId = await opened(ruleId);
    expect((await deliver(alertId, 1)).outcome).toBe('retry');
    expect((await deliver(alertId, MAX_ATTEMPTS)).outcome).toBe('failed');
    expect((await deliveries(ruleId)).map((d) => [d.attempt, d.status, d.outcome])).toEqual([
      [MAX_ATTEMPTS, 500, 'failed'],
      [1, 500, 'retry'],
    ]);
    expect(await deliveryStatus(alertId)).toBe('failed');
  });

  it('a delivery job made anew, its count started over (Redis emptied), goes on from the attempts logged and stops at the last', async () => {
    const ruleId = await rule('/restarted');
    scripts.set('/restarted', Array.from({ length: MAX_ATTEMPTS + 2 }, () => ({ status: 503 })));
    const alertId = await opened(ruleId);
    // Every call is BullMQ's first attempt of a job that lost its history.
    const outcomes: string[] = [];
    for (let i = 0; i < MAX_ATTEMPTS + 1; i++) outcomes.push((await deliver(alertId, 1)).outcome);

    // Before: attempt 1 logged nine times, every one a retry, and no end to them.
    expect(outcomes).toEqual([...Array(MAX_ATTEMPTS - 1).fill('retry'), 'failed', 'skipped']);
    expect((await deliveries(ruleId)).map((d) => d.attempt).reverse()).toEqual(Array.from({ length: MAX_ATTEMPTS }, (_, i) => i + 1));
    expect(sentTo('/restarted')).toHaveLength(MAX_ATTEMPTS);
    expect(await deliveryStatus(alertId)).toBe('failed');
  });
});

describe('rotating a rule’s signing secret', () => {
  async function ruleWithSecret(path: string) {
    const res = await s.request('POST', '/v1/alert-rules', { key, body: { brandId: brand, webhookUrl: `${base}${path}`, windowMinutes: 30 } });
    expect(res.status, res.text).toBe(201);
    return { ruleId: res.json.id as string, secret: res.json.secret as string };
  }
  const verifies = (secret: string, x: { body: string; headers: Record<string, string> }) => {
    try {
      new Webhook(secret).verify(x.body, x.headers);
      return true;
    } catch {
      return false;
    }
  };

  it('answers the new secret once; for a day both secrets sign, so a receiver holding either verifies', async () => {
    const { ruleId, secret: old } = await ruleWithSecret('/rotated');
    const before = Date.now();
    const res = await s.request('POST', `/v1/alert-rules/${ruleId}/rotate-secret`, { key });
    expect(res.status, res.text).toBe(200);
    const fresh = res.json.secret as string;
    expect(fresh).toMatch(/^whsec_/);
    expect(fresh).not.toBe(old);
    expect(Date.parse(res.json.previousSecretExpiresAt) - before).toBeGreaterThanOrEqual(24 * 3_600_000 - 1_000);
    expect(res.json).toMatchObject({ id: ruleId, webhookUrl: `${base}/rotated`, enabled: true });
    // Shown once: never in the rule as read back.
    const read = await s.request('GET', `/v1/alert-rules/${ruleId}`, { key });
    expect(read.text).not.toContain(fresh);
    expect(read.text).not.toContain(old);

    await deliver(await opened(ruleId), 1);
    const [sent] = sentTo('/rotated');
    expect(sent!.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(verifies(fresh, sent!)).toBe(true);
    expect(verifies(old, sent!)).toBe(true);
  });

  it('after the day, and after a second rotation, only the secrets still honoured sign', async () => {
    const { ruleId, secret: first } = await ruleWithSecret('/rotated-twice');
    const second = (await s.request('POST', `/v1/alert-rules/${ruleId}/rotate-secret`, { key })).json.secret as string;
    const third = (await s.request('POST', `/v1/alert-rules/${ruleId}/rotate-secret`, { key })).json.secret as string;
    const alertId = await opened(ruleId);
    await deliver(alertId, 1);
    const [withGrace] = sentTo('/rotated-twice');
    expect([verifies(third, withGrace!), verifies(second, withGrace!), verifies(first, withGrace!)]).toEqual([true, true, false]);

    // The grace is over: the next attempt is signed with the current secret alone.
    await sql`update alert_rules set previous_secret_expires_at = now() - interval '1 second' where id = ${ruleId}`.execute(s.db);
    await sql`update alerts set delivery_status = 'pending' where id = ${alertId}`.execute(s.db);
    await deliver(alertId, 2);
    const [, after] = sentTo('/rotated-twice');
    expect(after!.headers['webhook-signature']!.split(' ')).toHaveLength(1);
    expect([verifies(third, after!), verifies(second, after!)]).toEqual([true, false]);
  });

  it('is a 404 for a rule of another workspace, or none', async () => {
    const { ruleId } = await ruleWithSecret('/not-yours');
    const other = await s.workspace('Someone else');
    expect((await s.request('POST', `/v1/alert-rules/${ruleId}/rotate-secret`, { key: other.key })).status).toBe(404);
    expect((await s.request('POST', '/v1/alert-rules/00000000-0000-4000-8000-000000000000/rotate-secret', { key })).status).toBe(404);
  });
});
