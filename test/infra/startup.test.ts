import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { assertRedisUsable, RedisPolicyError } from '../../src/infra/redis.js';
import { createDb } from '../../src/infra/db/database.js';
import { scratchDatabase, silentLog } from '../support/db.js';
import { ADMIN_TOKEN, createTestApp, dropRedisPrefix } from '../support/app.js';
import { freePort, run } from '../support/process.js';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function startRedis(args: string[]): Promise<{ port: number; proc: ChildProcess }> {
  const port = await freePort();
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...args], { stdio: 'ignore' });
  cleanups.push(async () => void proc.kill('SIGKILL'));
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => 100 });
  client.on('error', () => {});
  for (let i = 0; i < 100; i++) {
    try {
      await client.connect();
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  client.disconnect();
  return { port, proc };
}

// Concurrent: the tests share nothing (each its own database, Redis, port, process) and spend
// their time waiting on child processes. Each one's timeout allows for the others' processes
// loading beside its own on a busy host.
describe.concurrent('start-up and readiness', { timeout: 120_000 }, () => {
  it('refuses a Redis whose maxmemory-policy is not noeviction, saying how to fix it', async () => {
    const { port } = await startRedis(['--maxmemory-policy', 'allkeys-lru']);
    const redis = new Redis({ port, host: '127.0.0.1' });
    const error = await assertRedisUsable(redis).catch((e: unknown) => e);
    redis.disconnect();
    expect(error).toBeInstanceOf(RedisPolicyError);
    expect((error as Error).message).toContain('allkeys-lru');
    expect((error as Error).message).toContain('CONFIG SET maxmemory-policy noeviction');
  });

  it('`earshot start` against such a Redis exits 1 with that message', async () => {
    const { port } = await startRedis(['--maxmemory-policy', 'volatile-lru']);
    const child = run('node', ['bin/earshot.js', 'api'], {
      DATABASE_URL: await scratchDatabase(cleanups),
      REDIS_URL: `redis://127.0.0.1:${port}`,
      PORT: '0',
      LOG_LEVEL: 'warn',
    });
    const { code } = await child.exited;
    expect(code).toBe(1);
    expect(child.output()).toContain('maxmemory-policy is "volatile-lru"');
  });

  it('`earshot api` on a port already taken exits 1 with one line saying so, no stack', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => taken.close(() => resolve())));
    const { port } = taken.address() as AddressInfo;
    // The next port is held too: the suggestion must be one found free, not PORT + 1 on faith.
    const next = createServer();
    await new Promise<void>((resolve) => next.once('error', () => resolve()).listen(port + 1, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => next.close(() => resolve())));
    const child = run('node', ['bin/earshot.js', 'api'], { DATABASE_URL: await scratchDatabase(cleanups), PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' });
    expect((await child.exited).code).toBe(1);
    expect(child.output()).toContain(`earshot: port ${port} on 127.0.0.1 is already in use: set PORT to a free one.\n  For example: PORT=`);
    expect(child.output()).not.toMatch(/\n\s+at /);
    // The port suggested was checked free: the test can listen on it while still holding the taken one.
    const suggested = Number(/For example: PORT=(\d+) node bin\/earshot\.js api/.exec(child.output())?.[1]);
    expect([port, port + 1]).not.toContain(suggested);
    const probe = createServer();
    await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(suggested, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  });

  it('`earshot api` with a HOST it cannot listen on says so and names HOST, not Postgres', async () => {
    const child = run('node', ['bin/earshot.js', 'api'], { DATABASE_URL: await scratchDatabase(cleanups), PORT: '0', HOST: 'no-such-host.invalid', LOG_LEVEL: 'warn' });
    expect((await child.exited).code).toBe(1);
    expect(child.output()).toMatch(/^earshot: the API could not listen on no-such-host\.invalid:0 \((ENOTFOUND|EAI_AGAIN)\): set HOST/m);
    expect(child.output()).not.toContain('Postgres');
    expect(child.output()).not.toMatch(/\n\s+at /);
  });

  it('`earshot api` with Postgres or Redis unreachable says which, where (no password) and the variable to set, no stack', async () => {
    const noPostgres = await freePort();
    const noRedis = await freePort();
    const database = await scratchDatabase(cleanups);
    // Both at once: each waits out its own start-up wait.
    // Waited for 1 s (DATABASE_STARTUP_WAIT_MS), as a Postgres still starting would be.
    const pgChild = run('node', ['bin/earshot.js', 'api'], { DATABASE_URL: `postgres://earshot:s3cret@127.0.0.1:${noPostgres}/earshot`, DATABASE_STARTUP_WAIT_MS: '1000', PORT: '0', LOG_LEVEL: 'warn' });
    // REDIS_STARTUP_WAIT_MS unset: the 10 s it defaults to, the one test of that default.
    const redisChild = run('node', ['bin/earshot.js', 'api'], { DATABASE_URL: database, REDIS_URL: `redis://127.0.0.1:${noRedis}`, PORT: '0', LOG_LEVEL: 'warn' });
    cleanups.push(async () => void (redisChild.proc.exitCode === null && redisChild.proc.kill('SIGKILL')));

    expect((await pgChild.exited).code).toBe(1);
    expect(pgChild.output()).toMatch(new RegExp(`^earshot: could not reach Postgres at postgres://earshot:\\*\\*\\*@127\\.0\\.0\\.1:${noPostgres}/earshot in 1 s .*\\n.*DATABASE_URL=.*DATABASE_STARTUP_WAIT_MS \\(now 1000\\)`, 'm'));
    expect(pgChild.output()).not.toContain('s3cret');
    expect(pgChild.output()).not.toMatch(/\n\s+at /);

    expect((await redisChild.exited).code).toBe(1);
    expect(redisChild.output()).toMatch(new RegExp(`^earshot: could not reach Redis at redis://127\\.0\\.0\\.1:${noRedis} in 10 s \\(connect ECONNREFUSED 127\\.0\\.0\\.1:${noRedis}\\)\\.\\n.*REDIS_URL=.*REDIS_STARTUP_WAIT_MS \\(now 10000\\)`, 'm'));
    expect(redisChild.output()).not.toMatch(/\n\s+at /);
  });

  it('the command line: --help is the usage, and a mistake in it is one line and the usage, no stack, exit 2', async () => {
    // All at once: each is a process of its own.
    const help = run('node', ['bin/earshot.js', '--help'], {});
    const mistakes = (
      [
        [['rescore', '--bogus'], "earshot: Unknown option '--bogus'"],
        [['rescore', '--since'], "earshot: Option '--since <value>' argument missing"],
        [['rescore', '--since', 'yesterday'], 'earshot: --since: expected an ISO-8601 time such as 2026-12-01T00:00:00Z, got "yesterday"'],
        [['workspace', 'create'], 'earshot: workspace create: give the workspace a name'],
        [['api-key', 'create'], 'earshot: api-key create: give the id of the workspace the key is for'],
        [['workspace', 'create', 'Acme', '--since', '2026-01-01'], 'earshot: --since is an option of rescore, not of workspace'],
        [['start', 'extra'], 'earshot: start takes no arguments (got "extra")'],
      ] as const
    ).map(([args, says]) => ({ args, says, child: run('node', ['bin/earshot.js', ...args], {}) }));
    expect((await help.exited).code).toBe(0);
    expect(help.output()).toMatch(/^usage: earshot <command>/);
    for (const { args, says, child } of mistakes) {
      expect((await child.exited).code, args.join(' ')).toBe(2);
      expect(child.output().split('\n')[0], args.join(' ')).toBe(says);
      expect(child.output()).toContain('usage: earshot <command>');
      expect(child.output()).not.toMatch(/\n\s+at /);
    }
    // Answered before the bundle loads (a second or more on a busy host): what reads the command line imports nothing else.
    const reader = await readFile(new URL('../../dist/command-line.mjs', import.meta.url), 'utf8');
    expect([...reader.matchAll(/^import\b[^"\n]*"([^"]+)"/gm)].map((m) => m[1])).toEqual(['node:util']);
  });

  it('a bad environment variable stops start-up with a message naming it', async () => {
    const child = run('node', ['bin/earshot.js', 'start'], { PORT: 'abc' });
    expect((await child.exited).code).toBe(1);
    expect(child.output()).toMatch(/PORT: expected a whole number.*"abc"/);
  });

  it('/readyz answers 503 quickly when Postgres or Redis is unreachable, 200 when both are up', async () => {
    const deadPort = await freePort();
    const up = await createTestApp();
    cleanups.push(() => up.close());
    expect((await up.request('GET', '/readyz')).status).toBe(200);

    const noRedis = await createTestApp({ config: { REDIS_URL: `redis://127.0.0.1:${deadPort}` } });
    cleanups.push(() => noRedis.close());
    const started = Date.now();
    const res = await noRedis.request('GET', '/readyz');
    expect(res.status).toBe(503);
    expect(res.json.checks).toMatchObject({ postgres: { ok: true }, redis: { ok: false } });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect((await noRedis.request('GET', '/healthz')).status).toBe(200);

    // Postgres gone: the app's pool points at a port where nothing listens.
    const deadDb = createDb({ url: `postgres://postgres@127.0.0.1:${deadPort}/none`, poolSize: 1, log: silentLog });
    const noPg = await createTestApp({ deps: { db: deadDb } });
    cleanups.push(() => noPg.close());
    const pgDown = await noPg.request('GET', '/readyz');
    expect(pgDown.status).toBe(503);
    expect(pgDown.json.checks.postgres.ok).toBe(false);
  });

  it('`npm start` serves the API, creates a workspace, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const prefix = `t${randomBytes(4).toString('hex')}`;
    cleanups.push(() => dropRedisPrefix(prefix));
    const child = run('npm', ['start', '--silent'], {
      DATABASE_URL: await scratchDatabase(cleanups, { create: false }),
      PORT: String(port),
      HOST: '127.0.0.1',
      ADMIN_TOKEN,
      QUEUE_PREFIX: prefix,
      LOG_LEVEL: 'info',
    });
    cleanups.push(async () => void child.proc.kill('SIGKILL'));
    const base = `http://127.0.0.1:${port}`;
    let ready = false;
    for (let i = 0; i < 1_200 && !ready; i++) {
      ready = await fetch(`${base}/readyz`).then((r) => r.status === 200, () => false);
      if (!ready) await new Promise((r) => setTimeout(r, 25));
    }
    expect(ready, child.output()).toBe(true);
    const created = await fetch(`${base}/v1/workspaces`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'From npm start' }),
    });
    expect(created.status).toBe(201);
    const { apiKey } = (await created.json()) as { apiKey: string };
    expect((await fetch(`${base}/v1/brands`, { headers: { authorization: `Bearer ${apiKey}` } })).status).toBe(200);

    child.proc.kill('SIGTERM');
    const { code } = await child.exited;
    expect(code, child.output()).toBe(0);
    expect(child.output()).toContain('shutting down');
  });
});

