import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { createWorkspace } from '../../src/domain/workspaces/workspaces.usecases.js';
import { createWorkspaceRepository } from '../../src/domain/workspaces/workspaces.repository.js';
import { startEarshot } from '../../src/runtime.js';
import { catalogue, schedules } from '../../src/workers/index.js';
import { testConfig } from '../support/app.js';
import { createTestDatabase, silentLog } from '../support/db.js';
import { cleanupList, startPrivateRedis, waitUntil } from './support.js';

// RELIABILITY 13 ("work resumes when it returns") for a Redis that returns without its data: no
// persistence, a failover to an empty replica, a FLUSHALL. The scheduler process keeps running,
// so it is the one that must put the recurring jobs and the digest schedules back; nothing else
// would, and polling, alerts, retention and digests would stop for good.

const cleanup = cleanupList();
let redis: Awaited<ReturnType<typeof startPrivateRedis>>;
let config: Config;
let workspaceId: string;
let queues: Queue[];

beforeAll(async () => {
  redis = await startPrivateRedis();
  cleanup.add(() => redis.kill());
  const database = await createTestDatabase();
  cleanup.add(() => database.drop());
  config = testConfig({ DATABASE_URL: database.url, REDIS_URL: redis.url });
  // A workspace with the default weekly digest: its schedule is lost with Redis too.
  workspaceId = (await createWorkspace({ name: 'Digest schedule', db: database.db, workspaceRepository: createWorkspaceRepository({ db: database.db }) })).id;
  const names = [...new Set(Object.values(catalogue).map((def) => def.queue))];
  queues = names.map((name) => {
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    connection.on('error', () => {});
    const queue = new Queue(name, { connection, prefix: config.QUEUE_PREFIX });
    queue.on('error', () => {});
    cleanup.add(async () => {
      await queue.close();
      connection.disconnect();
    });
    return queue;
  });
  cleanup.add(() => redis.ensureRunning());
}, 60_000);
afterAll(() => cleanup.run());

/** Every job scheduler in Redis, by id, with its next run. */
async function schedulersInRedis(): Promise<Map<string, number | undefined>> {
  const all = (await Promise.all(queues.map((q) => q.getJobSchedulers(0, -1)))).flat();
  return new Map(all.map((s) => [s.key, s.next]));
}

const expectedIds = () => [...schedules({ config } as never).map((s) => s.id), `digest-${workspaceId}`].sort();
const complete = async () => {
  const ids = [...(await schedulersInRedis()).keys()].sort();
  return JSON.stringify(ids) === JSON.stringify(expectedIds());
};

/** One pending run per recurring job: a schedule registered again is not doubled. */
async function expectOnePendingRunEach(): Promise<void> {
  const pending = (await Promise.all(queues.map((q) => q.getJobs(['waiting', 'delayed', 'prioritized'])))).flat();
  for (const { job } of schedules({ config } as never)) expect(pending.filter((j) => j.name === job), job).toHaveLength(1);
  expect(pending.filter((j) => j.name === 'digests.compose')).toHaveLength(1);
}

describe('a running scheduler whose Redis comes back empty', () => {
  it('after Redis restarts without its data, registers the recurring jobs and digest schedules again when it reconnects, with no process restart', async () => {
    const running = await startEarshot({ roles: ['scheduler'], config, log: silentLog });
    try {
      await waitUntil('the schedules at start-up', complete, 10_000);

      await redis.stop({ save: false });
      await redis.start();
      // The periodic check (a minute) is not what brings them back here: the reconnect is.
      await waitUntil('the schedules to be registered again after the restart', complete, 15_000, 100);
      await expectOnePendingRunEach();
    } finally {
      expect(await running.shutdown.shutdown('test')).toBe(true);
    }
  }, 60_000);

  it('after a FLUSHALL (no reconnect), the periodic check registers them again; a check that finds them in place moves no next run', async () => {
    const running = await startEarshot({ roles: ['scheduler'], config, log: silentLog, schedulesCheckMs: 200 });
    try {
      await waitUntil('the schedules at start-up', complete, 10_000);
      const before = await schedulersInRedis();
      // Several checks find everything in place: no next run moves (none skipped, none doubled).
      await new Promise((r) => setTimeout(r, 1_200));
      expect(await schedulersInRedis()).toEqual(before);
      await expectOnePendingRunEach();

      const admin = new Redis(redis.url);
      await admin.flushall();
      admin.disconnect();
      await waitUntil('the schedules to be registered again after the FLUSHALL', complete, 10_000, 100);
      await expectOnePendingRunEach();
    } finally {
      expect(await running.shutdown.shutdown('test')).toBe(true);
    }
  }, 60_000);
});
