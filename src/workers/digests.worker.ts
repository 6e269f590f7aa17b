import type { Queue } from 'bullmq';
import { deliverDigest, makeDigest, type DigestDeps } from '../domain/digests/digests.usecases.js';
import type { DigestRepository } from '../domain/digests/digests.repository.js';
import type { HttpClient } from '../infra/http/index.js';
import type { Mailer } from '../infra/mail.js';
import type { Catalogue } from './catalogue.js';
import type { Handlers, Queues } from './runtime.js';

const SCHEDULER_PREFIX = 'digest-';
const digestSchedulerId = (workspaceId: string) => `${SCHEDULER_PREFIX}${workspaceId}`;
const digestQueue = (queues: Queues<Catalogue>) => queues.queues.get('digests') as Queue;

/**
 * One BullMQ job scheduler per workspace, under a fixed id: upserting it again (another
 * scheduler process, a restart, a changed cron) replaces it, never doubles it. A workspace whose
 * schedule is null (switched off) has none.
 */
export async function syncDigestSchedule(
  queues: Queues<Catalogue>,
  ws: { id: string; digest_schedule: string | null; digest_timezone: string },
): Promise<void> {
  if (ws.digest_schedule === null) {
    await digestQueue(queues).removeJobScheduler(digestSchedulerId(ws.id));
    return;
  }
  await digestQueue(queues).upsertJobScheduler(
    digestSchedulerId(ws.id),
    { pattern: ws.digest_schedule, tz: ws.digest_timezone },
    { name: 'digests.compose', data: { workspaceId: ws.id }, opts: { attempts: 5, backoff: { type: 'exponential', delay: 30_000 } } },
  );
}

/** The workspace ids of the digest schedulers in Redis. */
async function scheduledWorkspaces(queues: Queues<Catalogue>): Promise<string[]> {
  const schedulers = await digestQueue(queues).getJobSchedulers(0, -1);
  return schedulers.filter((s) => s.key.startsWith(SCHEDULER_PREFIX)).map((s) => s.key.slice(SCHEDULER_PREFIX.length));
}

export function digestHandlers(
  deps: DigestDeps & { digestRepository: DigestRepository; http: HttpClient; mailer: Mailer | null; queues: Queues<Catalogue> },
): Pick<Handlers<Catalogue>, 'digests.compose' | 'digests.deliver' | 'digests.reconcile'> {
  return {
    async 'digests.compose'({ workspaceId }, { log, job }) {
      // A deleted workspace's scheduler would fire, and fail five attempts, every period forever.
      if (!(await deps.workspaceRepository.getWorkspace(workspaceId))) {
        await digestQueue(deps.queues).removeJobScheduler(digestSchedulerId(workspaceId));
        log.info({ workspaceId }, 'digest scheduler of a deleted workspace removed');
        return { created: false, workspaceDeleted: true };
      }
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
      // Listed before the workspaces are read: a workspace made in between is among them.
      const scheduled = await scheduledWorkspaces(deps.queues);
      const all = await deps.workspaceRepository.digestSchedules();
      for (const ws of all) await syncDigestSchedule(deps.queues, ws);
      const present = new Set(all.map((ws) => ws.id));
      const orphans = scheduled.filter((id) => !present.has(id));
      for (const id of orphans) await digestQueue(deps.queues).removeJobScheduler(digestSchedulerId(id));
      return { workspaces: all.length, removed: orphans.length };
    },
  };
}
