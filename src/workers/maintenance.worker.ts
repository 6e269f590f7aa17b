import { randomUUID } from 'node:crypto';
import type { Job } from 'bullmq';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { BrandRepository } from '../domain/brands/brands.repository.js';
import { rematchBrand, unlinkBrand } from '../domain/brands/rematch.usecases.js';
import { createRematchRepository } from '../domain/brands/rematch.repository.js';
import type { LinkRepository } from '../domain/mentions/links.repository.js';
import type { RollupRepository } from '../domain/analytics/rollups.repository.js';
import type { DB } from '../infra/db/schema.js';
import type { createHostSlots } from '../infra/host-slots.js';
import type { Catalogue } from './catalogue.js';
import type { Scorer } from '../domain/scoring/scorer.js';
import { planRescore, rescoreRange } from '../domain/mentions/rescore.usecases.js';
import type { WorkspaceRepository } from '../domain/workspaces/workspaces.repository.js';
import { retryShortly, type Handlers, type Queues } from './runtime.js';

type WorkspaceSlots = Pick<ReturnType<typeof createHostSlots>, 'acquire'>;

/**
 * Runs a workspace's rematch or unlink job when no other job of that workspace runs; else puts it
 * back, delayed a moment, and frees its slot. Its batches would wait on the workspace's advisory
 * lock, holding a slot of the maintenance queue meanwhile: one workspace creating hundreds of
 * brands kept every slot waiting on its own lock, and the other workspaces' new brands waited
 * minutes for their history.
 */
function inWorkspaceSlot(slots: WorkspaceSlots) {
  return async <T>(workspaceId: string, job: Job, token: string | undefined, work: () => Promise<T>): Promise<T> => {
    const release = await slots.acquire(workspaceId, job.id ?? randomUUID());
    if (!release) return retryShortly({ job, token });
    try {
      return await work();
    } finally {
      await release().catch(() => {});
    }
  };
}

/** Runs a batched delete until a batch comes back short, so no statement holds locks for long; returns the rows deleted. */
async function inBatches(remove: (limit: number) => Promise<number>, limit = 5000): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await remove(limit);
    total += n;
    if (n < limit) return total;
  }
}

/**
 * Plans a rescore of stored mentions with `model` and queues one job per id range. `run` names the
 * run in the jobs' ids: two runs with one name are one, however many processes queue it (BullMQ
 * keeps one job per id while it exists), and a rescored mention is passed over by a second job
 * that reaches it, so overlapping ranges do no harm.
 */
export async function queueRescore({
  db,
  queues,
  model,
  run,
  since,
  olderOnly,
}: {
  db: Kysely<DB>;
  queues: Queues<Catalogue>;
  model: string;
  run: string;
  since?: Date | undefined;
  olderOnly?: boolean;
}): Promise<{ model: string; mentions: number; jobs: number }> {
  const plan = await planRescore({ db, model, since, olderOnly });
  for (const range of plan.ranges) {
    await queues.add('mentions.rescore', { ...range, ...(since ? { since: since.toISOString() } : {}), ...(olderOnly ? { olderOnly } : {}) }, { jobId: `rescore-${model}-${run}-${range.fromId}` });
  }
  return { model, mentions: plan.mentions, jobs: plan.ranges.length };
}

export function maintenanceHandlers(deps: {
  config: Config;
  db: Kysely<DB>;
  brandRepository: BrandRepository;
  linkRepository: LinkRepository;
  rollupRepository: RollupRepository;
  workspaceRepository: WorkspaceRepository;
  scorer: Scorer;
  workspaceSlots: WorkspaceSlots;
}): Pick<Handlers<Catalogue>, 'brands.rematch' | 'brands.unlink' | 'mentions.purge-raw' | 'mentions.retention' | 'mentions.rescore'> {
  const rematchRepository = createRematchRepository({ db: deps.db });
  const oneAtATime = inWorkspaceSlot(deps.workspaceSlots);
  return {
    async 'brands.rematch'({ workspaceId, brandId }, { log, job, token }) {
      return oneAtATime(workspaceId, job, token, async () => {
        const result = await rematchBrand({ ...deps, rematchRepository, workspaceId, brandId, rawWindowDays: deps.config.RAW_RETENTION_DAYS, now: new Date() });
        // The last line of the job: that it finished, and the links it gained, lost and kept.
        if (!result) log.info({ brandId }, 'brand rematch skipped: the brand was deleted');
        else if ('superseded' in result) log.info({ brandId, ...result }, 'brand query changed during its rematch; the newer version takes over');
        else if (result.previousMatcherVersion !== undefined) log.info({ brandId, ...result }, 'brand rematch after a matcher upgrade finished: its history matched again by the new matcher');
        else log.info({ brandId, ...result }, 'brand rematch finished: its history matched again');
        return result;
      });
    },

    async 'brands.unlink'({ workspaceId, brandId }, { log, job, token }) {
      return oneAtATime(workspaceId, job, token, async () => {
        const cleared = await unlinkBrand({ ...deps, rematchRepository, workspaceId, brandId });
        log.info({ brandId, cleared }, 'deleted brand cleared from mentions');
        return { cleared };
      });
    },

    async 'mentions.purge-raw'(_payload, { log }) {
      const before = new Date(Date.now() - deps.config.RAW_RETENTION_DAYS * 86_400_000);
      const deleted = await inBatches((limit) => rematchRepository.purgeRaw(before, limit));
      if (deleted) log.info({ deleted }, 'unmatched items past the raw window deleted');
      // Live events are kept for the same window: a resume can ask for nothing older.
      const events = await inBatches((limit) => deps.linkRepository.purgeEvents(before, limit));
      if (events) log.info({ events }, 'live events past the raw window deleted');
      return { deleted, events };
    },

    async 'mentions.rescore'({ fromId, toId, since, olderOnly }, { log }) {
      const result = await rescoreRange({ ...deps, fromId, toId, since: since ? new Date(since) : undefined, olderOnly });
      log.info({ fromId, toId, model: deps.scorer.model, ...result }, 'mentions rescored');
      return result;
    },

    async 'mentions.retention'(_payload, { log }) {
      let deleted = 0;
      for (const ws of await deps.workspaceRepository.withRetention()) {
        const before = new Date(Date.now() - ws.retention_days! * 86_400_000);
        deleted += await inBatches((limit) => deps.linkRepository.expire(ws.id, before, limit));
      }
      if (deleted) log.info({ deleted }, 'mentions past their workspace retention deleted');
      return { deleted };
    },
  };
}
