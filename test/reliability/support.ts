import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, run, type Child } from '../support/process.js';
import type { TestApp } from '../support/app.js';
import { createTestStack, type TestStack } from '../support/stack.js';
import type { Role } from '../../src/runtime.js';
import type { PollDeps } from '../../src/domain/sources/poll.usecases.js';
import { silentLog } from '../support/db.js';

/** The fetch job's own dependencies, as src/workers/index.ts builds them, for calling pollSource directly. */
export function pollDepsOf(s: TestStack, overrides: Partial<PollDeps> = {}): PollDeps {
  return {
    ...s.services,
    openCredentials: null,
    plainHttpCredentials: s.config.ALLOW_PRIVATE_NETWORKS,
    acquireHost: (host) => s.services.hostSlots.acquire(host, randomUUID()),
    publish: async () => {},
    log: silentLog,
    ...overrides,
  };
}

/** Polls `check` until it returns something truthy, or fails naming what it waited for. */
export async function waitUntil<T>(what: string, check: () => Promise<T> | T, timeoutMs = 15_000, everyMs = 50): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body: string;
}

/**
 * A real HTTP server on 127.0.0.1 whose answers the test scripts, that can hold requests until the
 * test releases them (a fetch "in flight"), and that counts TCP connections as well as requests,
 * so a refused fetch can be shown to have never reached it.
 */
export async function startUpstream() {
  const routes = new Map<string, Reply>();
  const requests: Array<{ path: string; at: number }> = [];
  let connections = 0;
  let held: Array<() => void> = [];
  let holding = false;
  const server: Server = createServer((req: IncomingMessage, res) => {
    const path = req.url ?? '/';
    requests.push({ path, at: Date.now() });
    const answer = () => {
      const reply = routes.get(path);
      if (!reply) return void res.writeHead(404).end('not found');
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/rss+xml; charset=utf-8', ...reply.headers }).end(reply.body);
    };
    if (holding) held.push(answer);
    else answer();
  });
  server.on('connection', () => void connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    routes,
    requests,
    connections: () => connections,
    /** Requests from now on wait for `release()`. */
    hold(): void {
      holding = true;
    },
    /** Answers every held request (with the route as it is now) and stops holding. */
    release(): void {
      holding = false;
      const waiting = held;
      held = [];
      for (const answer of waiting) answer();
    },
    /** Resolves once `count` requests for `path` have arrived. */
    arrived: (path: string, count = 1, timeoutMs = 15_000) =>
      waitUntil(`${count} request(s) for ${path}`, () => requests.filter((r) => r.path === path).length >= count, timeoutMs),
    async close(): Promise<void> {
      holding = false;
      held = [];
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type Upstream = Awaited<ReturnType<typeof startUpstream>>;

/** A source through the API; fails the test when it is not created. */
export async function addSource(t: TestApp, key: string, body: Record<string, unknown>): Promise<{ id: string }> {
  const res = await t.request('POST', '/v1/sources', { key, body: { type: 'rss', ...body } });
  if (res.status !== 201) throw new Error(`source creation failed: ${res.status} ${res.text}`);
  return res.json;
}

export async function getSource(t: TestApp, key: string, id: string) {
  const res = await t.request('GET', `/v1/sources/${id}`, { key });
  if (res.status !== 200) throw new Error(`GET source: ${res.status} ${res.text}`);
  return res.json as {
    enabled: boolean;
    disabledReason: string | null;
    lastFetchedAt: string | null;
    lastStatus: number | null;
    lastError: string | null;
    consecutiveFailures: number;
    nextFetchAt: string;
  };
}

/** "Poll now" through the API, then everything it caused, done. */
export async function fetchNow(s: TestStack, key: string, id: string): Promise<void> {
  const res = await s.request('POST', `/v1/sources/${id}/fetch`, { key });
  if (res.status !== 202) throw new Error(`POST fetch: ${res.status} ${res.text}`);
  await s.drain();
}

/** Every stored row of a source, straight from the table (unmatched items included). */
export function storedItems(s: TestStack, sourceId?: string) {
  let q = s.db.selectFrom('mentions').select(['item_key', 'canonical_url', 'published_at', 'fetched_at', 'occurred_at', 'date_quality', 'is_backlog', 'source_id']);
  if (sourceId) q = q.where('source_id', '=', sourceId);
  return q.orderBy('id').execute();
}

/** An Earshot process of one role (`earshot worker` by default) on the stack's database and queue prefix. */
export async function startEarshotProcess(s: TestStack, { role = 'worker', env = {} }: { role?: Role; env?: Record<string, string> } = {}): Promise<Child> {
  const child = run('node', ['bin/earshot.js', role], {
    DATABASE_URL: s.config.DATABASE_URL,
    REDIS_URL: s.config.REDIS_URL,
    QUEUE_PREFIX: s.config.QUEUE_PREFIX,
    ALLOW_PRIVATE_NETWORKS: 'true',
    LOG_LEVEL: 'info',
    NODE_ENV: 'test',
    ...env,
  });
  await child.waitFor(/earshot started/, 60_000);
  return child;
}

/**
 * A redis-server of the test's own on a free port, so it can be stopped without touching the
 * shared one. `stop()` saves and shuts it down; `start()` brings it back on the same port with
 * the same data, as a restarted Redis would (or empty, after `stop({ save: false })`). With a
 * `password`, it requires it (requirepass), and `url` carries it.
 */
export async function startPrivateRedis({ password }: { password?: string } = {}) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'earshot-redis-'));
  let proc: ChildProcess | null = null;

  async function start(): Promise<void> {
    const auth = password ? ['--requirepass', password] : [];
    proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction', ...auth], {
      stdio: 'ignore',
    });
    const probe = new Redis({ port, host: '127.0.0.1', password, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => {});
    await waitUntil(`redis-server on ${port}`, async () => {
      await probe.connect().catch(() => {});
      if (probe.status !== 'ready') return false;
      return (await probe.ping()) === 'PONG';
    });
    probe.disconnect();
  }

  /** `save: false` (SHUTDOWN NOSAVE): the server comes back empty, as one without persistence does. */
  async function stop({ save = true }: { save?: boolean } = {}): Promise<void> {
    const running = proc;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    const admin = new Redis({ port, host: '127.0.0.1', password, maxRetriesPerRequest: 0, retryStrategy: () => null });
    admin.on('error', () => {});
    // SHUTDOWN SAVE writes the dataset first, so the restarted server still has the queues.
    await admin.call('SHUTDOWN', save ? 'SAVE' : 'NOSAVE').catch(() => {});
    admin.disconnect();
    await exited;
  }

  await start();
  return {
    url: `redis://${password ? `:${encodeURIComponent(password)}@` : ''}127.0.0.1:${port}`,
    start,
    stop,
    /** Brings a stopped server back, so a test that failed mid-outage still closes its clients cleanly. */
    async ensureRunning(): Promise<void> {
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) await start();
    },
    async kill(): Promise<void> {
      if (proc && proc.exitCode === null) {
        const exited = new Promise((resolve) => proc!.once('exit', resolve));
        proc.kill('SIGKILL');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs every cleanup even when some fail; afterAll hooks call it so nothing outlives a failing test. */
export function cleanupList() {
  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  return {
    add(fn: () => Promise<unknown> | unknown): void {
      cleanups.push(fn);
    },
    async run(): Promise<void> {
      const errors: unknown[] = [];
      for (const fn of cleanups.reverse()) {
        try {
          await fn();
        } catch (err) {
          errors.push(err);
        }
      }
      cleanups.length = 0;
      if (errors.length) throw errors[0];
    },
  };
}

/**
 * The usual world of a reliability test: a controllable upstream, a whole Earshot on its own
 * database and queue prefix (its workers stopped when `stopWorkers`), and a workspace's key; each
 * closed by `cleanup`.
 */
export async function upstreamAndStack(
  cleanup: ReturnType<typeof cleanupList>,
  workspaceName: string,
  { stopWorkers = false }: { stopWorkers?: boolean } = {},
): Promise<{ upstream: Upstream; s: TestStack; key: string }> {
  const upstream = await startUpstream();
  cleanup.add(() => upstream.close());
  const s = await createTestStack();
  cleanup.add(() => s.close());
  if (stopWorkers) await s.stopWorkers();
  const key = (await s.workspace(workspaceName)).key;
  return { upstream, s, key };
}
