import { Job } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/infra/metrics.js';
import { catalogue } from '../../src/workers/catalogue.js';
import { createQueues, DEFAULT_JOB_OPTIONS } from '../../src/workers/runtime.js';
import { REDIS_URL, dropRedisPrefix } from '../support/app.js';
import { silentLog } from '../support/db.js';

// Operations: the webhook delivery counter is there, at 0, before the first delivery (an alert
// rule on its rate() otherwise sees no series), and failed jobs are capped by count on every
// queue, the delivery jobs included (a backlog of failures, each with its stack and for e-mail its
// recipient, otherwise bounded only by age).

const prefix = `t${Math.random().toString(36).slice(2, 10)}`;
const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
afterAll(async () => {
  redis.disconnect();
  await dropRedisPrefix(prefix);
});

/** How many failed jobs are kept at most: none for `true` (removed at once). */
const countOf = (option: unknown): number | undefined =>
  option === true ? 0 : typeof option === 'number' ? option : (option as { count?: number } | undefined)?.count;

describe('/metrics before any delivery', () => {
  it('shows earshot_webhook_deliveries_total at 0 for each kind and outcome', async () => {
    const text = await createMetrics().registry.metrics();
    for (const kind of ['alert', 'digest']) {
      for (const outcome of ['delivered', 'retry', 'failed', 'gone', 'refused']) {
        expect(text).toContain(`earshot_webhook_deliveries_total{kind="${kind}",outcome="${outcome}"} 0`);
      }
    }
  });
});

describe('failed jobs', () => {
  it('are capped by count for every job of the catalogue', () => {
    for (const [name, def] of Object.entries(catalogue)) {
      // BullMQ merges a job's options over the queue's defaults key by key, as here.
      const removeOnFail = { ...DEFAULT_JOB_OPTIONS, ...(def as { options?: object }).options }.removeOnFail;
      const count = countOf(removeOnFail);
      expect(Number.isFinite(count) && count! <= 5000, `${name} removeOnFail ${JSON.stringify(removeOnFail)}`).toBe(true);
    }
  });

  it('are capped by count for the alert and digest deliveries, as stored in Redis', async () => {
    const queues = createQueues({ catalogue, connection: redis, prefix, log: silentLog });
    try {
      const added = [
        await queues.add('alerts.deliver', { alertId: `evt_${'b'.repeat(26)}` }),
        await queues.add('digests.deliver', { digestId: '00000000-0000-4000-8000-000000000002', channel: 'email', to: 'ops@example.com' }),
      ];
      for (const job of added) {
        const stored = await Job.fromId(queues.queues.get(catalogue[job.name as 'alerts.deliver'].queue)!, job.id!);
        expect(stored!.opts.removeOnFail, job.name).toEqual({ age: 7 * 24 * 3600, count: 5000 });
      }
    } finally {
      await queues.close();
    }
  });
});
