import type { Worker } from 'bullmq';
import { createRedis } from '../../src/infra/redis.js';
import { buildHandlers, catalogue } from '../../src/workers/index.js';
import { startWorkers } from '../../src/workers/runtime.js';
import { createServices } from '../../src/services.js';
import { createTestApp, type TestApp } from './app.js';
import { silentLog } from './db.js';

/** The real API plus real BullMQ workers on the test's own queue prefix: a whole Earshot. */
export async function createTestStack(
  options: Parameters<typeof createTestApp>[0] & { backoff?: Record<string, (attemptsMade: number) => number>; concurrency?: (queue: string) => number } = {},
) {
  const t = await createTestApp(options);
  const workerRedis = createRedis(t.config.REDIS_URL, { role: 'worker', log: silentLog });
  const producer = createRedis(t.config.REDIS_URL, { role: 'producer', log: silentLog });
  const log = options.log ?? silentLog;
  const services = createServices({ config: t.config, db: t.db, redis: producer, log });
  let workers: Worker[] = startWorkers({
    catalogue,
    handlers: buildHandlers(services),
    connection: workerRedis,
    prefix: t.config.QUEUE_PREFIX,
    concurrency: options.concurrency ?? (() => 4),
    log,
    // Webhook retries wait 100 ms here instead of the schedule's minutes and hours.
    backoff: options.backoff ?? { webhook: () => 100 },
  });

  /** Jobs waiting, active or delayed (retries) in all queues; schedulers' next runs aside. */
  async function busyJobs(): Promise<number> {
    let busy = 0;
    for (const queue of services.queues.queues.values()) {
      // One atomic read of every state: read apart, a retry promoted from delayed to waiting
      // between the two reads was counted in neither.
      const counts = await queue.getJobCounts('waiting', 'active', 'prioritized', 'waiting-children', 'delayed');
      // A job scheduler's next run (a digest next Monday) is not work in progress.
      const scheduled = counts.delayed ? (await queue.getDelayed()).filter((job) => job.repeatJobKey).length : 0;
      busy += Object.values(counts).reduce((a, b) => a + b, 0) - scheduled;
    }
    return busy;
  }

  /**
   * Waits until no job is left in any queue, seen twice in a row: the queues are read one after
   * another, so a job that adds one to a queue already read and then finishes is only seen on
   * the next pass.
   */
  async function drain(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (let idlePasses = 0; idlePasses < 2; ) {
      idlePasses = (await busyJobs()) === 0 ? idlePasses + 1 : 0;
      if (idlePasses === 2) return;
      if (Date.now() > deadline) throw new Error(`queues still busy after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, idlePasses ? 20 : 50));
    }
  }

  return {
    ...t,
    services,
    /** One scheduler tick, then everything it caused (fetches, rematches), done. */
    async tick(): Promise<void> {
      await services.queues.add('sources.tick', {});
      await drain();
      // A tick may enqueue rematches found only after the fetches committed.
      await services.queues.add('sources.tick', {});
      await drain();
    },
    drain,
    async stopWorkers(): Promise<void> {
      await Promise.all(workers.map((w) => w.close()));
      workers = [];
    },
    async close(): Promise<void> {
      await Promise.all(workers.map((w) => w.close()));
      await services.close();
      workerRedis.disconnect();
      producer.disconnect();
      await t.close();
    },
  };
}

export type TestStack = Awaited<ReturnType<typeof createTestStack>>;
export type { TestApp };
