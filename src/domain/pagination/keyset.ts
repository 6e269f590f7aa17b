import { sql, type SelectQueryBuilder } from 'kysely';
import type { CreatedAfter } from './cursor.js';

/**
 * A row's created_at to the microsecond, as its page cursor keeps it. JavaScript's Date holds
 * milliseconds: a cursor made from one sat below a row created a few microseconds later in the same
 * millisecond, and the next page skipped that row.
 */
const pageKey = sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * Newest first by (created_at, id), from `after` on, one row more than the page to tell if another
 * follows; each row also carries its `page_key`, what its cursor holds.
 */
export function newestFirst<DB, TB extends keyof DB, O>(q: SelectQueryBuilder<DB, TB, O>, page: { limit: number; after?: CreatedAfter | undefined }) {
  const from = page.after ? q.where(sql<boolean>`(created_at, id) < (${page.after.createdAt}::timestamptz, ${page.after.id})`) : q;
  return from.select(pageKey.as('page_key')).orderBy(sql`created_at desc, id desc`).limit(page.limit + 1);
}
