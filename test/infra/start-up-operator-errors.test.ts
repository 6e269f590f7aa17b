import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Socket } from 'node:net';
import { Registry } from 'prom-client';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/infra/db/database.js';
import { migrateToLatest } from '../../src/infra/db/migrator.js';
import { observeDeployment } from '../../src/infra/deployment-metrics.js';
import { createRedis, waitForRedis } from '../../src/infra/redis.js';
import { startEarshot } from '../../src/runtime.js';
import { testConfig } from '../support/app.js';
import { createTestDatabase, scratchDatabase, silentLog } from '../support/db.js';
import { freePort, run } from '../support/process.js';

// Start-up and operations errors an operator meets, each said as something to act on: a database
// migrated by a newer release (a rollback), a wrong Redis password, a stop while still starting,
// and a Postgres the metrics cannot read.

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** A redis-server of this test's own that requires a password. */
async function redisWithPassword(password: string): Promise<{ port: number }> {
  const port = await freePort();
  const proc: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--requirepass', password], { stdio: 'ignore' });
  cleanups.push(async () => {
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGKILL');
    await exited;
  });
  const probe = createRedis(`redis://:${password}@127.0.0.1:${port}`, { role: 'producer', log: silentLog });
  await waitForRedis(probe);
  probe.disconnect();
  return { port };
}

describe.concurrent('a database migrated by a newer release', () => {
  it('is refused in one line naming the unknown migrations and what to do, by the migrator and by `earshot migrate`', async () => {
    const database = await createTestDatabase();
    cleanups.push(database.drop);
    // As an older release sees a database a newer one has migrated: an applied migration it does not have.
    await sql`insert into kysely_migration (name, timestamp) values ('9999_from_a_newer_release', ${new Date().toISOString()})`.execute(database.db);

    const refused = await migrateToLatest(database.db).catch((err: unknown) => err);
    expect(refused).toMatchObject({ name: 'UnknownMigrationsError', migrations: ['9999_from_a_newer_release'] });
    expect((refused as Error).message).not.toContain('\n');
    expect((refused as Error).message).toMatch(/newer release.*9999_from_a_newer_release.*run the release that applied it.*restore the backup/);

    const cli = run('node', ['bin/earshot.js', 'migrate'], { DATABASE_URL: database.url, LOG_LEVEL: 'warn' });
    const { code } = await cli.exited;
    expect(code, cli.output()).toBe(1);
    const printed = cli.output().trim();
    expect(printed.split('\n'), printed).toHaveLength(1);
    expect(printed).toContain('earshot: this database was migrated by a newer release of Earshot');
    expect(printed).toContain('9999_from_a_newer_release');
    expect(printed).not.toMatch(/corrupted migrations|\n\s+at /);
  }, 120_000);
});

describe.concurrent('a Redis that refuses the password', () => {
  it('fails at once (no 10 s wait) with RedisAuthError, for a wrong password and for none', async () => {
    const { port } = await redisWithPassword('right-password');
    for (const url of [`redis://:wrong-password@127.0.0.1:${port}`, `redis://127.0.0.1:${port}`]) {
      const redis = createRedis(url, { role: 'producer', log: silentLog });
      const started = Date.now();
      const err = await waitForRedis(redis).catch((e: unknown) => e);
      redis.disconnect();
      expect(err, url).toMatchObject({ name: 'RedisAuthError', reason: expect.stringMatching(/^(WRONGPASS|NOAUTH)/) });
      expect(Date.now() - started).toBeLessThan(3_000);
    }
  }, 60_000);

  it('`earshot worker` says the password in REDIS_URL is wrong, without printing it, and exits 1', async () => {
    const { port } = await redisWithPassword('right-password');
    const database = await createTestDatabase();
    cleanups.push(database.drop);
    const cli = run('node', ['bin/earshot.js', 'worker'], { DATABASE_URL: database.url, REDIS_URL: `redis://:wrong-password@127.0.0.1:${port}`, LOG_LEVEL: 'warn' });
    const { code } = await cli.exited;
    const ended = Date.now();
    expect(code, cli.output()).toBe(1);
    // Counted from the refusal it logged (once the program had loaded: a second, several on a busy host), not after a 10 s wait.
    const refused = Date.parse(String(JSON.parse(cli.output().split('\n')[0]!).time));
    expect(ended - refused, cli.output()).toBeLessThan(5_000);
    expect(cli.output()).toContain(`Redis at redis://:***@127.0.0.1:${port} refused the credentials in REDIS_URL (WRONGPASS`);
    expect(cli.output()).not.toContain('wrong-password');
    expect(cli.output()).not.toContain('Start Redis there');
  }, 120_000);
});

/** A TCP server of this test's own that is not Postgres nor Redis: it closes each connection at once, or (`hold`) never answers. `reached`: when the first connection came. */
async function notAService({ hold = false } = {}): Promise<{ port: number; reached: () => number | undefined }> {
  const sockets = new Set<Socket>();
  let reached: number | undefined;
  const server = createServer((socket) => {
    reached ??= Date.now();
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    if (!hold) socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  return { port: (server.address() as { port: number }).port, reached: () => reached };
}

/** `earshot <command>` run to its exit: its code, what it printed, and when it ended. */
async function runToExit(command: string, env: Record<string, string>) {
  const cli = run('node', ['bin/earshot.js', command], { LOG_LEVEL: 'warn', ...env });
  const { code } = await cli.exited;
  return { code, printed: cli.output().trim(), ended: Date.now() };
}

describe.concurrent('a DATABASE_URL that asks for SSL from a Postgres without it', () => {
  it('is refused in words saying what to change, without a stack or pg\'s eight-line warning', async () => {
    const database = await createTestDatabase();
    cleanups.push(database.drop);
    // Both at once, each a process of its own.
    const sslmodes = ['require', 'bogus'];
    const results = await Promise.all(sslmodes.map((sslmode) => runToExit('migrate', { DATABASE_URL: `${database.url}?sslmode=${sslmode}` })));
    for (const [i, sslmode] of sslmodes.entries()) {
      const { code, printed } = results[i]!;
      expect(code, printed).toBe(1);
      const host = new URL(database.url).host;
      expect(printed).toContain(`earshot: Postgres at ${host} does not support SSL, but DATABASE_URL asks for it (sslmode=${sslmode}).`);
      expect(printed).toMatch(/Remove sslmode from DATABASE_URL .*or enable SSL on the server/);
      // Before: "earshot: failed: Error: The server does not support SSL connections" and its stack.
      expect(printed).not.toMatch(/failed:|\n\s+at |SECURITY WARNING|\(node:\d+\)/);
    }
  }, 60_000);
});

describe.concurrent('addresses where nothing answers as Postgres or Redis', () => {
  it('a DATABASE_URL whose server closes the connection, or never answers, names host:port and what happened, not a crash of Postgres', async () => {
    const cases = [
      [false, 'closed the connection before answering'],
      [true, 'did not answer in time'],
    ] as const;
    // Both at once, each a process of its own.
    const results = await Promise.all(
      cases.map(async ([hold]) => {
        const { port } = await notAService({ hold });
        return { port, ...(await runToExit('migrate', { DATABASE_URL: `postgres://earshot:secret-pw@127.0.0.1:${port}/earshot` })) };
      }),
    );
    for (const [i, [, happened]] of cases.entries()) {
      const { port, code, printed } = results[i]!;
      expect(code, printed).toBe(1);
      expect(printed).toContain(`earshot: could not use Postgres at postgres://earshot:***@127.0.0.1:${port}/earshot: 127.0.0.1:${port} ${happened}`);
      expect(printed).toContain('no Postgres answers there, or a firewall or route drops the connection');
      expect(printed).not.toContain('secret-pw');
      expect(printed).not.toMatch(/failed:|\n\s+at /);
    }
  }, 60_000);

  it('a REDIS_URL at a port that is not Redis fails within seconds, saying it is not Redis rather than an ioredis internal', async () => {
    const database = await createTestDatabase();
    cleanups.push(database.drop);
    const { port, reached } = await notAService();
    const { code, printed, ended } = await runToExit('api', { DATABASE_URL: database.url, REDIS_URL: `redis://127.0.0.1:${port}`, PORT: String(await freePort()) });
    expect(code, printed).toBe(1);
    expect(printed).toContain(`earshot: REDIS_URL=redis://127.0.0.1:${port} does not lead to Redis: 127.0.0.1:${port} accepted 3 connections and closed each without answering as Redis`);
    expect(printed).toContain('Point REDIS_URL at Redis');
    // Before: after the whole 10 s wait (17 s on a busy host), "Stream isn't writeable and enableOfflineQueue options is false".
    expect(printed).not.toContain("Stream isn't writeable");
    // Counted from its first connection (once the program had loaded: a second, several on a busy host).
    expect(ended - reached()!, printed).toBeLessThan(5_000);
  }, 60_000);
});

describe.concurrent('a stop during start-up', () => {
  it('stops what has started and reports a clean stop, without waiting out the Redis wait', async () => {
    const database = await createTestDatabase();
    cleanups.push(database.drop);
    // Nothing listens there: start-up waits for Redis (10 s) when the stop comes.
    const config = testConfig({ DATABASE_URL: database.url, REDIS_URL: `redis://127.0.0.1:${await freePort()}`, INGEST_THREADS: '0' });
    const stop = new AbortController();
    setTimeout(() => stop.abort('SIGTERM'), 1_000);
    const started = Date.now();
    const err = await startEarshot({ roles: ['worker', 'scheduler'], config, log: silentLog, stop: stop.signal }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'StartInterruptedError', reason: 'SIGTERM', clean: true });
    expect(Date.now() - started).toBeLessThan(5_000);
  }, 60_000);

  it('`earshot worker` sent SIGTERM while starting exits 0 instead of being killed (143)', async () => {
    // Not created yet: start-up says so, which shows it is under way; then it waits for a Redis that is not there.
    const url = await scratchDatabase(cleanups, { create: false });
    const cli = run('node', ['bin/earshot.js', 'worker'], { DATABASE_URL: url, REDIS_URL: `redis://127.0.0.1:${await freePort()}`, LOG_LEVEL: 'info' });
    await cli.waitFor(/created the database/, 60_000);
    const signalled = Date.now();
    cli.proc.kill('SIGTERM');
    const exit = await cli.exited;
    expect(exit, cli.output()).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalled).toBeLessThan(5_000);
    expect(cli.output()).toContain('stopped during start-up');
  }, 120_000);
});

describe.concurrent('/metrics while Postgres cannot be read', () => {
  it('leaves earshot_sources_overdue_seconds out (never `Nan`) and says Postgres was not read', async () => {
    const registry = new Registry();
    const db = createDb({ url: `postgres://earshot@127.0.0.1:${await freePort()}/earshot`, poolSize: 1, log: silentLog });
    cleanups.push(() => db.destroy());
    observeDeployment({ registry, queues: new Map(), db });
    const text = await registry.metrics();
    expect(text).toContain('earshot_deployment_read_ok{store="postgres"} 0');
    expect(text).not.toMatch(/^earshot_sources_overdue_seconds /m);
    expect(text).not.toMatch(/\bNan\b/);
    // Its HELP and TYPE stay, as for the other gauges left out.
    expect(text).toContain('# TYPE earshot_sources_overdue_seconds gauge');

    const readable = await createTestDatabase();
    cleanups.push(readable.drop);
    const registry2 = new Registry();
    observeDeployment({ registry: registry2, queues: new Map(), db: readable.db });
    expect(await registry2.metrics()).toMatch(/^earshot_sources_overdue_seconds 0$/m);
  }, 60_000);
});
