// `npm run bench -- swot [--sizes 1000,10000,50000 | --mentions N] [--requests 20] [--budget 60] [--warmup 2] [--breakdown 10000] [--paired 0.15] [--distinct 6000] [--seed 7] [--keep] [--cache]`
// Latency of GET /v1/swot, which draws its themes at query time from the text of every mention
// in the window and the window before (posts naming two brands cut into clauses and scored
// again). One workspace through the API: an own brand and four competitors, and mentions in
// seven languages read by the ingest's prepare and stored through storeMentions, evenly spread, so that
// windows of whole hours ending at the same hour hold each size asked for. Per size: p50/p95/max
// through the real app in this process (app.request), the CPU of this process and of the
// Postgres backends per request, and the load average. `--requests` is a most: a window's timed
// requests stop once they have taken `--budget` seconds (three at least), because a request over
// 50,000 mentions takes tens of seconds on this machine. Windows of at most `--breakdown`
// mentions also time the request's parts alone: its SELECTs, and the themes over the rows it read
// with and without the clause path (at 50,000 that would add a minute).
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { SWOT_SAMPLE } from '../src/domain/swot/swot.usecases.js';
import { recordingDb } from './api/measure.js';
import { createBenchApp, createBenchDatabase, dropRedisPrefix, positiveInteger } from './support/stack.js';
import { formatResults, measureSize, type SizeResult } from './swot/measure.js';
import { seedSwotMentions } from './swot/seed.js';
import { SWOT_BRANDS } from './swot/texts.js';

const HOUR_MS = 3_600_000;
/** Hours of the smallest window: the others are as many times longer as they hold more. */
const SMALLEST_WINDOW_HOURS = 4;

function share(option: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new Error(`${option} takes a share from 0 to 1, got "${value}"`);
  return n;
}

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      sizes: { type: 'string', default: '1000,10000,50000' },
      mentions: { type: 'string' },
      requests: { type: 'string', default: '20' },
      budget: { type: 'string', default: '60' },
      breakdown: { type: 'string', default: '10000' },
      warmup: { type: 'string', default: '2' },
      paired: { type: 'string', default: '0.15' },
      distinct: { type: 'string', default: '6000' },
      seed: { type: 'string', default: '7' },
      keep: { type: 'boolean', default: false },
      cache: { type: 'boolean', default: false },
    },
  });
  const sizes = [...new Set((values.mentions ?? values.sizes).split(',').map((s) => positiveInteger(values.mentions ? '--mentions' : '--sizes', s.trim())))].sort((a, b) => a - b);
  const requests = positiveInteger('--requests', values.requests);
  const budgetSeconds = positiveInteger('--budget', values.budget);
  const breakdownUpTo = Number(values.breakdown);
  if (!Number.isInteger(breakdownUpTo) || breakdownUpTo < 0) throw new Error(`--breakdown takes a whole number of 0 or more, got "${values.breakdown}"`);
  const warmup = positiveInteger('--warmup', values.warmup);
  const pairedShare = share('--paired', values.paired);
  const distinct = positiveInteger('--distinct', values.distinct);
  const seed = positiveInteger('--seed', values.seed);
  const perHour = sizes[0]! / SMALLEST_WINDOW_HOURS;
  const hoursOf = (size: number) => Math.max(1, Math.round(size / perHour));
  const spanHours = 2 * hoursOf(sizes.at(-1)!);

  const runStarted = performance.now();
  console.log(
    `swot bench: --sizes ${sizes.join(',')} --requests ${requests} --budget ${budgetSeconds} --warmup ${warmup} --breakdown ${breakdownUpTo} --paired ${pairedShare} --distinct ${distinct} --seed ${seed}${values.keep ? ' --keep' : ''}${values.cache ? ' --cache' : ''}`,
  );
  console.log(`  ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} at ${new Date().toISOString()}`);

  const prefix = `benchs${process.pid}`;
  const database = await createBenchDatabase('swot');
  const recording = recordingDb(database.url, 4);
  // Every timed request is the same, so with the answer cache (SWOT_CACHE_SECONDS) all but the
  // first would be served from Redis: off unless --cache, so the figures are the SWOT's own cost.
  const app = await createBenchApp({ databaseUrl: database.url, db: recording.db, prefix, env: { SWOT_CACHE_SECONDS: values.cache ? '300' : '0' } }).catch(async (err: unknown) => {
    await recording.db.destroy();
    await database.drop();
    throw err;
  });
  let cleaning: Promise<void> | null = null;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      await app.close();
      await recording.db.destroy();
      if (values.keep) {
        await database.db.destroy();
        console.log(`\nkept database ${database.name}; drop it with: drop database "${database.name}"`);
      } else {
        await database.drop();
      }
      await dropRedisPrefix(prefix);
    })());
  // A run takes minutes: Ctrl-C drops the database and the Redis keys too (themes yield every 20 ms, so the signal is seen).
  const onSignal = (signal: NodeJS.Signals) => {
    console.log(`\n${signal}: cleaning up…`);
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const ws = await app.workspace('Bench SWOT');
    const brandIds: string[] = [];
    for (const b of SWOT_BRANDS) brandIds.push((await app.request('POST', '/v1/brands', { key: ws.key, body: { name: b.name, role: b.role, query: b.query } })).id);
    // Brands made before their history exists: nothing to rematch.
    await sql`update brands set matched_version = query_version`.execute(database.db);
    const brands = await app.services.brandSets.forWorkspace(ws.id);

    const end = new Date(Math.floor(Date.now() / HOUR_MS) * HOUR_MS);
    console.log(
      `Database ${database.name}: brands ${SWOT_BRANDS.map((b) => `${b.name} (${b.role})`).join(', ')}; ` +
        `${perHour} brand items an hour over ${spanHours} h before ${end.toISOString()}, drawn from ${distinct} distinct items ` +
        `(${(pairedShare * 100).toFixed(0)} % of them naming two brands) read by the ingest's prepare, stored through storeMentions…`,
    );
    const seeded = await seedSwotMentions({
      db: database.db,
      plan: { workspaceId: ws.id, brands, perHour, hours: spanHours, end, pairedShare, distinct, seed },
      onProgress: (done, total) => process.stdout.write(`\r  ${done} of ${total} brand items`),
    });
    const { rows: stored } = await sql<{ matched: number; links: number }>`
      select count(*) filter (where matched)::int as matched, (select count(*)::int from mention_brands) as links from mentions`.execute(database.db);
    const { rows: langs } = await sql<{ lang: string | null; n: number }>`
      select lang, count(*)::int as n from mentions where matched group by 1 order by 2 desc`.execute(database.db);
    console.log(
      `\r  pool: ${Object.entries(seeded.items).map(([kind, n]) => `${n} ${kind}`).join(', ')} items generated and prepared, ${seeded.pool} matched (${seeded.prepareSeconds.toFixed(1)} s); ` +
        `stored in ${seeded.polls} polls: ${seeded.seconds.toFixed(1)} s in all`,
    );
    console.log(
      `  stored ${stored[0]!.matched} matched mentions (${stored[0]!.links} brand links); ` +
        `matched by language: ${langs.map((l) => `${l.lang ?? 'unknown'} ${l.n}`).join(', ')}`,
    );

    const themeBrands = SWOT_BRANDS.map((b, i) => ({ id: brandIds[i]!, name: b.name, role: b.role, query: b.query }));
    const results: SizeResult[] = [];
    for (const size of sizes) {
      const sizeStarted = performance.now();
      const result = await measureSize({
        size,
        hours: hoursOf(size),
        end,
        requests,
        budgetMs: budgetSeconds * 1000,
        warmup,
        breakdown: size <= breakdownUpTo,
        app: app.app,
        key: ws.key,
        ownBrandId: brandIds[0]!,
        brands: themeBrands,
        db: database.db,
        database: database.name,
        url: database.url,
        recording,
        analyticsRepository: app.services.analyticsRepository,
        workspaceId: ws.id,
        sampleLimit: SWOT_SAMPLE,
      });
      results.push(result);
      console.log(`  ${size} a window: p50 ${result.p50.toFixed(0)} ms, p95 ${result.p95.toFixed(0)} ms (${((performance.now() - sizeStarted) / 1000).toFixed(1)} s)`);
    }

    console.log(
      `\nGET /v1/swot?brand=<own>&since=&until= through createApp(createServices(…)) in this process with app.request (auth, rate limit, validation, ` +
        `use-case, SQL, themes, JSON), one request at a time, ${warmup} warm-up requests first; each window ends at ${end.toISOString()} and is compared with the equal window before it.`,
    );
    console.log(formatResults(results));
    console.log(
      `\nmatched rows: the window's stored matched mentions (and the previous window's); sample.of: the answer's count, per brand as share of voice counts. ` +
        `app CPU: this process (user + system) over the timed requests; PG CPU: the database's backends, followed in /proc by their process title (10 ms ticks). ` +
        `n: timed requests, at most --requests, fewer once --budget seconds were spent (3 at least). ` +
        `SELECTs alone: the request's queries one after another on one connection (median of 5). ` +
        `themes CPU: extractThemes over the rows the request reads; "posts whole": the same with each post of several brands given to its first brand only, i.e. without the clause cutting and scoring (– : window above --breakdown).`,
    );
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await cleanUp();
    console.log(`Total ${((performance.now() - runStarted) / 1000).toFixed(0)} s; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} at the end.`);
  }
}
