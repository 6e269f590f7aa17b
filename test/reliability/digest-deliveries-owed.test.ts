import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Queue } from 'bullmq';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildHandlers } from '../../src/workers/index.js';
import { digestDeliveryJobId, queueDigestDeliveries } from '../../src/workers/digests.worker.js';
import { silentLog } from '../support/db.js';
import { startMailbox } from '../support/smtp.js';
import { createTestStack, type TestStack } from '../support/stack.js';
import { cleanupList, startPrivateRedis, waitUntil } from './support.js';

// Postgres says what a stored digest still owes; digests.redeliver queues it again when Redis
// never got its job (the digest was stored while Redis was down) or lost it (a retry waiting in a
// Redis that came back empty). Audit "ops", findings 1 and 2. Every delivery ends made once.

const cleanup = cleanupList();
let redis: Awaited<ReturnType<typeof startPrivateRedis>>;
let s: TestStack;
let smtp: Awaited<ReturnType<typeof startMailbox>>;
let hookBase: string;
/** Every request the webhook receiver got: its path and webhook-id. */
const hookRequests: Array<{ path: string; id: string }> = [];
/** Statuses the receiver still answers per path before it answers 200. */
const hookFailures = new Map<string, number[]>();
/** RCPT TO refusals still to give per address (reply codes). */
const refusals = new Map<string, number[]>();

beforeAll(async () => {
  redis = await startPrivateRedis();
  cleanup.add(() => redis.kill());
  cleanup.add(() => redis.ensureRunning());
  smtp = await startMailbox({
    onRcptTo(address, _session, callback) {
      const code = refusals.get(address.address)?.shift();
      if (code === undefined) return callback();
      callback(Object.assign(new Error('4.2.1 mailbox busy, try later'), { responseCode: code }));
    },
  });
  cleanup.add(() => smtp.close());
  const hooks: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const path = req.url ?? '/';
      hookRequests.push({ path, id: String(req.headers['webhook-id']) });
      res.writeHead(hookFailures.get(path)?.shift() ?? 200).end();
    });
  });
  await new Promise<void>((r) => hooks.listen(0, '127.0.0.1', r));
  cleanup.add(() => new Promise<void>((r) => hooks.close(() => r())));
  hookBase = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}`;
  // A failed delivery's retry waits a minute here: long enough to sit in Redis as a delayed job.
  s = await createTestStack({ config: { REDIS_URL: redis.url, SMTP_URL: smtp.url, MAIL_FROM: 'Earshot <digest@example.test>' }, backoff: { webhook: () => 60_000 } });
  cleanup.add(() => s.close());
}, 60_000);
afterAll(() => cleanup.run());
beforeEach(async () => {
  await redis.ensureRunning();
  await waitUntil('the producer to use Redis', async () => (await digestQueue().getJobCounts('waiting')) !== undefined, 20_000, 100);
});

const handlers = () => buildHandlers(s.services);
/** One run of digests.redeliver, as its schedule runs it every minute. */
const sweep = async () => (await handlers()['digests.redeliver']({}, { log: silentLog, job: {} as never, token: undefined })) as { owed: number; requeued: number; ended: number };
const digestQueue = () => s.services.queues.queues.get('digests') as Queue;

/** Time passes for a digest: it was made, and its deliveries tried, `interval` earlier. */
async function age(digestId: string, interval: string) {
  await s.db.updateTable('digests').set({ created_at: sql`created_at - ${interval}::interval` }).where('id', '=', digestId).execute();
  await s.db.updateTable('digest_deliveries').set({ attempted_at: sql`attempted_at - ${interval}::interval` }).where('digest_id', '=', digestId).execute();
}

async function history(key: string, digestId: string) {
  const got = await s.ok('GET', `/v1/digests/${digestId}`, key);
  const deliveries = got.json.deliveries as Array<{ channel: string; target: string; attempt: number; outcome: string }>;
  const of = (target: string) => deliveries.filter((d) => d.target === target).map((d) => `${d.attempt}:${d.outcome}`);
  return { deliveries, of, email: got.json.document.email };
}

async function redisBack() {
  await redis.start();
  await waitUntil('the producer to use Redis again', async () => (await digestQueue().getJobCounts('waiting')) !== undefined, 20_000, 100);
}

describe('digest deliveries Postgres says are owed', () => {
  it('a digest asked for while Redis is down is made (201), its retry is throttled by it, and once Redis is back it is delivered by the sweep, once to each', async () => {
    const { key, id: workspaceId } = await s.workspace('Stored while Redis was down');
    await s.ok('PATCH', '/v1/workspace', key, { digestWebhookUrl: `${hookBase}/one`, digestRecipients: ['ann@example.com', 'bob@example.com'] });

    await redis.stop();
    const made = await s.request('POST', '/v1/digests', { key, body: {} });
    // Before: 503 service.unavailable, though the digest was stored, and never delivered.
    expect(made.status, made.text).toBe(201);
    expect(made.json.document.email).toEqual({ status: 'queued', reason: null });
    const digestId = made.json.id as string;
    // The client need not ask again; if it does, the digest made counts: it will be e-mailed.
    const again = await s.request('POST', '/v1/digests', { key, body: {} });
    expect(again.status, again.text).toBe(429);
    expect(again.json.error.code).toBe('digests.mail_throttled');
    expect((await s.db.selectFrom('digests').select('id').where('workspace_id', '=', workspaceId).execute()).length).toBe(1);

    await redisBack();
    expect(await digestQueue().getJob(digestDeliveryJobId(digestId, { channel: 'webhook' }))).toBeUndefined();
    // Within the grace minute nothing is owed yet: the job may only be on its way.
    expect(await sweep()).toMatchObject({ owed: 0, requeued: 0 });

    await age(digestId, '2 minutes');
    expect(await sweep()).toMatchObject({ owed: 3, requeued: 3 });
    await s.drain();

    const h = await history(key, digestId);
    expect(h.of(`${hookBase}/one`)).toEqual(['1:delivered']);
    expect(h.of('ann@example.com')).toEqual(['1:delivered']);
    expect(h.of('bob@example.com')).toEqual(['1:delivered']);
    expect(smtp.mails.map((m) => m.to).sort()).toEqual([['ann@example.com'], ['bob@example.com']]);
    expect(hookRequests.filter((r) => r.path === '/one')).toEqual([{ path: '/one', id: `dgst_${digestId}` }]);

    // Delivered: the next run marks the digest as owing nothing more, and later runs pass it by.
    expect(await sweep()).toEqual({ owed: 0, requeued: 0, ended: 1 });
    expect((await s.db.selectFrom('digests').select('deliveries_ended_at').where('id', '=', digestId).executeTakeFirstOrThrow()).deliveries_ended_at).toBeInstanceOf(Date);
    expect(await sweep()).toEqual({ owed: 0, requeued: 0, ended: 0 });
    await s.drain();
    expect(smtp.mails).toHaveLength(2);
    expect(hookRequests.filter((r) => r.path === '/one')).toHaveLength(1);
  }, 60_000);

  it('a delivery job added again after its delivery ended (the sweep read the log just before) sends nothing', async () => {
    const { key } = await s.workspace('Raced');
    await s.ok('PATCH', '/v1/workspace', key, { digestWebhookUrl: `${hookBase}/raced`, digestRecipients: ['dan@example.com'] });
    const made = await s.ok('POST', '/v1/digests', key, {});
    await s.drain();
    const mailsBefore = smtp.mails.length;
    expect(hookRequests.filter((r) => r.path === '/raced')).toHaveLength(1);

    await queueDigestDeliveries(s.services.queues, made.json.id, [{ channel: 'webhook' }, { channel: 'email', to: 'dan@example.com' }]);
    await s.drain();

    // Before: a second webhook and a second e-mail, attempt 2 'delivered' each.
    expect(hookRequests.filter((r) => r.path === '/raced')).toHaveLength(1);
    expect(smtp.mails.length).toBe(mailsBefore);
    const h = await history(key, made.json.id);
    expect(h.of(`${hookBase}/raced`)).toEqual(['1:delivered']);
    expect(h.of('dan@example.com')).toEqual(['1:delivered']);
  }, 60_000);

  it('a retry lost when Redis restarts empty is queued again once overdue, attempt 2 after attempt 1, delivered once; a retry still waiting is not doubled', async () => {
    const { key } = await s.workspace('Retry lost');
    hookFailures.set('/two', [503]);
    refusals.set('carol@example.com', [450]);
    await s.ok('PATCH', '/v1/workspace', key, { digestWebhookUrl: `${hookBase}/two`, digestRecipients: ['carol@example.com'] });
    const made = await s.ok('POST', '/v1/digests', key, {});
    const digestId = made.json.id as string;
    const webhookJob = digestDeliveryJobId(digestId, { channel: 'webhook' });
    const emailJob = digestDeliveryJobId(digestId, { channel: 'email', to: 'carol@example.com' });
    const states = () => Promise.all([webhookJob, emailJob].map(async (id) => (await digestQueue().getJob(id))?.getState()));
    await waitUntil('both first attempts to fail and wait for their retry', async () => (await states()).every((state) => state === 'delayed'));
    expect((await history(key, digestId)).deliveries.map((d) => `${d.channel} ${d.attempt}:${d.outcome}`).sort()).toEqual(['email 1:retry', 'webhook 1:retry']);

    // The retry is not due yet (5 s at most 15 % later, then the grace minute): not owed.
    expect(await sweep()).toMatchObject({ owed: 0, requeued: 0 });
    // Overdue, but its job still waits in Redis: the job id makes adding it again a no-op.
    await age(digestId, '2 minutes');
    expect(await sweep()).toMatchObject({ owed: 2, requeued: 0 });
    expect(await states()).toEqual(['delayed', 'delayed']);
    expect(await digestQueue().getJobCounts('waiting', 'active')).toEqual({ waiting: 0, active: 0 });

    // Redis comes back without its data (no persistence, a failover to an empty replica).
    await redis.stop({ save: false });
    await redisBack();
    expect(await digestQueue().getJob(webhookJob)).toBeUndefined();

    expect(await sweep()).toMatchObject({ owed: 2, requeued: 2 });
    await s.drain();

    const h = await history(key, digestId);
    // The attempt numbers go on from the log, as the job made anew is BullMQ's first.
    expect(h.of(`${hookBase}/two`)).toEqual(['1:retry', '2:delivered']);
    expect(h.of('carol@example.com')).toEqual(['1:retry', '2:delivered']);
    expect(smtp.mails.filter((m) => m.to.includes('carol@example.com'))).toHaveLength(1);
    expect(hookRequests.filter((r) => r.path === '/two').map((r) => r.id)).toEqual([`dgst_${digestId}`, `dgst_${digestId}`]);
    expect(await sweep()).toMatchObject({ owed: 0, requeued: 0 });
  }, 90_000);

  it('a delivery whose job failed for good without the log saying so is queued anew, not left to its failed job for a week', async () => {
    const { key } = await s.workspace('Job failed');
    await s.ok('PATCH', '/v1/workspace', key, { digestWebhookUrl: `${hookBase}/four` });
    await redis.stop();
    const made = await s.request('POST', '/v1/digests', { key, body: {} });
    expect(made.status, made.text).toBe(201);
    await redisBack();
    const jobId = digestDeliveryJobId(made.json.id, { channel: 'webhook' });
    // A job under the delivery's id that fails without recording an attempt (as one does whose
    // every attempt found Postgres away): kept a week as failed, its id would make an add a no-op.
    await digestQueue().add('digests.deliver', { digestId: made.json.id, channel: 'neither' }, { jobId, attempts: 1 });
    await waitUntil('the job to fail', async () => (await (await digestQueue().getJob(jobId))?.getState()) === 'failed');
    expect(hookRequests.filter((r) => r.path === '/four')).toEqual([]);

    await age(made.json.id, '2 minutes');
    expect(await sweep()).toMatchObject({ owed: 1, requeued: 1 });
    await s.drain();
    expect(hookRequests.filter((r) => r.path === '/four').map((r) => r.id)).toEqual([`dgst_${made.json.id}`]);
    expect((await history(key, made.json.id)).of(`${hookBase}/four`)).toEqual(['1:delivered']);
  }, 60_000);

  it('owes nothing for a preview, for a webhook set after the digest was made, nor for a digest older than 2 days', async () => {
    const { key } = await s.workspace('Nothing owed');
    // Made with no webhook and no recipients: it owes nothing, also once a webhook is set.
    const before = await s.ok('POST', '/v1/digests', key, {});
    await s.ok('PATCH', '/v1/workspace', key, { digestWebhookUrl: `${hookBase}/three` });
    const preview = await s.ok('POST', '/v1/digests', key, { deliver: false });

    await redis.stop();
    const stale = await s.request('POST', '/v1/digests', { key, body: {} });
    expect(stale.status, stale.text).toBe(201);
    await redisBack();

    for (const d of [before.json.id, preview.json.id]) await age(d, '10 minutes');
    await age(stale.json.id, '3 days');
    expect(await sweep()).toMatchObject({ owed: 0, requeued: 0 });
    await s.drain();
    expect(hookRequests.filter((r) => r.path === '/three')).toEqual([]);

    // The same digest 1 day old is still owed, and goes out.
    await s.db.updateTable('digests').set({ created_at: sql`now() - interval '1 day'` }).where('id', '=', stale.json.id).execute();
    expect(await sweep()).toMatchObject({ owed: 1, requeued: 1 });
    await s.drain();
    expect(hookRequests.filter((r) => r.path === '/three').map((r) => r.id)).toEqual([`dgst_${stale.json.id}`]);
  }, 60_000);
});
