import { randomUUID } from 'node:crypto';
import type { Services } from '../services.js';
import { catalogue, type Catalogue } from './catalogue.js';
import { maintenanceHandlers } from './maintenance.worker.js';
import { alertHandlers } from './alerts.worker.js';
import { digestHandlers } from './digests.worker.js';
import type { Handlers } from './runtime.js';
import { sourcesHandlers } from './sources.worker.js';

/** Every queue's handlers, built from the process's services. */
export function buildHandlers(services: Services): Handlers<Catalogue> {
  return {
    ...sourcesHandlers({
      ...services,
      openCredentials: services.secretBox ? (sealed) => services.secretBox!.open(sealed) : null,
      plainHttpCredentials: services.config.ALLOW_PRIVATE_NETWORKS,
      acquireHost: (host) => services.hostSlots.acquire(host, randomUUID()),
      publish: (workspaceId, mentions) => services.publisher.publish(workspaceId, mentions),
    }),
    ...maintenanceHandlers(services),
    ...alertHandlers(services),
    ...digestHandlers(services),
  };
}

/**
 * Recurring jobs. Each has a fixed scheduler id, so however many scheduler processes upsert
 * it, BullMQ keeps exactly one schedule for the deployment.
 */
export function schedules(services: Services): Array<{ id: string; everyMs: number; job: keyof Catalogue & string }> {
  return [
    { id: 'sources-tick', everyMs: services.config.SCHEDULER_TICK_MS, job: 'sources.tick' },
    { id: 'purge-raw', everyMs: 3600_000, job: 'mentions.purge-raw' },
    { id: 'retention', everyMs: 3600_000, job: 'mentions.retention' },
    { id: 'alerts-evaluate', everyMs: services.config.ALERT_EVALUATION_MS, job: 'alerts.evaluate' },
    { id: 'digests-reconcile', everyMs: 600_000, job: 'digests.reconcile' },
    { id: 'digests-redeliver', everyMs: 60_000, job: 'digests.redeliver' },
  ];
}

export { catalogue };
