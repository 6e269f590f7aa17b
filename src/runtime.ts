import { serve, type ServerType } from '@hono/node-server';
import type { Config } from './config.js';
import { createApp } from './api/app.js';
import { createMentionSubscriber } from './infra/mention-events.js';
import { createServices } from './services.js';
import { createDb, ensureDatabase, type Database } from './infra/db/database.js';
import { migrateToLatest } from './infra/db/migrator.js';
import { createMetrics } from './infra/metrics.js';
import { assertRedisUsable, createRedis, waitForRedis } from './infra/redis.js';
import { createShutdown, type Shutdown } from './lifecycle.js';
import type { Logger } from './logger.js';
import { buildHandlers, catalogue, schedules } from './workers/index.js';
import { startWorkers, type JobDefinition } from './workers/runtime.js';
import { nextAttemptDelay } from './domain/webhooks/index.js';
import { syncDigestSchedule } from './workers/digests.worker.js';

export type Role = 'api' | 'worker' | 'scheduler';
export const ALL_ROLES: readonly Role[] = ['api', 'worker', 'scheduler'];

export interface Running {
  shutdown: Shutdown;
  db: Database;
  port: number | null;
}

/** Opens Postgres (creating and migrating the database) — every role needs it first. */
export async function openDatabase(config: Config, log: Logger): Promise<Database> {
  if (await ensureDatabase(config.DATABASE_URL)) log.info('created the database');
  const db = createDb({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE, log });
  const applied = await migrateToLatest(db);
  if (applied.length) log.info({ applied }, 'migrations applied');
  return db;
}

/** The API's port is taken: a start-up error the operator fixes with PORT, shown without a stack. */
export class PortInUseError extends Error {
  constructor(port: number, host: string) {
    super(`port ${port} on ${host} is already in use: set PORT to a free one`);
    this.name = 'PortInUseError';
  }
}

/**
 * Starts the given roles in this process. `npm start` runs all three; `earshot api|worker|scheduler`
 * runs one, so workers scale across machines over one Redis and one Postgres.
 */
export async function startEarshot({ roles, config, log }: { roles: readonly Role[]; config: Config; log: Logger }): Promise<Running> {
  const shutdown = createShutdown({ log, timeoutMs: config.SHUTDOWN_TIMEOUT_MS });
  const db = await openDatabase(config, log);
  shutdown.register('postgres', () => db.destroy());

  const producer = createRedis(config.REDIS_URL, { role: 'producer', log });
  shutdown.register('redis-producer', () => producer.quit().catch(() => producer.disconnect()));
  await waitForRedis(producer);
  await assertRedisUsable(producer);

  const metrics = createMetrics();
  const services = createServices({ config, db, redis: producer, log });
  shutdown.register('services', () => services.close());

  if (roles.includes('scheduler')) {
    const registered = schedules(services);
    for (const s of registered) {
      const { queue } = catalogue[s.job];
      await services.queues.queues.get(queue)!.upsertJobScheduler(s.id, { every: s.everyMs }, { name: s.job, data: {}, opts: (catalogue[s.job] as JobDefinition).options ?? {} });
    }
    // Each workspace's digest schedule, so a fresh Redis has them before the first reconcile.
    for (const ws of await services.workspaceRepository.digestSchedules()) await syncDigestSchedule(services.queues, ws);
    log.info({ schedules: registered.map((s) => s.id) }, 'schedules registered');
  }

  if (roles.includes('worker')) {
    // The ingest threads load their models while the workers connect, not on the first poll.
    services.compute.start();
    const connection = createRedis(config.REDIS_URL, { role: 'worker', log });
    const workers = startWorkers({
      catalogue,
      handlers: buildHandlers(services),
      connection,
      prefix: config.QUEUE_PREFIX,
      // Rescoring history takes one slot at most, so ingestion keeps its pace during a rescore.
      concurrency: (queue) => (queue === 'rescore' ? 1 : config.WORKER_CONCURRENCY),
      log,
      metrics,
      backoff: { webhook: (attemptsMade) => nextAttemptDelay(attemptsMade) ?? 0 },
    });
    shutdown.register('redis-worker', () => connection.quit().catch(() => connection.disconnect()));
    // Registered after the connection, so it closes first: active jobs finish before Redis goes.
    shutdown.register('workers', () => Promise.all(workers.map((w) => w.close())));
  }

  let port: number | null = null;
  if (roles.includes('api')) {
    const subscriber = createMentionSubscriber({ url: config.REDIS_URL, prefix: config.QUEUE_PREFIX, log });
    shutdown.register('live-subscriber', () => subscriber.close());
    const app = createApp({ ...services, metrics, subscriber });
    const server = await new Promise<ServerType>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, () => resolve(s));
      s.once('error', (err: NodeJS.ErrnoException) =>
        reject(err.code === 'EADDRINUSE' ? new PortInUseError(config.PORT, config.HOST) : err),
      );
    });
    const address = server.address();
    port = typeof address === 'object' && address ? address.port : config.PORT;
    shutdown.register('http', () => closeServer(server));
    log.info({ port, host: config.HOST }, 'API listening');
  }

  log.info({ roles }, 'earshot started');
  return { shutdown, db, port };
}

/** Stops accepting connections, lets in-flight requests finish, then drops idle and long-lived ones. */
function closeServer(server: ServerType): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    if ('closeIdleConnections' in server) server.closeIdleConnections();
    setTimeout(() => {
      if ('closeAllConnections' in server) server.closeAllConnections();
    }, 5_000).unref();
  });
}
