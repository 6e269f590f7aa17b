import { createServer, type Server } from 'node:net';
import { Job } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PortInUseError, startEarshot } from '../../src/runtime.js';
import { catalogue } from '../../src/workers/catalogue.js';
import { createQueues } from '../../src/workers/runtime.js';
import { REDIS_URL, dropRedisPrefix, testConfig } from '../support/app.js';
import { createTestDatabase, silentLog } from '../support/db.js';

// `earshot start` whose API cannot listen fails to start; its workers, already started, must not
// go on taking jobs in a process that is about to exit (they would stay locked until a stall check).

const prefix = `t${Math.random().toString(36).slice(2, 10)}`;
const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let taken: Server;

beforeAll(async () => {
  database = await createTestDatabase();
  taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await new Promise((resolve) => taken.close(resolve));
  redis.disconnect();
  await dropRedisPrefix(prefix);
  await database?.drop();
});

describe('a start whose API cannot listen', () => {
  it('rejects with the port error and leaves no worker taking jobs', async () => {
    const port = (taken.address() as { port: number }).port;
    const config = testConfig({ DATABASE_URL: database.url, QUEUE_PREFIX: prefix, PORT: String(port), HOST: '127.0.0.1', INGEST_THREADS: '0' });
    await expect(startEarshot({ roles: ['worker', 'api'], config, log: silentLog })).rejects.toBeInstanceOf(PortInUseError);

    const queues = createQueues({ catalogue, connection: redis, prefix, log: silentLog });
    try {
      const added = await queues.add('sources.tick', {}, { jobId: 'after-failed-start' });
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const job = await Job.fromId(queues.queues.get(catalogue['sources.tick'].queue)!, added.id!);
      expect(await job?.getState()).toBe('waiting');
    } finally {
      await queues.close();
    }
  });
});
