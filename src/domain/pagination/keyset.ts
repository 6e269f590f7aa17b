import { sql, type SelectQueryBuilder } from 'kysely';
import type { CreatedAfter } from './cursor.js';

/** Newest first by (created_at, id), from `after` on, one row more than the page to tell if another follows. */
export function newestFirst<DB, TB extends keyof DB, O>(q: SelectQueryBuilder<DB, TB, O>, page: { limit: number; after?: CreatedAfter | undefined }) {
  const from = page.after ? q.where(sql<boolean>`(created_at, id) < (${page.after.createdAt}, ${page.after.id})`) : q;
  return from.orderBy(sql`created_at desc, id desc`).limit(page.limit + 1);
}
