import type { Database } from '../infra/db/database.js';
import type { Logger } from '../logger.js';
import type { Config } from '../config.js';
import { catalogue, type Catalogue } from './catalogue.js';
import type { Handlers, Queues } from './runtime.js';

export interface WorkerDeps {
  config: Config;
  db: Database;
  log: Logger;
  queues: Queues<Catalogue>;
}

/** Every queue's handlers, built from the process's dependencies. */
export function buildHandlers(_deps: WorkerDeps): Handlers<Catalogue> {
  return {};
}

/**
 * Recurring jobs. Each has a fixed scheduler id, so however many scheduler processes upsert
 * it, BullMQ keeps exactly one schedule for the deployment.
 */
export const schedules: Array<{ id: string; everyMs: number; job: keyof Catalogue & string }> = [];

export { catalogue };
