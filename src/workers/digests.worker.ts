import { createHash } from 'node:crypto';
import { UnrecoverableError, type Queue } from 'bullmq';
import {
  deliverDigest,
  digestRecipients,
  makeDigest,
  sealPlaintextDigestSecrets,
  sweepDigestDeliveries,
  type DigestDelivery,
  type DigestDeps,
} from '../domain/digests/digests.usecases.js';
import { DeliveryRetry, type WebhookSecrets } from '../domain/webhooks/index.js';
import type { DigestRepository } from '../domain/digests/digests.repository.js';
import type { HttpClient } from '../infra/http/index.js';
import type { Mailer } from '../infra/mail.js';
import type { Catalogue } from './catalogue.js';
import { addUnlessAlive } from './requeue.js';
import type { Handlers, Queues } from './runtime.js';

const SCHEDULER_PREFIX = 'digest-';
const digestSchedulerId = (workspaceId: string) => `${SCHEDULER_PREFIX}${workspaceId}`;
const digestQueue = (queues: Queues<Catalogue>) => queues.queues.get('digests') as Queue;

/**
 * One job per digest and webhook, and per digest and recipient, so that one still waiting is not
 * queued twice. An address is hashed (case-folded, as the recipient list dedupes): job ids cannot
 * hold `:`, and need not show it.
 */
export const digestDeliveryJobId = (digestId: string, delivery: DigestDelivery) =>
  delivery.channel === 'webhook' ? `digest-${digestId}-webhook` : `digest-${digestId}-email-${createHash('sha256').update(delivery.to.toLowerCase()).digest('hex').slice(0, 24)}`;

/** Queues the deliveries of a digest, each its own job with its own retries. */
export async function queueDigestDeliveries(queues: Queues<Catalogue>, digestId: string, deliveries: readonly DigestDelivery[]): Promise<void> {
  for (const delivery of deliveries) await queues.add('digests.deliver', { digestId, ...delivery }, { jobId: digestDeliveryJobId(digestId, delivery) });
}

/**
 * Queues again the deliveries Postgres says are owed (sweepDigestDeliveries), under the job ids
 * they were first queued with: a job still there (waiting, delayed for its retry, running) is
 * left alone, and one that failed for good without the log recording an end is replaced
 * (addUnlessAlive). The attempt count goes on from the deliveries log. Returns the deliveries
 * queued again.
 */
export async function requeueDigestDeliveries(queues: Queues<Catalogue>, owed: ReadonlyArray<{ digestId: string; delivery: DigestDelivery }>) {
  const requeued: Array<{ digestId: string; delivery: DigestDelivery }> = [];
  for (const { digestId, delivery } of owed) {
    if (await addUnlessAlive(queues, 'digests.deliver', { digestId, ...delivery }, { jobId: digestDeliveryJobId(digestId, delivery) })) requeued.push({ digestId, delivery });
  }
  return requeued;
}

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
  // Upserting a cron scheduler whose run is due but not yet taken (the workers busy or down at
  // that minute) moves it to the next period: that run's digest would never be made. So a
  // schedule already in place as asked is left alone; only a missing or changed one is written.
  const existing = await digestQueue(queues).getJobScheduler(digestSchedulerId(ws.id));
  if (existing && existing.pattern === ws.digest_schedule && existing.tz === ws.digest_timezone) return;
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

const deliveryKey = (d: DigestDelivery) => (d.channel === 'webhook' ? 'webhook' : `email:${d.to.toLowerCase()}`);

export function digestHandlers(
  deps: DigestDeps & { digestRepository: DigestRepository; http: HttpClient; mailer: Mailer | null; queues: Queues<Catalogue>; webhookSecrets: WebhookSecrets },
): Pick<Handlers<Catalogue>, 'digests.compose' | 'digests.deliver' | 'digests.reconcile' | 'digests.redeliver'> {
  return {
    async 'digests.compose'({ workspaceId }, { log, job }) {
      // A deleted workspace's scheduler would fire, and fail five attempts, every period forever.
      const ws = await deps.workspaceRepository.getWorkspace(workspaceId);
      if (!ws) {
        await digestQueue(deps.queues).removeJobScheduler(digestSchedulerId(workspaceId));
        log.info({ workspaceId }, 'digest scheduler of a deleted workspace removed');
        return { created: false, workspaceDeleted: true };
      }
      // The run the scheduler made this job for (it was delayed until then): the period ends
      // there, the same for every attempt and process, however late the job is picked up.
      const scheduledAt = new Date(job.timestamp + (job.opts.delay ?? 0));
      const digest = await makeDigest({ ...deps, workspaceId, kind: 'scheduled', scheduledAt });
      if (!digest) return { created: false };
      // Once per digest (a retry finds it made): the operator's to fix, and no failure to retry.
      if (digest.made && digest.document.email?.reason === 'smtp_not_configured') {
        log.warn(
          { workspaceId, digestId: digest.id, recipients: ws.digest_recipients.length },
          "digest not e-mailed to the workspace's digestRecipients: SMTP_URL is not set on this server; set it to e-mail digests",
        );
      }
      // Made already, by an earlier attempt of this job that may have failed before it queued the
      // deliveries, or by another scheduler: the deliveries with no attempt yet are queued, to
      // the recipients stored with the digest (a job id per digest and webhook or recipient, so
      // one still waiting is not queued twice).
      const attempted = digest.made ? new Set<string>() : new Set((await deps.digestRepository.deliveries(digest.id)).map((d) => deliveryKey(d.channel === 'email' ? { channel: 'email', to: d.target } : { channel: 'webhook' })));
      const deliveries = digest.deliveries.filter((d) => !attempted.has(deliveryKey(d)));
      await queueDigestDeliveries(deps.queues, digest.id, deliveries);
      log.info({ workspaceId, digestId: digest.id, deliveries: deliveries.length }, digest.made ? 'digest made' : 'digest for this period already made');
      return { created: digest.made, digestId: digest.id };
    },

    async 'digests.deliver'(payload, { log, job }) {
      const { digestId } = payload;
      if (payload.channel === 'email' && payload.to === undefined) {
        const recipients = await digestRecipients({ ...deps, digestId });
        await queueDigestDeliveries(deps.queues, digestId, recipients.map((to) => ({ channel: 'email' as const, to })));
        log.info({ digestId, recipients: recipients.length }, 'digest e-mail queued per recipient');
        return { outcome: 'queued per recipient' };
      }
      const delivery: DigestDelivery = payload.channel === 'email' ? { channel: 'email', to: payload.to! } : { channel: 'webhook' };
      const result = await deliverDigest({ ...deps, ...delivery, digestId, attempt: job.attemptsMade + 1, now: new Date() });
      // The job logger carries BullMQ's `attempt`; `deliveryAttempt` is the deliveries log's.
      const { attempt: deliveryAttempt, ...outcome } = result;
      log.info({ digestId, channel: delivery.channel, deliveryAttempt, ...outcome }, 'digest delivery attempt');
      // A retry hands the job back to BullMQ for the schedule's delay after this attempt by the
      // deliveries log's count (DeliveryRetry); a final failure (a 5xx refusal, or the last attempt)
      // is kept as a failed job, and not tried again.
      if (result.outcome === 'retry') throw new DeliveryRetry(`digest ${delivery.channel} delivery failed: ${result.error}`, deliveryAttempt ?? job.attemptsMade + 1);
      if (result.outcome === 'failed') throw new UnrecoverableError(`digest ${delivery.channel} delivery failed for good: ${result.error}`);
      return result;
    },

    async 'digests.reconcile'(_payload, { log }) {
      // Listed before the workspaces are read: a workspace made in between is among them.
      const scheduled = await scheduledWorkspaces(deps.queues);
      const all = await deps.workspaceRepository.digestSchedules();
      for (const ws of all) await syncDigestSchedule(deps.queues, ws);
      const present = new Set(all.map((ws) => ws.id));
      const orphans = scheduled.filter((id) => !present.has(id));
      for (const id of orphans) await digestQueue(deps.queues).removeJobScheduler(digestSchedulerId(id));
      // Digest webhook secrets stored before the server had a SECRET_KEY: sealed, a batch a run.
      const sealed = await sealPlaintextDigestSecrets(deps);
      if (sealed) log.info({ workspaces: sealed }, 'digest webhook signing secrets sealed with SECRET_KEY');
      return { workspaces: all.length, removed: orphans.length, sealed };
    },

    async 'digests.redeliver'(_payload, { log }) {
      const { owed, ended } = await sweepDigestDeliveries({ ...deps, now: new Date() });
      const requeued = await requeueDigestDeliveries(deps.queues, owed);
      // Each is a delivery Redis never got or lost (stored while it was away, or a retry lost in
      // an empty restart): worth the operator's knowing, and it is rare.
      if (requeued.length) {
        const digestIds = [...new Set(requeued.map((r) => r.digestId))];
        log.warn(
          { deliveries: requeued.length, digestIds: digestIds.slice(0, 20) },
          'digest deliveries owed with no job in Redis (stored while it was away, or lost in an empty restart): queued again',
        );
      }
      return { owed: owed.length, requeued: requeued.length, ended };
    },
  };
}
