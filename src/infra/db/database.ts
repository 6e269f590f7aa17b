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

/** Creates the database named in `url` if it does not exist yet, connecting to the server's `postgres` database. */
export async function ensureDatabase(url: string): Promise<boolean> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!name) throw new Error('DATABASE_URL names no database');
  // Managed Postgres often forbids connecting to `postgres`: when the target exists, that is never needed.
  const probe = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await probe.connect();
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
    // Two processes starting at once would race on CREATE DATABASE (a catalog unique violation),
    // so creation is serialised by an advisory lock held on the server's `postgres` database.
    await client.query(`select pg_advisory_lock(hashtext('earshot:create-database'))`);
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (rowCount) return false;
    await client.query(`create database "${name.replaceAll('"', '""')}"`);
    return true;
  } finally {
    await client.end();
  }
}
