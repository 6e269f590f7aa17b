import { UnrecoverableError } from 'bullmq';
import type { Kysely } from 'kysely';
import type { AlertRepository } from '../domain/alerts/alerts.repository.js';
import { deliverAlert, evaluateRule, sealPlaintextRuleSecrets } from '../domain/alerts/alerts.usecases.js';
import type { BrandRepository } from '../domain/brands/brands.repository.js';
import { delayFromLog, DeliveryRetry, type WebhookSecrets } from '../domain/webhooks/index.js';
import type { DB } from '../infra/db/schema.js';
import type { HttpClient } from '../infra/http/index.js';
import type { Catalogue } from './catalogue.js';
import { addUnlessAlive } from './requeue.js';
import type { Handlers, Queues } from './runtime.js';

/** One delivery job per alert, under the alert's id. */
const deliveryJobId = (alertId: string) => `deliver-${alertId}`;

export function alertHandlers(deps: {
  db: Kysely<DB>;
  http: HttpClient;
  alertRepository: AlertRepository;
  brandRepository: BrandRepository;
  queues: Queues<Catalogue>;
  webhookSecrets: WebhookSecrets;
}): Pick<Handlers<Catalogue>, 'alerts.evaluate' | 'alerts.deliver'> {
  const deliver = (alertId: string) => deps.queues.add('alerts.deliver', { alertId }, { jobId: deliveryJobId(alertId) });
  return {
    async 'alerts.evaluate'(_payload, { log }) {
      const now = new Date();
      let opened = 0;
      for (const ruleId of await deps.alertRepository.enabledRuleIds()) {
        const result = await evaluateRule({ ...deps, ruleId, now });
        if (result.toDeliver) {
          opened++;
          log.info({ ruleId, alertId: result.toDeliver, action: result.action }, 'alert event recorded');
          await deliver(result.toDeliver);
        }
      }
      // An alert stored while Redis was away still goes out, and so does one whose job Redis lost
      // or whose job failed for good with no ending attempt logged (every attempt found Postgres
      // away): a job alive under its id is left alone, a failed one replaced (addUnlessAlive).
      // Read just before a delivery committed, an alert can be added again once that job was
      // removed; deliverAlert then finds it no longer pending and sends nothing. One queued again
      // after attempts waits what the schedule says after the attempts logged, counted from the
      // last: the new job's own count starts over.
      let requeued = 0;
      for (const pending of await deps.alertRepository.pendingAlerts(now)) {
        const delay = delayFromLog({ attempts: pending.attempts, lastAttemptAt: pending.lastAttemptAt, now }) ?? 0;
        if (await addUnlessAlive(deps.queues, 'alerts.deliver', { alertId: pending.id }, { jobId: deliveryJobId(pending.id), ...(delay ? { delay } : {}) })) requeued++;
      }
      if (requeued) log.warn({ alerts: requeued }, 'pending alerts with no live delivery job in Redis (stored while it was away, lost, or failed without an ending attempt): queued again');
      // Rules stored before the server had a SECRET_KEY: their secrets sealed, a batch a run.
      const sealed = await sealPlaintextRuleSecrets(deps);
      if (sealed) log.info({ rules: sealed }, 'alert rule signing secrets sealed with SECRET_KEY');
      return { opened, requeued, sealed };
    },

    async 'alerts.deliver'({ alertId }, { log, job }) {
      const result = await deliverAlert({ ...deps, alertId, attempt: job.attemptsMade + 1, now: new Date() });
      // The job logger carries BullMQ's `attempt`; `deliveryAttempt` is the one the deliveries log
      // records, which goes on counting when a job is made anew.
      const attempt = 'attempt' in result ? result.attempt : job.attemptsMade + 1;
      log.info(
        {
          alertId,
          deliveryAttempt: attempt,
          outcome: result.outcome,
          status: 'status' in result ? result.status : null,
          latencyMs: 'latencyMs' in result ? result.latencyMs : null,
          ...('error' in result && result.error ? { error: result.error } : {}),
        },
        'webhook attempt',
      );
      // Throwing hands the job back to BullMQ, which waits the schedule's delay after this attempt
      // by the deliveries log's count (DeliveryRetry); the last attempt by that count ends the job
      // as failed whatever BullMQ counted.
      const failure = `webhook attempt ${attempt} failed: ${'status' in result ? (result.status ?? result.error ?? 'no answer') : 'no answer'}`;
      if (result.outcome === 'retry') throw new DeliveryRetry(failure, attempt);
      if (result.outcome === 'failed') throw new UnrecoverableError(failure);
      return result;
    },
  };
}
