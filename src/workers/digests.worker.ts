import type { Queue } from 'bullmq';
import { deliverDigest, makeDigest, type DigestDeps } from '../domain/digests/digests.usecases.js';
import type { DigestRepository } from '../domain/digests/digests.repository.js';
import type { HttpClient } from '../infra/http/index.js';
import type { Mailer } from '../infra/mail.js';
import type { Catalogue } from './catalogue.js';
import type { Handlers, Queues } from './runtime.js';

const digestSchedulerId = (workspaceId: string) => `digest-${workspaceId}`;

/**
 * One BullMQ job scheduler per workspace, under a fixed id: upserting it again (another
 * scheduler process, a restart, a changed cron) replaces it, never doubles it.
 */
export async function syncDigestSchedule(
  queues: Queues<Catalogue>,
  ws: { id: string; digest_schedule: string; digest_timezone: string },
): Promise<void> {
  const queue = queues.queues.get('digests') as Queue;
  await queue.upsertJobScheduler(
    digestSchedulerId(ws.id),
    { pattern: ws.digest_schedule, tz: ws.digest_timezone },
    { name: 'digests.compose', data: { workspaceId: ws.id }, opts: { attempts: 5, backoff: { type: 'exponential', delay: 30_000 } } },
  );
}

export function digestHandlers(
  deps: DigestDeps & { digestRepository: DigestRepository; http: HttpClient; mailer: Mailer | null; queues: Queues<Catalogue> },
): Pick<Handlers<Catalogue>, 'digests.compose' | 'digests.deliver' | 'digests.reconcile'> {
  return {
    async 'digests.compose'({ workspaceId }, { log, job }) {
      // The run the scheduler made this job for (it was delayed until then): the period ends
      // there, the same for every attempt and process, however late the job is picked up.
      const scheduledAt = new Date(job.timestamp + (job.opts.delay ?? 0));
      const digest = await makeDigest({ ...deps, workspaceId, kind: 'scheduled', scheduledAt });
      if (!digest) return { created: false };
      // Made already, by an earlier attempt of this job that may have failed before it queued the
      // deliveries, or by another scheduler: the channels with no delivery attempt yet are queued
      // (a job id per digest and channel, so one still waiting is not queued twice).
      const attempted = digest.made ? new Set<string>() : new Set((await deps.digestRepository.deliveries(digest.id)).map((d) => d.channel));
      const channels = digest.channels.filter((channel) => !attempted.has(channel));
      for (const channel of channels) await deps.queues.add('digests.deliver', { digestId: digest.id, channel }, { jobId: `digest-${digest.id}-${channel}` });
      log.info({ workspaceId, digestId: digest.id, channels }, digest.made ? 'digest made' : 'digest for this period already made');
      return { created: digest.made, digestId: digest.id };
    },

    async 'digests.deliver'({ digestId, channel }, { log, job }) {
      const result = await deliverDigest({ ...deps, digestId, channel, attempt: job.attemptsMade + 1, now: new Date() });
      log.info({ digestId, channel, ...result }, 'digest delivery attempt');
      if (result.outcome === 'retry') throw new Error(`digest ${channel} delivery failed: ${result.error}`);
      return result;
    },

    async 'digests.reconcile'() {
      const all = await deps.workspaceRepository.digestSchedules();
      for (const ws of all) await syncDigestSchedule(deps.queues, ws);
      return { workspaces: all.length };
    },
  };
}
