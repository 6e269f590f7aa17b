import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Queue } from 'bullmq';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateRule } from '../../src/domain/alerts/alerts.usecases.js';
import { RETRY_DELAYS_MS, RETRY_JITTER } from '../../src/domain/webhooks/index.js';
import { catalogue } from '../../src/workers/catalogue.js';
import { buildHandlers } from '../../src/workers/index.js';
import { silentLog } from '../support/db.js';
import { quietWeeksThenNegativeSpike, seed } from '../support/seed.js';
import { createTestStack, type TestStack } from '../support/stack.js';
import { cleanupList, waitUntil } from './support.js';

// Each alerts.evaluate adds the delivery job (`deliver-<alert id>`) of every alert still pending,
// so that one Redis never got or lost still goes out. BullMQ keeps a job that failed for good
// under its id for a week, and an add under that id is a no-op: an alert whose job failed while
// the deliveries log recorded no end (every attempt found Postgres away) stayed pending, never
// sent. Now the evaluation replaces a failed job, waiting what the log says is next, and leaves a
// live one alone. Real workers, Redis, Postgres and a receiver on 127.0.0.1.

const cleanup = cleanupList();
let s: TestStack;
let base: string;
let key: string;
let brand: string;
const received: string[] = [];
/** Statuses a path still answers before it answers 200. */
const failures = new Map<string, number[]>();

beforeAll(async () => {
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push(path);
      res.writeHead(failures.get(path)?.shift() ?? 200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup.add(() => new Promise<void>((r) => server.close(() => r())));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A retry waits 100 ms here: a job whose every attempt fails is failed for good within a second or two.
  s = await createTestStack();
  cleanup.add(() => s.close());
  const ws = await s.workspace('Výstrahy bez konce');
  key = ws.key;
  brand = (await s.request('POST', '/v1/brands', { key, body: { name: 'Acme', role: 'own', query: 'acme' } })).json.id;
  const sourceId = (await s.request('POST', '/v1/sources', { key, body: { type: 'rss', url: 'http://127.0.0.1:9/alerts.xml' } })).json.id;
  await seed(s.deps, { workspaceId: ws.id, sourceId, mentions: quietWeeksThenNegativeSpike(brand) });
}, 60_000);
afterAll(() => cleanup.run());

const webhooks = () => s.services.queues.queues.get(catalogue['alerts.deliver'].queue) as Queue;
const evaluate = async () => (await buildHandlers(s.services)['alerts.evaluate']({}, { log: silentLog, job: {} as never, token: undefined })) as { requeued: number };
const attempts = async (alertId: string) =>
  (await s.db.selectFrom('alert_deliveries').select(['attempt', 'outcome']).where('alert_id', '=', alertId).orderBy('attempt').execute()).map((d) => `${d.attempt}:${d.outcome}`);
const status = async (alertId: string) => (await s.db.selectFrom('alerts').select('delivery_status').where('id', '=', alertId).executeTakeFirstOrThrow()).delivery_status;

/** A rule posting to `path` whose first evaluation stored a pending alert, with no job queued yet. */
async function pendingAlert(path: string) {
  const rule = await s.request('POST', '/v1/alert-rules', { key, body: { brandId: brand, webhookUrl: `${base}${path}`, windowMinutes: 30 } });
  expect(rule.status, rule.text).toBe(201);
  const alertId = (await evaluateRule({ ...s.deps, ruleId: rule.json.id, now: new Date() })).toDeliver!;
  expect(alertId).toBeTruthy();
  return { alertId, jobId: `deliver-${alertId}` };
}
const failed = (jobId: string) => waitUntil(`${jobId} to fail for good`, async () => (await (await webhooks().getJob(jobId))?.getState()) === 'failed');

describe('an alert whose delivery job failed for good', () => {
  it('with no attempt logged (Postgres refused every one) is delivered by a later evaluation', async () => {
    const { alertId, jobId } = await pendingAlert('/postgres-away');
    // Every attempt of the job finds its tables unreadable, as with Postgres out of reach: the
    // job fails all its attempts, and nothing reaches the deliveries log.
    await sql`alter table alerts rename to alerts_away`.execute(s.db);
    try {
      await s.services.queues.add('alerts.deliver', { alertId }, { jobId });
      await failed(jobId);
    } finally {
      await sql`alter table alerts_away rename to alerts`.execute(s.db);
    }
    expect(await attempts(alertId)).toEqual([]);
    expect(await status(alertId)).toBe('pending');

    // Before: the add under the failed job's id was a no-op; nothing sent, pending for a week.
    const run = await evaluate();
    await waitUntil('the alert to be delivered', async () => (await status(alertId)) === 'delivered');
    expect(run.requeued).toBe(1);
    expect(received.filter((p) => p === '/postgres-away')).toHaveLength(1);
    expect(await attempts(alertId)).toEqual(['1:delivered']);
    expect(await webhooks().getJob(jobId)).toBeUndefined();
  }, 60_000);

  it('whose every attempt over the whole retry schedule (about 28 hours) found Postgres away is still delivered', async () => {
    const { alertId, jobId } = await pendingAlert('/schedule-spent');
    await sql`alter table alerts rename to alerts_away`.execute(s.db);
    try {
      await s.services.queues.add('alerts.deliver', { alertId }, { jobId });
      await failed(jobId);
    } finally {
      await sql`alter table alerts_away rename to alerts`.execute(s.db);
    }
    // The schedule's waits, as in production, between the alert stored and its job failing.
    await s.db.updateTable('alerts').set({ created_at: sql`created_at - interval '30 hours'` }).where('id', '=', alertId).execute();

    // Before: an alert more than a day old was no longer swept.
    const run = await evaluate();
    await waitUntil('the alert to be delivered', async () => (await status(alertId)) === 'delivered');
    expect(run.requeued).toBe(1);
    expect(await attempts(alertId)).toEqual(['1:delivered']);
  }, 60_000);

  it('after an attempt that asked for a retry waits the delay the log says, then is delivered as the next attempt', async () => {
    failures.set('/retry-lost', [503]);
    const { alertId, jobId } = await pendingAlert('/retry-lost');
    // A job with one attempt of its own: the 503 is logged as a retry, and the job ends failed.
    await s.services.queues.add('alerts.deliver', { alertId }, { jobId, attempts: 1 });
    await failed(jobId);
    expect(await attempts(alertId)).toEqual(['1:retry']);
    expect(await status(alertId)).toBe('pending');

    const before = Date.now();
    const run = await evaluate();
    const job = (await webhooks().getJob(jobId))!;
    // Before: the job still the failed one.
    expect(await job.getState()).toBe('delayed');
    expect(run.requeued).toBe(1);
    // The schedule's delay after attempt 1 (5 s ± jitter), counted from that attempt.
    expect(job.delay).toBeGreaterThan(0);
    expect(job.delay).toBeLessThanOrEqual(Math.ceil(RETRY_DELAYS_MS[0] * (1 + RETRY_JITTER)));
    await waitUntil('the alert to be delivered', async () => (await status(alertId)) === 'delivered', 20_000, 100);
    expect(Date.now() - before).toBeGreaterThanOrEqual(job.delay - 100);
    expect(await attempts(alertId)).toEqual(['1:retry', '2:delivered']);
    expect(received.filter((p) => p === '/retry-lost')).toHaveLength(2);
  }, 60_000);

  it('leaves a job still alive alone: a retry waiting is neither doubled nor moved', async () => {
    const { alertId, jobId } = await pendingAlert('/waiting');
    await s.services.queues.add('alerts.deliver', { alertId }, { jobId, delay: 60_000 });
    const waiting = (await webhooks().getJob(jobId))!;
    expect((await evaluate()).requeued).toBe(0);
    const after = (await webhooks().getJob(jobId))!;
    expect(await after.getState()).toBe('delayed');
    expect([after.timestamp, after.delay]).toEqual([waiting.timestamp, waiting.delay]);
    expect(received.filter((p) => p === '/waiting')).toEqual([]);
    await after.remove();
  });
});
