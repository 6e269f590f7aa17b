import type { JobsOptions } from 'bullmq';
import type { z } from 'zod';
import { catalogue, type Catalogue } from './catalogue.js';
import type { Queues } from './runtime.js';

/**
 * Adds a job under its id unless one is alive there (waiting, delayed, active): the sweeps that
 * queue again what Postgres says is owed (an alert still pending, a digest delivery with no
 * ending attempt) must neither double a job at work nor be stopped by a dead one. BullMQ keeps a
 * job that failed for good under its id (a week for deliveries), which makes an add a no-op, and
 * the log may record no end for it (every attempt found Postgres away): that job is removed and
 * the job added anew. Returns whether it was added.
 */
export async function addUnlessAlive<N extends keyof Catalogue & string>(
  queues: Queues<Catalogue>,
  name: N,
  payload: z.infer<Catalogue[N]['payload']>,
  options: JobsOptions & { jobId: string },
): Promise<boolean> {
  const job = await queues.queues.get(catalogue[name].queue)!.getJob(options.jobId);
  if (job) {
    if ((await job.getState()) !== 'failed') return false;
    await job.remove();
  }
  await queues.add(name, payload, options);
  return true;
}
