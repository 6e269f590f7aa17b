import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startEarshot } from '../../src/runtime.js';
import { testConfig } from '../support/app.js';
import { scratchDatabase, silentLog } from '../support/db.js';
import { postgresProxy } from '../support/postgres-proxy.js';
import { freePort, run } from '../support/process.js';

// A Postgres that is not up yet when Earshot starts (docker-compose, a machine booting) is waited
// for, up to DATABASE_STARTUP_WAIT_MS from the start of start-up, as Redis is for
// REDIS_STARTUP_WAIT_MS: nothing listening yet, and "the database system is starting up" (57P03).
// A Postgres that answers and refuses (a role, a password) is not waited for.
// Before, Postgres was tried once: `connect ECONNREFUSED` ended start-up at once.

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** `earshot <command>` run to its exit: its code, all it printed, what it says to the operator (after any log lines), how long it took, and when it ended. */
async function runToExit(command: string, env: Record<string, string>) {
  const started = Date.now();
  const cli = run('node', ['bin/earshot.js', command], { LOG_LEVEL: 'warn', ...env });
  const { code } = await cli.exited;
  const ended = Date.now();
  const printed = cli.output().trim();
  return { code, printed, said: printed.slice(printed.indexOf('earshot: ')), ms: ended - started, ended };
}

/**
 * How long a start-up refused at once may take, DATABASE_STARTUP_WAIT_MS set to 60 s: well short
 * of that wait, with room for loading the program (a second, several on a busy host, with this
 * file's other processes starting beside it).
 */
const AT_ONCE_MS = 20_000;

/** The JSON log lines a process printed. */
function logLines(output: string): Array<Record<string, unknown>> {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe.concurrent('DATABASE_STARTUP_WAIT_MS', () => {
  it('is a whole number of milliseconds from 1000 to 3600000, 30000 unless set', () => {
    expect(loadConfig({}).DATABASE_STARTUP_WAIT_MS).toBe(30_000);
    expect(loadConfig({ DATABASE_STARTUP_WAIT_MS: '1500' }).DATABASE_STARTUP_WAIT_MS).toBe(1_500);
    expect(() => loadConfig({ DATABASE_STARTUP_WAIT_MS: '500' })).toThrow(/DATABASE_STARTUP_WAIT_MS: must be at least 1000/);
    expect(() => loadConfig({ DATABASE_STARTUP_WAIT_MS: '3600001' })).toThrow(/DATABASE_STARTUP_WAIT_MS: must be at most 3600000/);
  });
});

describe.concurrent('a Postgres that comes up after Earshot', () => {
  it('`earshot migrate`: refused, then "starting up" twice, then up: it waits, says why once, and creates and migrates the database', async () => {
    const database = new URL(await scratchDatabase(cleanups, { create: false }));
    const port = await freePort();
    const url = new URL(database);
    url.port = String(port);
    const cli = run('node', ['bin/earshot.js', 'migrate'], { DATABASE_URL: url.toString(), DATABASE_STARTUP_WAIT_MS: '30000', LOG_LEVEL: 'info' });
    cleanups.push(async () => void (cli.proc.exitCode === null && cli.proc.kill('SIGKILL')));
    // Nothing listens on the port yet: the connection is refused, and the process says it waits.
    await cli.waitFor(/Postgres does not accept connections yet/, 60_000);
    // Postgres starts listening, answering "starting up" to its first two connections.
    const proxy = await postgresProxy({ port, startingUp: 2 });
    cleanups.push(proxy.close);
    const { code } = await cli.exited;
    expect(code, cli.output()).toBe(0);
    expect(proxy.refusedAsStarting).toBe(2);
    expect(cli.output()).toMatch(/^earshot: created the database and applied its \d+ migrations$/m);
    const lines = logLines(cli.output());
    const waiting = lines.filter((l) => l.msg === 'Postgres does not accept connections yet: waiting for it, up to 30 s from the start (DATABASE_STARTUP_WAIT_MS)');
    expect(waiting, cli.output()).toHaveLength(1);
    expect(waiting[0]).toMatchObject({ level: 40, postgres: `127.0.0.1:${port}`, reason: `connect ECONNREFUSED 127.0.0.1:${port}`, waitMs: 30_000 });
    expect(lines.filter((l) => l.msg === 'Postgres is up: start-up goes on')).toHaveLength(1);
  }, 90_000);

  it('`earshot start` in-process: Postgres listening 1.5 s after start-up began is waited for, and the process starts', async () => {
    const database = await scratchDatabase(cleanups);
    const port = await freePort();
    const url = new URL(database);
    url.port = String(port);
    const logged: Array<Record<string, unknown>> = [];
    const log = createLogger({ level: 'info', destination: { write: (line: string) => void logged.push(JSON.parse(line) as Record<string, unknown>) } });
    setTimeout(() => void postgresProxy({ port }).then((proxy) => cleanups.push(proxy.close)), 1_500);
    const config = testConfig({ DATABASE_URL: url.toString(), DATABASE_STARTUP_WAIT_MS: '20000', PORT: '0', HOST: '127.0.0.1', INGEST_THREADS: '0' });
    const started = Date.now();
    const running = await startEarshot({ roles: ['api'], config, log });
    const ms = Date.now() - started;
    await running.shutdown.shutdown('test');
    expect(ms).toBeGreaterThanOrEqual(1_450);
    expect(logged.filter((l) => l.msg === 'earshot started')).toHaveLength(1);
    expect(logged.filter((l) => /^Postgres does not accept connections yet/.test(String(l.msg)))).toHaveLength(1);
  }, 60_000);
});

describe.concurrent('a Postgres that never comes up', () => {
  it('a port where nothing listens: `earshot migrate` gives up after DATABASE_STARTUP_WAIT_MS, saying how long it waited and which variable sets it', async () => {
    const port = await freePort();
    const { code, printed, said, ms, ended } = await runToExit('migrate', { DATABASE_URL: `postgres://earshot:secret-pw@127.0.0.1:${port}/earshot`, DATABASE_STARTUP_WAIT_MS: '1500' });
    expect(code, printed).toBe(1);
    expect(said).toBe(
      `earshot: could not reach Postgres at postgres://earshot:***@127.0.0.1:${port}/earshot in 1.5 s (connect ECONNREFUSED 127.0.0.1:${port}).\n` +
        '  Start Postgres there, or point Earshot at one with DATABASE_URL=postgres://user@host:5432/earshot; to wait longer for a Postgres that is still starting, raise DATABASE_STARTUP_WAIT_MS (now 1500)',
    );
    expect(printed).not.toContain('secret-pw');
    expect(ms).toBeGreaterThanOrEqual(1_500);
    // The wait, counted from the first try (logged once start-up has begun: loading the program
    // takes a second, several on a busy host), and not DATABASE_STARTUP_WAIT_MS's default 30 s.
    const [waiting] = logLines(printed);
    expect(waiting, printed).toMatchObject({ msg: expect.stringMatching(/^Postgres does not accept connections yet/) });
    expect(ended - Date.parse(String(waiting!.time)), printed).toBeLessThan(1_500 + 3_000);
  }, 60_000);

  it('a Postgres still "starting up" when the wait ends: says so, and how to wait longer', async () => {
    const proxy = await postgresProxy({ startingUp: Number.POSITIVE_INFINITY });
    cleanups.push(proxy.close);
    const { code, printed, said } = await runToExit('migrate', { DATABASE_URL: `postgres://earshot@127.0.0.1:${proxy.port}/earshot`, DATABASE_STARTUP_WAIT_MS: '1500' });
    expect(code, printed).toBe(1);
    expect(said).toBe(
      `earshot: Postgres at 127.0.0.1:${proxy.port} still did not accept connections after 1.5 s (the database system is starting up).\n` +
        '  To wait longer for it to finish starting, raise DATABASE_STARTUP_WAIT_MS (now 1500); or point Earshot at another Postgres with DATABASE_URL=postgres://user@host:5432/earshot',
    );
    // Tried again every half second or so, not once.
    expect(proxy.refusedAsStarting).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('a host name that does not resolve is waited for too (a container not started yet), then named as the thing to check', async () => {
    const { code, printed, said } = await runToExit('migrate', { DATABASE_URL: 'postgres://earshot@no-such-host.invalid:5432/earshot', DATABASE_STARTUP_WAIT_MS: '1000' });
    expect(code, printed).toBe(1);
    expect(said).toMatch(/^earshot: could not reach Postgres at postgres:\/\/earshot@no-such-host\.invalid:5432\/earshot in 1 s \(getaddrinfo (ENOTFOUND|EAI_AGAIN) no-such-host\.invalid\)\.\n {2}Check the host name in DATABASE_URL, start Postgres there, or point Earshot/);
  }, 60_000);
});

describe.concurrent('a Postgres host name that does not resolve', () => {
  // Waited for, as a docker-compose service's DNS name comes up only with its container; but a
  // typo is the likelier cause, so the operator is told after a few seconds rather than at the end
  // of DATABASE_STARTUP_WAIT_MS (30 s unless set), as before, with nothing said meanwhile but the
  // first line's "waiting for it". A `.invalid` name never resolves (RFC 6761), offline or not.
  it('is waited for, and after 3 s one warning names the host and DATABASE_URL as the thing to check; the final error says so again', async () => {
    const started = Date.now();
    const cli = run('node', ['bin/earshot.js', 'migrate'], { DATABASE_URL: 'postgres://earshot@no-such-host.invalid:5432/earshot', DATABASE_STARTUP_WAIT_MS: '7000', LOG_LEVEL: 'warn' });
    cleanups.push(async () => void (cli.proc.exitCode === null && cli.proc.kill('SIGKILL')));
    await cli.waitFor(/"msg":"Postgres host name no-such-host\.invalid has not resolved/, 20_000);
    // Seen while start-up still waits, well before the 7 s are up.
    expect(cli.proc.exitCode, cli.output()).toBeNull();
    const { code } = await cli.exited;
    expect(code, cli.output()).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(7_000);

    const lines = logLines(cli.output());
    const [waiting, ...rest] = lines;
    expect(waiting).toMatchObject({ level: 40, msg: 'Postgres does not accept connections yet: waiting for it, up to 7 s from the start (DATABASE_STARTUP_WAIT_MS)' });
    expect(rest, cli.output()).toHaveLength(1);
    expect(rest[0]).toMatchObject({
      level: 40,
      postgres: 'no-such-host.invalid:5432',
      host: 'no-such-host.invalid',
      reason: expect.stringMatching(/^getaddrinfo (ENOTFOUND|EAI_AGAIN) no-such-host\.invalid$/),
      msg:
        'Postgres host name no-such-host.invalid has not resolved for 3 s: check the host in DATABASE_URL. ' +
        'Start-up goes on waiting, up to 7 s from the start (DATABASE_STARTUP_WAIT_MS), in case it is a service whose name comes up with its container',
    });
    // 3 s after the first try failed to resolve, give or take a pause between tries.
    const after = Date.parse(String(rest[0]!.time)) - Date.parse(String(waiting!.time));
    expect(after).toBeGreaterThanOrEqual(3_000);
    expect(after).toBeLessThan(4_500);

    const printed = cli.output().trim();
    expect(printed.slice(printed.indexOf('earshot: '))).toMatch(
      /^earshot: could not reach Postgres at postgres:\/\/earshot@no-such-host\.invalid:5432\/earshot in 7 s \(getaddrinfo (ENOTFOUND|EAI_AGAIN) no-such-host\.invalid\)\.\n {2}Check the host name in DATABASE_URL, start Postgres there, or point Earshot/,
    );
  }, 60_000);

  it.each([
    ['db..local', 'db..local', 'it has an empty label (two dots in a row, or a dot first)'],
    ['db%20host', 'db host', 'it has " " (U+0020), which no host name has'],
  ])('%s, which no DNS can ever answer, is not waited for: said at once, naming the host and what is wrong with it', async (inUrl, host, problem) => {
    const { code, printed, said, ms } = await runToExit('migrate', { DATABASE_URL: `postgres://earshot@${inUrl}:5432/earshot`, DATABASE_STARTUP_WAIT_MS: '60000' });
    expect(code, printed).toBe(1);
    expect(said).toBe(
      `earshot: the Postgres host name "${host}" in DATABASE_URL can never resolve: ${problem}; it was not waited for.\n` +
        '  Correct the host in DATABASE_URL=postgres://user@host:5432/earshot',
    );
    expect(ms).toBeLessThan(AT_ONCE_MS);
  }, 60_000);
});

describe.concurrent('what is not waited for', () => {
  it('a role Postgres refuses (28000) fails at once with its own explanation, however long the wait', async () => {
    const url = new URL(inject('pgServer'));
    url.username = `earshot_nobody_${randomBytes(3).toString('hex')}`;
    url.pathname = '/earshot';
    const { code, printed, said, ms } = await runToExit('migrate', { DATABASE_URL: url.toString(), DATABASE_STARTUP_WAIT_MS: '60000' });
    expect(code, printed).toBe(1);
    expect(said).toContain(`earshot: Postgres at ${url.host} refused role "${url.username}": `);
    expect(ms).toBeLessThan(AT_ONCE_MS);
  }, 60_000);

  it('a password Postgres refuses (28P01) fails at once, however long the wait', async () => {
    const proxy = await postgresProxy({ checkPassword: async () => false });
    cleanups.push(proxy.close);
    const { code, printed, said, ms } = await runToExit('migrate', { DATABASE_URL: `postgres://earshot:wrong@127.0.0.1:${proxy.port}/earshot`, DATABASE_STARTUP_WAIT_MS: '60000' });
    expect(code, printed).toBe(1);
    expect(said).toContain(`earshot: Postgres at 127.0.0.1:${proxy.port} refused the password in DATABASE_URL for role "earshot"`);
    expect(proxy.passwords).toEqual(['wrong']);
    expect(ms).toBeLessThan(AT_ONCE_MS);
  }, 60_000);
});

describe.concurrent('a start stopped while waiting for Postgres', () => {
  it('a stop (SIGTERM) ends the wait at once: a clean StartInterruptedError', async () => {
    const config = testConfig({ DATABASE_URL: `postgres://earshot@127.0.0.1:${await freePort()}/earshot`, DATABASE_STARTUP_WAIT_MS: '60000', INGEST_THREADS: '0' });
    const stop = new AbortController();
    setTimeout(() => stop.abort('SIGTERM'), 1_000);
    const started = Date.now();
    const err = await startEarshot({ roles: ['api'], config, log: silentLog, stop: stop.signal }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'StartInterruptedError', reason: 'SIGTERM', clean: true });
    expect(Date.now() - started).toBeLessThan(3_000);
  }, 30_000);

  it('Redis not answering within REDIS_STARTUP_WAIT_MS ends the wait for Postgres, and start-up fails saying so', async () => {
    const config = testConfig({
      DATABASE_URL: `postgres://earshot@127.0.0.1:${await freePort()}/earshot`,
      DATABASE_STARTUP_WAIT_MS: '60000',
      REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
      REDIS_STARTUP_WAIT_MS: '1500',
      INGEST_THREADS: '0',
    });
    const started = Date.now();
    const err = await startEarshot({ roles: ['api'], config, log: silentLog }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'RedisUnreachableError', waitedMs: 1_500 });
    expect(Date.now() - started).toBeLessThan(4_000);
  }, 30_000);
});
