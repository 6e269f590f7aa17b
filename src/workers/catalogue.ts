import { z } from 'zod';
import type { JobDefinition } from './runtime.js';
import { MAX_ATTEMPTS } from '../domain/webhooks/index.js';

const uuid = z.string().uuid();

/**
 * Every job Earshot runs: name → queue, payload schema and options. Handlers live beside their
 * queue in src/workers/<queue>.worker.ts; start-up fails when one is missing.
 */
export const catalogue = {
  /** Enqueues a fetch for every due source. Scheduled, one schedule per deployment. */
  'sources.tick': { queue: 'scheduler', payload: z.object({}), options: { attempts: 1, removeOnComplete: true, removeOnFail: 100 } },
  /**
   * One poll of one source. The job id is derived from the source, so a source never has two
   * fetches queued or running; the source's own schedule does the retrying, not BullMQ.
   * `requested`: "poll now" from the API, which polls a source that is not due.
   */
  'sources.fetch': {
    queue: 'fetch',
    payload: z.object({ sourceId: uuid, requested: z.boolean().optional() }),
    options: { attempts: 3, removeOnComplete: true, removeOnFail: true },
  },
  /**
   * Matches a new or changed brand against stored history. The tick enqueues it under one id per
   * query version until the brand is marked matched, so a job that used all its attempts is
   * removed: kept, its id would turn every later tick's add into a no-op for the week failed
   * jobs are kept, and the brand's history would stay unmatched.
   */
  'brands.rematch': { queue: 'maintenance', payload: z.object({ workspaceId: uuid, brandId: uuid }), options: { removeOnFail: true } },
  /**
   * Clears a deleted brand from the mentions that carried it. Queued when the brand is deleted
   * and, until it has run (table brand_unlinks), by the tick under one id per brand: a failed
   * job is removed so that the tick's add is not a no-op.
   */
  'brands.unlink': { queue: 'maintenance', payload: z.object({ workspaceId: uuid, brandId: uuid }), options: { removeOnFail: true } },
  /** Deletes unmatched items older than the raw window. Scheduled hourly. */
  'mentions.purge-raw': { queue: 'maintenance', payload: z.object({}), options: { attempts: 1, removeOnComplete: true, removeOnFail: 100 } },
  /**
   * Rescores one id range of mentions after a model change. Its own queue, one at a time, so
   * rescoring history never competes with ingestion for more than one worker slot.
   */
  'mentions.rescore': {
    queue: 'rescore',
    payload: z.object({
      fromId: z.number().int().nonnegative(),
      toId: z.number().int().nonnegative(),
      since: z.string().datetime().optional(),
      /** Only mentions an older version of the model scored (the rescore a release queues at start). */
      olderOnly: z.boolean().optional(),
    }),
  },
  /** Evaluates every enabled alert rule. Scheduled every minute. */
  'alerts.evaluate': { queue: 'scheduler', payload: z.object({}), options: { attempts: 1, removeOnComplete: true, removeOnFail: 100 } },
  /**
   * One webhook delivery, retried on the Standard Webhooks schedule (the `webhook` backoff):
   * at once, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, with jitter. The job id is the alert's.
   */
  'alerts.deliver': {
    queue: 'webhooks',
    payload: z.object({ alertId: z.string().regex(/^evt_[a-z2-7]{26}$/) }),
    options: { attempts: MAX_ATTEMPTS, backoff: { type: 'webhook' }, removeOnComplete: true, removeOnFail: { age: 7 * 24 * 3600, count: 5000 } },
  },
  /** Composes a workspace's scheduled digest, once per period. Fired by its per-workspace job scheduler. */
  'digests.compose': { queue: 'digests', payload: z.object({ workspaceId: uuid }) },
  /**
   * Delivers a stored digest to the workspace's webhook, or by e-mail to one recipient (`to`), each
   * with its own retries on the alert schedule and its own job id (digestDeliveryJobId). An e-mail
   * job without `to` was queued before e-mail went one message per recipient: it queues one job
   * per recipient of its digest.
   */
  'digests.deliver': {
    queue: 'digests',
    payload: z.discriminatedUnion('channel', [
      z.object({ digestId: uuid, channel: z.literal('webhook') }),
      z.object({ digestId: uuid, channel: z.literal('email'), to: z.string().min(3).max(320).includes('@').optional() }),
    ]),
    options: { attempts: MAX_ATTEMPTS, backoff: { type: 'webhook' }, removeOnComplete: true, removeOnFail: { age: 7 * 24 * 3600, count: 5000 } },
  },
  /** Re-asserts every workspace's digest schedule (after Redis lost it, or a change made while it was away). */
  'digests.reconcile': { queue: 'scheduler', payload: z.object({}), options: { attempts: 1, removeOnComplete: true, removeOnFail: 100 } },
  /**
   * Queues again the digest deliveries Postgres says are owed but that have no job in Redis (a
   * digest stored while Redis was away; a retry lost when Redis came back empty). Scheduled every
   * minute, as alert deliveries are re-queued by alerts.evaluate.
   */
  'digests.redeliver': { queue: 'scheduler', payload: z.object({}), options: { attempts: 1, removeOnComplete: true, removeOnFail: 100 } },
  /** Deletes mentions past each workspace's retentionDays. Scheduled hourly; rollups survive. */
  'mentions.retention': { queue: 'maintenance', payload: z.object({}), options: { attempts: 1, removeOnComplete: true, removeOnFail: 100 } },
} satisfies Record<string, JobDefinition>;

export type Catalogue = typeof catalogue;

/** The fetch job's id for a source: BullMQ refuses a second job with the same id while one exists. */
export const fetchJobId = (sourceId: string) => `fetch-${sourceId}`;
/** A deleted brand's unlink job: one at a time, however often the delete and the tick queue it. */
export const unlinkJobId = (brandId: string) => `unlink-${brandId}`;
