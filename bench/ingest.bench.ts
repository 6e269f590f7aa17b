// `npm run bench -- ingest [--concurrency 8,16] [--threads N] [--rounds 2] [--runs 1] [--feeds 50] [--items 200] [--seed 42] [--lang-filters] [--profile] [--stages] [--node-args '<flags>'] [--env 'KEY=VALUE …'] [--output FILE]`
// End-to-end ingestion through one `npm start`-equivalent process: 50 local feeds of 200
// multilingual items, one workspace with 20 brands, from the tick that makes every source due to
// the last poll committed (fetch, parse, language, sentiment, matching, storage, live publish).
// Each round serves new items in the same feeds: round 1 is a fresh process's first work (cold
// code), later rounds are what a running deployment sees. With `--runs N` all of it is done N
// times, each with fresh processes, and a summary sets every round against the issue's targets.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../src/infra/db/schema.js';
import { cpuSecondsOf, cpuTimesOf, machineBusySeconds, memoryOf, startEarshot, threadCpuOf, threadCpuSplit, waitUntilIdle } from './support/child.js';
import { BRANDS, queryWithLangFilter } from './support/corpus.js';
import { generateFeeds, serveFeeds, type BenchFeed } from './support/feeds.js';
import { createSpeedCheck, type SpeedCheck } from './support/speed-check.js';
import { summariseProfiles } from './support/profile.js';
import { timeStages } from './support/stages.js';
import { REDIS_URL, createBenchApp, createBenchDatabase, dropRedisPrefix, freePort, percentile, positiveInteger } from './support/stack.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const POLL_MS = 100;
/**
 * How often a round looks for committed feeds. The round's end is the first look that sees the
 * last commit, so a coarse look adds half its period to the round on average (~50 ms of a ~2 s
 * round at 100 ms); the look is one query over the 50 sources rows, well under a millisecond of
 * Postgres CPU, and counts in the round's Postgres figure like Earshot's own statements.
 */
const COMMIT_POLL_MS = 20;
const RUN_TIMEOUT_MS = 300_000;
/** The issue's targets for this bench: mentions/s from the tick, and the process's peak RSS. */
const TARGET_MENTIONS_PER_SECOND = 5_000;
const TARGET_PEAK_RSS_MB = 400;

interface RunResult {
  /** 1 is the process's first poll of every feed (cold code); later rounds run warm code. */
  round: number;
  concurrency: number;
  /** INGEST_THREADS as given to the process ('default': the process's own, cores − 1). */
  threads: string;
  /** How long the process took to go idle before the tick (see waitUntilIdle). */
  idleWaitMs: number;
  /** The host's speed just before the tick: µs of CPU per item of a fixed piece of ingest work in this process (see speed-check.ts). */
  hostSpeed: number;
  /** Most fetch jobs seen active at once (sampled with the commit poll). */
  maxActive: number;
  seconds: number;
  secondsFromFirstFetch: number;
  mentions: number;
  matched: number;
  links: number;
  failedSources: string[];
  fetchToCommitMs: number[];
  fetchToInsertStartMs: number[];
  /** CPU the Earshot process used from the tick to the last commit: robust to other load on the machine. */
  cpuSeconds: number;
  /** The part of it spent in the kernel (socket writes over loopback do the receiver's TCP work too). */
  systemCpuSeconds: number;
  /** Its split over the main thread (the event loop), the busiest other thread (a pool thread) and the rest. */
  threadSplit: { main: number; busiest: number; rest: number };
  /** CPU of the Postgres backends serving this database over the same span (this bench's own poll included). */
  postgresCpuSeconds: number;
  /** CPU seconds of the whole machine over the same span: Earshot, Postgres, Redis, this bench, anything else. */
  machineBusySeconds: number;
  idleRssMb: number;
  peakRssMb: number;
  hwmMb: number;
  langs: Array<{ lang: string | null; n: number }>;
  sentiments: Array<{ label: string; n: number }>;
  warnings: string[];
  profiledSeconds: number;
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(POLL_MS);
  }
}

async function runOnce({
  concurrency,
  threads,
  rounds,
  profileDir,
  nodeArgs,
  extraEnv,
  outputFile,
  langFilters,
  speedCheck,
}: {
  speedCheck: SpeedCheck;
  concurrency: number;
  threads: string;
  rounds: BenchFeed[][];
  profileDir: string | null;
  nodeArgs: string[];
  /** More of the Earshot process's environment (`--env`), after the bench's own. */
  extraEnv: Record<string, string>;
  /** Where the Earshot process's output goes (`--output`), besides the bench's own error reports. */
  outputFile: string | undefined;
  /** Brands seen in listed languages filter on them (`--lang-filters`, queryWithLangFilter). */
  langFilters: boolean;
}): Promise<RunResult[]> {
  const database = await createBenchDatabase('ingest');
  const prefix = `bench${randomBytes(4).toString('hex')}`;
  const hosts = await serveFeeds(rounds);
  const setup = await createBenchApp({ databaseUrl: database.url, db: database.db, prefix });
  const { db } = database;
  try {
    const ws = await setup.workspace('Bench listening');
    for (const b of BRANDS) {
      await setup.request('POST', '/v1/brands', { key: ws.key, body: { name: b.name, role: b.role, query: langFilters ? queryWithLangFilter(b) : b.query } });
    }
    const feedOfSource = new Map<string, number>();
    for (const [i, url] of hosts.urls.entries()) {
      const source = await setup.request('POST', '/v1/sources', { key: ws.key, body: { type: 'rss', url } });
      feedOfSource.set(source.id, i);
    }
    // Held back until the process is up and idle, so the clock starts at one tick.
    await sql`update sources set next_fetch_at = now() + interval '1 day'`.execute(db);

    const child = await startEarshot({
      port: await freePort(),
      nodeArgs: [...nodeArgs, ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])],
      outputFile,
      env: {
        DATABASE_URL: database.url,
        REDIS_URL,
        QUEUE_PREFIX: prefix,
        ALLOW_PRIVATE_NETWORKS: 'true',
        SCHEDULER_TICK_MS: '1000',
        LOG_LEVEL: 'warn',
        WORKER_CONCURRENCY: String(concurrency),
        ...(threads ? { INGEST_THREADS: threads } : {}),
        ...extraEnv,
      },
    });
    try {
      // The new brands' history rematches (over nothing yet) run on the first ticks; let them finish.
      await waitUntil('brand rematches', async () => {
        const r = await sql<{ n: number }>`select count(*)::int as n from brands where matched_version < query_version`.execute(db);
        return r.rows[0]!.n === 0;
      });
      const fetchQueue = setup.services.queues.queues.get('fetch')!;
      const results: RunResult[] = [];
      let lastTick = 0;
      for (let round = 0; round < rounds.length; round++) {
        hosts.setRound(round);
        await sleep(1500);
        // The clock starts at an idle process: a fresh one's ingest threads build their sentiment
        // profiles and warm up (INGEST_WARM_UP) for ~1.5 s after it is up, which could overlap the
        // first tick.
        // Under --profile each isolate's sampler keeps a few % of a core busy even when idle.
        const waitedMs = await waitUntilIdle(child.pid, { share: profileDir ? 0.2 : 0.05 });
        // Read while Earshot and Postgres are idle; after a round they are not (autovacuum, GC).
        const hostSpeed = await speedCheck.measure();
        const before = await countStored(db);
        const idleRssMb = memoryOf(child.pid)?.rssMb ?? NaN;
        const memory = child.watchMemory(100);

        const backendsCpu = async () => {
          const { rows } = await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database()`.execute(db);
          return new Map(rows.map((r) => [r.pid, cpuSecondsOf(r.pid)]));
        };
        const pgBefore = await backendsCpu();
        const t0 = Date.now();
        lastTick = t0;
        const cpuBefore = cpuTimesOf(child.pid);
        const threadsBefore = threadCpuOf(child.pid);
        const machineBefore = machineBusySeconds();
        await sql`update sources set next_fetch_at = now()`.execute(db);
        await setup.services.queues.add('sources.tick', {});

        // A poll's mentions and its source's new state commit in one transaction, so a source
        // whose last_fetched_at is past this round's start is a feed whose mentions are all visible.
        const committedAt = new Map<string, number>();
        const failed = new Map<string, string>();
        const deadline = t0 + RUN_TIMEOUT_MS;
        let maxActive = 0;
        let lastActiveSample = 0;
        while (committedAt.size + failed.size < feedOfSource.size && Date.now() < deadline) {
          await sleep(COMMIT_POLL_MS);
          if (Date.now() - lastActiveSample >= POLL_MS) {
            lastActiveSample = Date.now();
            maxActive = Math.max(maxActive, await fetchQueue.getActiveCount());
          }
          const { rows } = await sql<{ id: string; failures: number; last_error: string | null }>`
            select id, consecutive_failures as failures, last_error from sources where last_fetched_at >= ${new Date(t0)}`.execute(db);
          const seen = Date.now();
          for (const r of rows) {
            if (r.failures > 0) failed.set(r.id, r.last_error ?? 'unknown error');
            else if (!committedAt.has(r.id)) committedAt.set(r.id, seen);
          }
        }
        const unfinished = feedOfSource.size - committedAt.size - failed.size;
        if (unfinished) console.error(`${unfinished} sources had not committed after ${RUN_TIMEOUT_MS / 1000} s; figures cover the rest`);
        const tEnd = committedAt.size ? Math.max(...committedAt.values()) : Date.now();
        const cpuAfter = cpuTimesOf(child.pid);
        const machineBusy = machineBusySeconds() - machineBefore;
        const cpuSeconds = cpuAfter.user + cpuAfter.system - cpuBefore.user - cpuBefore.system;
        const systemCpuSeconds = cpuAfter.system - cpuBefore.system;
        const threadSplit = threadCpuSplit(child.pid, threadsBefore, threadCpuOf(child.pid));
        // Backends that started during the run count whole: all their work is the run's.
        let postgresCpuSeconds = 0;
        for (const [pid, cpu] of await backendsCpu()) postgresCpuSeconds += cpu - (pgBefore.get(pid) ?? 0);
        const mem = memory.stop();
        const hwmMb = memoryOf(child.pid)?.hwmMb ?? NaN;

        const after = await countStored(db);
        const since = new Date(t0);
        const insertStarts = await sql<{ source_id: string; at: Date }>`
          select source_id, max(created_at) as at from mentions where created_at >= ${since} group by source_id`.execute(db);
        const langs = await sql<{ lang: string | null; n: number }>`
          select lang, count(*)::int as n from mentions where created_at >= ${since} group by lang order by n desc`.execute(db);
        const sentiments = await sql<{ label: string; n: number }>`
          select sentiment_label as label, count(*)::int as n from mentions where created_at >= ${since} group by 1 order by n desc`.execute(db);

        const servedAt = (sourceId: string) => hosts.servedAt.get(feedOfSource.get(sourceId)!) ?? NaN;
        const firstServed = Math.min(...hosts.servedAt.values());
        results.push({
          round: round + 1,
          concurrency,
          threads: threads || 'default',
          idleWaitMs: waitedMs,
          hostSpeed,
          maxActive,
          seconds: (tEnd - t0) / 1000,
          secondsFromFirstFetch: (tEnd - firstServed) / 1000,
          mentions: after.mentions - before.mentions,
          matched: after.matched - before.matched,
          links: after.links - before.links,
          failedSources: [...failed.values()],
          fetchToCommitMs: [...committedAt].map(([id, at]) => at - servedAt(id)).sort((a, b) => a - b),
          fetchToInsertStartMs: insertStarts.rows.map((r) => new Date(r.at).getTime() - servedAt(r.source_id)).sort((a, b) => a - b),
          cpuSeconds,
          systemCpuSeconds,
          threadSplit,
          postgresCpuSeconds,
          machineBusySeconds: machineBusy,
          idleRssMb,
          peakRssMb: mem.peakRssMb,
          hwmMb,
          langs: langs.rows,
          sentiments: sentiments.rows,
          warnings: [...child.output],
          profiledSeconds: 0,
        });
      }
      // Stopped here so a CPU profile (written at exit) covers the rounds, not the clean-up.
      const code = await child.stop();
      if (code !== 0) console.error(`earshot exited with ${code} on SIGTERM`);
      // The profile summary reads the last round only: from its tick to the stop.
      results.at(-1)!.profiledSeconds = (Date.now() - lastTick) / 1000;
      return results;
    } finally {
      await child.stop();
    }
  } finally {
    await setup.close();
    await hosts.close();
    await database.drop();
    await dropRedisPrefix(prefix);
  }
}

async function countStored(db: Kysely<DB>): Promise<{ mentions: number; matched: number; links: number }> {
  const { rows } = await sql<{ mentions: number; matched: number; links: number }>`
    select (select count(*)::int from mentions) as mentions,
           (select count(*)::int from mentions where matched) as matched,
           (select count(*)::int from mention_brands) as links`.execute(db);
  return rows[0]!;
}

function report(r: RunResult, expected: number): void {
  const perItem = (seconds: number) => Math.round((seconds * 1e6) / r.mentions);
  const ms = (v: number) => `${Math.round(v)} ms`;
  const warmth = r.round === 1 ? 'the process\'s first poll of each feed: cold code' : 'new items in the same feeds: warm code';
  console.log(`\nWORKER_CONCURRENCY=${r.concurrency}, INGEST_THREADS=${r.threads}, round ${r.round} (${warmth})`);
  console.log(`  before the tick: the process idle after ${(r.idleWaitMs / 1000).toFixed(1)} s more (< 5 % of a core over 0.5 s)`);
  console.log(
    `  host speed before the tick: ${Math.round(r.hostSpeed)} µs of CPU per item for a fixed 500 items parsed, scored, matched and serialised ` +
      `in this bench's process (best of 3; higher is a slower host)`,
  );
  console.log(`  fetch jobs active at once: at most ${r.maxActive} seen (sampled every ${POLL_MS} ms)`);
  console.log(`  stored ${r.mentions} of ${expected} items (${r.matched} matched a brand, ${r.links} brand links); ${r.failedSources.length} sources failed`);
  for (const e of new Set(r.failedSources)) console.log(`    failure: ${e}`);
  console.log(`  tick → last commit: ${r.seconds.toFixed(2)} s = ${Math.round(r.mentions / r.seconds)} mentions/s (matched: ${Math.round(r.matched / r.seconds)}/s)`);
  console.log(`  first feed served → last commit: ${r.secondsFromFirstFetch.toFixed(2)} s = ${Math.round(r.mentions / r.secondsFromFirstFetch)} mentions/s`);
  const c = r.fetchToCommitMs;
  const s = r.fetchToInsertStartMs;
  console.log(`  per feed, served → committed (seen by a ${COMMIT_POLL_MS} ms poll): p50 ${ms(percentile(c, 50))}, p95 ${ms(percentile(c, 95))}, max ${ms(c.at(-1)!)}`);
  console.log(`  per feed, served → storing transaction began (mentions.created_at): p50 ${ms(percentile(s, 50))}, p95 ${ms(percentile(s, 95))}`);
  console.log(
    `  Earshot process CPU: ${r.cpuSeconds.toFixed(2)} s, ${r.systemCpuSeconds.toFixed(2)} s of it in the kernel (${Math.round((r.cpuSeconds * 1e6) / r.mentions)} µs per item; ` +
      `${Math.round(r.mentions / r.cpuSeconds)} items per CPU-second; ${((100 * r.cpuSeconds) / r.seconds).toFixed(0)}% of one core over the run; ` +
      `per item: main thread ${perItem(r.threadSplit.main)} µs, busiest other thread ${perItem(r.threadSplit.busiest)} µs ` +
      `(${((100 * r.threadSplit.busiest) / r.seconds).toFixed(0)}% busy), the rest ${perItem(r.threadSplit.rest)} µs)`,
  );
  console.log(`  Postgres backends CPU: ${r.postgresCpuSeconds.toFixed(2)} s (${Math.round((r.postgresCpuSeconds * 1e6) / r.mentions)} µs per item)`);
  // Near all cores busy: the round is bound by CPU, and only less CPU per item makes it faster.
  console.log(
    `  the whole machine: ${(r.machineBusySeconds / r.seconds).toFixed(2)} of ${availableParallelism()} cores busy over the run ` +
      `(${Math.round((r.machineBusySeconds * 1e6) / r.mentions)} µs of CPU per item, Earshot, Postgres, Redis and this bench together)`,
  );
  console.log(`  RSS: ${r.idleRssMb.toFixed(0)} MB idle before the tick, peak ${r.peakRssMb.toFixed(0)} MB sampled every 100 ms, VmHWM ${r.hwmMb.toFixed(0)} MB`);
  console.log(`  languages: ${r.langs.map((l) => `${l.lang ?? 'none'} ${l.n}`).join(', ')}`);
  console.log(`  sentiment: ${r.sentiments.map((l) => `${l.label} ${l.n}`).join(', ')}`);
  if (r.warnings.length) console.log(`  the process logged ${r.warnings.length} warning lines; first: ${r.warnings[0]!.slice(0, 300)}`);
}

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      concurrency: { type: 'string', default: '8,16' },
      threads: { type: 'string', default: '' },
      feeds: { type: 'string', default: '50' },
      items: { type: 'string', default: '200' },
      seed: { type: 'string', default: '42' },
      profile: { type: 'boolean', default: false },
      stages: { type: 'boolean', default: false },
      rounds: { type: 'string', default: '2' },
      runs: { type: 'string', default: '1' },
      'node-args': { type: 'string', default: '' },
      env: { type: 'string', default: '' },
      output: { type: 'string' },
      'lang-filters': { type: 'boolean', default: false },
    },
  });
  const extraEnv = Object.fromEntries(
    values.env
      .split(' ')
      .filter(Boolean)
      .map((pair) => {
        const at = pair.indexOf('=');
        if (at < 1) throw new Error(`--env takes KEY=VALUE pairs, got "${pair}"`);
        return [pair.slice(0, at), pair.slice(at + 1)];
      }),
  );
  if (values.env) console.log(`Earshot process environment, besides the bench's: ${values.env}`);
  if (values['lang-filters']) console.log('brands seen in listed languages filter on them: (query) lang:…');
  const count = positiveInteger('--feeds', values.feeds);
  const items = positiveInteger('--items', values.items);
  const runs = positiveInteger('--runs', values.runs);
  const concurrencies = values.concurrency.split(',').filter(Boolean).map((c) => positiveInteger('--concurrency', c));
  const now = new Date();
  const rounds = Array.from({ length: positiveInteger('--rounds', values.rounds) }, (_, round) => generateFeeds({ count, items, seed: Number(values.seed), now, round }));
  const feeds = rounds[0]!;
  const kib = feeds.reduce((a, f) => a + f.body.length, 0) / 1024;
  console.log(`${count} RSS feeds × ${items} items (${(kib / count).toFixed(0)} KiB per feed, ${(kib / 1024).toFixed(1)} MiB in all), ${BRANDS.length} brands, seed ${values.seed}`);
  if (values.stages) await timeStages(feeds);
  if (!concurrencies.length) return;
  const speedCheck = await createSpeedCheck({ seed: Number(values.seed), now });
  const all: RunResult[] = [];
  for (let run = 1; run <= runs; run++) {
    if (runs > 1) console.log(`\n=== run ${run} of ${runs}, ${new Date().toISOString().slice(11, 19)} UTC`);
    for (const concurrency of concurrencies) {
      const profileDir = values.profile ? await mkdtemp(path.join(tmpdir(), 'earshot-ingest-prof-')) : null;
      const results = await runOnce({ concurrency, threads: values.threads, rounds, profileDir, nodeArgs: values['node-args'].split(' ').filter(Boolean), extraEnv, outputFile: values.output, langFilters: values['lang-filters'], speedCheck });
      for (const result of results) report(result, count * items);
      all.push(...results);
      if (profileDir) {
        await summariseProfiles(profileDir, { lastSeconds: results.at(-1)!.profiledSeconds });
        await rm(profileDir, { recursive: true, force: true });
      }
    }
  }
  summarise(all);
}

/**
 * Every round against the issue's targets, first polls of a fresh process apart from later ones:
 * how many reached the throughput target is the figure that says whether it holds on this host.
 */
function summarise(results: readonly RunResult[]): void {
  const rate = (r: RunResult) => Math.round(r.mentions / r.seconds);
  const line = (label: string, of: readonly RunResult[]) => {
    if (!of.length) return;
    const rates = of.map(rate);
    const sorted = [...rates].sort((a, b) => a - b);
    const met = rates.filter((v) => v >= TARGET_MENTIONS_PER_SECOND).length;
    console.log(
      `  ${label}: ${met} of ${of.length} at or above ${TARGET_MENTIONS_PER_SECOND} mentions/s; ` +
        `${sorted[0]}–${sorted.at(-1)}, median ${Math.round(percentile(sorted, 50))} (in order: ${rates.join(' · ')})`,
    );
  };
  const peak = Math.max(...results.map((r) => Math.max(r.peakRssMb, r.hwmMb)));
  const speeds = results.map((r) => Math.round(r.hostSpeed)).sort((a, b) => a - b);
  console.log(`\nSummary of ${results.length} rounds (host speed before them: ${speeds[0]}–${speeds.at(-1)} µs per item):`);
  line('first polls of a fresh process (cold code)', results.filter((r) => r.round === 1));
  line('later polls (warm code)', results.filter((r) => r.round > 1));
  console.log(`  peak RSS: ${peak.toFixed(0)} MB (target under ${TARGET_PEAK_RSS_MB} MB: ${peak < TARGET_PEAK_RSS_MB ? 'met' : 'missed'})`);
}
