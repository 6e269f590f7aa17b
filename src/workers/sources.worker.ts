import type { Redis } from 'ioredis';
import { pollSource, type PollDeps } from '../domain/sources/poll.usecases.js';
import type { SourceRepository } from '../domain/sources/sources.repository.js';
import type { BrandRepository } from '../domain/brands/brands.repository.js';
import { fetchJobId, unlinkJobId, type Catalogue } from './catalogue.js';
import { retryShortly, type Handlers, type Queues } from './runtime.js';
import type { Config } from '../config.js';
import { createFetchShares } from '../infra/fetch-shares.js';
import { HOST_SLOT_LEASE_MS, type HostSlots } from '../infra/host-slots.js';

/** Sources enqueued per tick at most; the rest wait for the next tick (sourceRepository.due says which go first). */
const TICK_BATCH = 1000;
/**
 * A quick upstream request (a 304, a small JSON page). A host's share of a tick is what its
 * politeness slots could poll before the next tick at that pace: a backlogged host never runs dry
 * between ticks, and its surplus (jobs beyond HOST_CONCURRENCY cycle through host-busy delays,
 * each a job run and a source read) stays a few dozen instead of the whole batch. At the defaults
 * (2 slots, 10 s ticks) that is 80 per host.
 */
const FAST_REQUEST_MS = 250;

export function sourcesHandlers(
  deps: PollDeps & {
    sourceRepository: SourceRepository;
    brandRepository: BrandRepository;
    queues: Queues<Catalogue>;
    redis: Redis;
    hostSlots: Pick<HostSlots, 'keyOf' | 'perHost'>;
    config: Pick<Config, 'HOST_CONCURRENCY' | 'SCHEDULER_TICK_MS' | 'WORKER_CONCURRENCY' | 'QUEUE_PREFIX'>;
  },
): Pick<
  Handlers<Catalogue>,
  'sources.tick' | 'sources.fetch'
> {
  // Fair shares of the fetch slots between workspaces (fetch-shares.ts). A waiting mark outlives
  // one late tick; a turn outlives its worker as long as a host slot does.
  const workspaceShares = createFetchShares({
    redis: deps.redis,
    prefix: deps.config.QUEUE_PREFIX,
    slots: deps.config.WORKER_CONCURRENCY,
    leaseMs: HOST_SLOT_LEASE_MS,
    demandMs: 2 * deps.config.SCHEDULER_TICK_MS,
    hostSlots: deps.hostSlots,
    log: deps.log,
  });
  return {
    async 'sources.tick'(_payload, { log }) {
      const perHost = deps.config.HOST_CONCURRENCY * Math.ceil(deps.config.SCHEDULER_TICK_MS / FAST_REQUEST_MS);
      // Workspaces in turn (due's order): one workspace's backlog does not queue ahead of another's.
      const due = await deps.sourceRepository.due(new Date(), { limit: TICK_BATCH, perHost });
      // Marked before they are queued, so that a fetch starting at once finds its mark to clear.
      await workspaceShares.queued(due.map((s) => ({ workspaceId: s.workspace_id, sourceId: s.id, host: s.host })));
      await deps.queues.addBulk('sources.fetch', due.map(({ id }) => ({ payload: { sourceId: id }, options: { jobId: fetchJobId(id) } })));
      // Brands created or re-queried since their history was last matched (at least once, by version).
      const pending = await deps.brandRepository.pendingRematch(TICK_BATCH);
      await deps.queues.addBulk(
        'brands.rematch',
        pending.map((b) => ({ payload: { workspaceId: b.workspace_id, brandId: b.id }, options: { jobId: `rematch-${b.id}-${b.query_version}` } })),
      );
      // Deleted brands whose id is still on mentions: the delete's own enqueue may have failed.
      const unlinks = await deps.brandRepository.pendingUnlinks(TICK_BATCH);
      await deps.queues.addBulk(
        'brands.unlink',
        unlinks.map((u) => ({ payload: { workspaceId: u.workspace_id, brandId: u.brand_id }, options: { jobId: unlinkJobId(u.brand_id) } })),
      );
      if (due.length || pending.length || unlinks.length) log.debug({ due: due.length, rematches: pending.length, unlinks: unlinks.length }, 'work enqueued');
      return { enqueued: due.length, rematches: pending.length, unlinks: unlinks.length };
    },

    async 'sources.fetch'({ sourceId, requested }, { log, job, token }) {
      const outcome = await pollSource({ ...deps, workspaceShares, log, sourceId, now: new Date(), onlyIfDue: !requested });
      if (outcome.outcome === 'host_busy') {
        // Politeness: the host already has its share of requests in flight; try again shortly.
        return retryShortly({ job, token });
      }
      if (outcome.outcome === 'workspace_busy') {
        // Fairness: the workspace holds its share of fetch slots while another waits; this slot
        // goes to the next job, and this fetch comes back shortly.
        log.debug({ sourceId }, "fetch gave way: its workspace holds its share of fetch slots while another workspace waits");
        return retryShortly({ job, token });
      }
      if (outcome.outcome === 'polled') log.info({ sourceId, ...outcome }, 'source polled');
      return outcome;
    },
  };
}
