import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { scratchDatabase } from '../support/db.js';
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

/** Runs the shell command a piece of advice holds, as this machine's superuser (root over TCP) rather than through sudo. */
async function follow(command: string): Promise<void> {
  const server = new URL(inject('pgServer'));
  await exec('sh', ['-c', command.replace(/^sudo -u postgres /, '')], {
    env: { ...process.env, PGHOST: server.hostname, PGPORT: server.port || '5432', PGUSER: decodeURIComponent(server.username), PGDATABASE: 'postgres' },
  });
}

const advice = (printed: string) => [...printed.matchAll(/(sudo -u postgres psql [^)]*)\)/g)].map((m) => m[1]!);

describe("a database the role does not own, whose public schema it may not create in (PostgreSQL 15's default)", () => {
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
  }, 90_000);

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
  }, 90_000);

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
  }, 90_000);
});
