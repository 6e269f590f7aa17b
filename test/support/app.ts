import { randomBytes } from 'node:crypto';
import { createApp, type ApiDeps } from '../../src/api/app.js';
import { createMentionSubscriber } from '../../src/infra/mention-events.js';
import { createServices } from '../../src/services.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createMetrics } from '../../src/infra/metrics.js';
import { createRedis, waitForRedis } from '../../src/infra/redis.js';
import { createTestDatabase, silentLog } from './db.js';
import { REDIS_URL, dropRedisPrefix } from './redis.js';
import type { Logger } from '../../src/logger.js';
import { startEarshot, type Running } from '../../src/runtime.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export { REDIS_URL, dropRedisPrefix } from './redis.js';

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    ADMIN_TOKEN,
    REDIS_URL,
    QUEUE_PREFIX: `t${randomBytes(5).toString('hex')}`,
    LOG_LEVEL: 'silent',
    ALLOW_PRIVATE_NETWORKS: 'true',
    // The ingest threads' warm-up costs about 4.7 s of CPU per thread under the test runner's
    // transform, and every test stack that polls waits for it. It changes no answer (the shared
    // pools of test/infra/ingest-pool*.test.ts keep it and compare), and the warm-up itself, the
    // demo's first minute and start-up are tested with it on; elsewhere a test asks for it.
    INGEST_WARM_UP: 'false',
    ...overrides,
  });
}

/** The real app over a database and a Redis prefix of its own. */
export async function createTestApp(options: { config?: Record<string, string>; deps?: Partial<ApiDeps>; log?: Logger } = {}) {
  const log = options.log ?? silentLog;
  const database = await createTestDatabase();
  const config = testConfig({ DATABASE_URL: database.url, ...options.config });
  const redis = createRedis(config.REDIS_URL, { role: 'producer', log: silentLog });
  // As at start-up: wait for the fail-fast client to connect (tests with a dead Redis go on without it).
  await waitForRedis(redis, 1_000).catch(() => {});
  const services = createServices({ config, db: options.deps?.db ?? database.db, redis, log });
  const subscriber = createMentionSubscriber({ url: config.REDIS_URL, prefix: config.QUEUE_PREFIX, log });
  const deps: ApiDeps = { ...services, metrics: createMetrics(), subscriber, ...options.deps };
  const app = createApp(deps);

  async function request(method: string, path: string, init: { key?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { ...init.headers };
    if (init.key) headers.authorization = `Bearer ${init.key}`;
    let body: string | undefined;
    if (init.raw !== undefined) body = init.raw;
    else if (init.body !== undefined) body = JSON.stringify(init.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const res = await app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    let json: any = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: res.status, headers: res.headers, json, text };
  }

  /** A request that must succeed (2xx): throws with the status and body otherwise. */
  async function ok(method: string, path: string, key: string, body?: unknown) {
    const res = await request(method, path, { key, ...(body === undefined ? {} : { body }) });
    if (res.status >= 300) throw new Error(`${method} ${path}: expected success, got ${res.status} ${res.text}`);
    return res;
  }

  /** A new workspace through the admin API; returns its id and key. */
  async function workspace(name = 'Acme'): Promise<{ id: string; key: string }> {
    const res = await request('POST', '/v1/workspaces', { key: ADMIN_TOKEN, body: { name } });
    if (res.status !== 201) throw new Error(`workspace creation failed: ${res.status} ${res.text}`);
    return { id: res.json.id, key: res.json.apiKey };
  }

  return {
    app,
    deps,
    config,
    db: database.db,
    request,
    ok,
    workspace,
    async close() {
      await subscriber.close();
      await services.close();
      redis.disconnect();
      await dropRedisPrefix(config.QUEUE_PREFIX);
      await database.drop();
    },
  };
}

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;

/**
 * The API role as `earshot api` runs it (the real HTTP server on a free port of 127.0.0.1), over a
 * database and a Redis prefix of its own. `stop` shuts it down unless the test already did.
 */
export async function startApiRole(): Promise<{ running: Running; stop: () => Promise<void> }> {
  const prefix = `t${randomBytes(5).toString('hex')}`;
  const database = await createTestDatabase();
  const config = testConfig({ DATABASE_URL: database.url, QUEUE_PREFIX: prefix, PORT: '0', HOST: '127.0.0.1' });
  const running = await startEarshot({ roles: ['api'], config, log: silentLog });
  return {
    running,
    stop: async () => {
      if (!running.shutdown.stopping) await running.shutdown.shutdown('test');
      await dropRedisPrefix(prefix);
      await database.drop();
    },
  };
}
