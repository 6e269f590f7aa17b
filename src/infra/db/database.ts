import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { Logger } from '../../logger.js';
import type { DB } from './schema.js';

export type Database = Kysely<DB>;

// int8 columns (counts, sums) come back as JS numbers; our counts stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

export function createDb({ url, poolSize, log }: { url: string; poolSize: number; log: Logger }): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    // A query that hangs (a lock, a dead server) must not hold a request or a job forever.
    query_timeout: 60_000,
  });
  // An idle client whose server went away emits here; without a listener the process would crash.
  pool.on('error', (err) => log.warn({ err: { message: err.message, code: (err as { code?: string }).code } }, 'postgres idle client error'));
  // A client checked out of the pool (a request's query, a job's transaction) has no pool listener:
  // when Postgres ends its connection (restart, failover, pg_terminate_backend) it emits 'error',
  // which unhandled crashes the process. Its pending query fails on its own and the pool drops it.
  pool.on('connect', (client) => client.on('error', (err) => log.warn({ err: { message: err.message } }, 'postgres connection lost')));
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}

/** PostgreSQL 13 is the first with what the migrations use: gen_random_uuid() built in, and normalize(). */
export const MIN_POSTGRES_VERSION = 13;

/** The Postgres server is older than MIN_POSTGRES_VERSION: start-up stops before creating or migrating anything. */
export class PostgresTooOldError extends Error {
  constructor(readonly version: string) {
    super(`PostgreSQL ${version} is too old: Earshot needs ${MIN_POSTGRES_VERSION} or newer`);
    this.name = 'PostgresTooOldError';
  }
}

/** The database is not encoded in UTF-8, which mentions in any script need: start-up stops before migrating it. */
export class DatabaseEncodingError extends Error {
  constructor(
    readonly database: string,
    readonly encoding: string,
  ) {
    super(`database "${database}" is encoded in ${encoding}, not UTF8`);
    this.name = 'DatabaseEncodingError';
  }
}

/**
 * Refuses a server Earshot cannot run on, before anything is created or migrated there: one
 * older than PostgreSQL 13, or (`database`: the client is connected to Earshot's own) a database
 * whose encoding is not UTF8, where a migration would fail halfway.
 */
async function assertUsable(client: pg.Client, database?: string): Promise<void> {
  const { rows } = await client.query<{ version: number; shown: string; encoding: string }>(
    `select current_setting('server_version_num')::int as version, current_setting('server_version') as shown, current_setting('server_encoding') as encoding`,
  );
  const server = rows[0]!;
  if (server.version < MIN_POSTGRES_VERSION * 10_000) throw new PostgresTooOldError(server.shown);
  if (database !== undefined && server.encoding !== 'UTF8') throw new DatabaseEncodingError(database, server.encoding);
}

/**
 * Creates the database named in `url` if it does not exist yet (in UTF-8, connecting to the
 * server's `postgres` database), after checking that the server is one Earshot can run on.
 */
export async function ensureDatabase(url: string): Promise<boolean> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!name) throw new Error('DATABASE_URL names no database');
  // Managed Postgres often forbids connecting to `postgres`: when the target exists, that is never needed.
  const probe = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await probe.connect();
    await assertUsable(probe, name);
    return false;
  } catch (err) {
    if ((err as { code?: string }).code !== '3D000') throw err; // 3D000: the database does not exist
  } finally {
    await probe.end().catch(() => {});
  }
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await assertUsable(client);
    // Two processes starting at once would race on CREATE DATABASE (a catalog unique violation),
    // so creation is serialised by an advisory lock held on the server's `postgres` database.
    await client.query(`select pg_advisory_lock(hashtext('earshot:create-database'))`);
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (rowCount) return false;
    // A copy of template1 keeps what the operator put there, but a cluster initialised under a
    // C or POSIX locale has it in SQL_ASCII, and a database copied from it cannot be UTF8:
    // template0 can be copied into any encoding.
    const { rows } = await client.query<{ encoding: string }>(`select pg_encoding_to_char(encoding) as encoding from pg_database where datname = 'template1'`);
    const template = rows[0]?.encoding === 'UTF8' ? '' : ' template template0';
    await client.query(`create database "${name.replaceAll('"', '""')}" encoding 'UTF8'${template}`);
    return true;
  } finally {
    await client.end();
  }
}
