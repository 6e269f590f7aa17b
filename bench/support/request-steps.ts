// The Postgres and Redis steps behind one `GET /v1/mentions` page, each timed alone: which part
// of a request's time is the stream query, and which is everything around it.
import { sql } from 'kysely';
import type { Redis } from 'ioredis';
import { createBrandRepository } from '../../src/domain/brands/brands.repository.js';
import { createMentionRepository } from '../../src/domain/mentions/mentions.repository.js';
import { toMention } from '../../src/domain/mentions/mentions.usecases.js';
import { hashApiKey } from '../../src/domain/workspaces/api-keys.js';
import { createWorkspaceRepository } from '../../src/domain/workspaces/workspaces.repository.js';
import type { Database } from '../../src/infra/db/database.js';
import { createRateLimiter } from '../../src/infra/rate-limiter.js';

async function step(label: string, n: number, call: (i: number) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 50; i++) await call(i);
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < n; i++) await call(i);
  const wall = (performance.now() - started) / n;
  const used = process.cpuUsage(cpu);
  console.log(`  ${label.padEnd(62)} wall ${wall.toFixed(2).padStart(5)} ms  CPU ${((used.user + used.system) / n / 1000).toFixed(2)} ms`);
}

/**
 * Postgres transactions per request (each autocommitted statement is one), from the database's
 * own counters: how many round trips a page costs, which no load on the machine changes.
 */
export async function transactionsPerRequest({ db, n, request }: { db: Database; n: number; request: (i: number) => Promise<unknown> }): Promise<number> {
  const read = async () => {
    // Backends report their counters about once a second; wait for them, and force ours out.
    await new Promise((r) => setTimeout(r, 1500));
    await sql`select pg_stat_force_next_flush()`.execute(db);
    await sql`select pg_stat_clear_snapshot()`.execute(db);
    const { rows } = await sql<{ n: number }>`select xact_commit::int as n from pg_stat_database where datname = current_database()`.execute(db);
    return rows[0]!.n;
  };
  const before = await read();
  for (let i = 0; i < n; i++) await request(i);
  // The two reads add their own few transactions; next to n requests they round away.
  return ((await read()) - before) / n;
}

export async function timeRequestSteps({
  db,
  redis,
  prefix,
  workspaceId,
  apiKey,
  brandIds,
  n = 500,
}: {
  db: Database;
  redis: Redis;
  prefix: string;
  workspaceId: string;
  apiKey: string;
  brandIds: string[];
  n?: number;
}): Promise<void> {
  const workspaces = createWorkspaceRepository({ db });
  const brands = createBrandRepository({ db });
  const mentions = createMentionRepository({ db });
  const limiter = createRateLimiter({ redis, perMinute: 1_000_000, prefix });
  const key = (await workspaces.findKeyByHash(hashApiKey(apiKey)))!;
  const now = new Date();
  const filter = (i: number) => ({ brandId: brandIds[i % brandIds.length]!, sentiment: 'negative' as const, since: new Date(Date.now() - 7 * 86_400_000), until: new Date() });
  const rows = await mentions.list(workspaceId, filter(0), { limit: 50 });
  console.log(`\nEach step of a request alone, ${n} calls each:`);
  await step('API key lookup (findKeyByHash)', n, () => workspaces.findKeyByHash(hashApiKey(apiKey)));
  await step('touchKey (an UPDATE changing no row: key used this minute)', n, () => workspaces.touchKey(key.id, now));
  await step('rate limiter (one Redis EVAL)', n, () => limiter.take(key.id));
  await step('brand check (brandRepository.get)', n, (i) => brands.get(workspaceId, brandIds[i % brandIds.length]!));
  await step('mentionRepository.list, 51 rows', n, (i) => mentions.list(workspaceId, filter(i), { limit: 50 }));
  await step('toMention × 51 + JSON.stringify', n, async () => JSON.stringify({ items: rows.map(toMention) }));
  await step('select 1 (one round trip)', n, () => sql`select 1`.execute(db));
}
