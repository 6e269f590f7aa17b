import { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RETRY_DELAYS_MS, RETRY_JITTER } from '../../src/domain/webhooks/index.js';
import { startEarshot, type Running } from '../../src/runtime.js';
import { catalogue } from '../../src/workers/catalogue.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { silentLog } from '../support/db.js';
import { cleanupList, startUpstream, waitUntil, type Upstream } from './support.js';

// The worker role wires the Standard Webhooks retry schedule into BullMQ: a failed digest webhook
// waits about 5 s (± jitter) before its second attempt, not BullMQ's default backoff. Tests
// elsewhere run a short schedule of their own; this one runs the role as `earshot worker` does.

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
});
