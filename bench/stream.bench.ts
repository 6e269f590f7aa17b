// `npm run bench -- stream [--mentions 1000000] [--requests 400] [--deep-pages 100] [--explain] [--keep] [--reuse <database>]`
// Latency of the mention stream's pages (`GET /v1/mentions?brand=…&sentiment=negative&limit=50`)
// through the real app over a million stored mentions: first pages and deep keyset pages.
import { parseArgs } from 'node:util';
import { Kysely, PostgresDialect, sql, type CompiledQuery } from 'kysely';
import pg from 'pg';
import { createMentionRepository } from '../src/domain/mentions/mentions.repository.js';
import { createApiKey } from '../src/domain/workspaces/workspaces.usecases.js';
import { createDb } from '../src/infra/db/database.js';
import type { DB } from '../src/infra/db/schema.js';
import { BRANDS } from './support/corpus.js';
import { timeRequestSteps, transactionsPerRequest } from './support/request-steps.js';
import { seedMentions } from './support/seed-mentions.js';
import { PG_SERVER, benchLog, createBenchApp, createBenchDatabase, dropRedisPrefix, percentile, type BenchApp } from './support/stack.js';

const DAY_MS = 86_400_000;

interface Case {
  label: string;
  ms: number[];
  /** CPU this process used per request (the app and its clients), robust to other load. */
  cpuUs?: number;
}

function summary({ label, ms, cpuUs }: Case): string {
  const s = [...ms].sort((a, b) => a - b);
  const f = (v: number) => v.toFixed(2).padStart(7);
  const cpu = cpuUs === undefined ? '' : `  CPU ${(cpuUs / 1000).toFixed(2)} ms/request`;
  return `  ${label.padEnd(44)} n=${String(s.length).padStart(4)}  p50 ${f(percentile(s, 50))}  p95 ${f(percentile(s, 95))}  p99 ${f(percentile(s, 99))}  max ${f(s.at(-1)!)} ms${cpu}`;
}

/** A database seeded once, or (with --reuse) one a previous --keep run left, with its API key. */
async function prepare(values: { mentions: string; reuse?: string | undefined }, prefix: string) {
  if (values.reuse) {
    const url = new URL(PG_SERVER);
    url.pathname = `/${values.reuse}`;
    const db = createDb({ url: url.toString(), poolSize: 4, log: benchLog });
    const app = await createBenchApp({ databaseUrl: url.toString(), db, prefix });
    // A fresh key on the kept workspace: keys are shown only when made.
    const { rows } = await sql<{ id: string }>`select id from workspaces order by created_at limit 1`.execute(db);
    const { key } = await createApiKey({ workspaceId: rows[0]!.id, name: 'bench', db, workspaceRepository: app.services.workspaceRepository });
    return { name: values.reuse, db, app, key, workspaceId: rows[0]!.id, drop: () => db.destroy() };
  }
  const database = await createBenchDatabase('stream');
  const app = await createBenchApp({ databaseUrl: database.url, db: database.db, prefix });
  try {
    const ws = await app.workspace('Bench stream');
    const brandIds: string[] = [];
    for (const b of BRANDS) brandIds.push((await app.request('POST', '/v1/brands', { key: ws.key, body: { name: b.name, role: b.role, query: b.query } })).id);
    // Brands made before their history exists: nothing to rematch.
    await sql`update brands set matched_version = query_version`.execute(database.db);
    const total = Number(values.mentions);
    const started = performance.now();
    await seedMentions({
      db: database.db,
      workspaceId: ws.id,
      brandIds,
      total,
      days: 180,
      onBatch: (done) => process.stdout.write(`\r  seeding: ${done} of ${total} mentions (${((performance.now() - started) / 1000).toFixed(0)} s)`),
    });
    console.log(`\n  mention_brands filled; ${((performance.now() - started) / 1000).toFixed(0)} s so far`);
    await sql`vacuum analyze`.execute(database.db);
    console.log(`  VACUUM ANALYZE done; ${((performance.now() - started) / 1000).toFixed(0)} s in all`);
    return { name: database.name, db: database.db, app, key: ws.key, workspaceId: ws.id, drop: database.drop };
  } catch (err) {
    await app.close();
    await database.drop();
    throw err;
  }
}

/**
 * One page, timed from the request to the last byte of the response: what the server spends.
 * Decoding and parsing the JSON is the client's work (until 2026-12-06 it was inside the timed
 * span: ~0.3–0.5 ms of a 50-item page on this machine kind).
 */
async function timedGet(app: BenchApp, key: string, path: string): Promise<{ ms: number; body: { items: unknown[]; nextCursor: string | null } }> {
  const started = performance.now();
  const res = await app.app.request(path, { headers: { authorization: `Bearer ${key}` } });
  const bytes = await res.arrayBuffer();
  const ms = performance.now() - started;
  const text = new TextDecoder().decode(bytes);
  if (res.status !== 200) throw new Error(`GET ${path} → ${res.status} ${text}`);
  return { ms, body: JSON.parse(text) };
}

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      mentions: { type: 'string', default: '1000000' },
      requests: { type: 'string', default: '400' },
      'deep-pages': { type: 'string', default: '100' },
      explain: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      reuse: { type: 'string' },
    },
  });
  const prefix = `benchs${process.pid}`;
  console.log(values.reuse ? `Reusing database ${values.reuse}` : `Seeding ${values.mentions} mentions over 180 days into a fresh database…`);
  const env = await prepare(values, prefix).catch(async (err: unknown) => {
    await dropRedisPrefix(prefix);
    throw err;
  });
  try {
    const { db, app, key } = env;
    const brands = (
      await sql<{ id: string; name: string; links: number; negative: number; negative7d: number }>`
        select b.id, b.name, count(mb.*)::int as links,
               count(*) filter (where mb.sentiment_label = 'negative')::int as negative,
               count(*) filter (where mb.sentiment_label = 'negative' and mb.occurred_at > now() - interval '7 days')::int as negative7d
        from brands b left join mention_brands mb on mb.brand_id = b.id group by b.id, b.name order by links desc`.execute(db)
    ).rows;
    const [{ mentions, matched }] = (await sql<{ mentions: number; matched: number }>`select count(*)::int as mentions, count(*) filter (where matched)::int as matched from mentions`.execute(db)).rows as [
      { mentions: number; matched: number },
    ];
    console.log(`${mentions} mentions (${matched} matched), ${brands.reduce((a, b) => a + b.links, 0)} brand links; negative per brand from ${brands.at(-1)!.negative} to ${brands[0]!.negative} (last 7 days: ${brands.at(-1)!.negative7d} to ${brands[0]!.negative7d})`);

    const requests = Number(values.requests);
    const since180 = new Date(Date.now() - 181 * DAY_MS).toISOString();
    const pathFor = (brandId: string, extra = '') => `/v1/mentions?brand=${brandId}&sentiment=negative&limit=50${extra}`;
    for (let i = 0; i < 100; i++) await timedGet(app, key, pathFor(brands[i % brands.length]!.id)); // warm-up

    const cases: Case[] = [
      { label: 'first page, default window (last 7 days)', ms: [] },
      { label: 'first page, last 180 days', ms: [] },
      { label: `keyset pages 2…${values['deep-pages']}, last 180 days`, ms: [] },
    ];
    for (const [c, extra] of [
      [cases[0]!, ''],
      [cases[1]!, `&since=${since180}`],
    ] as const) {
      const cpu = process.cpuUsage();
      for (let i = 0; i < requests; i++) c.ms.push((await timedGet(app, key, pathFor(brands[i % brands.length]!.id, extra))).ms);
      const used = process.cpuUsage(cpu);
      c.cpuUs = (used.user + used.system) / requests;
    }
    // Deep pages of the busiest, a middling and the quietest brand, following nextCursor.
    const depths: string[] = [];
    const deepCpu = process.cpuUsage();
    for (const brand of [brands[0]!, brands[Math.floor(brands.length / 2)]!, brands.at(-1)!]) {
      let { body } = await timedGet(app, key, pathFor(brand.id, `&since=${since180}`));
      let page = 1;
      while (body.nextCursor && page < Number(values['deep-pages'])) {
        const next = await timedGet(app, key, pathFor(brand.id, `&since=${since180}&cursor=${encodeURIComponent(body.nextCursor)}`));
        cases[2]!.ms.push(next.ms);
        body = next.body;
        page += 1;
      }
      depths.push(`${brand.name} ${page} pages`);
    }
    const used = process.cpuUsage(deepCpu);
    cases[2]!.cpuUs = (used.user + used.system) / (cases[2]!.ms.length + 3);
    console.log(`\nGET /v1/mentions?brand=<id>&sentiment=negative&limit=50 through createApp + app.request (auth, rate limit, query, JSON):`);
    for (const c of cases) console.log(summary(c));
    console.log(`  (deep pages walked: ${depths.join(', ')})`);

    const sqlOnly = await timeRepository(env.name, env.workspaceId, brands.map((b) => b.id), requests);
    console.log(`\nThe repository's query alone (mentionRepository.list, limit 51), same filters:`);
    console.log(summary(sqlOnly));

    const perPage = await transactionsPerRequest({ db, n: 200, request: (i) => timedGet(app, key, pathFor(brands[i % brands.length]!.id)) });
    console.log(`\nPostgres transactions per page request: ${perPage.toFixed(2)}`);
    await timeRequestSteps({ db, redis: app.services.redis, prefix, workspaceId: env.workspaceId, apiKey: key, brandIds: brands.map((b) => b.id) });

    const p95 = percentile([...cases.flatMap((c) => c.ms)].sort((a, b) => a - b), 95);
    console.log(`\nall pages: p95 ${p95.toFixed(2)} ms (target ≤ 10 ms: ${p95 <= 10 ? 'met' : 'missed'})`);
    if (values.explain || p95 > 10) await explain(env.name, env.workspaceId, brands[0]!.id);
  } finally {
    await env.app.close();
    if (values.keep) {
      await env.db.destroy();
      console.log(`\nkept database ${env.name}: rerun with --reuse ${env.name}; drop it with: drop database "${env.name}"`);
    } else {
      await env.drop();
    }
    await dropRedisPrefix(prefix);
  }
}

/** A Kysely over the bench database that remembers the last query it ran, for EXPLAIN. */
function capturingDb(name: string) {
  const url = new URL(PG_SERVER);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  let last: CompiledQuery | null = null;
  const db = new Kysely<DB>({
    dialect: new PostgresDialect({ pool }),
    log: (event) => {
      if (event.level === 'query') last = event.query;
    },
  });
  return { db, pool, last: () => last! };
}

async function timeRepository(name: string, workspaceId: string, brandIds: string[], requests: number): Promise<Case> {
  const { db } = capturingDb(name);
  const repository = createMentionRepository({ db });
  const filter = (brandId: string) => ({ brandId, sentiment: 'negative' as const, since: new Date(Date.now() - 7 * DAY_MS), until: new Date() });
  const ms: number[] = [];
  const cpu = process.cpuUsage();
  for (let i = 0; i < requests; i++) {
    const started = performance.now();
    await repository.list(workspaceId, filter(brandIds[i % brandIds.length]!), { limit: 50 });
    ms.push(performance.now() - started);
  }
  const used = process.cpuUsage(cpu);
  await db.destroy();
  return { label: 'first page, default window (last 7 days)', ms, cpuUs: (used.user + used.system) / requests };
}

async function explain(name: string, workspaceId: string, brandId: string): Promise<void> {
  const { db, pool, last } = capturingDb(name);
  const repository = createMentionRepository({ db });
  const filter = { brandId, sentiment: 'negative' as const, since: new Date(Date.now() - 181 * DAY_MS), until: new Date() };
  const first = await repository.list(workspaceId, filter, { limit: 50 });
  const plans: Array<[string, CompiledQuery]> = [['first page', last()]];
  let after = first.at(-2)!;
  for (let i = 0; i < 50; i++) {
    const rows = await repository.list(workspaceId, filter, { limit: 50, after: { occurredAt: after.occurred_at, id: Number(after.id) } });
    if (rows.length < 51) break;
    after = rows.at(-2)!;
  }
  plans.push(['about 50 pages deep', last()]);
  for (const [label, query] of plans) {
    const { rows } = await pool.query(`explain (analyze, buffers) ${query.sql}`, query.parameters as unknown[]);
    console.log(`\nEXPLAIN (ANALYZE, BUFFERS), ${label}, busiest brand, last 180 days:\n${query.sql}\n${rows.map((r) => r['QUERY PLAN']).join('\n')}`);
  }
  await db.destroy();
}
