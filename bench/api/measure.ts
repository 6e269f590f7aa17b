// The requests the analytics bench times, through the real app in this process (`app.request`:
// routing, auth, rate limit, validation, use-case, SQL, JSON), and EXPLAIN of the SQL a request
// issued when its target is missed.
import type { CompiledQuery, Kysely, LogEvent } from 'kysely';
import { Kysely as KyselyDb, PostgresDialect } from 'kysely';
import pg from 'pg';
import { withClient } from './client.js';
import type { DB } from '../../src/infra/db/schema.js';
import { percentile } from '../support/stack.js';

const DAY_MS = 86_400_000;

export interface Case {
  name: string;
  targetMs: number;
  /** The i-th request's path; brands rotate so busy and quiet ones are both measured. */
  path: (i: number) => string;
}

export interface CaseResult {
  name: string;
  targetMs: number;
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  cpuMsPerRequest: number;
  /** Median of the request's SELECTs run alone, set after the timed run. */
  sqlMs?: number;
  example: string;
}

const ago = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString();

export function analyticsCases(brandIds: string[]): Case[] {
  const brand = (i: number) => brandIds[i % brandIds.length]!;
  return [
    { name: '30-day daily trend, one brand', targetMs: 20, path: (i) => `/v1/trends/sentiment?brand=${brand(i)}&interval=day&since=${ago(30)}` },
    { name: '180-day daily trend, all 20 brands', targetMs: 20, path: () => `/v1/trends/sentiment?interval=day&since=${ago(180)}` },
    { name: '7-day hourly trend, one brand', targetMs: 20, path: (i) => `/v1/trends/sentiment?brand=${brand(i)}&interval=hour&since=${ago(7)}` },
    { name: '30-day share of voice', targetMs: 20, path: () => `/v1/share-of-voice?since=${ago(30)}` },
    { name: '7-day trending hashtags, workspace', targetMs: 100, path: () => `/v1/trending/hashtags?since=${ago(7)}` },
    { name: '7-day trending hashtags, one brand', targetMs: 100, path: (i) => `/v1/trending/hashtags?brand=${brand(i)}&since=${ago(7)}` },
    { name: 'stream first page (brand, limit 50, last 7 days)', targetMs: 10, path: (i) => `/v1/mentions?brand=${brand(i)}&limit=50` },
  ];
}

type Get = (path: string) => Promise<{ ms: number; body: any }>;

/** One GET through the app, timed until its body has been read, as a client would wait for it. */
export function timedGet(app: { request: (path: string, init: RequestInit) => Response | Promise<Response> }, key: string): Get {
  return async (path) => {
    const started = performance.now();
    const res = await app.request(path, { headers: { authorization: `Bearer ${key}` } });
    const text = await res.text();
    const ms = performance.now() - started;
    if (res.status !== 200) throw new Error(`GET ${path} → ${res.status} ${text}`);
    return { ms, body: JSON.parse(text) };
  };
}

function result(c: Pick<Case, 'name' | 'targetMs'>, ms: number[], cpuUs: number, example: string): CaseResult {
  const s = [...ms].sort((a, b) => a - b);
  return { name: c.name, targetMs: c.targetMs, n: s.length, p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s.at(-1)!, cpuMsPerRequest: cpuUs / 1000 / s.length, example };
}

export async function runCase(get: Get, c: Case, requests: number, warmup: number): Promise<CaseResult> {
  for (let i = 0; i < warmup; i++) await get(c.path(i));
  const ms: number[] = [];
  const cpu = process.cpuUsage();
  for (let i = 0; i < requests; i++) ms.push((await get(c.path(i))).ms);
  const used = process.cpuUsage(cpu);
  return result(c, ms, used.user + used.system, c.path(0));
}

/** Keyset pages 2…(pages+1) of each brand's stream, following nextCursor, `rounds` times over the brands. */
export async function runCursorPages(get: Get, brandIds: string[], { pages, rounds }: { pages: number; rounds: number }): Promise<CaseResult> {
  const ms: number[] = [];
  let example = '';
  const cpu = process.cpuUsage();
  for (let r = 0; r < rounds; r++) {
    for (const brand of brandIds) {
      const base = `/v1/mentions?brand=${brand}&limit=50`;
      let { body } = await get(base);
      for (let page = 0; page < pages && body.nextCursor; page++) {
        const path = `${base}&cursor=${encodeURIComponent(body.nextCursor)}`;
        example ||= path;
        const next = await get(path);
        ms.push(next.ms);
        body = next.body;
      }
    }
  }
  const used = process.cpuUsage(cpu);
  return result({ name: `stream cursor pages 2–${pages + 1} (same)`, targetMs: 10 }, ms, used.user + used.system, example);
}

export function formatTable(results: CaseResult[]): string {
  const f = (v: number) => v.toFixed(1);
  const lines = [
    '| request | n | p50 ms | p95 ms | p99 ms | max ms | app CPU ms/req | SQL alone ms | target p95 | |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...results.map((r) => `| ${r.name} | ${r.n} | ${f(r.p50)} | ${f(r.p95)} | ${f(r.p99)} | ${f(r.max)} | ${f(r.cpuMsPerRequest)} | ${r.sqlMs === undefined ? '' : f(r.sqlMs)} | ≤ ${r.targetMs} | ${r.p95 <= r.targetMs ? 'met' : 'MISSED'} |`),
  ];
  return lines.join('\n');
}

/**
 * A Kysely for the app whose queries can be recorded: switched on around one request, it
 * yields exactly the SQL and parameters the repositories generated for it.
 */
export function recordingDb(url: string, poolSize: number) {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // Dropping the bench database WITH (FORCE) ends idle connections; without a listener that would crash the bench.
  pool.on('error', () => {});
  let recorded: CompiledQuery[] | null = null;
  const db: Kysely<DB> = new KyselyDb<DB>({
    dialect: new PostgresDialect({ pool }),
    log: (event: LogEvent) => {
      if (event.level === 'query') recorded?.push(event.query);
    },
  });
  return {
    db,
    async record(run: () => Promise<unknown>): Promise<CompiledQuery[]> {
      recorded = [];
      try {
        await run();
        return recorded;
      } finally {
        recorded = null;
      }
    },
  };
}

const selects = (queries: CompiledQuery[]) => queries.filter((q) => /^\s*select/i.test(q.sql));

/**
 * The database's share of a request: its SELECTs run one after another on one connection,
 * `runs` times; the median of their summed round trips, in ms (the app runs some in parallel,
 * so this is an upper bound of the time it waits on Postgres).
 */
export async function sqlMedianMs(url: string, queries: CompiledQuery[], runs: number): Promise<number> {
  return withClient(url, async (client) => {
    const totals: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      for (const q of selects(queries)) await client.query(q.sql, q.parameters as unknown[]);
      totals.push(performance.now() - started);
    }
    return percentile(totals.sort((a, b) => a - b), 50);
  });
}

/** EXPLAIN (ANALYZE, BUFFERS) of every SELECT a request issued, on a connection of its own. */
export async function explainAll(url: string, queries: CompiledQuery[]): Promise<string> {
  return withClient(url, async (client) => {
    const out: string[] = [];
    for (const q of selects(queries)) {
      const { rows } = await client.query(`explain (analyze, buffers) ${q.sql}`, q.parameters as unknown[]);
      out.push(`${q.sql.replace(/\s+/g, ' ').trim()}\n  parameters: ${JSON.stringify(q.parameters).slice(0, 300)}\n${rows.map((r) => `  ${r['QUERY PLAN']}`).join('\n')}`);
    }
    return out.join('\n\n');
  });
}
