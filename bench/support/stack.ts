// What a benchmark needs around Earshot: a database of its own, a Redis prefix of its own, and
// the real app in this process for setting up workspaces, brands and sources through the API.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import pg from 'pg';
import { Redis } from 'ioredis';
import { createApp } from '../../src/api/app.js';
import { loadConfig } from '../../src/config.js';
import { createDb, type Database } from '../../src/infra/db/database.js';
import { migrateToLatest } from '../../src/infra/db/migrator.js';
import { createMentionSubscriber } from '../../src/infra/mention-events.js';
import { createMetrics } from '../../src/infra/metrics.js';
import { createRedis, waitForRedis } from '../../src/infra/redis.js';
import { createLogger } from '../../src/logger.js';
import { createServices } from '../../src/services.js';

export const PG_SERVER = process.env.BENCH_DATABASE_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const ADMIN_TOKEN = 'bench-admin-token-0123456789';
// 'error': dropping a bench database WITH (FORCE) makes pg report its closing clients at warn.
export const benchLog = createLogger({ level: 'error' });

/** A name no test run's clean-up matches (tests drop earshot_t_* / earshot_tpl_* of dead runs). */
export const uniqueName = (kind: string) => `earshot_bench_${kind}_${process.pid}_${randomBytes(3).toString('hex')}`;

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_SERVER });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated database; `drop` removes it, whatever connections are left. */
export async function createBenchDatabase(kind: string): Promise<{ name: string; url: string; db: Database; drop: () => Promise<void> }> {
  const name = uniqueName(kind);
  await admin((c) => c.query(`create database "${name}"`));
  const url = new URL(PG_SERVER);
  url.pathname = `/${name}`;
  const db = createDb({ url: url.toString(), poolSize: 4, log: benchLog });
  await migrateToLatest(db);
  return {
    name,
    url: url.toString(),
    db,
    drop: async () => {
      await db.destroy();
      await admin((c) => c.query(`drop database if exists "${name}" with (force)`));
    },
  };
}

/** Deletes every Redis key under the prefix (queues, host slots, live events). */
export async function dropRedisPrefix(prefix: string): Promise<number> {
  const redis = new Redis(REDIS_URL);
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) deleted += await redis.del(...keys);
  } while (cursor !== '0');
  await redis.quit();
  return deleted;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The real app over the bench database, in this process; requests go through `app.request`. */
export async function createBenchApp({ databaseUrl, db, prefix, env = {} }: { databaseUrl: string; db: Database; prefix: string; env?: Record<string, string> }) {
  const config = loadConfig({
    ...env,
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    ADMIN_TOKEN,
    ALLOW_PRIVATE_NETWORKS: 'true',
    LOG_LEVEL: 'warn',
    // The bench sends thousands of requests with one key; the limiter itself still runs.
    RATE_LIMIT_PER_MINUTE: '1000000',
  });
  const redis = createRedis(config.REDIS_URL, { role: 'producer', log: benchLog });
  await waitForRedis(redis);
  const services = createServices({ config, db, redis, log: benchLog });
  const subscriber = createMentionSubscriber({ url: config.REDIS_URL, prefix, log: benchLog });
  const app = createApp({ ...services, metrics: createMetrics(), subscriber });

  async function request(method: string, path: string, init: { key?: string; body?: unknown } = {}) {
    const headers: Record<string, string> = {};
    if (init.key) headers.authorization = `Bearer ${init.key}`;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const res = await app.request(path, { method, headers, ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}) });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${text}`);
    return JSON.parse(text) as any;
  }

  return {
    app,
    services,
    request,
    /** A workspace with its API key, made through the admin API. */
    async workspace(name: string): Promise<{ id: string; key: string }> {
      const ws = await request('POST', '/v1/workspaces', { key: ADMIN_TOKEN, body: { name } });
      return { id: ws.id, key: ws.apiKey };
    },
    async close(): Promise<void> {
      await subscriber.close();
      await services.close();
      redis.disconnect();
    },
  };
}

export type BenchApp = Awaited<ReturnType<typeof createBenchApp>>;

/** A count given on a bench's command line; anything else stops the bench before it starts anything. */
export function positiveInteger(option: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${option} takes a whole number of 1 or more, got "${value}"`);
  return n;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
