import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../infra/db/schema.js';
import type { JsonValue } from '../../connectors/connector.types.js';
import type { SourceType } from '../items/item.types.js';
import { isUuid, type CreatedAfter } from '../pagination/cursor.js';
import { newestFirst } from '../pagination/keyset.js';
import { sourceIdentity } from './sources.identity.js';

const columns = [
  'id',
  'workspace_id',
  'type',
  'config',
  'identity',
  'host',
  'interval_seconds',
  'enabled',
  'disabled_reason',
  'next_fetch_at',
  'last_fetched_at',
  'last_succeeded_at',
  'last_status',
  'last_error',
  'last_items_read',
  'last_items_new',
  'last_items_matched',
  'consecutive_failures',
  'upstream_wait_until',
  'first_polled_at',
  'created_at',
  'updated_at',
] as const;

/** The row's `updated_at` is still the one read (a JavaScript Date holds milliseconds, Postgres microseconds). */
const unchangedSince = (readAt: Date) => sql<boolean>`date_trunc('milliseconds', updated_at) = ${readAt}`;

export function createSourceRepository({ db }: { db: Kysely<DB> }) {
  return {
    async insert(values: {
      workspaceId: string;
      type: string;
      config: Record<string, unknown>;
      credentials: string | null;
      host: string;
      intervalSeconds: number;
      enabled: boolean;
    }) {
      return db
        .insertInto('sources')
        .values({
          workspace_id: values.workspaceId,
          type: values.type,
          config: JSON.stringify(values.config),
          // Every source written has one, whoever writes it (a test, a script): see sources.identity.ts.
          identity: sourceIdentity(values.type as SourceType, values.config),
          credentials: values.credentials,
          host: values.host,
          interval_seconds: values.intervalSeconds,
          enabled: values.enabled,
        })
        .returning([...columns, 'credentials'])
        .executeTakeFirstOrThrow();
    },

    async get(workspaceId: string, id: string) {
      if (!isUuid(id)) return undefined;
      return db
        .selectFrom('sources')
        .select([...columns, 'credentials'])
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .executeTakeFirst();
    },

    /**
     * The workspace's sources that may poll what `identity` names, oldest first: the one stored
     * with it, and those stored without one (sources from before identities, whose owner must
     * compare their config). Never another workspace's.
     */
    async sameTarget(workspaceId: string, { identity, type, exceptId }: { identity: string; type: string; exceptId?: string }) {
      return db
        .selectFrom('sources')
        .select(['id', 'type', 'config', 'identity'])
        .where('workspace_id', '=', workspaceId)
        .where((eb) => eb.or([eb('identity', '=', identity), eb.and([eb('identity', 'is', null), eb('type', '=', type)])]))
        .$if(exceptId !== undefined, (q) => q.where('id', '!=', exceptId!))
        .orderBy('created_at')
        .orderBy('id')
        .execute();
    },

    /** For the fetch job: everything, including the sealed credentials and the connector state. */
    /** A source with what a poll needs besides: its credentials, its state and its workspace's retention. */
    async getForPoll(id: string) {
      if (!isUuid(id)) return undefined;
      return db
        .selectFrom('sources')
        .select([...columns, 'credentials', 'state'])
        .select((eb) => eb.selectFrom('workspaces').select('retention_days').whereRef('workspaces.id', '=', 'sources.workspace_id').as('retention_days'))
        .where('id', '=', id)
        .executeTakeFirst();
    },

    async list(workspaceId: string, page: { limit: number; after?: CreatedAfter }) {
      const q = db.selectFrom('sources').select([...columns, 'credentials']).where('workspace_id', '=', workspaceId);
      return newestFirst(q, page).execute();
    },

    async update(
      workspaceId: string,
      id: string,
      patch: Partial<{
        /**
         * A new config, with what it polls (sources.identity.ts), so the stored identity never lags
         * behind it; null for a source stored before identities that still polls what it did. The
         * same target spelled another way keeps the poll state (validators, cursors).
         */
        target: { config: Record<string, unknown>; identity: string | null };
        credentials: string | null;
        host: string;
        intervalSeconds: number;
        enabled: boolean;
        nextFetchAt: Date;
        /** Forget the health of what the source pointed at or signed in with before. */
        resetHealth: true;
        /**
         * A new URL or query: its poll state is dropped, and its first poll is its backlog
         * (history, not news), as a new source's is.
         */
        newTarget: true;
      }>,
      /** The `updated_at` the edit was computed from: a row edited since is left alone (undefined is returned). */
      { readAt }: { readAt?: Date } = {},
    ) {
      if (!isUuid(id)) return undefined;
      const now = new Date();
      const write = (executor: Kysely<DB>) =>
        executor
          .updateTable('sources')
          .set({
            ...(patch.target !== undefined ? { config: JSON.stringify(patch.target.config), identity: patch.target.identity } : {}),
            ...(patch.resetHealth
              ? {
                  last_fetched_at: null,
                  last_succeeded_at: null,
                  last_status: null,
                  last_error: null,
                  last_items_read: null,
                  last_items_new: null,
                  last_items_matched: null,
                  consecutive_failures: 0,
                  upstream_wait_until: null,
                  disabled_reason: null,
                }
              : {}),
            ...(patch.newTarget ? { state: null, first_polled_at: null } : {}),
            ...(patch.credentials !== undefined ? { credentials: patch.credentials } : {}),
            ...(patch.host !== undefined ? { host: patch.host } : {}),
            ...(patch.intervalSeconds !== undefined ? { interval_seconds: patch.intervalSeconds } : {}),
            ...(patch.enabled !== undefined
              ? { enabled: patch.enabled, ...(patch.enabled ? { disabled_reason: null, consecutive_failures: 0 } : {}) }
              : {}),
            ...(patch.nextFetchAt !== undefined ? { next_fetch_at: patch.nextFetchAt } : {}),
            updated_at: now,
          })
          .where('workspace_id', '=', workspaceId)
          .where('id', '=', id)
          .$if(readAt !== undefined, (q) => q.where(unchangedSince(readAt!)))
          .returning([...columns, 'credentials'])
          .executeTakeFirst();
      if (!patch.resetHealth) return write(db);
      // The failing stretch was the old target's (or the old credentials'): it ends with the edit,
      // or the trends would mark the new target's buckets as gaps until its first success.
      return db.transaction().execute(async (trx) => {
        const row = await write(trx);
        if (row) await trx.updateTable('source_outages').set({ ended_at: now }).where('source_id', '=', id).where('ended_at', 'is', null).execute();
        return row;
      });
    },

    async delete(workspaceId: string, id: string): Promise<boolean> {
      if (!isUuid(id)) return false;
      const res = await db.deleteFrom('sources').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
      return res.numDeletedRows > 0n;
    },

    /**
     * Enabled sources whose time has come: at most `perHost` of each host (its oldest) and `limit`
     * in all, the workspaces in turn. Every source of a host beyond what its politeness slots can
     * poll only cycles through host-busy delays, so one host's backlog must not fill the batch
     * while other hosts sit idle; nor may one workspace's backlog, while other workspaces wait.
     * When the shares overflow the batch, each workspace gets its n-th before any gets its n+1-th,
     * a workspace's own taken as the hosts' shares are (each of its hosts its oldest before any
     * host more, then by age), so every host and every workspace with due sources is polled each
     * tick. The batch comes in rounds, each workspace's oldest not yet taken per round, oldest
     * first within a round: fetches run in the order they are queued, so a workspace with one due
     * source waits behind one of another's, not behind its backlog.
     */
    async due(now: Date, { limit, perHost }: { limit: number; perHost: number }) {
      // Reads every due row (through the partial index `sources_due`): O(due) per tick.
      const byHost = db
        .selectFrom('sources')
        .select((eb) => [
          'id',
          'workspace_id',
          'host',
          'next_fetch_at',
          eb.fn
            .agg<string>('row_number')
            .over((ob) => ob.partitionBy('host').orderBy('next_fetch_at').orderBy('id'))
            .as('host_rank'),
        ])
        .where('enabled', '=', true)
        .where('next_fetch_at', '<=', now);
      const byWorkspace = db
        .selectFrom(byHost.as('by_host'))
        .select((eb) => [
          'id',
          'workspace_id',
          'host',
          'next_fetch_at',
          eb.fn
            .agg<string>('row_number')
            .over((ob) => ob.partitionBy('workspace_id').orderBy('host_rank').orderBy('next_fetch_at').orderBy('id'))
            .as('pick_rank'),
        ])
        .where('host_rank', '<=', String(perHost));
      const picked = db
        .selectFrom(byWorkspace.as('by_workspace'))
        .select(['id', 'workspace_id', 'host', 'next_fetch_at'])
        .orderBy('pick_rank')
        .orderBy('next_fetch_at')
        .orderBy('id')
        .limit(limit);
      return db
        .selectFrom(picked.as('picked'))
        .select(['id', 'workspace_id', 'host', 'next_fetch_at'])
        .orderBy((eb) => eb.fn.agg<string>('row_number').over((ob) => ob.partitionBy('workspace_id').orderBy('next_fetch_at').orderBy('id')))
        .orderBy('next_fetch_at')
        .orderBy('id')
        .execute();
    },

    /**
     * The poll's result, unless the source was edited while it was in flight (`readAt`, when
     * given: the `updated_at` the poll read): a new URL or interval must not be overwritten by the
     * old one's validators and schedule. Returns whether it was recorded.
     */
    async recordSuccess(
      trx: Transaction<DB>,
      id: string,
      values: {
        now: Date;
        status: number | null;
        state: JsonValue | null;
        nextFetchAt: Date;
        readAt?: Date;
        /** What failed of a poll that stored the rest (PollResult.partialFailure); null or absent for a whole success. */
        error?: string | null;
        /** The poll's items: in the answer, new to the workspace, and of those, matched to a brand. */
        counts: { read: number; new: number; matched: number };
      },
    ): Promise<boolean> {
      const res = await trx
        .updateTable('sources')
        .set((eb) => ({
          state: JSON.stringify(values.state),
          last_fetched_at: values.now,
          last_succeeded_at: values.now,
          last_status: values.status,
          last_error: values.error?.slice(0, 1000) ?? null,
          last_items_read: values.counts.read,
          last_items_new: values.counts.new,
          last_items_matched: values.counts.matched,
          consecutive_failures: 0,
          upstream_wait_until: null,
          next_fetch_at: values.nextFetchAt,
          first_polled_at: eb.fn.coalesce('first_polled_at', eb.val(values.now)),
        }))
        .where('id', '=', id)
        .$if(values.readAt !== undefined, (q) => q.where(unchangedSince(values.readAt!)))
        .executeTakeFirst();
      if (res.numUpdatedRows === 0n) return false;
      // A success ends the source's failing stretch, if one is open.
      await trx.updateTable('source_outages').set({ ended_at: values.now }).where('source_id', '=', id).where('ended_at', 'is', null).execute();
      return true;
    },

    /** As recordSuccess: nothing is recorded over an edit made while the poll was in flight. */
    async recordFailure(
      id: string,
      values: {
        now: Date;
        status: number | null;
        error: string;
        nextFetchAt: Date;
        /** The end of the wait the upstream asked for (schedule.ts upstreamWaitUntil); none when left out. */
        upstreamWaitUntil?: Date | null;
        disable: boolean;
        readAt?: Date;
      },
    ): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable('sources')
          .set((eb) => ({
            last_fetched_at: values.now,
            last_status: values.status,
            last_error: values.error.slice(0, 1000),
            consecutive_failures: eb('consecutive_failures', '+', 1),
            next_fetch_at: values.nextFetchAt,
            upstream_wait_until: values.upstreamWaitUntil ?? null,
            ...(values.disable ? { enabled: false, disabled_reason: values.error.slice(0, 1000) } : {}),
          }))
          .where('id', '=', id)
          .$if(values.readAt !== undefined, (q) => q.where(unchangedSince(values.readAt!)))
          .returning(['workspace_id'])
          .executeTakeFirst();
        // The first failure of a stretch opens an outage; analytics mark its buckets as gaps.
        if (row) {
          await trx
            .insertInto('source_outages')
            .values({ source_id: id, workspace_id: row.workspace_id, started_at: values.now })
            .onConflict((oc) => oc.column('source_id').where('ended_at', 'is', null).doNothing())
            .execute();
        }
      });
    },
  };
}

export type SourceRepository = ReturnType<typeof createSourceRepository>;
export type SourceRow = NonNullable<Awaited<ReturnType<SourceRepository['get']>>>;
