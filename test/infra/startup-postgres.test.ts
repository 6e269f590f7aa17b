import { randomBytes } from 'node:crypto';
import { createServer, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ensureDatabase } from '../../src/infra/db/database.js';
import { scratchDatabase } from '../support/db.js';
import { run } from '../support/process.js';

// A first start against a Postgres set up otherwise than this machine's (trust auth, UTF8, 15):
// each is said in words an operator acts on, before anything is created or migrated, never as
// pg's stack trace or as "Start Postgres there" to a Postgres that is running.

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** How a fake server answers: its authentication, or an error at start-up, and its query results. */
interface FakeBehaviour {
  /** `scram`: asks for SCRAM-SHA-256, as Debian's and Ubuntu's Postgres for 127.0.0.1; `cleartext`: refuses any password (28P01). */
  auth: 'ok' | 'scram' | 'cleartext';
  /** Refuses the connection to this database as missing (3D000), as Postgres does. */
  missing?: string;
  /** Rows (text columns) answering a statement; none when it returns nothing. */
  answer?: (sql: string) => Array<Record<string, string>>;
  /** An error (SQLSTATE and message) answering a simple-protocol statement instead of rows. */
  refuse?: (sql: string) => { code: string; message: string } | undefined;
}

/**
 * A TCP server of this test's own that speaks enough of the Postgres protocol for a start-up:
 * authentication, simple and extended queries answered from `answer`. Returns its port and the
 * statements it was sent.
 */
async function fakePostgres(behaviour: FakeBehaviour): Promise<{ port: number; statements: string[] }> {
  const statements: string[] = [];
  const sockets = new Set<Socket>();
  const message = (type: string, ...parts: Buffer[]) => {
    const body = Buffer.concat(parts);
    const head = Buffer.alloc(5);
    head.write(type, 0, 'latin1');
    head.writeInt32BE(body.length + 4, 1);
    return Buffer.concat([head, body]);
  };
  const int32 = (n: number) => Buffer.from([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
  const int16 = (n: number) => Buffer.from([n >>> 8, n & 255]);
  const cstring = (s: string) => Buffer.from(`${s}\0`);
  const fatal = (code: string, text: string) => message('E', cstring('SFATAL'), cstring('VFATAL'), cstring(`C${code}`), cstring(`M${text}`), Buffer.from([0]));
  const ready = () => message('Z', Buffer.from('I'));
  const rows = (sql: string, describe: boolean) => {
    const found = behaviour.answer?.(sql) ?? [];
    const columns = Object.keys(found[0] ?? {});
    const out: Buffer[] = [];
    if (columns.length) out.push(message('T', int16(columns.length), ...columns.flatMap((c) => [cstring(c), int32(0), int16(0), int32(25), int16(-1 & 0xffff), int32(-1), int16(0)])));
    else if (describe) out.push(message('n'));
    for (const row of found) out.push(message('D', int16(columns.length), ...columns.flatMap((c) => [int32(Buffer.byteLength(row[c]!)), Buffer.from(row[c]!)])));
    out.push(message('C', cstring(`SELECT ${found.length}`)));
    return out;
  };
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    let pending = Buffer.alloc(0);
    let started = false;
    let parsed = '';
    socket.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const offset = started ? 1 : 0;
        if (pending.length < offset + 4) return;
        const length = pending.readInt32BE(offset);
        if (pending.length < offset + length) return;
        const type = started ? String.fromCharCode(pending[0]!) : '';
        const body = pending.subarray(offset + 4, offset + length);
        pending = pending.subarray(offset + length);
        if (!started) {
          started = true;
          const [, ...pairs] = body.toString().split('\0');
          const params = Object.fromEntries(pairs.flatMap((_, i) => (i % 2 === 0 ? [[pairs[i], pairs[i + 1]]] : [])));
          if (params.database === behaviour.missing) socket.end(fatal('3D000', `database "${params.database}" does not exist`));
          else if (behaviour.auth === 'scram') socket.write(message('R', int32(10), cstring('SCRAM-SHA-256'), Buffer.from([0])));
          else if (behaviour.auth === 'cleartext') socket.write(message('R', int32(3)));
          else socket.write(Buffer.concat([message('R', int32(0)), message('S', cstring('server_version'), cstring('15.0')), message('K', int32(1), int32(2)), ready()]));
        } else if (type === 'p' && behaviour.auth === 'scram') {
          const nonce = /r=([^,]+)/.exec(body.toString('latin1'))?.[1] ?? 'x';
          socket.write(message('R', int32(11), Buffer.from(`r=${nonce}server,s=${Buffer.from('salt').toString('base64')},i=4096`)));
        } else if (type === 'p') {
          socket.end(fatal('28P01', 'password authentication failed for user "earshot"'));
        } else if (type === 'Q') {
          const sql = body.toString().replace(/\0$/, '');
          statements.push(sql);
          const refused = behaviour.refuse?.(sql);
          if (refused) socket.write(Buffer.concat([message('E', cstring('SERROR'), cstring('VERROR'), cstring(`C${refused.code}`), cstring(`M${refused.message}`), Buffer.from([0])), ready()]));
          else socket.write(Buffer.concat([...rows(sql, false), ready()]));
        } else if (type === 'P') {
          parsed = body.toString().split('\0')[1]!;
          statements.push(parsed);
        } else if (type === 'S') {
          socket.write(Buffer.concat([message('1'), message('2'), ...rows(parsed, true), ready()]));
        } else if (type === 'X') {
          socket.end();
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  return { port: (server.address() as { port: number }).port, statements };
}

/** `earshot migrate` run to its exit: its code and what it printed. */
async function migrate(databaseUrl: string): Promise<{ code: number | null; printed: string }> {
  const cli = run('node', ['bin/earshot.js', 'migrate'], { DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', PGPASSWORD: '' });
  const { code } = await cli.exited;
  return { code, printed: cli.output().trim() };
}

/** Printed as a start-up error: `earshot: …`, a line of what happened and one of what to do, no stack and no blame on a Postgres that runs. */
function expectStartUpError({ code, printed }: { code: number | null; printed: string }): void {
  expect(code, printed).toBe(1);
  expect(printed.split('\n'), printed).toHaveLength(2);
  expect(printed).toMatch(/^earshot: /);
  expect(printed).not.toMatch(/failed:|\n\s+at |Start Postgres there/);
}

describe.concurrent('a Postgres that asks for a password', () => {
  it('over SCRAM (Debian, Ubuntu), with none in DATABASE_URL: says so and how to set one, not pg\'s SASL error', async () => {
    const { port } = await fakePostgres({ auth: 'scram' });
    const result = await migrate(`postgres://postgres@127.0.0.1:${port}/earshot`);
    expectStartUpError(result);
    expect(result.printed).toContain(`earshot: Postgres at 127.0.0.1:${port} asked for the password of role "postgres", and DATABASE_URL has none (nor has PGPASSWORD).`);
    expect(result.printed).toContain(`sudo -u postgres psql -c "ALTER USER postgres PASSWORD '…'"`);
    expect(result.printed).toContain(`DATABASE_URL=postgres://postgres:PASSWORD@127.0.0.1:${port}/earshot`);
    // Before: "earshot: failed: Error: SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string" and its stack.
    expect(result.printed).not.toContain('SASL');
  }, 60_000);

  it('refusing the password given (28P01): says the password is wrong, without printing it; with none given, that there is none', async () => {
    const { port } = await fakePostgres({ auth: 'cleartext' });
    // Both at once, each a process of its own.
    const [wrong, none] = await Promise.all([migrate(`postgres://earshot:secret-pw@127.0.0.1:${port}/earshot`), migrate(`postgres://earshot@127.0.0.1:${port}/earshot`)]);
    expectStartUpError(wrong);
    expect(wrong.printed).toContain(`earshot: Postgres at 127.0.0.1:${port} refused the password in DATABASE_URL for role "earshot" (password authentication failed for user "earshot").`);
    expect(wrong.printed).toContain(`Put the role's password in DATABASE_URL=postgres://earshot:PASSWORD@127.0.0.1:${port}/earshot`);
    expect(wrong.printed).not.toContain('secret-pw');

    expectStartUpError(none);
    expect(none.printed).toContain('asked for the password of role "earshot", and DATABASE_URL has none (nor has PGPASSWORD).');
  }, 60_000);
});

describe.concurrent('a role the server does not have', () => {
  it('(28000, this machine\'s real Postgres) is said with how to create it or name another, not "Start Postgres there"', async () => {
    const role = `earshot_nobody_${randomBytes(3).toString('hex')}`;
    const url = new URL(inject('pgServer'));
    url.username = role;
    url.pathname = '/earshot';
    const result = await migrate(url.toString());
    expectStartUpError(result);
    expect(result.printed).toContain(`earshot: Postgres at ${url.host} refused role "${role}": `);
    expect(result.printed).toContain(`createuser --createdb --pwprompt ${role}`);
    expect(result.printed).toContain(`DATABASE_URL=postgres://USER:PASSWORD@${url.host}/earshot`);
  }, 60_000);
});

describe.concurrent('a server Earshot cannot run on', () => {
  it('PostgreSQL older than 13 is refused before anything is created or migrated', async () => {
    const { port, statements } = await fakePostgres({
      auth: 'ok',
      answer: (sql) => (/server_version_num/.test(sql) ? [{ version: '120022', shown: '12.22', encoding: 'UTF8' }] : []),
    });
    const result = await migrate(`postgres://earshot@127.0.0.1:${port}/earshot`);
    expectStartUpError(result);
    expect(result.printed).toContain(`earshot: Postgres at 127.0.0.1:${port} is PostgreSQL 12.22; Earshot needs 13 or newer`);
    expect(result.printed).toContain('point Earshot at a newer one with DATABASE_URL=');
    expect(statements.filter((s) => /kysely_migration|create /i.test(s))).toEqual([]);
  }, 60_000);

  it('a database not in UTF8 (SQL_ASCII, a C-locale cluster\'s) is refused before any migration, saying how to make one', async () => {
    const url = await scratchDatabase(cleanups, { create: false });
    const name = new URL(url).pathname.slice(1);
    const admin = new pg.Client({ connectionString: inject('pgServer') });
    await admin.connect();
    await admin.query(`create database "${name}" encoding 'SQL_ASCII' template template0 locale 'C'`);
    await admin.end();

    const result = await migrate(url);
    expectStartUpError(result);
    expect(result.printed).toContain(`earshot: database "${name}" at ${new URL(url).host} is encoded in SQL_ASCII; Earshot needs UTF8`);
    expect(result.printed).toContain(`createdb -E UTF8 -T template0 ${name}`);
    // Before: "migration 0010_search_forms failed: conversion between UTF8 and SQL_ASCII is not supported", 0001–0009 left applied.
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const { rows } = await db.query(`select to_regclass('kysely_migration') as migrations, to_regclass('brands') as brands`);
    await db.end();
    expect(rows).toEqual([{ migrations: null, brands: null }]);
  }, 60_000);

  it('a database Earshot creates is UTF8: a copy of template1 where it is UTF8, else of template0, with a UTF-8 locale (C.UTF-8, else C) where the cluster\'s cannot hold UTF8', async () => {
    const create = `create database "earshot_new" encoding 'UTF8'`;
    const withLocale = (locale: string) => `${create} template template0 lc_collate '${locale}' lc_ctype '${locale}'`;
    for (const { template1, template0, hasCUtf8, tried } of [
      { template1: 'UTF8', template0: 'UTF8', hasCUtf8: true, tried: [create] },
      // A cluster initialised under C or POSIX: template1 in SQL_ASCII, template0 too.
      { template1: 'SQL_ASCII', template0: 'SQL_ASCII', hasCUtf8: true, tried: [withLocale('C.UTF-8')] },
      // Under en_US (LATIN1), on a system without C.UTF-8 (macOS): refused as an invalid locale (42809), then C.
      { template1: 'LATIN1', template0: 'LATIN1', hasCUtf8: false, tried: [withLocale('C.UTF-8'), withLocale('C')] },
      { template1: 'SQL_ASCII', template0: 'UTF8', hasCUtf8: true, tried: [`${create} template template0`] },
    ]) {
      const { port, statements } = await fakePostgres({
        auth: 'ok',
        missing: 'earshot_new',
        answer: (sql) => {
          if (/server_version_num/.test(sql)) return [{ version: '150004', shown: '15.4', encoding: 'UTF8' }];
          if (/datname in \('template0', 'template1'\)/.test(sql)) return [{ datname: 'template0', encoding: template0 }, { datname: 'template1', encoding: template1 }];
          return [];
        },
        refuse: (sql) => (!hasCUtf8 && sql.includes("'C.UTF-8'") ? { code: '42809', message: 'invalid locale name: "C.UTF-8"' } : undefined),
      });
      expect(await ensureDatabase(`postgres://earshot@127.0.0.1:${port}/earshot_new`)).toBe(true);
      const created = statements.filter((s) => /^create database/i.test(s));
      // Before: template0 with no locale, which en_US's cluster refuses (encoding "UTF8" does not match locale "en_US").
      expect(created, `${template1}, ${template0}`).toEqual(tried);
    }
    // And on this machine's real Postgres.
    const url = await scratchDatabase(cleanups, { create: false });
    expect(await ensureDatabase(url)).toBe(true);
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const { rows } = await db.query(`select current_setting('server_encoding') as encoding`);
    await db.end();
    expect(rows).toEqual([{ encoding: 'UTF8' }]);
  }, 60_000);
});

describe.concurrent('`earshot migrate`', () => {
  it('says it created the database only when it did', async () => {
    const url = await scratchDatabase(cleanups, { create: false });
    const first = await migrate(url);
    expect(first.code, first.printed).toBe(0);
    expect(first.printed).toMatch(/^earshot: created the database and applied its \d+ migrations$/);
    const again = await migrate(url);
    expect(again.code, again.printed).toBe(0);
    // Before: "the database is created and its migrations are applied", both times.
    expect(again.printed).toBe('earshot: the database is up to date: no migration to apply');
  }, 120_000);
});
