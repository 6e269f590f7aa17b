import { createHash } from 'node:crypto';
import { AppError } from '../errors.js';

/**
 * Keyset cursors: the sort key of the last row seen, base64url JSON with a short checksum so
 * a hand-edited cursor is refused (400) instead of silently paging from somewhere else. The
 * checksum is integrity, not secrecy: a cursor only positions the caller inside their own data.
 * It also covers the list's scope, so a cursor from one list is refused by another rather than
 * read as a position it never was.
 */
export interface Cursor {
  /** The sort value of the last row (an ISO time, a number or a string). */
  k: string | number;
  /** The row id, the tie-breaker. */
  id: string;
}

const checksum = (scope: string, body: string) => createHash('sha256').update(`earshot-cursor:${scope}:${body}`).digest('base64url').slice(0, 8);
const fingerprint = (filters: string) => createHash('sha256').update(`earshot-cursor-filters:${filters}`).digest('base64url').slice(0, 8);

/**
 * `scope` names the list (`mentions`, `brands`…); only that list accepts the cursor back.
 * `filters`, for a list read with filters, names them: the cursor carries their fingerprint
 * (under the checksum), so one sent back with other filters is told apart from a forged one.
 */
export function encodeCursor(cursor: Cursor, scope: string, filters?: string): string {
  const fields = filters === undefined ? [cursor.k, cursor.id] : [cursor.k, cursor.id, fingerprint(filters)];
  const body = Buffer.from(JSON.stringify(fields)).toString('base64url');
  return `${body}.${checksum(scope, body)}`;
}

export const invalidCursor = () =>
  new AppError('validation.failed', 400, 'cursor: not a cursor this API issued; start again without cursor', {
    fields: [{ field: 'cursor', message: 'not a cursor this API issued' }],
  });

/** A cursor this list issued, for a page read with other filters (a filter changed mid-paging). */
export const cursorOfOtherFilters = () =>
  new AppError('validation.failed', 400, 'cursor: this cursor belongs to other filters; start again without cursor', {
    fields: [{ field: 'cursor', message: 'belongs to other filters' }],
  });

export function decodeCursor(raw: string, scope: string, filters?: string): Cursor {
  const [body, sum, extra] = raw.split('.');
  if (!body || !sum || extra !== undefined || body.length > 1000 || checksum(scope, body) !== sum) throw invalidCursor();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (
    Array.isArray(value) &&
    value.length === (filters === undefined ? 2 : 3) &&
    (typeof value[0] === 'string' || typeof value[0] === 'number') &&
    typeof value[1] === 'string'
  ) {
    if (filters !== undefined && value[2] !== fingerprint(filters)) throw cursorOfOtherFilters();
    return { k: value[0], id: value[1] };
  }
  throw invalidCursor();
}

const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * A cursor's time key, exactly as `toISOString` wrote it and within years 1–9999, which
 * timestamptz holds: anything else would reach Postgres as an out-of-range value (a 500).
 */
export function cursorTime(k: Cursor['k']): Date {
  const at = typeof k === 'string' && CURSOR_TIME.test(k) ? new Date(k) : null;
  if (!at || Number.isNaN(at.getTime()) || at.toISOString() !== k || at.getUTCFullYear() < 1) throw invalidCursor();
  return at;
}

const CURSOR_MICRO_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3})(\d{3})?Z$/;

/**
 * A configuration list's cursor time: to the microsecond (`…:56.123456Z`, what `newestFirst`
 * gives), or to the millisecond as cursors issued before it held. Checked as `cursorTime` checks,
 * and handed to Postgres as the text it is, so no precision is lost on the way.
 */
export function cursorMicroTime(k: Cursor['k']): string {
  const parts = typeof k === 'string' ? CURSOR_MICRO_TIME.exec(k) : null;
  if (!parts) throw invalidCursor();
  cursorTime(`${parts[1]}Z`);
  return k as string;
}

/** A cursor's bigint row id: decimal digits that fit a Postgres bigint. */
export function cursorBigintId(id: string): number {
  if (!/^\d{1,18}$/.test(id)) throw invalidCursor();
  return Number(id);
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Rows were fetched with `limit + 1`; the extra row only says whether another page exists. */
export function toPage<R, T>(rows: R[], limit: number, toItem: (row: R) => T, cursorOf: (row: R) => string): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map(toItem), nextCursor: rows.length > limit && last ? cursorOf(last) : null };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Ids are opaque to users; anything that is not one of ours is simply not found. */
export const isUuid = (id: string) => UUID.test(id);

/** Where a newest-first page of configuration rows starts: after this (created_at, id). */
export interface CreatedAfter {
  /** The time as text, to the microsecond. */
  createdAt: string;
  id: string;
}

/**
 * One newest-first page of rows ordered by (created_at, id) — keys, brands, sources — fetched
 * with `newestFirst`, which gives each row its `page_key`. The
 * cursor is checked fully before it reaches SQL: a forged one is a 400, never a 500. `scope`
 * names the list, so each list takes back only its own cursors; `isId` says what its ids look
 * like (uuids unless told).
 */
export async function pageByCreation<R extends { id: string }, T>({
  scope,
  limit,
  cursor,
  fetch,
  toItem,
  isId = isUuid,
}: {
  scope: string;
  limit: number;
  cursor?: string | undefined;
  fetch: (page: { limit: number; after?: CreatedAfter }) => Promise<Array<R & { page_key: string }>>;
  toItem: (row: R) => T;
  isId?: (id: string) => boolean;
}): Promise<Page<T>> {
  let after: CreatedAfter | undefined;
  if (cursor) {
    const c = decodeCursor(cursor, scope);
    if (!isId(c.id)) throw invalidCursor();
    after = { createdAt: cursorMicroTime(c.k), id: c.id };
  }
  const rows = await fetch({ limit, ...(after ? { after } : {}) });
  return toPage(rows, limit, toItem, (r) => encodeCursor({ k: r.page_key, id: r.id }, scope));
}
