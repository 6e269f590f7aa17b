import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase } from '../support/db.js';
import { dropRedisPrefix, REDIS_URL } from '../support/redis.js';
import { ROOT, freePort, run, type Child } from '../support/process.js';
import { Redis } from 'ioredis';

// How `npm run demo` is told what to do: --help, arguments it does not take, the variables that
// choose its ports, and what it suggests when a port is taken. Most of these end before Earshot
// starts, so they run at once and take the seconds tsx needs to load the script.
const DEMO_ENV = { PORT: '0', DEMO_PUBLISH_INTERVAL_MS: '1000', LOG_LEVEL: 'warn', INGEST_THREADS: '1', INGEST_WARM_UP: 'false' };
const prefix = `tdemocli${randomBytes(4).toString('hex')}`;
/** A database no run creates: a demo that starts where it should not would create it. */
const untouchedName = `earshot_t_${inject('runId')}_democli_${randomBytes(4).toString('hex')}`;
const untouchedUrl = Object.assign(new URL(inject('pgServer')), { pathname: `/${untouchedName}` }).toString();

const children: Child[] = [];
/** The full starts': the one that runs, and the one whose port is taken (it runs workers a moment before it fails). */
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let takenDb: Awaited<ReturnType<typeof createTestDatabase>>;
const takenPrefix = `${prefix}p`;
/** The prefix of the runs that must end before Earshot starts: none may leave a key under it. */
const untouchedPrefix = `${prefix}u`;

function demo(args: string[], env: Record<string, string> = {}, command: 'npm' | 'node' = 'node'): Child {
  const [cmd, argv] = command === 'npm' ? ['npm', ['run', 'demo', '--', ...args]] : ['node', ['--import', 'tsx', 'scripts/demo.ts', ...args]];
  const child = run(cmd as string, argv as string[], { ...DEMO_ENV, DEMO_DATABASE_URL: untouchedUrl, DEMO_QUEUE_PREFIX: untouchedPrefix, ...env });
  children.push(child);
  return child;
}

/**
 * Stops a run still going: SIGTERM first, which npm passes on to the demo (a SIGKILL would end npm
 * and leave the demo running), then SIGKILL.
 */
async function stop(child: Child): Promise<void> {
  if (child.proc.exitCode !== null || child.proc.signalCode !== null) return;
  child.proc.kill('SIGTERM');
  const exit = await Promise.race([child.exited, new Promise<null>((r) => setTimeout(() => r(null), 20_000))]);
  if (exit === null) {
    child.proc.kill('SIGKILL');
    await child.exited;
  }
}

/** How it exited, with what it printed; a run that does not end in time is stopped and fails the test. */
async function ended(child: Child, ms = 30_000): Promise<{ exit: { code: number | null; signal: NodeJS.Signals | null } | null; out: string }> {
  const exit = await Promise.race([child.exited, new Promise<null>((r) => setTimeout(() => r(null), ms))]);
  if (exit === null) await stop(child);
  return { exit, out: child.output() };
}

async function databaseExists(name: string): Promise<boolean> {
  const admin = new pg.Client({ connectionString: inject('pgServer') });
  await admin.connect();
  try {
    return (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1;
  } finally {
    await admin.end();
  }
}

async function redisKeys(): Promise<string[]> {
  const redis = new Redis(REDIS_URL);
  try {
    return await redis.keys(`${untouchedPrefix}:*`);
  } finally {
    await redis.quit();
  }
}

/** Whether this test can listen on the port on 127.0.0.1: it is free. The server is closed again. */
async function canListen(port: number): Promise<boolean> {
  const server = createServer();
  const ok = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => resolve(true));
  });
  if (ok) await new Promise((r) => server.close(r));
  return ok;
}

/** Two ports in a row, both held by this test: a suggestion of "the next one" would be taken too. */
async function takeTwoPorts(): Promise<{ port: number; servers: Server[] }> {
  for (;;) {
    const port = await freePort();
    const servers: Server[] = [];
    for (const p of [port, port + 1]) {
      const server = createServer();
      const ok = await new Promise<boolean>((resolve) => {
        server.once('error', () => resolve(false));
        server.listen(p, '127.0.0.1', () => resolve(true));
      });
      if (ok) servers.push(server);
    }
    if (servers.length === 2) return { port, servers };
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  }
}

const closeAll = (servers: Server[]) => Promise.all(servers.map((s) => new Promise((r) => s.close(r))));

beforeAll(async () => {
  [db, takenDb] = await Promise.all([createTestDatabase(), createTestDatabase()]);
});

afterAll(async () => {
  await Promise.all(children.map(stop));
  await db?.drop();
  await takenDb?.drop();
  const admin = new pg.Client({ connectionString: inject('pgServer') });
  await admin.connect();
  await admin.query(`drop database if exists "${untouchedName}" with (force)`);
  await admin.end();
  await dropRedisPrefix(prefix);
  await dropRedisPrefix(takenPrefix);
  await dropRedisPrefix(untouchedPrefix);
});

describe.concurrent('npm run demo, told what to do', () => {
  it('--help prints a usage listing every variable it reads, exits 0, and creates nothing', async () => {
    const [long, short] = await Promise.all([ended(demo(['--help'], {}, 'npm')), ended(demo(['-h']))]);
    const { exit, out } = long;
    expect(exit, out).toEqual({ code: 0, signal: null });
    expect(out).toMatch(/usage: .*npm run demo/);
    expect(out).not.toMatch(/Earshot demo is running/);
    // Every variable the script reads itself, and those it hands on to Earshot under defaults of its own.
    const script = readFileSync(`${ROOT}scripts/demo.ts`, 'utf8');
    const read = new Set([...script.matchAll(/process\.env\.([A-Z_]+)/g)].map((m) => m[1]!));
    for (const name of ['PORT', 'HOST', 'DEMO_FEED_PORT', 'DEMO_DATABASE_URL', 'DEMO_QUEUE_PREFIX', 'DEMO_PUBLISH_INTERVAL_MS', 'REDIS_URL', ...read]) {
      expect(out, name).toMatch(new RegExp(`^ +${name} `, 'm'));
    }
    expect(short.exit, short.out).toEqual({ code: 0, signal: null });
    expect(short.out).toMatch(/usage: .*npm run demo/);
    expect(await databaseExists(untouchedName)).toBe(false);
    expect(await redisKeys()).toEqual([]);
  }, 60_000);

  it('refuses an argument it does not take with one line naming it, then the usage: exit 2, before anything is created', async () => {
    const { exit, out } = await ended(demo(['--port', '3001']));
    expect(exit, out).toEqual({ code: 2, signal: null });
    const [first, blank, usage] = out.split('\n');
    expect(first).toMatch(/^earshot demo: .*"--port" "3001"/);
    expect(blank).toBe('');
    expect(usage).toMatch(/^usage: /);
    expect(out).not.toMatch(/^\s+at /m);
    expect(await databaseExists(untouchedName)).toBe(false);
  }, 60_000);

  it('with its port taken, it suggests a port it found free on that host', async () => {
    const { port, servers } = await takeTwoPorts();
    try {
      const { exit, out } = await ended(demo([], { PORT: String(port), DEMO_DATABASE_URL: takenDb.url, DEMO_QUEUE_PREFIX: takenPrefix }), 60_000);
      expect(exit, out).toEqual({ code: 1, signal: null });
      expect(out).toContain(`port ${port} on 127.0.0.1 is already in use`);
      expect(out).not.toMatch(/^\s+at /m);
      const suggested = Number(/For example: PORT=(\d+) npm run demo/.exec(out)?.[1]);
      expect(suggested, out).toBeGreaterThan(0);
      // While both ports are still held here: "the next one" would not be free.
      expect(await canListen(suggested), out).toBe(true);
    } finally {
      await closeAll(servers);
    }
  }, 90_000);

  it('with DEMO_FEED_PORT set, its sample feeds are served on that port, which it prints', async () => {
    const feedPort = await freePort();
    const child = demo([], { DEMO_FEED_PORT: String(feedPort), DEMO_DATABASE_URL: db.url, DEMO_QUEUE_PREFIX: prefix });
    await child.waitFor(/Press Ctrl-C to stop\./, 90_000);
    const out = child.output();
    expect(out).toContain(`http://127.0.0.1:${feedPort}/`);
    const base = /Earshot demo is running at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!;
    const key = /API key: +(\S+)/.exec(out)![1]!;
    const res = await fetch(`${base}/v1/sources`, { headers: { authorization: `Bearer ${key}` } });
    const { items } = (await res.json()) as { items: Array<{ url: string }> };
    expect(items.length).toBeGreaterThan(0);
    for (const { url } of items) {
      expect(new URL(url).port, url).toBe(String(feedPort));
      const feed = await fetch(url);
      expect(feed.status, url).toBe(200);
      expect(await feed.text(), url).toContain('<rss');
    }
    child.proc.kill('SIGINT');
    expect(await child.exited, child.output()).toEqual({ code: 0, signal: null });
  }, 120_000);

  it('refuses a DEMO_FEED_PORT that is not a port, naming the variable, before anything is created', async () => {
    const cases = [
      ['feeds', 'expected a whole number'],
      ['70000', 'must be at most 65535'],
      ['-1', 'expected a whole number'],
    ] as const;
    const runs = await Promise.all(cases.map(([value]) => ended(demo([], { DEMO_FEED_PORT: value }))));
    cases.forEach(([value, says], i) => {
      const { exit, out } = runs[i]!;
      expect(exit, out).toEqual({ code: 1, signal: null });
      expect(out).toContain(`DEMO_FEED_PORT: ${says} (got "${value}")`);
      expect(out).not.toMatch(/^\s+at /m);
    });
    expect(await databaseExists(untouchedName)).toBe(false);
  }, 60_000);

  it('with DEMO_FEED_PORT taken, it says so and suggests a free one, before anything is created', async () => {
    const { port, servers } = await takeTwoPorts();
    try {
      const { exit, out } = await ended(demo([], { DEMO_FEED_PORT: String(port) }));
      expect(exit, out).toEqual({ code: 1, signal: null });
      expect(out).toContain(`port ${port} on 127.0.0.1 is already in use: set DEMO_FEED_PORT`);
      expect(out).not.toMatch(/^\s+at /m);
      const suggested = Number(/For example: DEMO_FEED_PORT=(\d+) npm run demo/.exec(out)?.[1]);
      expect(suggested, out).toBeGreaterThan(0);
      expect(await canListen(suggested), out).toBe(true);
    } finally {
      await closeAll(servers);
    }
    expect(await databaseExists(untouchedName)).toBe(false);
  }, 60_000);
});
