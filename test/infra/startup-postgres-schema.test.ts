import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createDb } from '../../src/infra/db/database.js';
import { MIGRATIONS_DIR, migrateToLatest } from '../../src/infra/db/migrator.js';
import { startUpMessage } from '../../src/startup-errors.js';
import { migrationsBefore, scratchDatabase, silentLog } from '../support/db.js';
import { run } from '../support/process.js';

// PostgreSQL 15 gives CREATE on schema public to the database's owner alone. A database a
// superuser created for Earshot without `-O <role>` is the superuser's, and the first migration
// fails: before, as "failed: Error: migration (unknown) failed: permission denied for schema
// public" and a stack. Now in two lines naming the role, the database and the host, with the two
// ways out, each followed here as written (on this machine's real Postgres, as root over TCP).

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

const exec = promisify(execFile);

async function query<T extends pg.QueryResultRow = Record<string, unknown>>(url: string, statement: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(statement, values)).rows;
  } finally {
    await client.end();
  }
}

/** A login role of this test's own, not a superuser (a Czech name: quoted in SQL and in the shell); dropped after the databases. */
async function testRole(): Promise<string> {
  const role = `earshot_čtenář_${randomBytes(3).toString('hex')}`;
  await query(inject('pgServer'), `create role "${role}" login nosuperuser nocreatedb`);
  // Registered before the databases, so it runs after their drops (cleanups run in reverse).
  cleanups.push(async () => void (await query(inject('pgServer'), `drop role if exists "${role}"`)));
  return role;
}

/** A database of this run created by the superuser (root), so owned by it; `role` lacks CREATE on its public schema. */
async function rootsDatabase(role: string): Promise<{ url: string; name: string }> {
  const url = await scratchDatabase(cleanups);
  const [privileges] = await query<{ owner: string; create: boolean }>(
    url,
    `select pg_get_userbyid(datdba) as owner, has_schema_privilege($1, 'public', 'CREATE') as create from pg_database where datname = current_database()`,
    [role],
  );
  expect(privileges).toEqual({ owner: decodeURIComponent(new URL(inject('pgServer')).username), create: false });
  return { url, name: decodeURIComponent(new URL(url).pathname.slice(1)) };
}

/** `earshot migrate` as `role`: its code and what it printed. */
async function migrateAs(role: string, database: string) {
  const url = new URL(database);
  url.username = role;
  const cli = run('node', ['bin/earshot.js', 'migrate'], { DATABASE_URL: url.toString(), LOG_LEVEL: 'warn' });
  const { code } = await cli.exited;
  return { code, printed: cli.output().trim() };
}

/** Runs the shell command a piece of advice holds (a pipeline too), as this machine's superuser (root over TCP) rather than through sudo. */
async function follow(command: string): Promise<void> {
  const server = new URL(inject('pgServer'));
  await exec('sh', ['-c', command.replaceAll('sudo -u postgres ', '')], {
    env: { ...process.env, PGHOST: server.hostname, PGPORT: server.port || '5432', PGUSER: decodeURIComponent(server.username), PGDATABASE: 'postgres' },
  });
}

const advice = (printed: string) => [...printed.matchAll(/(sudo -u postgres psql [^)]*)\)/g)].map((m) => m[1]!);

// The tests run at once, each with roles and databases of its own.
describe.concurrent("a database the role does not own, whose public schema it may not create in (PostgreSQL 15's default)", () => {
  it('is said in two lines naming the role, the database and the host, with ALTER DATABASE … OWNER and GRANT CREATE filled in', async () => {
    const role = await testRole();
    const { url, name } = await rootsDatabase(role);
    const owner = decodeURIComponent(new URL(inject('pgServer')).username);
    const first = await migrateAs(role, url);
    expect(first.code, first.printed).toBe(1);
    expect(first.printed.split('\n'), first.printed).toHaveLength(2);
    const host = new URL(inject('pgServer')).host;
    expect(first.printed).toBe(
      `earshot: role "${role}" may not create tables in schema public of database "${name}" at ${host} (permission denied for schema public); ` +
        `since PostgreSQL 15 only the database's owner (here "${owner}") may by default, and no migration was applied.\n` +
        `  Make the role the database's owner (on Debian or Ubuntu: sudo -u postgres psql -c "ALTER DATABASE ${name} OWNER TO \\"${role}\\""), ` +
        `or let it create in that schema (sudo -u postgres psql -d ${name} -c "GRANT CREATE ON SCHEMA public TO \\"${role}\\""), and start again`,
    );
    // Before: "earshot: failed: Error: migration (unknown) failed: permission denied for schema public" and its stack.
    expect(first.printed).not.toMatch(/failed:|\n\s+at /);
    const [tables] = await query<{ migrations: string | null }>(url, `select to_regclass('kysely_migration')::text as migrations`);
    expect(tables).toEqual({ migrations: null });

    // The first way, as written: the database becomes the role's, and Earshot migrates it.
    await follow(advice(first.printed)[0]!);
    const again = await migrateAs(role, url);
    expect(again.code, again.printed).toBe(0);
    expect(again.printed).toMatch(/^earshot: applied the migrations 0001_/);
  }, 120_000);

  it('the other way, as written: granted CREATE on public, the role migrates the database it does not own', async () => {
    const role = await testRole();
    const { url } = await rootsDatabase(role);
    const first = await migrateAs(role, url);
    expect(first.code, first.printed).toBe(1);
    const grant = advice(first.printed)[1];
    expect(grant, first.printed).toMatch(/GRANT CREATE ON SCHEMA public TO/);
    await follow(grant!);
    const again = await migrateAs(role, url);
    expect(again.code, again.printed).toBe(0);
    expect(again.printed).toMatch(/^earshot: applied the migrations 0001_/);
  }, 120_000);

  it('where public is owned by a role rather than by the database\'s owner (a restored dump), only the GRANT is offered, since owning the database would not help', async () => {
    const role = await testRole();
    const { url } = await rootsDatabase(role);
    await query(url, `alter schema public owner to "${decodeURIComponent(new URL(inject('pgServer')).username)}"`);
    const first = await migrateAs(role, url);
    expect(first.code, first.printed).toBe(1);
    expect(first.printed.split('\n'), first.printed).toHaveLength(2);
    expect(first.printed).not.toContain('ALTER DATABASE');
    const [grant] = advice(first.printed);
    expect(first.printed).toContain(`  Let the role create in that schema (on Debian or Ubuntu: ${grant}), and start again`);
    await follow(grant!);
    const again = await migrateAs(role, url);
    expect(again.code, again.printed).toBe(0);
  }, 120_000);
});

/** The URL of `database` for `role`. */
function as(role: string, database: string): string {
  const url = new URL(database);
  url.username = role;
  return url.toString();
}

/** The release's migrations, by name. */
async function releaseMigrations(): Promise<string[]> {
  return (await readdir(MIGRATIONS_DIR))
    .filter((f) => f.endsWith('.sql'))
    .map((f) => f.slice(0, -'.sql'.length))
    .sort();
}

/** A folder of the release's migrations and one more of this test's, `9999_test_pending`: a database migrated by the release has it to apply. */
async function withPendingMigration(statement: string): Promise<string> {
  const dir = await migrationsBefore('9999', cleanups);
  await writeFile(path.join(dir, '9999_test_pending.sql'), statement);
  return dir;
}

/** startUpMessage for an error of `earshot migrate` as `databaseUrl` sets it. */
const said = (err: unknown, databaseUrl: string) => startUpMessage(err, { databaseUrl, redisUrl: '', databaseVariable: 'DATABASE_URL', portHint: '' });

// A database migrated by one role, started as another (DATABASE_URL's user changed): the tables
// are the first role's, so the second may not even read kysely_migration_lock. Before, this was
// said as the schema's CREATE missing (GRANT CREATE, ALTER DATABASE … OWNER), and each of those
// then ended in "failed: … permission denied for table kysely_migration_lock" and a stack.
describe.concurrent('a database whose tables another role owns (migrated by one role, started as another)', () => {
  it('names the owner and REASSIGN OWNED BY it TO the role Earshot runs as; followed as a superuser, Earshot starts', async () => {
    const before = await testRole();
    const now = await testRole();
    const { url, name } = await rootsDatabase(before);
    // As `createdb -O <role>` makes it, and as Earshot makes it for a role with CREATEDB.
    await query(url, `alter database "${name}" owner to "${before}"`);
    const migrated = await migrateAs(before, url);
    expect(migrated.code, migrated.printed).toBe(0);

    const first = await migrateAs(now, url);
    expect(first.code, first.printed).toBe(1);
    expect(first.printed.split('\n'), first.printed).toHaveLength(2);
    const host = new URL(inject('pgServer')).host;
    const tables = await query<{ n: number }>(url, `select count(*)::int as n from pg_tables where schemaname = 'public' and tableowner = $1`, [before]);
    expect(first.printed).toBe(
      `earshot: database "${name}" at ${host} was migrated by role "${before}", which owns its ${tables[0]!.n} tables in schema public; ` +
        `Earshot runs as role "${now}", which may not use them (permission denied for table kysely_migration_lock), and nothing new was applied.\n` +
        `  Run Earshot as role "${before}" (DATABASE_URL=${as(before, url)}), or give role "${now}" what "${before}" owns in that database ` +
        `(on Debian or Ubuntu: sudo -u postgres psql -d ${name} -c "REASSIGN OWNED BY \\"${before}\\" TO \\"${now}\\""), and start again`,
    );
    // Before: GRANT CREATE and ALTER DATABASE … OWNER, which leave the tables the other role's, and "no migration was applied" of a migrated database.
    expect(first.printed).not.toMatch(/GRANT CREATE|ALTER DATABASE|no migration was applied|failed:|\n\s+at /);

    await follow(advice(first.printed)[0]!);
    const again = await migrateAs(now, url);
    expect(again.code, again.printed).toBe(0);
    expect(again.printed).toBe('earshot: the database is up to date: no migration to apply');
  }, 120_000);

  it('one with a migration to apply, whose tables the role may read and write: says which migrations it has, and after the REASSIGN the migration is applied', async () => {
    const before = await testRole();
    const now = await testRole();
    const { url, name } = await rootsDatabase(before);
    await query(url, `alter database "${name}" owner to "${before}"`);
    const release = await releaseMigrations();
    expect(await migrateAs(before, url)).toMatchObject({ code: 0 });
    // Read and write granted, as some installations do for an application role: the migrator gets in, an ALTER TABLE may not.
    await query(as(before, url), `grant all on all tables in schema public to "${now}"`);
    const dir = await withPendingMigration('alter table brands add column test_pending integer');
    const db = createDb({ url: as(now, url), poolSize: 1, log: silentLog });
    cleanups.push(() => db.destroy());

    const err = await migrateToLatest(db, dir).catch((e: unknown) => e);
    const first = said(err, as(now, url)) ?? String(err);
    expect(first.split('\n'), first).toHaveLength(2);
    expect(first).toContain(
      `was migrated by role "${before}", which owns its `,
    );
    expect(first).toContain(`which may not use them (must be owner of table brands), and nothing new was applied to the ${release.length} migrations it has (up to ${release.at(-1)}).\n`);
    await follow(advice(first)[0]!);
    expect(await migrateToLatest(db, dir)).toEqual(['9999_test_pending']);
  }, 120_000);

  it('owned by a superuser, whose REASSIGN OWNED would hand over all it owns: the tables and functions one by one, with CREATE on public; followed, Earshot starts', async () => {
    const now = await testRole();
    const { url, name } = await rootsDatabase(now);
    const superuser = decodeURIComponent(new URL(inject('pgServer')).username);
    const migrated = await migrateAs(superuser, url);
    expect(migrated.code, migrated.printed).toBe(0);

    const first = await migrateAs(now, url);
    expect(first.code, first.printed).toBe(1);
    expect(first.printed.split('\n'), first.printed).toHaveLength(2);
    expect(first.printed).toContain(`earshot: database "${name}" at ${new URL(inject('pgServer')).host} was migrated by role "${superuser}", a superuser, which owns its `);
    expect(first.printed).not.toMatch(/REASSIGN OWNED BY \S+ TO|Run Earshot as role/);
    const command = /\(on Debian or Ubuntu: (sudo -u postgres psql -d \S+ -Atc ".*" \| sudo -u postgres psql -d \S+ -f - -c "GRANT CREATE ON SCHEMA public TO [^"\\]*(?:\\.[^"\\]*)*")\), and start again$/.exec(first.printed)?.[1];
    expect(command, first.printed).toBeDefined();

    await follow(command!);
    const owners = await query(url, `select distinct pg_get_userbyid(relowner) as owner from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r'`);
    expect(owners).toEqual([{ owner: now }]);
    const again = await migrateAs(now, url);
    expect(again.code, again.printed).toBe(0);
    expect(again.printed).toBe('earshot: the database is up to date: no migration to apply');
    // The superuser's databases stay its own, this one too, which REASSIGN OWNED would have given away.
    const databases = await query(url, `select datname, pg_get_userbyid(datdba) as owner from pg_database where datname in (current_database(), 'postgres') order by 1`);
    expect(databases).toEqual([{ datname: name, owner: superuser }, { datname: 'postgres', owner: superuser }].sort((a, b) => (a.datname < b.datname ? -1 : 1)));
  }, 120_000);
});

describe.concurrent('"no migration was applied" only of a database without migrations', () => {
  it('a role that owns the tables but may no longer create in public, with a migration to apply: says which migrations the database has', async () => {
    const role = await testRole();
    const { url } = await rootsDatabase(role);
    await query(url, `grant create on schema public to "${role}"`);
    const release = await releaseMigrations();
    expect(await migrateAs(role, url)).toMatchObject({ code: 0 });
    await query(url, `revoke create on schema public from "${role}"`);
    const db = createDb({ url: as(role, url), poolSize: 1, log: silentLog });
    cleanups.push(() => db.destroy());

    const err = await migrateToLatest(db, await withPendingMigration('create table test_pending (id integer)')).catch((e: unknown) => e);
    const first = said(err, as(role, url)) ?? String(err);
    expect(first).toContain(`may by default, and nothing new was applied to the ${release.length} migrations it has (up to ${release.at(-1)}).\n`);
    expect(first).not.toContain('no migration was applied');
  }, 60_000);
});
