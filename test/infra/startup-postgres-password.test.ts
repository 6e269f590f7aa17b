import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { passwordSource } from '../../src/startup-errors.js';
import { scratchDatabase } from '../support/db.js';
import { checkAgainstPgAuthid, postgresProxy, type PostgresProxy } from '../support/postgres-proxy.js';
import { run } from '../support/process.js';

// A password in PGPASSWORD (libpq's variable, which pg reads too when DATABASE_URL has none) is
// used, and when Postgres refuses it the explanation names PGPASSWORD. Before, a refused
// PGPASSWORD was explained as "DATABASE_URL has none" and "give the role a password".
//
// This machine's Postgres trusts local connections, so it never asks for a password: a proxy of
// the test's own asks for one (cleartext, as pg_hba.conf's `password` method does) and checks it
// against the real role's real password (pg_authid, set by ALTER ROLE), then lets the connection
// through to that Postgres.

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

// A Czech role and password: nothing here is ASCII-only.
const role = `earshot_heslo_${randomBytes(3).toString('hex')}`;
const rightPassword = `správné-heslo-${randomBytes(4).toString('hex')}`;

async function asAdmin(statement: string): Promise<void> {
  const admin = new pg.Client({ connectionString: inject('pgServer') });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}

beforeAll(async () => {
  await asAdmin(`create role "${role}" login createdb password '${rightPassword}'`);
  cleanups.push(async () => {
    const admin = new pg.Client({ connectionString: inject('pgServer') });
    await admin.connect();
    const { rows } = await admin.query<{ datname: string }>('select datname from pg_database where datdba = (select oid from pg_roles where rolname = $1)', [role]);
    for (const { datname } of rows) await admin.query(`drop database if exists "${datname}" with (force)`);
    await admin.query(`drop role if exists "${role}"`);
    await admin.end();
  });
});

/** A proxy of the test's own (the tests run at once, and some count the passwords it was sent). */
async function passwordProxy(): Promise<PostgresProxy> {
  const proxy = await postgresProxy({ checkPassword: checkAgainstPgAuthid });
  cleanups.push(proxy.close);
  return proxy;
}

/** A database URL through `proxy` for the test's role, without a password unless given. */
async function urlFor(proxy: PostgresProxy, { password }: { password?: string } = {}): Promise<string> {
  const url = new URL(await scratchDatabase(cleanups, { create: false }));
  url.port = String(proxy.port);
  url.username = role;
  if (password) url.password = password;
  return url.toString();
}

/** `earshot migrate` run to its exit with extra environment: its code and what it printed. */
async function migrate(env: Record<string, string>): Promise<{ code: number | null; printed: string }> {
  const cli = run('node', ['bin/earshot.js', 'migrate'], { LOG_LEVEL: 'warn', PGPASSWORD: '', ...env });
  const { code } = await cli.exited;
  return { code, printed: cli.output().trim() };
}

describe.concurrent('PGPASSWORD with a DATABASE_URL without a password', () => {
  it('is the password sent: the right one creates and migrates the database', async () => {
    const proxy = await passwordProxy();
    const { code, printed } = await migrate({ DATABASE_URL: await urlFor(proxy), PGPASSWORD: rightPassword });
    expect(code, printed).toBe(0);
    expect(printed).toMatch(/^earshot: created the database and applied its \d+ migrations$/);
    expect(proxy.passwords.every((p) => p === rightPassword)).toBe(true);
  }, 60_000);

  it('a wrong one: the explanation names PGPASSWORD, not a DATABASE_URL without a password, and never prints it', async () => {
    const proxy = await passwordProxy();
    const wrong = `špatné-${randomBytes(4).toString('hex')}`;
    const url = await urlFor(proxy);
    const { code, printed } = await migrate({ DATABASE_URL: url, PGPASSWORD: wrong });
    expect(code, printed).toBe(1);
    expect(printed.split('\n'), printed).toHaveLength(2);
    expect(printed).toBe(
      `earshot: Postgres at 127.0.0.1:${proxy.port} refused the password in PGPASSWORD for role "${role}" (password authentication failed for user "${role}"); DATABASE_URL has none, so pg sent PGPASSWORD's.\n` +
        `  Put the role's password in PGPASSWORD (or in DATABASE_URL=postgres://${role}:PASSWORD@127.0.0.1:${proxy.port}${new URL(url).pathname}, which comes first), ` +
        `or give the role a new one (on Debian or Ubuntu: sudo -u postgres psql -c "ALTER USER ${role} PASSWORD '…'")`,
    );
    expect(printed).not.toContain(wrong);
    // Before: "asked for the password of role …, and DATABASE_URL has none", sending the operator to set a password the role has.
    expect(printed).not.toContain('has none (nor');
  }, 60_000);

  it('a password in DATABASE_URL comes first, as pg takes it: PGPASSWORD wrong, the URL\'s right, it starts', async () => {
    const proxy = await passwordProxy();
    const { code, printed } = await migrate({ DATABASE_URL: await urlFor(proxy, { password: rightPassword }), PGPASSWORD: 'not-this-one' });
    expect(code, printed).toBe(0);
    expect(proxy.passwords).not.toContain('not-this-one');
  }, 60_000);

  it('neither set: says there is none in either', async () => {
    const proxy = await passwordProxy();
    const { code, printed } = await migrate({ DATABASE_URL: await urlFor(proxy) });
    expect(code, printed).toBe(1);
    expect(printed).toContain(`earshot: Postgres at 127.0.0.1:${proxy.port} asked for the password of role "${role}", and DATABASE_URL has none (nor has PGPASSWORD).`);
    expect(printed).toMatch(/and put it in DATABASE_URL=postgres:\/\/\S+:PASSWORD@\S+, or in PGPASSWORD$/);
  }, 60_000);
});

describe('passwordSource, the decision the explanation rests on', () => {
  it('the URL\'s password (user:password@ or ?password=) over PGPASSWORD, else PGPASSWORD, else none; an empty one counts as none, as pg reads it', () => {
    const url = (s: string) => new URL(s);
    expect(passwordSource(url('postgres://u:p@h/db'), { PGPASSWORD: 'x' })).toBe('url');
    expect(passwordSource(url('postgres://u@h/db?password=p'), { PGPASSWORD: 'x' })).toBe('url');
    expect(passwordSource(url('postgres://u@h/db'), { PGPASSWORD: 'x' })).toBe('PGPASSWORD');
    expect(passwordSource(url('postgres://u:@h/db'), { PGPASSWORD: 'x' })).toBe('PGPASSWORD');
    expect(passwordSource(url('postgres://u@h/db'), { PGPASSWORD: '' })).toBe(null);
    expect(passwordSource(url('postgres://u@h/db'), {})).toBe(null);
  });
});
