import { createHash, createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';
import { AppError } from '../errors.js';

/**
 * Keyset cursors: the sort key of the last row seen, base64url JSON signed with an HMAC under the
 * installation's cursor key (cursor-key.ts), so a cursor is refused (400) unless this server
 * issued it, for this list of this workspace: a hand-edited or forged cursor never pages from
 * somewhere else. The signature is integrity, not secrecy: a cursor only positions the caller
 * inside their own data.
 */
export interface Cursor {
  /** The sort value of the last row (an ISO time, a number or a string). */
  k: string | number;
  /** The row id, the tie-breaker. */
  id: string;
}

/** The server-side key cursors are signed with: one per installation, shared by its processes. */
export type CursorKey = KeyObject;
/** The installation's cursor key, read once per process (cursor-key.ts). */
export type CursorKeys = () => Promise<CursorKey>;

/** What a cursor is for: only the same list of the same workspace, read with the same filters, takes it back. */
export interface CursorList {
  /** Names the list (`mentions`, `brands`…, `alert-deliveries:<rule id>`). */
  scope: string;
  workspaceId: string;
  /**
   * For a list read with filters, names them: the cursor carries their fingerprint (under the
   * signature), so one sent back with other filters is told apart from a forged one.
   */
  filters?: string | undefined;
}

export interface CursorCodec {
  encode(cursor: Cursor): string;
  decode(raw: string): Cursor;
}

/** 128 bits of HMAC-SHA256, as base64url: 22 characters. */
const MAC_BYTES = 16;
const MAC_CHARS = Math.ceil((MAC_BYTES * 4) / 3);
/** The previous release's cursors ended in an 8-character checksum that took no key. */
const OLD_CHECKSUM_CHARS = 8;

const fingerprint = (filters: string) => createHash('sha256').update(`earshot-cursor-filters:${filters}`).digest('base64url').slice(0, 8);

export const invalidCursor = () =>
  new AppError('validation.failed', 400, 'cursor: not a cursor of this list in this workspace (altered, or issued for another list or workspace); start again without cursor', {
    fields: [{ field: 'cursor', message: 'not a cursor of this list in this workspace' }],
  });

/** A cursor this list issued, for a page read with other filters (a filter changed mid-paging). */
export const cursorOfOtherFilters = () =>
  new AppError('validation.failed', 400, 'cursor: this cursor belongs to other filters; start again without cursor', {
    fields: [{ field: 'cursor', message: 'belongs to other filters' }],
  });

/** A cursor in the format of an earlier release, which could be forged: no longer read. */
export const cursorOfEarlierRelease = () =>
  new AppError('validation.failed', 400, 'cursor: issued by an earlier version of Earshot, whose cursors this version no longer reads; start the list again without cursor', {
    fields: [{ field: 'cursor', message: 'issued by an earlier version of Earshot' }],
  });

/**
 * Signs and checks the cursors of one list as one request reads it: one HMAC a cursor, over the
 * list, the workspace and the body, compared in constant time.
 */
export function cursorCodec(list: CursorList, key: CursorKey): CursorCodec {
  const bound = `earshot-cursor\n${list.scope}\n${list.workspaceId}\n`;
  const filters = list.filters === undefined ? undefined : fingerprint(list.filters);
  const mac = (body: string) => createHmac('sha256', key).update(bound).update(body).digest().subarray(0, MAC_BYTES).toString('base64url');
  return {
    encode(cursor) {
      const fields = filters === undefined ? [cursor.k, cursor.id] : [cursor.k, cursor.id, filters];
      const body = Buffer.from(JSON.stringify(fields)).toString('base64url');
      return `${body}.${mac(body)}`;
    },
    decode(raw) {
      const [body, sum, extra] = raw.split('.');
      if (!body || !sum || extra !== undefined || body.length > 1000) throw invalidCursor();
      if (sum.length === OLD_CHECKSUM_CHARS) throw cursorOfEarlierRelease();
      if (sum.length !== MAC_CHARS) throw invalidCursor();
      // As bytes: a signature written in other characters has another length, and is refused.
      const given = Buffer.from(sum);
      const expected = Buffer.from(mac(body));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalidCursor();
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
        if (filters !== undefined && value[2] !== filters) throw cursorOfOtherFilters();
        return { k: value[0], id: value[1] };
      }
      throw invalidCursor();
    },
  };
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
 * names the list, so each list takes back only its own cursors, and only in `workspaceId`;
 * `isId` says what its ids look like (uuids unless told).
 */
export async function pageByCreation<R extends { id: string }, T>({
  scope,
  workspaceId,
  cursorKeys,
  limit,
  cursor,
  fetch,
  toItem,
  isId = isUuid,
}: {
  scope: string;
  workspaceId: string;
  cursorKeys: CursorKeys;
  limit: number;
  cursor?: string | undefined;
  fetch: (page: { limit: number; after?: CreatedAfter }) => Promise<Array<R & { page_key: string }>>;
  toItem: (row: R) => T;
  isId?: (id: string) => boolean;
}): Promise<Page<T>> {
  const codec = cursorCodec({ scope, workspaceId }, await cursorKeys());
  let after: CreatedAfter | undefined;
  if (cursor) {
    const c = codec.decode(cursor);
    if (!isId(c.id)) throw invalidCursor();
    after = { createdAt: cursorMicroTime(c.k), id: c.id };
  }
  const rows = await fetch({ limit, ...(after ? { after } : {}) });
  return toPage(rows, limit, toItem, (r) => codec.encode({ k: r.page_key, id: r.id }));
}
