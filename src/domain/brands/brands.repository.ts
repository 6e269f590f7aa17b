import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../infra/db/schema.js';
import { isUuid, type CreatedAfter } from '../pagination/cursor.js';
import { newestFirst } from '../pagination/keyset.js';

const columns = ['id', 'workspace_id', 'name', 'role', 'query', 'query_version', 'created_at', 'updated_at'] as const;

export type BrandRole = 'own' | 'competitor';

export function createBrandRepository({ db }: { db: Kysely<DB> }) {
  return {
    async insert(values: { workspaceId: string; name: string; role: BrandRole; query: string }) {
      return db
        .insertInto('brands')
        .values({ workspace_id: values.workspaceId, name: values.name, role: values.role, query: values.query })
        .returning(columns)
        .executeTakeFirstOrThrow();
    },

    async get(workspaceId: string, id: string) {
      if (!isUuid(id)) return undefined;
      return db.selectFrom('brands').select(columns).where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
    },

    async list(workspaceId: string, page: { limit: number; after?: CreatedAfter }) {
      const q = db.selectFrom('brands').select(columns).where('workspace_id', '=', workspaceId);
      return newestFirst(q, page).execute();
    },

    /**
     * Changes whenever a brand is created, changed or deleted: the key of a compiled matcher.
     * The latest change is read to the microsecond, so two edits within a millisecond differ.
     * `executor`: a transaction that must see the brands as it does.
     */
    async version(workspaceId: string, executor: Kysely<DB> | Transaction<DB> = db): Promise<string> {
      const row = await executor
        .selectFrom('brands')
        .select((eb) => [eb.fn.countAll<number>().as('n'), sql<string | null>`max(updated_at)::text`.as('latest')])
        .where('workspace_id', '=', workspaceId)
        .executeTakeFirstOrThrow();
      return `${row.n}:${row.latest ?? 0}`;
    },

    /** Every brand of a workspace, for compiling its matcher. */
    async all(workspaceId: string) {
      return db.selectFrom('brands').select(columns).where('workspace_id', '=', workspaceId).orderBy('created_at').execute();
    },

    async update(workspaceId: string, id: string, patch: { name?: string; role?: BrandRole; query?: string }) {
      if (!isUuid(id)) return undefined;
      return db
        .updateTable('brands')
        .set((eb) => ({
          ...patch,
          updated_at: new Date(),
          ...(patch.query !== undefined ? { query_version: eb('query_version', '+', 1) } : {}),
        }))
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .returning(columns)
        .executeTakeFirst();
    },

    /** Brands whose history has not been matched at their current query yet. */
    async pendingRematch(limit: number) {
      return db
        .selectFrom('brands')
        .select(['id', 'workspace_id', 'query_version'])
        .whereRef('matched_version', '<', 'query_version')
        // Longest waiting first, when more are pending than one tick enqueues.
        .orderBy('updated_at')
        .limit(limit)
        .execute();
    },

    /** The brand's history is matched at `queryVersion`, by the matcher of `matcherVersion`. */
    async markMatched(id: string, { queryVersion, matcherVersion }: { queryVersion: number; matcherVersion: number }): Promise<void> {
      await db
        .updateTable('brands')
        .set((eb) => ({
          matched_version: eb.fn('greatest', [eb.ref('matched_version'), eb.val(queryVersion)]),
          matcher_version: eb.fn('greatest', [eb.ref('matcher_version'), eb.val(matcherVersion)]),
        }))
        .where('id', '=', id)
        .execute();
    },

    /**
     * Brands whose history an older matcher than `matcherVersion` went over last, and that no
     * rematch is pending for (one pending runs with the current matcher anyway).
     */
    async matchedByOlderMatcher(matcherVersion: number) {
      return db
        .selectFrom('brands')
        .select(['id', 'query'])
        .where('matcher_version', '<', matcherVersion)
        .whereRef('matched_version', '>=', 'query_version')
        .orderBy('id')
        .execute();
    },

    /**
     * Has these brands' history matched again at their current query, as a query edit does: their
     * query_version goes up, and the tick queues the rematch (query, name and updated_at stay, so
     * compiled matchers and polls in flight are untouched). Only brands still as
     * matchedByOlderMatcher read them: several schedulers starting at once raise each brand once,
     * and one edited meanwhile is rematched for its edit. Returns how many were raised.
     */
    async requestRematch(ids: readonly string[], matcherVersion: number): Promise<number> {
      if (!ids.length) return 0;
      const res = await db
        .updateTable('brands')
        .set((eb) => ({ query_version: eb('query_version', '+', 1) }))
        .where('id', '=', sql<never>`any(${ids}::uuid[])`)
        .where('matcher_version', '<', matcherVersion)
        .whereRef('matched_version', '>=', 'query_version')
        .executeTakeFirst();
      return Number(res.numUpdatedRows);
    },

    /**
     * Deletes a brand (its links and rollups cascade) and, in the same transaction, records that
     * its id is still to be cleared from the mentions that carried it (`brands.unlink`).
     */
    async delete(workspaceId: string, id: string): Promise<boolean> {
      if (!isUuid(id)) return false;
      return db.transaction().execute(async (trx) => {
        const res = await trx.deleteFrom('brands').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
        if (res.numDeletedRows === 0n) return false;
        await trx.insertInto('brand_unlinks').values({ brand_id: id, workspace_id: workspaceId }).onConflict((oc) => oc.doNothing()).execute();
        return true;
      });
    },

    /** Deleted brands whose id is still to be cleared from mentions, longest waiting first. */
    async pendingUnlinks(limit: number) {
      return db.selectFrom('brand_unlinks').select(['brand_id', 'workspace_id']).orderBy('deleted_at').limit(limit).execute();
    },

    /** The deleted brand's id is gone from every mention. */
    async unlinked(brandId: string): Promise<void> {
      await db.deleteFrom('brand_unlinks').where('brand_id', '=', brandId).execute();
    },
  };
}

export type BrandRepository = ReturnType<typeof createBrandRepository>;
export type BrandRow = NonNullable<Awaited<ReturnType<BrandRepository['get']>>>;
