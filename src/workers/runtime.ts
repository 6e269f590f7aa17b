import { DelayedError, Queue, Worker, type Job, type JobsOptions } from 'bullmq';
import type { z } from 'zod';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { Metrics } from '../infra/metrics.js';
import { warnRedisError } from '../infra/redis.js';

/** A job's name, its queue and the shape of its payload. Payloads carry ids, never secrets. */
export interface JobDefinition<S extends z.ZodTypeAny = z.ZodTypeAny> {
  queue: string;
  payload: S;
  options?: JobsOptions;
}

export interface JobContext {
  log: Logger;
  job: Job;
  /** The lock token, for moving the job (e.g. to delayed). */
  token: string | undefined;
}

export type JobHandler<S extends z.ZodTypeAny> = (payload: z.infer<S>, ctx: JobContext) => Promise<unknown>;

export type Handlers<C extends Record<string, JobDefinition>> = { [N in keyof C]: JobHandler<C[N]['payload']> };

/**
 * Puts the running job back in its queue for a moment (0.5–2 s, jittered) without spending an
 * attempt, freeing its worker slot: for a job that must wait on something another job holds (a
 * host's politeness slot, its workspace's rematch slot). The handler returns what this throws.
 */
export async function retryShortly({ job, token }: Pick<JobContext, 'job' | 'token'>): Promise<never> {
  await job.moveToDelayed(Date.now() + 500 + Math.floor(Math.random() * 1500), token);
  throw new DelayedError();
}

/** Retries configured in one place: exponential backoff, bounded history so Redis stays small. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 5000 },
};

export function createQueues<C extends Record<string, JobDefinition>>({
  catalogue,
  connection,
  prefix,
  log,
}: {
  catalogue: C;
  connection: Redis;
  prefix: string;
  log: Logger;
}) {
  const queues = new Map<string, Queue>();
  for (const def of Object.values(catalogue)) {
    if (queues.has(def.queue)) continue;
    const queue = new Queue(def.queue, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
    queue.on('error', (err) => warnRedisError(connection, log, { err: { message: err.message }, queue: def.queue }, 'queue error'));
    queues.set(def.queue, queue);
  }
  return {
    queues,
    /** Validates the payload before it reaches Redis, so a bad job fails where it is made. */
    async add<N extends keyof C & string>(name: N, payload: z.infer<C[N]['payload']>, options?: JobsOptions) {
      const def = catalogue[name];
      if (!def) throw new Error(`unknown job ${name}`);
      const data = def.payload.parse(payload);
      return queues.get(def.queue)!.add(name, data, { ...def.options, ...options });
    },
    /** Many jobs of one name in one round trip; a job id already queued is skipped, as with add. */
    async addBulk<N extends keyof C & string>(name: N, jobs: Array<{ payload: z.infer<C[N]['payload']>; options?: JobsOptions }>) {
      const def = catalogue[name];
      if (!def) throw new Error(`unknown job ${name}`);
      if (!jobs.length) return [];
      return queues.get(def.queue)!.addBulk(jobs.map((j) => ({ name, data: def.payload.parse(j.payload), opts: { ...def.options, ...j.options } })));
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}

export type Queues<C extends Record<string, JobDefinition>> = ReturnType<typeof createQueues<C>>;

/** BullMQ's own default for a job's lock and for the stall check's interval (JOB_LOCK_MS). */
export const DEFAULT_LOCK_MS = 30_000;

/** Each worker's jobs in progress and their lock tokens, so that a shutdown can hand them back. */
const inProgress = new WeakMap<Worker, Map<string, { job: Job; token: string }>>();

/**
 * One BullMQ worker per queue, dispatching by job name. Start-up fails when a job of the
 * catalogue has no handler, so a job can never be enqueued that nobody will run.
 */
export function startWorkers<C extends Record<string, JobDefinition>>({
  catalogue,
  handlers,
  connection,
  prefix,
  concurrency,
  log,
  metrics,
  backoff = {},
  lockMs = DEFAULT_LOCK_MS,
}: {
  catalogue: C;
  handlers: Partial<Handlers<C>>;
  connection: Redis;
  prefix: string;
  concurrency: (queue: string) => number;
  log: Logger;
  metrics?: Metrics;
  /** Named retry schedules (`backoff: { type: name }` in a job's options): attempts made and the error the job failed with → delay in ms. */
  backoff?: Record<string, (attemptsMade: number, err?: Error) => number>;
  /** A job's lock, and how often stalled jobs are looked for (JOB_LOCK_MS). */
  lockMs?: number;
}): Worker[] {
  const missing = Object.keys(catalogue).filter((name) => !handlers[name as keyof C]);
  if (missing.length) throw new Error(`jobs without a handler: ${missing.join(', ')}`);

  const byQueue = new Map<string, string[]>();
  for (const [name, def] of Object.entries(catalogue)) byQueue.set(def.queue, [...(byQueue.get(def.queue) ?? []), name]);

  return [...byQueue.keys()].map((queue) => {
    const active = new Map<string, { job: Job; token: string }>();
    const worker = new Worker(
      queue,
      async (job, token) => {
        const def = catalogue[job.name];
        const handler = handlers[job.name as keyof C] as JobHandler<z.ZodTypeAny> | undefined;
        if (!def || !handler) throw new Error(`no handler for job ${job.name} on queue ${queue}`);
        const jobLog = log.child({ queue, job: job.name, jobId: job.id, attempt: job.attemptsMade + 1 });
        const payload = def.payload.parse(job.data);
        const started = performance.now();
        if (job.id && token) active.set(job.id, { job, token });
        try {
          const result = await handler(payload, { log: jobLog, job, token });
          metrics?.jobs.inc({ queue, name: job.name, outcome: 'completed' });
          jobLog.debug({ durationMs: Math.round(performance.now() - started) }, 'job completed');
          return result;
        } catch (err) {
          if (err instanceof DelayedError) throw err;
          metrics?.jobs.inc({ queue, name: job.name, outcome: 'failed' });
          jobLog.warn({ err, durationMs: Math.round(performance.now() - started) }, 'job failed');
          throw err;
        } finally {
          if (job.id) active.delete(job.id);
        }
      },
      {
        connection,
        prefix,
        concurrency: concurrency(queue),
        maxStalledCount: 2,
        lockDuration: lockMs,
        stalledInterval: lockMs,
        settings: { backoffStrategy: (attemptsMade: number, type?: string, err?: Error) => backoff[type ?? '']?.(attemptsMade, err) ?? 1000 * 2 ** attemptsMade },
      },
    );
    worker.on('error', (err) => warnRedisError(connection, log, { err: { message: err.message }, queue }, 'worker error'));
    worker.on('stalled', (jobId) => log.warn({ queue, jobId }, 'job stalled: its lock expired and it will run again'));
    inProgress.set(worker, active);
    return worker;
  });
}

/** Jobs running in these workers' processors now. */
function runningJobs(workers: Worker[]): number {
  return workers.reduce((n, worker) => n + (inProgress.get(worker)?.size ?? 0), 0);
}

/**
 * Stops the workers taking jobs and lets the active ones finish until `handBackAt` (a time in ms).
 * A job still running then goes back to the head of its queue under its lock token, for another
 * worker to take at once. Left locked by a process that exits, it would wait for its lock to
 * expire (JOB_LOCK_MS, 30 s by default) and a stall check to find it (run as often, so up to 60 s
 * more: about 80 s in practice), and each stall counts towards failing it for good (maxStalledCount); handed back, it
 * counts no attempt either. Its processor goes on until the process ends; anything it still
 * commits is idempotent (RELIABILITY 10). `finished` is false when jobs were still running at
 * `handBackAt`.
 *
 * BullMQ's close waits on Redis, which it cannot reach during an outage: with `connection` (the
 * workers' Redis) not connected and no job running, there is nothing to finish or hand back, so
 * the drain ends at once instead of waiting out the shutdown's timeout.
 */
export async function drainWorkers(
  workers: Worker[],
  { handBackAt, log, connection }: { handBackAt: number; log: Logger; connection?: Redis },
): Promise<{ finished: boolean; handedBack: string[] }> {
  let timer: NodeJS.Timeout | undefined;
  let poll: NodeJS.Timeout | undefined;
  const idleWithoutRedis = new Promise<'offline'>((resolve) => {
    if (!connection) return;
    const check = () => {
      if (connection.status !== 'ready' && runningJobs(workers) === 0) resolve('offline');
      else poll = setTimeout(check, 100);
    };
    check();
  });
  const outcome = await Promise.race([
    Promise.all(workers.map((w) => w.close())).then(() => 'closed' as const),
    idleWithoutRedis,
    new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), Math.max(0, handBackAt - Date.now())))),
  ]).finally(() => {
    clearTimeout(timer);
    clearTimeout(poll);
  });
  if (outcome === 'offline') log.info('Redis is unreachable and no job is running: the workers stop without waiting for it');
  if (outcome !== 'timeout') return { finished: true, handedBack: [] };
  const running = workers.flatMap((worker) => [...(inProgress.get(worker)?.values() ?? [])].map((entry) => ({ queue: worker.name, ...entry })));
  const handedBack: string[] = [];
  await Promise.all(
    running.map(async ({ queue, job, token }) => {
      try {
        await job.moveToWait(token);
        handedBack.push(job.id!);
      } catch (err) {
        log.error({ err, queue, jobId: job.id }, 'a job still running at shutdown could not be handed back; it runs again once its lock expires');
      }
    }),
  );
  if (handedBack.length) log.warn({ jobs: handedBack }, 'jobs still running at the end of the shutdown were handed back to their queues');
  return { finished: false, handedBack };
}
