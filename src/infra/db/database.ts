import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { Logger } from '../../logger.js';
import { connectWhenUp, type StartupWait } from './postgres-wait.js';
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
 * The role may not create databases (42501, no CREATEDB) and the database it was pointed at does
 * not exist: a superuser creates it for the role, or gives the role CREATEDB. `locale` is the one
 * Earshot would have given it (null: the cluster's own, which suits UTF8).
 */
export class DatabaseCreateDeniedError extends Error {
  readonly role: string;
  readonly database: string;
  readonly locale: string | null;
  constructor({ role, database, locale }: { role: string; database: string; locale: string | null }, options?: ErrorOptions) {
    super(`role "${role}" may not create database "${database}"`, options);
    this.name = 'DatabaseCreateDeniedError';
    this.role = role;
    this.database = database;
    this.locale = locale;
  }
}

/**
 * The locales a UTF8 database is given where the cluster's own cannot hold UTF8 (LATIN1's en_US,
 * say): C.UTF-8 where the system has it (its character classes know Unicode, so lower() folds
 * Č and Ж as it does A), else C, which goes with any encoding.
 */
export const UTF8_LOCALES = ['C.UTF-8', 'C'] as const;

/** The encodings of the cluster's template databases, which say how a UTF8 database can be made. */
export interface TemplateEncodings {
  template0: string;
  template1: string;
}

/**
 * The CREATE DATABASE statements that make `name` a UTF8 database, to be tried in order (the next
 * one only when the server does not know the previous one's locale). A copy of template1 keeps
 * what the operator put there, when it is UTF8 and `fromTemplate0` does not ask for a pristine
 * copy. Otherwise template0, which can be copied into any encoding; and where template0 is not UTF8
 * either, the cluster's default locale cannot be (CREATE DATABASE would answer `encoding "UTF8"
 * does not match locale "en_US"`), so the statement names a locale that can: UTF8_LOCALES.
 */
export function createDatabaseStatements(name: string, templates: TemplateEncodings, { fromTemplate0 = false } = {}): string[] {
  const create = `create database "${name.replaceAll('"', '""')}" encoding 'UTF8'`;
  if (templates.template1 === 'UTF8' && !fromTemplate0) return [create];
  if (templates.template0 === 'UTF8') return [`${create} template template0`];
  return UTF8_LOCALES.map((locale) => `${create} template template0 lc_collate '${locale}' lc_ctype '${locale}'`);
}

/**
 * Creates the UTF8 database `name` (createDatabaseStatements) over `client`, a connection to
 * another database of the server. A role that may not create databases gets
 * DatabaseCreateDeniedError, which says what a superuser can do instead.
 */
export async function createUtf8Database(client: pg.Client, name: string, options: { fromTemplate0?: boolean } = {}): Promise<void> {
  const { rows } = await client.query<{ datname: string; encoding: string }>(
    `select datname, pg_encoding_to_char(encoding) as encoding from pg_database where datname in ('template0', 'template1')`,
  );
  const encodingOf = (datname: string) => rows.find((row) => row.datname === datname)?.encoding ?? '';
  const templates = { template0: encodingOf('template0'), template1: encodingOf('template1') };
  const statements = createDatabaseStatements(name, templates, options);
  for (const [i, statement] of statements.entries()) {
    try {
      await client.query(statement);
      return;
    } catch (err) {
      const code = (err as { code?: string }).code;
      // 42809: `invalid locale name`, a locale this system does not have: the next one.
      if (code === '42809' && i < statements.length - 1) continue;
      if (code === '42501') {
        const { rows: who } = await client.query<{ role: string }>('select current_user as role');
        const locale = templates.template0 === 'UTF8' ? null : UTF8_LOCALES[0];
        throw new DatabaseCreateDeniedError({ role: who[0]?.role ?? '', database: name, locale }, { cause: err });
      }
      throw err;
    }
  }
}

/**
 * Creates the database named in `url` if it does not exist yet (in UTF-8, connecting to the
 * server's `postgres` database), after checking that the server is one Earshot can run on. With
 * `wait`, a Postgres not up yet is tried again until the wait has passed (connectWhenUp).
 */
export async function ensureDatabase(url: string, wait?: StartupWait): Promise<boolean> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!name) throw new Error('DATABASE_URL names no database');
  // Managed Postgres often forbids connecting to `postgres`: when the target exists, that is never needed.
  let probe: pg.Client | undefined;
  try {
    probe = await connectWhenUp(url, wait);
    await assertUsable(probe, name);
    return false;
  } catch (err) {
    if ((err as { code?: string }).code !== '3D000') throw err; // 3D000: the database does not exist
  } finally {
    await probe?.end().catch(() => {});
  }
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = await connectWhenUp(admin.toString(), wait);
  try {
    await assertUsable(client);
    // Two processes starting at once would race on CREATE DATABASE (a catalog unique violation),
    // so creation is serialised by an advisory lock held on the server's `postgres` database.
    await client.query(`select pg_advisory_lock(hashtext('earshot:create-database'))`);
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (rowCount) return false;
    await createUtf8Database(client, name);
    return true;
  } finally {
    await client.end();
  }
}
