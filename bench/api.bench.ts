// `npm run bench -- api [--mentions 10000000] [--requests 300] [--rate 1000] [--explain] [--keep] [--reuse <database>]`
// Analytics and stream latency at ten million mentions (issue 6): six months for twenty brands
// bulk-loaded with COPY, rollups built from the loaded rows, then p50/p95/p99 of trends, share of
// voice, trending hashtags and stream pages through the real app while a separate process
// ingests 1,000 mentions a second through storeMentions.
import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { createApiKey } from '../src/domain/workspaces/workspaces.usecases.js';
import { createDb } from '../src/infra/db/database.js';
import { migrateToLatest } from '../src/infra/db/migrator.js';
import { BRANDS } from './support/corpus.js';
import { PG_SERVER, benchLog, createBenchApp, createBenchDatabase, dropRedisPrefix } from './support/stack.js';
import type { IngestLoopOptions, IngestLoopSummary } from './api/ingest-loop.js';
import { loadMentions, rollupMismatches } from './api/load.js';
import { analyticsCases, explainAll, formatTable, sqlMedianMs, recordingDb, runCase, runCursorPages, timedGet, type CaseResult } from './api/measure.js';
import { SOURCE_MIX, createModel, type Brand } from './api/model.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const DAY_MS = 86_400_000;

const databaseUrl = (name: string) => {
  const url = new URL(PG_SERVER);
  url.pathname = `/${name}`;
  return url.toString();
};

/** A workspace with twenty brands (through the API), seven sources and two past outages of one of them. */
async function setUp(app: Awaited<ReturnType<typeof createBenchApp>>, db: ReturnType<typeof createDb>) {
  const ws = await app.workspace('Bench analytics');
  const brands: Brand[] = [];
  for (const b of BRANDS) {
    const created = await app.request('POST', '/v1/brands', { key: ws.key, body: { name: b.name, role: b.role, query: b.query } });
    brands.push({ id: created.id, name: b.name, keyword: b.name.toLowerCase() });
  }
  // Brands made before their history exists: nothing to rematch.
  await sql`update brands set matched_version = query_version`.execute(db);
  const sourceIds: string[] = [];
  for (const s of SOURCE_MIX) {
    const { rows } = await sql<{ id: string }>`
      insert into sources (workspace_id, type, config, host)
      values (${ws.id}, ${s.type}, ${JSON.stringify({ url: `https://${s.name}.example.com/feed` })}::jsonb, ${`${s.name}.example.com`}) returning id`.execute(db);
    sourceIds.push(rows[0]!.id);
  }
  const now = Date.now();
  await sql`
    insert into source_outages (source_id, workspace_id, started_at, ended_at) values
      (${sourceIds[3]}, ${ws.id}, ${new Date(now - 30 * DAY_MS)}, ${new Date(now - 30 * DAY_MS + 6 * 3_600_000)}),
      (${sourceIds[3]}, ${ws.id}, ${new Date(now - 5 * DAY_MS)}, ${new Date(now - 5 * DAY_MS + 3 * 3_600_000)})`.execute(db);
  return { workspaceId: ws.id, key: ws.key, brands, sourceIds };
}

/** What a --keep run left: its workspace, brands (in creation order), sources, and a fresh key. */
async function reuse(app: Awaited<ReturnType<typeof createBenchApp>>, db: ReturnType<typeof createDb>) {
  const { rows: ws } = await sql<{ id: string }>`select id from workspaces order by created_at limit 1`.execute(db);
  const workspaceId = ws[0]!.id;
  const { rows } = await sql<{ id: string; name: string }>`select id, name from brands where workspace_id = ${workspaceId} order by created_at, id`.execute(db);
  const brands = rows.map((r) => ({ id: r.id, name: r.name, keyword: r.name.toLowerCase() }));
  const { rows: sources } = await sql<{ id: string }>`select id from sources where workspace_id = ${workspaceId} order by created_at, id`.execute(db);
  const { key } = await createApiKey({ workspaceId, name: 'bench', db, workspaceRepository: app.services.workspaceRepository });
  return { workspaceId, key, brands, sourceIds: sources.map((s) => s.id) };
}

function startIngest(options: IngestLoopOptions) {
  const child = fork(path.join(here, 'api/ingest-loop.ts'), [JSON.stringify(options)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`ingest loop exited with ${code}`)));
  });
  return {
    ready,
    /** The loop's summary, once its process has exited (so none of its connections outlive it). */
    stop: () =>
      new Promise<IngestLoopSummary>((resolve, reject) => {
        let summary: IngestLoopSummary | null = null;
        child.on('message', (m) => {
          if (typeof m === 'object') summary = m as IngestLoopSummary;
        });
        child.once('exit', (code) => (summary ? resolve(summary) : reject(new Error(`ingest loop exited with ${code} before its summary`))));
        child.send('stop');
      }),
  };
}

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      mentions: { type: 'string', default: '10000000' },
      requests: { type: 'string', default: '300' },
      warmup: { type: 'string', default: '20' },
      rate: { type: 'string', default: '1000' },
      'tick-ms': { type: 'string', default: '100' },
      explain: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      reuse: { type: 'string' },
    },
  });
  const prefix = `bencha${process.pid}`;
  const database = values.reuse ? { name: values.reuse, url: databaseUrl(values.reuse), db: createDb({ url: databaseUrl(values.reuse), poolSize: 2, log: benchLog }) } : await createBenchDatabase('api');
  // A new migration (an index under trial) applies to a kept database too.
  if (values.reuse) await migrateToLatest(database.db);
  const recording = recordingDb(database.url, 4);
  const app = await createBenchApp({ databaseUrl: database.url, db: recording.db, prefix });
  try {
    let env: Awaited<ReturnType<typeof setUp>>;
    if (values.reuse) {
      console.log(`Reusing database ${values.reuse}`);
      env = await reuse(app, database.db);
    } else {
      const total = Number(values.mentions);
      console.log(`Database ${database.name}: generating ${total} mentions over 180 days for ${BRANDS.length} brands…`);
      env = await setUp(app, database.db);
      const model = createModel({ brands: env.brands, end: new Date(), days: 180 });
      const started = performance.now();
      const times = await loadMentions({
        url: database.url,
        plan: { model, total, seed: 11, workspaceId: env.workspaceId, sourceIds: env.sourceIds },
        onProgress: (done) => done % 200_000 === 0 && process.stdout.write(`\r  COPY: ${done} of ${total} mentions (${((performance.now() - started) / 1000).toFixed(0)} s)`),
      });
      console.log(`\nLoad times:\n${times.map(([step, s]) => `  ${step.padEnd(72)} ${s.toFixed(1).padStart(7)} s`).join('\n')}`);
      console.log(`  ${'total'.padEnd(72)} ${times.reduce((a, [, s]) => a + s, 0).toFixed(1).padStart(7)} s`);
    }
    await describe(database.db);

    const ingest = startIngest({ url: database.url, workspaceId: env.workspaceId, sourceIds: env.sourceIds, brands: env.brands, rate: Number(values.rate), tickMs: Number(values['tick-ms']) });
    await ingest.ready;
    const ingestStart = new Date();
    const get = timedGet(app.app, env.key);
    const ids = env.brands.map((b) => b.id);
    const cases = analyticsCases(ids);
    const results: CaseResult[] = [];
    for (const c of cases) {
      results.push(await runCase(get, c, Number(values.requests), Number(values.warmup)));
      console.log(`  ${c.name}: p95 ${results.at(-1)!.p95.toFixed(1)} ms`);
    }
    results.push(await runCursorPages(get, ids, { pages: 10, rounds: Math.max(1, Math.ceil(Number(values.requests) / (10 * ids.length))) }));
    console.log(`  ${results.at(-1)!.name}: p95 ${results.at(-1)!.p95.toFixed(1)} ms`);

    for (const r of results) {
      const queries = await recording.record(() => get(r.example));
      r.sqlMs = await sqlMedianMs(database.url, queries, 21);
      if (!values.explain && r.p95 <= r.targetMs) continue;
      console.log(`\nEXPLAIN (ANALYZE, BUFFERS) for "${r.name}" (p95 ${r.p95.toFixed(1)} ms, target ${r.targetMs} ms): GET ${r.example}\n${await explainAll(database.url, queries)}`);
    }
    const summary = await ingest.stop();

    console.log(`\nThrough createApp(createServices(…)) in this process with app.request (auth, rate limit, validation, use-case, SQL, JSON), one request at a time:`);
    console.log(formatTable(results));
    console.log(
      `\nBackground ingest (separate process, storeMentions in one transaction per batch): ${summary.stored} mentions in ${summary.seconds.toFixed(1)} s = ${(summary.stored / summary.seconds).toFixed(0)} mentions/s ` +
        `(target ${values.rate}); ${summary.batches} batches, commit p50 ${summary.batchMs.p50.toFixed(1)} ms, p95 ${summary.batchMs.p95.toFixed(1)} ms, max ${summary.batchMs.max.toFixed(1)} ms`,
    );
    const checkFrom = new Date(Math.floor(ingestStart.getTime() / DAY_MS) * DAY_MS);
    const mismatches = await rollupMismatches(database.url, env.workspaceId, checkFrom);
    console.log(`Rollups from ${checkFrom.toISOString().slice(0, 10)} (bulk-built plus ingest-maintained) against the stored rows: ${JSON.stringify(mismatches)} rows differ`);
  } finally {
    await app.close();
    await recording.db.destroy();
    if (values.keep || values.reuse) {
      await database.db.destroy();
      console.log(`\nkept database ${database.name}: rerun with --reuse ${database.name}; drop it with: drop database "${database.name}"`);
    } else {
      await (database as Awaited<ReturnType<typeof createBenchDatabase>>).drop();
    }
    await dropRedisPrefix(prefix);
  }
}

async function describe(db: ReturnType<typeof createDb>): Promise<void> {
  const { rows } = await sql<{ t: string; n: number; size: string }>`
    select t, n, pg_size_pretty(pg_total_relation_size(t::regclass)) as size from (values
      ('mentions', (select count(*) from mentions)), ('mention_brands', (select count(*) from mention_brands)),
      ('mention_rollups', (select count(*) from mention_rollups)), ('brand_hours', (select count(*) from brand_hours)),
      ('hashtag_rollups', (select count(*) from hashtag_rollups))) v(t, n)`.execute(db);
  const { rows: size } = await sql<{ size: string }>`select pg_size_pretty(pg_database_size(current_database())) as size`.execute(db);
  console.log(`Rows (with indexes): ${rows.map((r) => `${r.t} ${r.n} (${r.size})`).join(', ')}; database ${size[0]!.size}`);
}

