import { Job, type JobsOptions, type Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEarshot, type Running } from '../../src/runtime.js';
import { catalogue, type Catalogue } from '../../src/workers/catalogue.js';
import { createQueues } from '../../src/workers/runtime.js';
import { REDIS_URL, dropRedisPrefix, testConfig } from '../support/app.js';
import { createTestDatabase, silentLog } from '../support/db.js';

/**
 * RELIABILITY 16, the queue half (the mention half is in test/api/analytics.test.ts): every job
 * Earshot enqueues, and every job its schedulers produce, is stored in Redis with bounded
 * removeOnComplete and removeOnFail, so completed and failed jobs are trimmed instead of piling up.
 * Read back from the real job hashes, after BullMQ merged the queue defaults.
 */
const uuid = '00000000-0000-4000-8000-000000000001';
const samples: { [N in keyof Catalogue]: Parameters<ReturnType<typeof createQueues<Catalogue>>['add']>[1] } = {
  'sources.tick': {},
  'sources.fetch': { sourceId: uuid },
  'brands.rematch': { workspaceId: uuid, brandId: uuid },
  'brands.unlink': { workspaceId: uuid, brandId: uuid },
  'mentions.purge-raw': {},
  'mentions.rescore': { fromId: 1, toId: 100 },
  'alerts.evaluate': {},
  'alerts.deliver': { alertId: `evt_${'a'.repeat(26)}` },
  'digests.compose': { workspaceId: uuid },
  'digests.deliver': { digestId: uuid, channel: 'webhook' },
  'digests.reconcile': {},
  'digests.redeliver': {},
  'mentions.retention': {},
} as never;

/** true, a count, or { count } / { age }: anything but "keep for ever". */
function bounded(option: JobsOptions['removeOnComplete']): boolean {
  if (option === true) return true;
  if (typeof option === 'number') return option >= 0;
  if (option && typeof option === 'object') return Number.isFinite((option as { count?: number }).count) || Number.isFinite((option as { age?: number }).age);
  return false;
}

const prefix = `t${Math.random().toString(36).slice(2, 10)}`;
const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let running: Running;

beforeAll(async () => {
  database = await createTestDatabase();
  const config = testConfig({ DATABASE_URL: database.url, QUEUE_PREFIX: prefix });
  // A workspace, so the scheduler role also upserts a digest schedule.
  await sql`insert into workspaces (name) values ('Trimmed')`.execute(database.db);
  running = await startEarshot({ roles: ['scheduler'], config, log: silentLog });
});
afterAll(async () => {
  await running?.shutdown.shutdown('test');
  redis.disconnect();
  await dropRedisPrefix(prefix);
  await database.drop();
});

describe('completed and failed jobs are trimmed', () => {
  it('every job of the catalogue, as enqueued, keeps a bounded history', async () => {
    const queues = createQueues({ catalogue, connection: redis, prefix: `${prefix}x`, log: silentLog });
    try {
      expect(Object.keys(samples).sort()).toEqual(Object.keys(catalogue).sort()); // a new job needs a sample here
      for (const [name, payload] of Object.entries(samples)) {
        const added = await queues.add(name as keyof Catalogue, payload as never);
        const stored = await Job.fromId(queues.queues.get(catalogue[name as keyof Catalogue].queue)!, added.id!);
        expect(bounded(stored!.opts.removeOnComplete), `${name} removeOnComplete ${JSON.stringify(stored!.opts.removeOnComplete)}`).toBe(true);
        expect(bounded(stored!.opts.removeOnFail), `${name} removeOnFail ${JSON.stringify(stored!.opts.removeOnFail)}`).toBe(true);
      }
    } finally {
      await queues.close();
      await dropRedisPrefix(`${prefix}x`);
    }
  });

  it('every job a scheduler produces keeps a bounded history', async () => {
    const queues = createQueues({ catalogue, connection: redis, prefix, log: silentLog });
    try {
      const seen: string[] = [];
      for (const queue of queues.queues.values() as Iterable<Queue>) {
        for (const job of await queue.getJobs(['delayed', 'waiting', 'prioritized'])) {
          if (!job.repeatJobKey) continue;
          seen.push(job.name);
          expect(bounded(job.opts.removeOnComplete), `${job.name} removeOnComplete ${JSON.stringify(job.opts.removeOnComplete)}`).toBe(true);
          expect(bounded(job.opts.removeOnFail), `${job.name} removeOnFail ${JSON.stringify(job.opts.removeOnFail)}`).toBe(true);
        }
      }
      // Every recurring job the scheduler role registers, the workspace's digest included.
      expect(new Set(seen)).toEqual(new Set(['sources.tick', 'mentions.purge-raw', 'mentions.retention', 'alerts.evaluate', 'digests.reconcile', 'digests.redeliver', 'digests.compose']));
    } finally {
      await queues.close();
    }
  });
});
