import { serve, type ServerType } from '@hono/node-server';
import packageJson from '../package.json' with { type: 'json' };
import type { Config } from './config.js';
import { createApp } from './api/app.js';
import { answerClientError } from './api/client-errors.js';
import { createMentionSubscriber } from './infra/mention-events.js';
import { createServices, type Services } from './services.js';
import { createDb, ensureDatabase, type Database } from './infra/db/database.js';
import { migrateToLatest } from './infra/db/migrator.js';
import { PostgresWaitStoppedError } from './infra/db/postgres-wait.js';
import { isIngestPool } from './infra/ingest-pool/index.js';
import { createMetrics } from './infra/metrics.js';
import { assertRedisUsable, closeRedis, createRedis, waitForRedis, type Redis } from './infra/redis.js';
import { createShutdown, type Shutdown } from './lifecycle.js';
import type { Logger } from './logger.js';
import { queueRescore } from './workers/maintenance.worker.js';
import { rematchOlderMatches } from './domain/brands/rematch.usecases.js';
import { buildHandlers, catalogue, schedules } from './workers/index.js';
import { drainWorkers, startWorkers, type JobDefinition } from './workers/runtime.js';
import { retryBackoff } from './domain/webhooks/index.js';
import { syncDigestSchedule } from './workers/digests.worker.js';

export type Role = 'api' | 'worker' | 'scheduler';
export const ALL_ROLES: readonly Role[] = ['api', 'worker', 'scheduler'];

export interface Running {
  shutdown: Shutdown;
  db: Database;
  port: number | null;
}

/** When start-up began (DATABASE_STARTUP_WAIT_MS counts from it: now, unless said), and what stops its wait for Postgres. */
export interface OpenOptions {
  startedAt?: number;
  signal?: AbortSignal;
}

/**
 * Opens Postgres (creating and migrating the database) — every role needs it first. A Postgres
 * that does not accept connections yet (still starting) is waited for, up to
 * DATABASE_STARTUP_WAIT_MS from `startedAt`.
 */
export async function openDatabase(config: Config, log: Logger, options: OpenOptions = {}): Promise<Database> {
  return (await prepareDatabase(config, log, options)).db;
}

/** openDatabase, also saying whether it created the database and which migrations it applied. */
export async function prepareDatabase(config: Config, log: Logger, { startedAt = Date.now(), signal }: OpenOptions = {}): Promise<{ db: Database; created: boolean; applied: string[] }> {
  const created = await ensureDatabase(config.DATABASE_URL, { startedAt, waitMs: config.DATABASE_STARTUP_WAIT_MS, signal, log });
  if (created) log.info('created the database');
  const db = createDb({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE, log });
  const applied = await migrateToLatest(db);
  if (applied.length) log.info({ applied }, 'migrations applied');
  return { db, created, applied };
}

/** How long the API's in-flight requests (and live streams) get to end before their connections are dropped. */
export const HTTP_DRAIN_MS = 5_000;

/**
 * Jobs still running this long before SHUTDOWN_TIMEOUT_MS runs out are handed back to their
 * queues (drainWorkers): time enough for a few Redis round trips before the process ends.
 */
export const HAND_BACK_MARGIN_MS = 1_000;

/**
 * Webhook deliveries one worker process makes at once, at least: each attempt mostly waits on a
 * receiver (up to its 20 s limit), so a few dead or slow endpoints must not hold every slot while
 * other workspaces' alerts queue behind them.
 */
export const WEBHOOK_CONCURRENCY = 32;

/** How many jobs of each queue one worker process runs at once. */
export function workerConcurrency(config: Pick<Config, 'WORKER_CONCURRENCY'>): (queue: string) => number {
  return (queue) => {
    // Rescoring history takes one slot at most, so ingestion keeps its pace during a rescore.
    if (queue === 'rescore') return 1;
    if (queue === 'webhooks') return Math.max(config.WORKER_CONCURRENCY, WEBHOOK_CONCURRENCY);
    return config.WORKER_CONCURRENCY;
  };
}

/** Start-up was stopped (a signal) before it finished; `clean` says whether what had started shut down cleanly. */
export class StartInterruptedError extends Error {
  constructor(
    readonly reason: string,
    readonly clean: boolean,
    options?: ErrorOptions,
  ) {
    super(`stopped during start-up (${reason})`, options);
    this.name = 'StartInterruptedError';
  }
}

/** The API's port is taken: a start-up error the operator fixes with PORT, shown without a stack. */
export class PortInUseError extends Error {
  constructor(port: number, host: string) {
    super(`port ${port} on ${host} is already in use: set PORT to a free one`);
    this.name = 'PortInUseError';
  }
}

/** The API could not listen where HOST says: a name that does not resolve, an address not of this machine. */
export class ListenError extends Error {
  constructor(host: string, port: number, cause: NodeJS.ErrnoException) {
    super(
      `the API could not listen on ${host}:${port} (${cause.code ?? cause.message}): set HOST to an address of this machine ` +
        '(0.0.0.0 for every interface, 127.0.0.1 for this machine only)',
    );
    this.name = 'ListenError';
  }
}

/**
 * Starts the given roles in this process. `npm start` runs all three; `earshot api|worker|scheduler`
 * runs one, so workers scale across machines over one Redis and one Postgres.
 */
export async function startEarshot({
  roles,
  config,
  log,
  schedulesCheckMs = SCHEDULES_CHECK_MS,
  stop,
}: {
  roles: readonly Role[];
  config: Config;
  log: Logger;
  /** How often the scheduler role checks that its recurring jobs are still in Redis (tests shorten it). */
  schedulesCheckMs?: number;
  /** Aborted (with the signal's name as reason) to stop while still starting: see StartInterruptedError. */
  stop?: AbortSignal;
}): Promise<Running> {
  // Both start-up waits (DATABASE_STARTUP_WAIT_MS, REDIS_STARTUP_WAIT_MS) count from here.
  const startedAt = Date.now();
  const lifecycle = createShutdown({ log, timeoutMs: config.SHUTDOWN_TIMEOUT_MS });
  // When the shutdown's timeout runs out, known from the moment it starts: the workers' drain ends
  // a margin before it.
  let shutdownEndsAt = Number.POSITIVE_INFINITY;
  const shutdown: Shutdown = {
    register: lifecycle.register,
    shutdown(reason) {
      if (!lifecycle.stopping) shutdownEndsAt = Date.now() + config.SHUTDOWN_TIMEOUT_MS;
      return lifecycle.shutdown(reason);
    },
    get stopping() {
      return lifecycle.stopping;
    },
  };
  // A stop asked for during start-up (SIGTERM while migrating, or waiting for Redis) takes effect
  // at the next step: what is started so far is shut down as in any shutdown, and the start fails
  // with StartInterruptedError saying whether that was clean.
  let interrupted: string | null = null;
  const onStop = () => void (interrupted = String(stop?.reason ?? 'stopped'));
  if (stop?.aborted) onStop();
  else stop?.addEventListener('abort', onStop, { once: true });
  const checkpoint = () => {
    if (interrupted) throw new StartInterruptedError(interrupted, false);
  };
  try {
    // Redis is waited for while Postgres opens (waited for, created, migrated), so
    // REDIS_STARTUP_WAIT_MS counts from here whatever Postgres takes, and an unreachable Redis
    // fails start-up when it says: its failure ends a wait for Postgres still under way.
    const producer = createRedis(config.REDIS_URL, { role: 'producer', log });
    const postgresFailed = new AbortController();
    const redisFailed = new AbortController();
    const redisAnswers = waitForRedis(producer, config.REDIS_STARTUP_WAIT_MS, stop ? AbortSignal.any([stop, postgresFailed.signal]) : postgresFailed.signal);
    // Awaited once Postgres is open; its failure meanwhile is not an unhandled rejection.
    redisAnswers.catch(() => redisFailed.abort());
    const postgresWaitStop = stop ? AbortSignal.any([stop, redisFailed.signal]) : redisFailed.signal;
    const db = await openDatabase(config, log, { startedAt, signal: postgresWaitStop }).catch(async (err: unknown) => {
      postgresFailed.abort();
      producer.disconnect();
      // The wait for Postgres ended because Redis's ran out: that is the failure to tell.
      if (err instanceof PostgresWaitStoppedError && redisFailed.signal.aborted && !stop?.aborted) await redisAnswers;
      throw err;
    });
    shutdown.register('postgres', () => db.destroy());
    shutdown.register('redis-producer', () => closeRedis(producer));
    checkpoint();
    await redisAnswers;
    checkpoint();
    await assertRedisUsable(producer);
    checkpoint();

    const metrics = createMetrics();
    const services = createServices({ config, db, redis: producer, log });
    shutdown.register('services', () => services.close());

    if (roles.includes('scheduler')) {
      const registered = await registerSchedules(services);
      checkpoint();
      log.info({ schedules: registered }, 'schedules registered');
      // A Redis that comes back empty (no persistence, a failover to an empty replica, a FLUSHALL)
      // has lost every schedule, and nothing else would put them back: polling, alerts, retention
      // and digests would stop for good. Checked on each reconnect and on a timer.
      const watch = watchSchedules({ services, redis: producer, log, everyMs: schedulesCheckMs });
      shutdown.register('schedules-watch', () => watch.close());
      // In the background: planning reads the whole mentions table once.
      if (config.AUTO_RESCORE) {
        const queued = rescoreOlderScores(services, log);
        shutdown.register('rescore-planning', () => queued);
      }
      if (config.AUTO_REMATCH) {
        const requested = rematchOlderMatcher(services, log);
        shutdown.register('rematch-planning', () => requested);
      }
    }

    if (roles.includes('worker')) {
      // The ingest threads load their models now, not on the first poll.
      services.compute.start();
      const connection = createRedis(config.REDIS_URL, { role: 'worker', log });
      shutdown.register('redis-worker', () => closeRedis(connection));
      // A thread bundle that cannot be loaded stops start-up here, in one line naming the file,
      // before any worker takes a job it could not do. (The threads' warm-up goes on meanwhile.)
      if (isIngestPool(services.compute)) {
        await services.compute.ready().catch(async (err: unknown) => {
          await shutdown.shutdown('the ingest threads could not be loaded');
          throw err;
        });
        checkpoint();
      }
      const workers = startWorkers({
        catalogue,
        handlers: buildHandlers(services),
        connection,
        prefix: config.QUEUE_PREFIX,
        concurrency: workerConcurrency(config),
        log,
        metrics,
        backoff: { webhook: retryBackoff },
        lockMs: config.JOB_LOCK_MS,
      });
      // Registered after the connection, so it closes first: active jobs finish before Redis goes.
      shutdown.register('workers', async () => {
        const { finished, handedBack } = await drainWorkers(workers, { handBackAt: shutdownEndsAt - HAND_BACK_MARGIN_MS, log, connection });
        if (finished) return;
        // The processors of the jobs handed back are still running: closing the HTTP client, the
        // ingest pool or Postgres under them would fail their polls, which would then record their
        // sources as failed. The shutdown's timeout, a margin from now, ends the process instead.
        await new Promise((resolve) => setTimeout(resolve, HAND_BACK_MARGIN_MS * 2));
        throw new Error(`${handedBack.length} job(s) still running were handed back to their queues`);
      });
    }

    let port: number | null = null;
    if (roles.includes('api')) {
      checkpoint();
      const subscriber = createMentionSubscriber({ url: config.REDIS_URL, prefix: config.QUEUE_PREFIX, log });
      shutdown.register('live-subscriber', () => subscriber.close());
      const app = createApp({ ...services, metrics, subscriber });
      const server = await new Promise<ServerType>((resolve, reject) => {
        const s = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, () => resolve(s));
        s.once('error', (err: NodeJS.ErrnoException) =>
          reject(err.code === 'EADDRINUSE' ? new PortInUseError(config.PORT, config.HOST) : new ListenError(config.HOST, config.PORT, err)),
        );
      }).catch(async (err: unknown) => {
        // The workers started above may have taken jobs already: they finish or go back to their
        // queues, as in any shutdown, rather than staying locked until a stall check finds them.
        await shutdown.shutdown('the API could not listen');
        throw err;
      });
      server.on('clientError', answerClientError);
      const address = server.address();
      port = typeof address === 'object' && address ? address.port : config.PORT;
      shutdown.register('http', () => closeServer(server));
      // Registered last, so it runs first: live streams end cleanly before the server drains.
      shutdown.register('live-streams', async () => subscriber.endStreams());
      log.info({ port, host: config.HOST }, 'API listening');
    }

    checkpoint();
    log.info({ roles, ...pointedAt(config, producer) }, 'earshot started');
    return { shutdown, db, port };
  } catch (err) {
    if (!interrupted) throw err;
    log.info({ signal: interrupted }, 'stopped during start-up');
    throw new StartInterruptedError(interrupted, await shutdown.shutdown(interrupted), { cause: err });
  } finally {
    stop?.removeEventListener('abort', onStop);
  }
}

/**
 * What the "started" line says this process runs and where it is pointed: the release, the
 * Postgres and Redis it uses (host, port, database; never a user or password) and its queue prefix,
 * so logs from several installations or a rolling upgrade can be told apart.
 */
export function pointedAt(config: Pick<Config, 'DATABASE_URL' | 'QUEUE_PREFIX'>, redis: Redis) {
  const postgres = new URL(config.DATABASE_URL);
  const { host, port, db, tls } = redis.options;
  return {
    release: packageJson.version,
    // pg takes a `host` parameter (a Unix socket's folder) over the URL's host.
    postgres: { host: postgres.searchParams.get('host') ?? postgres.hostname, port: Number(postgres.port || 5432), database: decodeURIComponent(postgres.pathname.slice(1)) },
    // As the client reads REDIS_URL.
    redis: { host, port, db: db ?? 0, tls: Boolean(tls) },
    queuePrefix: config.QUEUE_PREFIX,
  };
}

/** How often a scheduler process checks that the recurring jobs are still in Redis. */
export const SCHEDULES_CHECK_MS = 60_000;

/**
 * After an upgrade that changed the sentiment model, the mentions an older version scored are
 * rescored by the workers, one batch at a time on the rescore queue's one slot, so history and
 * new mentions read alike without anyone running `earshot rescore`. Every scheduler of a
 * deployment queues the same run (its id names the model), so it is done once. Never throws.
 */
async function rescoreOlderScores(services: Services, log: Logger): Promise<void> {
  try {
    const planned = await queueRescore({ db: services.db, queues: services.queues, model: services.scorer.model, run: 'upgrade', olderOnly: true });
    if (planned.jobs) log.info(planned, 'mentions scored by an older sentiment model: rescoring them in the background');
  } catch (err) {
    log.warn({ err }, 'rescoring mentions of an older sentiment model not queued; `earshot rescore` does it by hand');
  }
}

/**
 * After an upgrade that changed how queries match, the brands whose history an older matcher went
 * over are matched again by the workers, through the rematch a query edit gets (queued by the tick,
 * a batch at a time), so stored mentions follow the release without anyone saving a query. Every
 * scheduler of a deployment may ask: each brand is asked for once. Never throws.
 */
async function rematchOlderMatcher(services: Services, log: Logger): Promise<void> {
  try {
    const { matcherVersion, brands, unreadable } = await rematchOlderMatches({ brandRepository: services.brandRepository });
    if (brands) log.info({ matcherVersion, brands }, 'brands matched by an older matcher: rematching their history in the background');
    if (unreadable.length) {
      log.warn({ matcherVersion, brands: unreadable.length, brandIds: unreadable.slice(0, 20) }, 'brands whose stored query this release no longer parses keep their links and are not rematched until their query is fixed');
    }
  } catch (err) {
    log.warn({ err }, 'rematching the brands of an older matcher not queued; `earshot rematch` does it by hand');
  }
}

/**
 * Upserts every recurring job and each workspace's digest schedule (so a fresh Redis has them
 * before the first reconcile). Each has a fixed id: however many processes run this, one schedule
 * each. Upserting an existing `every` schedule keeps its next run (BullMQ replaces the pending job
 * at the same time), so this neither skips nor doubles a run.
 */
async function registerSchedules(services: Services): Promise<string[]> {
  const registered = schedules(services);
  for (const s of registered) {
    const { queue } = catalogue[s.job];
    await services.queues.queues.get(queue)!.upsertJobScheduler(s.id, { every: s.everyMs }, { name: s.job, data: {}, opts: (catalogue[s.job] as JobDefinition).options ?? {} });
  }
  for (const ws of await services.workspaceRepository.digestSchedules()) await syncDigestSchedule(services.queues, ws);
  return registered.map((s) => s.id);
}

/** The recurring jobs whose scheduler is not in Redis. */
async function missingSchedules(services: Services): Promise<string[]> {
  const missing: string[] = [];
  for (const s of schedules(services)) {
    const queue = services.queues.queues.get(catalogue[s.job].queue)!;
    if (!(await queue.getJobScheduler(s.id))) missing.push(s.id);
  }
  return missing;
}

/**
 * Puts the schedules back when Redis has lost them: on each reconnect of the producer ('ready'
 * after a loss) and every `everyMs` (a FLUSHALL, or a failover the connection did not notice).
 * Only a loss re-registers: a digest whose run is due but not yet taken would be moved to its
 * next period by an upsert, so schedules that are still there are left alone. The digests.reconcile
 * job, itself one of the recurring jobs, then keeps the digest schedules in line as usual.
 */
function watchSchedules({ services, redis, log, everyMs }: { services: Services; redis: Redis; log: Logger; everyMs: number }) {
  let checking: Promise<void> | null = null;
  let closed = false;
  let lastFailure = 0;
  const check = (trigger: 'reconnect' | 'timer'): Promise<void> => {
    if (closed) return Promise.resolve();
    checking ??= (async () => {
      try {
        const missing = await missingSchedules(services);
        if (!missing.length || closed) return;
        const registered = await registerSchedules(services);
        log.warn({ missing, schedules: registered, trigger }, 'recurring jobs were missing from Redis (restarted empty or flushed): schedules registered again');
      } catch (err) {
        // Redis is away again, or still loading: the next reconnect or tick retries. One line a minute at most.
        if (!closed && Date.now() - lastFailure > 60_000) {
          lastFailure = Date.now();
          log.warn({ err: { message: (err as Error).message }, trigger }, 'could not check the recurring jobs in Redis; will retry');
        }
      } finally {
        checking = null;
      }
    })();
    return checking;
  };
  const onReady = () => void check('reconnect');
  redis.on('ready', onReady);
  const timer = setInterval(() => void check('timer'), everyMs);
  timer.unref();
  return {
    // A check in flight is not waited for: during an outage it would hold the shutdown up to the
    // producer's command timeout, and it stops at its next step anyway.
    close(): void {
      closed = true;
      clearInterval(timer);
      redis.off('ready', onReady);
    },
  };
}

/** Stops accepting connections, lets in-flight requests finish, then drops idle and long-lived ones. */
function closeServer(server: ServerType): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    if ('closeIdleConnections' in server) server.closeIdleConnections();
    setTimeout(() => {
      if ('closeAllConnections' in server) server.closeAllConnections();
    }, HTTP_DRAIN_MS).unref();
  });
}
