import type { Queue } from 'bullmq';
import { sql, type Kysely } from 'kysely';
import { Gauge, type Registry } from 'prom-client';
import type { DB } from './db/schema.js';

/** A scrape never waits longer than this on Redis or Postgres; what is not read by then is left out. */
const READ_TIMEOUT_MS = 2_000;
const JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed'] as const;
const SOURCE_STATES = ['healthy', 'failing', 'disabled'] as const;

/**
 * `read`, shared by the calls made while it is under way (prom-client collects the gauges of one
 * scrape concurrently, so they share one read of each store), resolving to null when it fails or
 * takes too long.
 */
function sharedRead<T>(read: () => Promise<T>): () => Promise<T | null> {
  let pending: Promise<T | null> | undefined;
  return () => {
    if (pending) return pending;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), READ_TIMEOUT_MS);
    });
    pending = Promise.race([read().catch(() => null), timeout]).finally(() => {
      clearTimeout(timer);
      pending = undefined;
    });
    return pending;
  };
}

/**
 * The state of the whole deployment, read from Redis and Postgres when /metrics is scraped, so any
 * API process shows it whichever process does the work: jobs in each queue by state, sources by
 * health, and how long the most overdue source has waited for its poll (it grows when no scheduler
 * or worker is running, or they cannot keep up). A store that does not answer in time leaves its
 * gauges out of that scrape, and `earshot_deployment_read_ok` says which.
 */
export function observeDeployment({ registry, queues, db }: { registry: Registry; queues: ReadonlyMap<string, Queue>; db: Kysely<DB> }): void {
  // Once per registry: an app built again over the same metrics (tests do) shows the same state.
  if (registry.getSingleMetric('earshot_deployment_read_ok')) return;
  const readQueues = sharedRead(() => Promise.all([...queues].map(async ([name, queue]) => [name, await queue.getJobCounts(...JOB_STATES)] as const)));
  const readSources = sharedRead(() =>
    db
      .selectFrom('sources')
      .select([
        sql<number>`count(*) filter (where enabled and consecutive_failures = 0)::int`.as('healthy'),
        sql<number>`count(*) filter (where enabled and consecutive_failures > 0)::int`.as('failing'),
        sql<number>`count(*) filter (where not enabled)::int`.as('disabled'),
        sql<number>`coalesce(extract(epoch from now() - min(next_fetch_at) filter (where enabled)), 0)::float8`.as('overdue'),
      ])
      .executeTakeFirstOrThrow(),
  );

  new Gauge({
    name: 'earshot_deployment_read_ok',
    help: 'Whether this scrape read the deployment state from the store (1) or not (0)',
    labelNames: ['store'] as const,
    registers: [registry],
    async collect() {
      const [redis, postgres] = await Promise.all([readQueues(), readSources()]);
      this.set({ store: 'redis' }, redis ? 1 : 0);
      this.set({ store: 'postgres' }, postgres ? 1 : 0);
    },
  });
  new Gauge({
    name: 'earshot_queue_jobs',
    help: 'Jobs in each queue by state, across every process of the deployment',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const [queue, counts] of (await readQueues()) ?? []) for (const state of JOB_STATES) this.set({ queue, state }, counts[state] ?? 0);
    },
  });
  new Gauge({
    name: 'earshot_sources',
    help: 'Sources by state: enabled and polling well (healthy), enabled with consecutive failures (failing), disabled',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const row = await readSources();
      if (row) for (const state of SOURCE_STATES) this.set({ state }, row[state]);
    },
  });
  // Without labels, prom-client always writes a sample, and NaN comes out as `Nan` (not the
  // format's `NaN`; strict parsers refuse it): the sample is taken out instead when Postgres was
  // not read, as earshot_sources{state} is, and earshot_deployment_read_ok says why.
  let overdueRead = false;
  const overdue = new Gauge({
    name: 'earshot_sources_overdue_seconds',
    help: 'How long past its nextFetchAt the most overdue enabled source is (0 when none is due; left out when Postgres was not read)',
    registers: [registry],
    async collect() {
      const row = await readSources();
      overdueRead = row !== null;
      this.set(row ? Math.max(0, row.overdue) : 0);
    },
  });
  const collectOverdue = overdue.get.bind(overdue);
  overdue.get = async () => {
    const metric = await collectOverdue();
    return overdueRead ? metric : { ...metric, values: [] };
  };
}
