import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createDatabaseStatements, UTF8_LOCALES } from '../../src/infra/db/database.js';
import { scratchDatabase } from '../support/db.js';
import { run, within } from '../support/process.js';

// Creating the missing database, on this machine's real Postgres:
// - a role without CREATEDB gets advice naming the role and the database (create it as a
//   superuser, owned by the role, or grant CREATEDB), which is then followed to the letter here;
//   before, "permission denied to create database" came with "Start Postgres there";
// - a cluster whose default locale cannot hold UTF8 (LATIN1's en_US, say) gets a database from
//   template0 with a locale that can: the statements Earshot runs then are run here for real.

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

const exec = promisify(execFile);

async function adminQuery<T extends pg.QueryResultRow = Record<string, unknown>>(statement: string, values: unknown[] = []): Promise<T[]> {
  const admin = new pg.Client({ connectionString: inject('pgServer') });
  await admin.connect();
  try {
    return (await admin.query<T>(statement, values)).rows;
  } finally {
    await admin.end();
  }
}

/** A login role of this test's own (a Czech name: quoted in SQL and in the shell), dropped afterwards with the databases it owns. */
async function testRole(): Promise<string> {
  const role = `earshot_tvůrce_${randomBytes(3).toString('hex')}`;
  await adminQuery(`create role "${role}" login`);
  cleanups.push(async () => {
    const owned = await adminQuery<{ datname: string }>('select datname from pg_database where datdba = (select oid from pg_roles where rolname = $1)', [role]);
    for (const { datname } of owned) await adminQuery(`drop database if exists "${datname}" with (force)`);
    await adminQuery(`drop role if exists "${role}"`);
  });
  return role;
}

/** `earshot migrate` as `role` for a database of this run that does not exist yet: its code, what it printed, and the database's name. */
async function migrateAs(role: string, database?: string) {
  const url = new URL(database ?? (await scratchDatabase(cleanups, { create: false })));
  url.username = role;
  const cli = run('node', ['bin/earshot.js', 'migrate'], { DATABASE_URL: url.toString(), LOG_LEVEL: 'warn' });
  const { code } = await cli.exited;
  return { code, printed: cli.output().trim(), url: url.toString(), name: decodeURIComponent(url.pathname.slice(1)) };
}

/** Runs the shell command that a piece of advice holds, as this machine's superuser (here: root over TCP) rather than through sudo. */
async function follow(command: string): Promise<void> {
  const server = new URL(inject('pgServer'));
  await exec('sh', ['-c', command.replace(/^sudo -u postgres /, '')], {
    env: { ...process.env, PGHOST: server.hostname, PGPORT: server.port || '5432', PGUSER: decodeURIComponent(server.username), PGDATABASE: 'postgres' },
  });
}

// The two at once, each with a role and a database of its own. Not beside the test of the scratch
// databases below, which holds a session on template1 (the template Earshot copies when it is UTF8).
describe.concurrent('a role that may not create databases, pointed at one that does not exist', () => {
  it('is told, naming the role and the database, to have it created by a superuser (which works as written) or to be granted CREATEDB', async () => {
    const role = await testRole();
    const first = await migrateAs(role);
    expect(first.code, first.printed).toBe(1);
    expect(first.printed.split('\n'), first.printed).toHaveLength(2);
    const host = new URL(inject('pgServer')).host;
    const createdb = `sudo -u postgres createdb -E UTF8 -T template0 -O '${role}' ${first.name}`;
    expect(first.printed).toBe(
      `earshot: database "${first.name}" does not exist at ${host}, and role "${role}" may not create it (permission denied to create database).\n` +
        `  Create it as a superuser, owned by that role (on Debian or Ubuntu: ${createdb}), ` +
        `or let the role create databases (sudo -u postgres psql -c "ALTER ROLE \\"${role}\\" CREATEDB"), and start again`,
    );
    // Before: "could not use Postgres at …: permission denied to create database. Start Postgres there, …".
    expect(first.printed).not.toContain('Start Postgres there');

    // The first way, as written: the database is the role's, UTF8, and Earshot migrates it.
    await follow(createdb);
    const again = await migrateAs(role, first.url);
    expect(again.code, again.printed).toBe(0);
    expect(again.printed).toMatch(/^earshot: applied the migrations 0001_/);
    const [made] = await adminQuery<{ owner: string; encoding: string }>(
      'select pg_get_userbyid(datdba) as owner, pg_encoding_to_char(encoding) as encoding from pg_database where datname = $1',
      [first.name],
    );
    expect(made).toEqual({ owner: role, encoding: 'UTF8' });
  }, 90_000);

  it('the other way, as written: granted CREATEDB, the role creates the database itself', async () => {
    const role = await testRole();
    const first = await migrateAs(role);
    expect(first.code, first.printed).toBe(1);
    const grant = /\((sudo -u postgres psql -c ".*CREATEDB")\)/.exec(first.printed)?.[1];
    expect(grant, first.printed).toBeDefined();
    await follow(grant!);
    const again = await migrateAs(role, first.url);
    expect(again.code, again.printed).toBe(0);
    expect(again.printed).toMatch(/^earshot: created the database and applied its \d+ migrations$/);
  }, 90_000);
});

describe('a cluster whose default locale cannot hold UTF8', () => {
  it('gets template0 with C.UTF-8, then C, as the locale; each statement makes a UTF8 database on a real server', async () => {
    const name = `earshot_t_${inject('runId')}_l${randomBytes(3).toString('hex')}`;
    const statements = createDatabaseStatements(name, { template0: 'LATIN1', template1: 'LATIN1' });
    expect(UTF8_LOCALES).toEqual(['C.UTF-8', 'C']);
    expect(statements).toEqual(UTF8_LOCALES.map((locale) => `create database "${name}" encoding 'UTF8' template template0 lc_collate '${locale}' lc_ctype '${locale}'`));
    for (const [i, statement] of statements.entries()) {
      const each = `${name}_${i}`;
      cleanups.push(async () => void (await adminQuery(`drop database if exists "${each}" with (force)`)));
      await adminQuery(statement.replace(`"${name}"`, `"${each}"`));
      const [made] = await adminQuery('select pg_encoding_to_char(encoding) as encoding, datcollate, datctype from pg_database where datname = $1', [each]);
      expect(made).toEqual({ encoding: 'UTF8', datcollate: UTF8_LOCALES[i], datctype: UTF8_LOCALES[i] });
    }
  }, 60_000);

  it('a locale the system does not have is refused as 42809 (invalid locale name): the code on which Earshot tries the next one', async () => {
    const name = `earshot_t_${inject('runId')}_x${randomBytes(3).toString('hex')}`;
    cleanups.push(async () => void (await adminQuery(`drop database if exists "${name}" with (force)`)));
    const refused = await adminQuery(`create database "${name}" encoding 'UTF8' template template0 lc_collate 'xx_XX.UTF-8' lc_ctype 'xx_XX.UTF-8'`).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: '42809' });
  });

  it('where template1 is UTF8 it is copied (what the operator put there stays); template0 is copied without a locale when it alone is UTF8', () => {
    expect(createDatabaseStatements('e', { template0: 'UTF8', template1: 'UTF8' })).toEqual([`create database "e" encoding 'UTF8'`]);
    expect(createDatabaseStatements('e', { template0: 'UTF8', template1: 'UTF8' }, { fromTemplate0: true })).toEqual([`create database "e" encoding 'UTF8' template template0`]);
    expect(createDatabaseStatements('e', { template0: 'UTF8', template1: 'SQL_ASCII' })).toEqual([`create database "e" encoding 'UTF8' template template0`]);
    expect(createDatabaseStatements('a"b', { template0: 'UTF8', template1: 'UTF8' })).toEqual([`create database "a""b" encoding 'UTF8'`]);
  });
});

describe("the tests' scratch databases", () => {
  it('are UTF8 copies of template0, as the run\'s template is: made while another session is connected to template1', async () => {
    // A plain CREATE DATABASE copies template1 (whatever its encoding and contents), and refuses
    // to, after waiting 5 s, while another session is connected to it.
    const template1 = new URL(inject('pgServer'));
    template1.pathname = '/template1';
    const holder = new pg.Client({ connectionString: template1.toString() });
    await holder.connect();
    let made: unknown;
    try {
      made = await within(scratchDatabase(cleanups), 3_000);
    } finally {
      await holder.end();
    }
    expect(made).toMatch(/^postgres:\/\//);
    const name = decodeURIComponent(new URL(made as string).pathname.slice(1));
    expect(await adminQuery('select pg_encoding_to_char(encoding) as encoding from pg_database where datname = $1', [name])).toEqual([{ encoding: 'UTF8' }]);
  }, 30_000);
});
