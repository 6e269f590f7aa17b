// What one window size of the SWOT bench measures: GET /v1/swot through the real app in this
// process (app.request: auth, rate limit, validation, use-case, SQL, themes, JSON), with the CPU
// of this process and of the Postgres backends serving the database over the timed requests; then
// its parts alone: the request's SELECTs, and the themes over the very rows it read, with and
// without the query-time clause path.
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { sql } from 'kysely';
import { extractThemes } from '../../src/domain/themes/index.js';
import type { ThemeBrand, ThemeMention } from '../../src/domain/themes/themes.types.js';
import type { AnalyticsRepository } from '../../src/domain/analytics/analytics.repository.js';
import type { Database } from '../../src/infra/db/database.js';
import { cpuSecondsOf } from '../support/child.js';
import { percentile } from '../support/stack.js';
import { sqlMedianMs, timedGet, type recordingDb } from '../api/measure.js';
import { toThemeMentions } from '../../src/domain/swot/swot.usecases.js';

const HOUR_MS = 3_600_000;
/** Timed requests of a window however long they take. */
export const MIN_REQUESTS = 3;

export interface SizeResult {
  /** The size asked for: brand items per window. */
  size: number;
  hours: number;
  /** Matched mention rows in the window and the one before, as stored. */
  rows: number;
  previousRows: number;
  /** Of `rows`, those linked to two brands or more (the clause path). */
  multiBrandRows: number;
  /** The answer's `sample`: mentions counted per brand, read and held. */
  sample: { mentions: number; of: number; previousMentions: number; previousOf: number; sampled: boolean };
  status: string;
  items: number;
  n: number;
  p50: number;
  p95: number;
  max: number;
  /** This process's CPU (user + system) per timed request, ms. */
  appCpuMs: number;
  /** The database's backends' CPU per timed request, ms (/proc, 10 ms ticks). */
  pgCpuMs: number;
  /** Load average (1 min) before and after the timed requests. */
  load: [number, number];
  /** The request's SELECTs run alone, one after another: median ms. */
  sqlMs: number;
  /** extractThemes over the request's rows, CPU ms (median of `themeRuns`). */
  themesMs: number;
  /** The same with every post read whole (its first brand only): the cost without the clause path. */
  themesWholeMs: number;
  themeRuns: number;
}

/**
 * CPU of the Postgres backends serving `database`, found by their process title in /proc
 * ("postgres: … postgres <database> 127.0.0.1(…) idle") every SAMPLE_MS: the pool may close an
 * idle connection during a long request and open another, so the backends are followed as they
 * come and go rather than listed once. A backend that appears later counts from its start; one
 * that exits loses at most its last SAMPLE_MS (its queries run at a request's start).
 */
function followBackends(database: string) {
  const SAMPLE_MS = 250;
  const title = ` ${database} `;
  const ours = new Map<number, boolean>();
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  let sampling = false;
  const sample = () => {
    for (const entry of readdirSync('/proc')) {
      const pid = Number(entry);
      if (!Number.isInteger(pid)) continue;
      if (!ours.has(pid)) {
        let cmdline = '';
        try {
          cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        } catch {
          continue;
        }
        ours.set(pid, cmdline.startsWith('postgres:') && cmdline.includes(title));
      }
      if (!ours.get(pid)) continue;
      const seconds = cpuSecondsOf(pid);
      if (!Number.isFinite(seconds)) continue;
      if (!first.has(pid)) first.set(pid, sampling ? 0 : seconds);
      last.set(pid, seconds);
    }
  };
  sample();
  sampling = true;
  const timer = setInterval(sample, SAMPLE_MS);
  return {
    /** CPU seconds of the backends since the start. */
    stop(): number {
      clearInterval(timer);
      sample();
      let total = 0;
      for (const [pid, seconds] of last) total += seconds - first.get(pid)!;
      return total;
    },
  };
}

function cpuMsOf(run: () => void): number {
  const before = process.cpuUsage();
  run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

const median = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50);

type ThemeRows = Awaited<ReturnType<AnalyticsRepository['themeMentions']>>;

/** Rows as the SWOT use-case hands them to the themes. */
const toTheme = toThemeMentions;

/**
 * The request's parts alone: its SELECTs one after another on one connection, and extractThemes
 * over the very rows it reads, as given and with every post of several brands read whole.
 */
async function timeParts({
  get,
  path,
  url,
  recording,
  read,
  since,
  previousSince,
  end,
  brands,
}: {
  get: ReturnType<typeof timedGet>;
  path: string;
  url: string;
  recording: ReturnType<typeof recordingDb>;
  read: (since: Date, until: Date) => Promise<ThemeRows>;
  since: Date;
  previousSince: Date;
  end: Date;
  brands: ThemeBrand[];
}): Promise<Pick<SizeResult, 'sqlMs' | 'themesMs' | 'themesWholeMs' | 'themeRuns'>> {
  const queries = await recording.record(() => get(path));
  const sqlMs = await sqlMedianMs(url, queries, 5);
  const [current, previous] = (await Promise.all([read(since, end), read(previousSince, since)])).map(toTheme) as [ThemeMention[], ThemeMention[]];
  const whole = (list: ThemeMention[]) => list.map((m) => (m.brandIds.length > 1 ? { ...m, brandIds: m.brandIds.slice(0, 1) } : m));
  const [currentWhole, previousWhole] = [whole(current), whole(previous)];
  // Seconds per run from 10,000 rows a window: three runs only for the smaller windows.
  const themeRuns = current.length + previous.length >= 20_000 ? 1 : 3;
  const themes: number[] = [];
  const themesWhole: number[] = [];
  for (let i = 0; i < themeRuns; i++) {
    themes.push(cpuMsOf(() => extractThemes({ mentions: current, previous, brands })));
    themesWhole.push(cpuMsOf(() => extractThemes({ mentions: currentWhole, previous: previousWhole, brands })));
  }
  return { sqlMs, themesMs: median(themes), themesWholeMs: median(themesWhole), themeRuns };
}

export async function measureSize({
  size,
  hours,
  end,
  requests,
  budgetMs,
  warmup,
  breakdown,
  app,
  key,
  ownBrandId,
  brands,
  db,
  database,
  url,
  recording,
  analyticsRepository,
  workspaceId,
  sampleLimit,
}: {
  size: number;
  hours: number;
  end: Date;
  requests: number;
  /** Timed requests stop once they have taken this long, after MIN_REQUESTS at least. */
  budgetMs: number;
  warmup: number;
  /** Whether to time the request's parts alone (the themes twice more over the same rows). */
  breakdown: boolean;
  app: { request: (path: string, init: RequestInit) => Response | Promise<Response> };
  key: string;
  ownBrandId: string;
  brands: ThemeBrand[];
  db: Database;
  /** The database's name, which its backends' process titles carry. */
  database: string;
  url: string;
  recording: ReturnType<typeof recordingDb>;
  analyticsRepository: AnalyticsRepository;
  workspaceId: string;
  sampleLimit: number;
}): Promise<SizeResult> {
  const since = new Date(end.getTime() - hours * HOUR_MS);
  const previousSince = new Date(since.getTime() - hours * HOUR_MS);
  const path = `/v1/swot?brand=${ownBrandId}&since=${since.toISOString()}&until=${end.toISOString()}`;
  const get = timedGet(app, key);

  const first = (await get(path)).body;
  for (let i = 1; i < warmup; i++) await get(path);
  const ms: number[] = [];
  const load0 = loadavg()[0]!;
  const backends = followBackends(database);
  const cpu = process.cpuUsage();
  const timedStart = performance.now();
  for (let i = 0; i < requests; i++) {
    if (i >= MIN_REQUESTS && performance.now() - timedStart > budgetMs) break;
    ms.push((await get(path)).ms);
  }
  const used = process.cpuUsage(cpu);
  const pgSeconds = backends.stop();
  const load1 = loadavg()[0]!;

  const counts = await sql<{ current: number; previous: number; multi: number }>`
    select count(*) filter (where occurred_at >= ${since})::int as current, count(*) filter (where occurred_at < ${since})::int as previous,
      count(*) filter (where occurred_at >= ${since} and cardinality(brand_ids) > 1)::int as multi
    from mentions where workspace_id = ${workspaceId} and matched and occurred_at >= ${previousSince} and occurred_at < ${end}`.execute(db);

  const parts = breakdown
    ? await timeParts({ get, path, url, recording, read: (from, to) => analyticsRepository.themeMentions({ workspaceId, since: from, until: to, limit: sampleLimit }), since, previousSince, end, brands })
    : { sqlMs: NaN, themesMs: NaN, themesWholeMs: NaN, themeRuns: 0 };

  const sorted = [...ms].sort((a, b) => a - b);
  const { rows } = counts;
  return {
    size,
    hours,
    rows: rows[0]!.current,
    previousRows: rows[0]!.previous,
    multiBrandRows: rows[0]!.multi,
    sample: first.sample,
    status: first.status,
    items: first.strengths.length + first.weaknesses.length + first.opportunities.length + first.threats.length,
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    max: sorted.at(-1)!,
    appCpuMs: (used.user + used.system) / 1000 / ms.length,
    pgCpuMs: (pgSeconds * 1000) / ms.length,
    load: [load0, load1],
    ...parts,
  };
}

export function formatResults(results: readonly SizeResult[]): string {
  const f = (v: number, digits = 0) => (Number.isFinite(v) ? v.toFixed(digits) : '–');
  const lines = [
    '| window | hours | matched rows (previous) | 2+ brands | sample.of (previous) | status, items | n | p50 ms | p95 ms | max ms | app CPU ms/req | PG CPU ms/req | SELECTs alone ms | themes CPU ms | themes, posts whole ms | load 1 min |',
    '| ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...results.map(
      (r) =>
        `| ${r.size.toLocaleString('en-US')} | ${r.hours} | ${r.rows} (${r.previousRows}) | ${r.multiBrandRows} (${f((100 * r.multiBrandRows) / r.rows, 1)} %) | ` +
        `${r.sample.of} (${r.sample.previousOf})${r.sample.sampled ? ', sampled' : ''} | ${r.status}, ${r.items} | ${r.n} | ${f(r.p50)} | ${f(r.p95)} | ${f(r.max)} | ` +
        `${f(r.appCpuMs)} | ${f(r.pgCpuMs)} | ${f(r.sqlMs)} | ${f(r.themesMs)}${r.themeRuns === 1 ? ' (1 run)' : ''} | ${f(r.themesWholeMs)} | ${r.load[0].toFixed(1)} → ${r.load[1].toFixed(1)} |`,
    ),
  ];
  return lines.join('\n');
}
