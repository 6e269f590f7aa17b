import { Job } from 'bullmq';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateRule } from '../../src/domain/alerts/alerts.usecases.js';
import { RETRY_DELAYS_MS, RETRY_JITTER } from '../../src/domain/webhooks/index.js';
import { startEarshot, type Running } from '../../src/runtime.js';
import { catalogue } from '../../src/workers/catalogue.js';
import { digestDeliveryJobId } from '../../src/workers/digests.worker.js';
import { buildHandlers } from '../../src/workers/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { silentLog } from '../support/db.js';
import { quietWeeksThenNegativeSpike, seed } from '../support/seed.js';
import { cleanupList, startUpstream, waitUntil, type Upstream } from './support.js';

// The worker role wires the Standard Webhooks retry schedule into BullMQ: a failed digest webhook
// waits about 5 s (± jitter) before its second attempt, not BullMQ's default backoff. Tests
// elsewhere run a short schedule of their own; this one runs the role as `earshot worker` does.
// A delivery queued anew by a redelivery sweep (its job lost with Redis) goes on with the schedule
// after the attempts its deliveries log holds, from the last one's time: not from the first delay,
// which made a delivery backing off for hours a burst of attempts seconds and minutes apart.

const cleanup = cleanupList();
let t: TestApp;
let upstream: Upstream;
let worker: Running;

beforeAll(async () => {
  upstream = await startUpstream();
  cleanup.add(() => upstream.close());
  t = await createTestApp();
  cleanup.add(() => t.close());
  worker = await startEarshot({ roles: ['worker'], config: { ...t.config, INGEST_THREADS: 0 }, log: silentLog });
  cleanup.add(async () => void (await worker.shutdown.shutdown('test')));
});
afterAll(() => cleanup.run());

describe('the webhook retry schedule in the running worker', () => {
  it('a digest webhook answered 500 is tried again after the schedule’s first wait', async () => {
    upstream.routes.set('/digest-hook', { status: 500, body: 'down for maintenance' });
    const ws = await t.workspace('Zpožděné doručení');
    expect((await t.request('PATCH', '/v1/workspace', { key: ws.key, body: { digestWebhookUrl: upstream.url('/digest-hook') } })).status).toBe(200);
    expect((await t.request('POST', '/v1/digests', { key: ws.key, body: {} })).status).toBe(201);

    await upstream.arrived('/digest-hook');
    const queue = t.deps.queues.queues.get(catalogue['digests.deliver'].queue)!;
    const delayed = await waitUntil('the delivery waiting for its second attempt', async () => {
      const [job] = await queue.getDelayed();
      return job?.attemptsMade === 1 ? job : null;
    });
    const [first] = RETRY_DELAYS_MS;
    expect((delayed as Job).delay).toBeGreaterThanOrEqual(Math.floor(first * (1 - RETRY_JITTER)));
    expect((delayed as Job).delay).toBeLessThanOrEqual(Math.ceil(first * (1 + RETRY_JITTER)));
  });

  const MINUTE = 60_000;
  const HOUR = 60 * MINUTE;
  const handlers = () => buildHandlers(t.deps);
  const run = (job: 'alerts.evaluate' | 'digests.redeliver') => handlers()[job]({}, { log: silentLog, job: {} as never, token: undefined });
  /** The job's wait lies within the schedule's delay `base`, jittered, less what has passed since the last attempt (`since`, with a few seconds' slack). */
  const waitsFor = (job: Job | undefined, base: number, since = 0) => {
    expect(job, 'a delayed job').toBeDefined();
    expect(job!.delay).toBeGreaterThanOrEqual(Math.floor(base * (1 - RETRY_JITTER)) - since - 5_000);
    expect(job!.delay).toBeLessThanOrEqual(Math.ceil(base * (1 + RETRY_JITTER)) - since);
  };

  it('a digest webhook queued anew after four attempts, answered 500 again, waits the fifth delay (5 h), not the first (5 s)', async () => {
    upstream.routes.set('/digest-requeued', { status: 500, body: 'still down' });
    const ws = await t.workspace('Dlouhý výpadek');
    expect((await t.request('PATCH', '/v1/workspace', { key: ws.key, body: { digestWebhookUrl: upstream.url('/digest-requeued') } })).status).toBe(200);
    const digestId = (await t.request('POST', '/v1/digests', { key: ws.key, body: {} })).json.id as string;
    const queue = t.deps.queues.queues.get(catalogue['digests.deliver'].queue)!;
    const jobId = digestDeliveryJobId(digestId, { channel: 'webhook' });
    await waitUntil('attempt 1 to fail', async () => (await (await queue.getJob(jobId))?.getState()) === 'delayed');
    // Attempts 2 to 4 failed too, the last 3 hours ago, and Redis lost the job waiting for attempt 5.
    await (await queue.getJob(jobId))!.remove();
    const target = upstream.url('/digest-requeued');
    await t.db.updateTable('digest_deliveries').set({ attempted_at: sql`now() - interval '7 hours'` }).where('digest_id', '=', digestId).execute();
    await t.db.updateTable('digests').set({ created_at: sql`now() - interval '7 hours'` }).where('id', '=', digestId).execute();
    await t.db
      .insertInto('digest_deliveries')
      .values([2, 3, 4].map((attempt) => ({ digest_id: digestId, channel: 'webhook', target, attempt, outcome: 'retry', status: 500, latency_ms: 3, attempted_at: sql<Date>`now() - ${`${7 - attempt} hours`}::interval` })))
      .execute();

    expect(await run('digests.redeliver')).toMatchObject({ owed: 1, requeued: 1 });
    await upstream.arrived('/digest-requeued', 2);
    const delayed = await waitUntil('attempt 5 to fail and wait', async () => {
      const job = await queue.getJob(jobId);
      return job && (await job.getState()) === 'delayed' && job.attemptsMade === 1 ? job : null;
    });
    const attempts = await t.db.selectFrom('digest_deliveries').select('attempt').where('digest_id', '=', digestId).orderBy('attempt').execute();
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3, 4, 5]);
    // Before: 5 s (the job's own first retry), then 5 min, 30 min, 2 h: the last four attempts within 3 hours.
    waitsFor(delayed, RETRY_DELAYS_MS[4]);
  });

  describe('an alert whose delivery job Redis lost', () => {
    let key: string;
    let brand: string;
    beforeAll(async () => {
      const ws = await t.workspace('Výstrahy');
      key = ws.key;
      brand = (await t.request('POST', '/v1/brands', { key, body: { name: 'Acme', role: 'own', query: 'acme' } })).json.id;
      const sourceId = (await t.request('POST', '/v1/sources', { key, body: { type: 'rss', url: 'http://127.0.0.1:9/alerts.xml' } })).json.id;
      await seed(t.deps, { workspaceId: ws.id, sourceId, mentions: quietWeeksThenNegativeSpike(brand) });
    });

    /** A rule posting to `path` whose first evaluation stored an alert, and `attempts` failed attempts of it in the log, the last `ago` ms ago. */
    async function alertWithAttempts(path: string, attempts: number, ago: number) {
      upstream.routes.set(path, { status: 503, body: 'busy' });
      const rule = await t.request('POST', '/v1/alert-rules', { key, body: { brandId: brand, webhookUrl: upstream.url(path), windowMinutes: 30 } });
      expect(rule.status, rule.text).toBe(201);
      const alertId = (await evaluateRule({ ...t.deps, ruleId: rule.json.id, now: new Date() })).toDeliver!;
      const rows = Array.from({ length: attempts }, (_, i) => ({
        alert_id: alertId, rule_id: rule.json.id as string, attempt: i + 1, status: 503, outcome: 'retry', latency_ms: 3, response: 'busy',
        attempted_at: new Date(Date.now() - ago - (attempts - 1 - i) * HOUR),
      }));
      await t.db.insertInto('alert_deliveries').values(rows).execute();
      return { alertId, jobId: `deliver-${alertId}` };
    }
    const webhooks = () => t.deps.queues.queues.get(catalogue['alerts.deliver'].queue)!;

    it('is queued again by the evaluation to wait out the schedule from its last attempt, not sent at once', async () => {
      // Attempt 3 failed a minute ago: attempt 4 is due 30 minutes after it.
      const { jobId } = await alertWithAttempts('/alert-waiting', 3, MINUTE);
      await run('alerts.evaluate');
      const job = await webhooks().getJob(jobId);
      expect(await job?.getState()).toBe('delayed');
      waitsFor(job, RETRY_DELAYS_MS[2], MINUTE);
      await new Promise((r) => setTimeout(r, 500));
      // Before: sent at once, a minute after the attempt that failed.
      expect(upstream.requests.filter((r) => r.path === '/alert-waiting')).toEqual([]);
    });

    it('once overdue is sent at once, and failing again waits the delay after the attempt logged (5 h), not the first (5 s)', async () => {
      const { jobId } = await alertWithAttempts('/alert-overdue', 4, 3 * HOUR);
      await run('alerts.evaluate');
      await upstream.arrived('/alert-overdue');
      const delayed = await waitUntil('attempt 5 to fail and wait', async () => {
        const job = await webhooks().getJob(jobId);
        return job && (await job.getState()) === 'delayed' && job.attemptsMade === 1 ? job : null;
      });
      waitsFor(delayed, RETRY_DELAYS_MS[4]);
    });
  });
});
