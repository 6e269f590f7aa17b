import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { networkInterfaces } from 'node:os';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dropRedisPrefix } from '../support/redis.js';
import { createTestDatabase } from '../support/db.js';
import { ROOT, freePort, run, type Child } from '../support/process.js';
import { collectEvents } from '../support/sse.js';

// `npm run demo` as a newcomer runs it: the script itself in its own process, with its own
// database and queue prefix, and then the curl commands it prints.
const DEMO_LANGS = ['en', 'cs', 'fa', 'hi', 'ta'];
// The demo publishes a sample item every 15 s; the test asks for two a second to keep it short (a
// language comes round every 2.5 s, each item fetched at once: seconds before the next of its feed).
const DEMO_ENV = { PORT: '0', DEMO_PUBLISH_INTERVAL_MS: '500', LOG_LEVEL: 'warn' };
/** As scripts/demo.ts lists to a poller that has read its feed before. */
const FEED_LENGTH = 40;
const DAY_MS = 86_400_000;
const prefix = `tdemo${randomBytes(4).toString('hex')}`;
const dbName = `earshot_t_${inject('runId')}_demo_${randomBytes(4).toString('hex')}`;
const dbUrl = Object.assign(new URL(inject('pgServer')), { pathname: `/${dbName}` }).toString();

interface Printed {
  base: string;
  key: string;
  ownBrand: string;
  commands: Array<{ flag: string; url: string }>;
}
interface MentionJson {
  url: string;
  lang: string | null;
  brandIds: string[];
  hashtags: string[];
  sentiment: { label: string };
}

let demo: Child;
let printed: Printed;
/** When it printed its key: what a newcomer is promised is counted from here. */
let printedAt: number;

function parsePrinted(out: string): Printed {
  const commands = [...out.matchAll(/curl (-s|-N) -H "Authorization: Bearer [^"]+" "([^"]+)"/g)].map((m) => ({ flag: m[1]!, url: m[2]! }));
  return {
    base: /Earshot demo is running at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!,
    key: /API key: +(\S+)/.exec(out)![1]!,
    ownBrand: /brand=([0-9a-f-]{36})/.exec(out)![1]!,
    commands,
  };
}

async function stop(child: Child): Promise<{ code: number | null; signal: NodeJS.Signals | null } | null> {
  child.proc.kill('SIGINT');
  return Promise.race([child.exited, new Promise<null>((r) => setTimeout(() => r(null), 20_000))]);
}

async function get<T = { items: MentionJson[] }>(path: string): Promise<T> {
  const res = await fetch(`${printed.base}${path}`, { headers: { authorization: `Bearer ${printed.key}` } });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

async function queryDemoDb<T extends pg.QueryResultRow>(text: string): Promise<T[]> {
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  try {
    return (await db.query<T>(text)).rows;
  } finally {
    await db.end();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sources whose ETag Earshot keeps: it keeps one once it has stored a poll of the feed. */
const etagsKept = async () => Number((await queryDemoDb<{ n: string }>(`select count(*) as n from sources where state->>'etag' is not null`))[0]!.n);

/** The API paths README.md's demo section shows. */
function readmeDemoPaths(): string[] {
  const readme = readFileSync(`${ROOT}README.md`, 'utf8');
  const section = /^## See it work in a minute[^\n]*\n([\s\S]*?)^## /m.exec(readme)![1]!;
  return [...new Set([...section.matchAll(/\/v1\/[a-z/.-]*[a-z]/g)].map((m) => m[0]))];
}

beforeAll(async () => {
  demo = run('node', ['--import', 'tsx', 'scripts/demo.ts'], { ...DEMO_ENV, DEMO_DATABASE_URL: dbUrl, DEMO_QUEUE_PREFIX: prefix });
  await demo.waitFor(/Press Ctrl-C to stop\./, 90_000);
  printedAt = Date.now();
  printed = parsePrinted(demo.output());
});

afterAll(async () => {
  if (demo?.proc.exitCode === null) {
    demo.proc.kill('SIGKILL');
    await demo.exited;
  }
  const admin = new pg.Client({ connectionString: inject('pgServer') });
  await admin.connect();
  await admin.query(`drop database if exists "${dbName}" with (force)`);
  await admin.end();
  await dropRedisPrefix(prefix);
});

describe('npm run demo', () => {
  it('shows scored mentions in all five languages within a minute', async () => {
    const seen = new Map<string, MentionJson[]>();
    const deadline = Date.now() + 60_000;
    while (seen.size < DEMO_LANGS.length && Date.now() < deadline) {
      for (const lang of DEMO_LANGS) {
        if (seen.has(lang)) continue;
        const { items } = await get(`/v1/mentions?lang=${lang}&limit=100`);
        if (items.length) seen.set(lang, items);
      }
      if (seen.size < DEMO_LANGS.length) await sleep(200);
    }
    expect([...seen.keys()].sort()).toEqual([...DEMO_LANGS].sort());
    for (const [lang, items] of seen) {
      expect(items.every((m) => m.lang === lang && m.brandIds.length > 0), lang).toBe(true);
      // Sentiment is not English-only: every language shows opinions, not just "neutral".
      expect(items.some((m) => m.sentiment.label === 'positive' || m.sentiment.label === 'negative'), lang).toBe(true);
    }
    const labels = new Set([...seen.values()].flat().map((m) => m.sentiment.label));
    expect(labels.has('positive') && labels.has('negative'), [...labels].join(', ')).toBe(true);
  }, 75_000);

  // Once it has loaded, the checks below read what it serves and none changes it, so they run at
  // once: most of their time is waiting, the live stream's for items published twice a second.
  // The starts that fail run meanwhile too, on a database and queue prefix of their own.
  describe.concurrent('once it has loaded', () => {
    it('the live stream keeps showing new mentions in every language, beyond the bundled samples', async () => {
      // After the first load (each source is one language, and has stored its first poll), so the
      // stream shows what is published.
      const loaded = Date.now() + 30_000;
      while (Date.now() < loaded) {
        const { items } = await get('/v1/mentions?limit=200');
        if (new Set(items.map((m) => m.lang)).size === DEMO_LANGS.length && (await etagsKept()) === DEMO_LANGS.length) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      const res = await fetch(`${printed.base}/v1/mentions/live`, { headers: { authorization: `Bearer ${printed.key}` } });
      expect(res.status).toBe(200);
      const stream = collectEvents<MentionJson>(res);
      // More mentions than the sample feeds hold items after the first load: the demo keeps publishing.
      const deadline = Date.now() + 40_000;
      const langs = () => new Set(stream.events.map((e) => e.data.lang));
      while ((stream.events.length < 25 || langs().size < DEMO_LANGS.length) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      await stream.close();
      expect([...langs()].sort()).toEqual([...DEMO_LANGS].sort());
      expect(stream.events.length).toBeGreaterThanOrEqual(25);
      expect(stream.events.every((e) => e.data.brandIds.length > 0 && e.data.sentiment.label !== 'unscored')).toBe(true);

      // Every item published while it runs is a mention: one about no brand would leave the stream
      // silent for its turn (the bundled feeds hold one such item per language).
      const sources = (await (await fetch(`${printed.base}/v1/sources`, { headers: { authorization: `Bearer ${printed.key}` } })).json()) as { items: Array<{ url: string }> };
      const storedAndPublished = async () => {
        const stored = new Set((await get('/v1/mentions?limit=200')).items.map((m) => m.url));
        const published: string[] = [];
        for (const { url } of sources.items) {
          const xml = await (await fetch(url)).text();
          for (const [, link, date] of xml.matchAll(/<link>([^<]+)<\/link><description>[^<]*<\/description><pubDate>([^<]+)<\/pubDate>/g)) {
            // Items dated in the last hour were published by this run; the newest may not be fetched yet.
            const age = Date.now() - Date.parse(date!);
            if (age > 10_000 && age < 3600_000) published.push(link!);
          }
        }
        return { stored, published };
      };
      // Enough of them more than 10 s old: the stream may have shown its 25 sooner.
      let { stored, published } = await storedAndPublished();
      const enough = Date.now() + 30_000;
      while (published.length <= 10 && Date.now() < enough) {
        await sleep(250);
        ({ stored, published } = await storedAndPublished());
      }
      expect(published.length).toBeGreaterThan(10);
      expect(published.filter((link) => !stored.has(link))).toEqual([]);
    }, 80_000);

    describe('when something it needs is missing', () => {
      // All three at once: each start fails on its own missing piece, and most of its time is tsx
      // compiling the sources. Without the ingest threads' warm-up, which none of them gets to use.
      // Not on the running demo's database and queue prefix: a start whose port is taken runs its
      // workers and scheduler a moment before it fails.
      const failPrefix = `${prefix}f`;
      let failDb: Awaited<ReturnType<typeof createTestDatabase>>;
      beforeAll(async () => {
        failDb = await createTestDatabase();
      });
      afterAll(async () => {
        await failDb?.drop();
        await dropRedisPrefix(failPrefix);
      });

      async function failsClearly(env: Record<string, string>, says: RegExp) {
        const child = run('node', ['--import', 'tsx', 'scripts/demo.ts'], {
          ...DEMO_ENV,
          INGEST_WARM_UP: 'false',
          DEMO_DATABASE_URL: failDb.url,
          DEMO_QUEUE_PREFIX: failPrefix,
          ...env,
        });
        const exit = await Promise.race([child.exited, new Promise<null>((r) => setTimeout(() => r(null), 60_000))]);
        if (exit === null) child.proc.kill('SIGKILL');
        const out = child.output();
        expect(exit, out).toEqual({ code: 1, signal: null });
        expect(out).toMatch(says);
        // A sentence that says what to do, not a stack trace.
        expect(out, out).not.toMatch(/^\s+at /m);
        return out;
      }

      it('with Postgres unreachable, it says so and how to point it elsewhere', async () => {
        const closed = await freePort();
        const out = await failsClearly(
          // The demo waits 10 s for a Postgres still starting; nothing will start there.
          { DEMO_DATABASE_URL: `postgres://postgres:secret@127.0.0.1:${closed}/earshot_demo`, DATABASE_STARTUP_WAIT_MS: '1000' },
          new RegExp(`Postgres at postgres://postgres:\\*\\*\\*@127\\.0\\.0\\.1:${closed}/earshot_demo.*DEMO_DATABASE_URL`, 's'),
        );
        expect(out).not.toContain('secret');
      }, 70_000);

      it('with Redis unreachable, it says so and how to point it elsewhere', async () => {
        const closed = await freePort();
        // Nor will Redis: a second of the wait for it (REDIS_STARTUP_WAIT_MS, 10 s by default) says as much.
        await failsClearly({ REDIS_URL: `redis://127.0.0.1:${closed}`, REDIS_STARTUP_WAIT_MS: '1000' }, new RegExp(`Redis at redis://127\\.0\\.0\\.1:${closed}.*REDIS_URL`, 's'));
      }, 70_000);

      it('with its port taken, it says which and how to choose another', async () => {
        const taken = createServer();
        await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
        try {
          const port = (taken.address() as { port: number }).port;
          await failsClearly({ PORT: String(port) }, new RegExp(`port ${port}.*already in use.*PORT=`, 's'));
        } finally {
          await new Promise((r) => (taken as Server).close(r));
        }
      }, 70_000);
    });

    it('within a minute its analytics have data: SWOT, share of voice, trends and trending terms', async () => {
      // The SWOT needs 20 mentions of the own brand and 20 of its competitors. At a newcomer's pace a
      // minute publishes four items, so the backlog alone must hold them: the window ends before this
      // run published anything (this test publishes twice a second, which would hide a thin backlog).
      type Swot = { status: string; reason?: string; sample: { mentions: number; previousMentions: number } } & Record<
        'strengths' | 'weaknesses' | 'opportunities' | 'threats',
        Array<{ theme: string; rule: string }>
      >;
      const hour = Math.floor(printedAt / 3600_000) * 3600_000;
      const backlogOnly = `/v1/swot?brand=${printed.ownBrand}&until=${new Date(hour).toISOString()}`;
      let swot = await get<Swot>(backlogOnly);
      while (swot.status !== 'ok' && Date.now() < printedAt + 60_000) {
        await sleep(1000);
        swot = await get<Swot>(backlogOnly);
      }
      expect(swot.status, swot.reason).toBe('ok');
      expect([swot.strengths, swot.weaknesses, swot.opportunities, swot.threats].flat().length).toBeGreaterThan(0);
      expect((await get<Swot>(`/v1/swot?brand=${printed.ownBrand}`)).status).toBe('ok');

      const voice = await get<{ total: number; brands: Array<{ mentions: number }> }>('/v1/share-of-voice');
      expect(voice.brands.length).toBe(3);
      expect(voice.brands.every((b) => b.mentions > 0)).toBe(true);
      const trend = await get<{ series: Array<{ buckets: Array<{ mentions: number }> }> }>(`/v1/trends/sentiment?brand=${printed.ownBrand}&interval=day`);
      expect(trend.series[0]!.buckets.some((b) => b.mentions > 0)).toBe(true);
      for (const path of ['/v1/trending/hashtags', '/v1/trending/keywords', `/v1/terms?brand=${printed.ownBrand}`]) {
        expect((await get<{ items: unknown[] }>(path)).items.length, path).toBeGreaterThan(0);
      }

      // Every one of them compares with the week before, and the backlog holds that week too, with
      // another mix: not everything is new, some themes rise and some fall.
      expect(swot.sample.mentions).toBeGreaterThan(0);
      expect(swot.sample.previousMentions).toBeGreaterThan(0);
      expect(swot.opportunities.map((o) => o.rule)).not.toEqual([]);
      expect(swot.opportunities.every((o) => o.rule === 'rising_without_own'), JSON.stringify(swot.opportunities)).toBe(false);
      const weekBefore = `since=${new Date(hour - 14 * DAY_MS).toISOString()}&until=${new Date(hour - 7 * DAY_MS).toISOString()}`;
      type Voice = { total: number; brands: Array<{ brandId: string; mentions: number; share: number }> };
      const before = await get<Voice>(`/v1/share-of-voice?${weekBefore}`);
      expect(before.brands.length).toBe(3);
      expect(before.brands.every((b) => b.mentions > 0), JSON.stringify(before)).toBe(true);
      const now = await get<Voice>(`/v1/share-of-voice?until=${new Date(hour).toISOString()}`);
      const change = now.brands.map((b) => b.share - before.brands.find((p) => p.brandId === b.brandId)!.share);
      expect(change.some((d) => d > 0) && change.some((d) => d < 0), change.join(', ')).toBe(true);
      const trendBefore = await get<{ series: Array<{ buckets: Array<{ mentions: number }> }> }>(`/v1/trends/sentiment?brand=${printed.ownBrand}&interval=day&${weekBefore}`);
      expect(trendBefore.series[0]!.buckets.some((b) => b.mentions > 0)).toBe(true);
      const rising = await get<{ items: Array<{ term: string; previous: number }> }>(`/v1/trending/keywords?until=${new Date(hour).toISOString()}`);
      expect(rising.items.some((i) => i.previous > 0), JSON.stringify(rising.items)).toBe(true);
    }, 75_000);

    it('its feeds list the whole backlog to a first poll, and only their latest items to a poll that read them before', async () => {
      const { items: sources } = await get<{ items: Array<{ url: string }> }>('/v1/sources');
      const dates = (xml: string) => [...xml.matchAll(/<pubDate>([^<]+)<\/pubDate>/g)].map((m) => Date.parse(m[1]!)).sort((a, b) => b - a);
      let longest = 0;
      for (const { url } of sources) {
        const first = await fetch(url);
        const etag = first.headers.get('etag');
        expect(etag, url).toBeTruthy();
        const all = dates(await first.text());
        expect(all.some((d) => d < Date.now() - 7 * DAY_MS), url).toBe(true);
        // As Earshot asks once it has stored a response: with that response's ETag.
        const latest = dates(await (await fetch(url, { headers: { 'if-none-match': etag! } })).text());
        expect(latest.length, url).toBeLessThanOrEqual(FEED_LENGTH);
        // The newest (one may have been published in between).
        expect(latest.at(-1), url).toBeGreaterThanOrEqual(all[Math.min(FEED_LENGTH, all.length) - 1]!);
        longest = Math.max(longest, all.length);
      }
      expect(longest).toBeGreaterThan(FEED_LENGTH);
      // Earshot keeps each feed's ETag once it has stored a poll of it, so its later polls are conditional.
      const deadline = Date.now() + 30_000;
      while ((await etagsKept()) < DEMO_LANGS.length && Date.now() < deadline) await sleep(200);
      expect(await etagsKept()).toBe(DEMO_LANGS.length);
    }, 45_000);

    it('every language has an item about no brand from the start: fetched and stored, never a mention', async () => {
      const samples = JSON.parse(readFileSync(`${ROOT}demo/samples.json`, 'utf8')) as { feeds: Record<string, { items: Array<{ title: string; offTopic?: boolean }> }> };
      const { items: sources } = await get<{ items: Array<{ url: string }> }>('/v1/sources');
      expect(sources.length).toBe(DEMO_LANGS.length);
      for (const { url } of sources) {
        const lang = /\/([a-z]{2})\.xml$/.exec(url)![1]!;
        const offTopic = samples.feeds[lang]!.items.filter((i) => i.offTopic).map((i) => i.title);
        expect(offTopic.length, lang).toBeGreaterThan(0);
        const xml = await (await fetch(url)).text();
        expect(offTopic.filter((title) => xml.includes(`<title>${title}</title>`)), lang).not.toEqual([]);
      }
      // Fetched and kept as items that match no brand (the raw store), not listed as mentions.
      let unmatched = new Set<string>();
      const deadline = Date.now() + 30_000;
      while (unmatched.size < DEMO_LANGS.length && Date.now() < deadline) {
        const rows = await queryDemoDb<{ url: string }>(`select distinct s.config->>'url' as url from mentions m join sources s on s.id = m.source_id where not m.matched`);
        unmatched = new Set(rows.map((r) => /\/([a-z]{2})\.xml$/.exec(r.url)![1]!));
        if (unmatched.size < DEMO_LANGS.length) await sleep(200);
      }
      expect([...unmatched].sort()).toEqual([...DEMO_LANGS].sort());
    }, 45_000);

    it('every curl command it prints answers, and the filters they show filter', async () => {
      expect(printed.commands.length).toBeGreaterThanOrEqual(5);
      const paths = printed.commands.map((c) => new URL(c.url).pathname);
      // The analytics a newcomer came for, and every path README.md's demo section shows.
      for (const path of ['/v1/swot', '/v1/share-of-voice', '/v1/trends/sentiment', '/v1/trending/keywords', ...readmeDemoPaths()]) {
        expect(paths, path).toContain(path);
      }
      for (const { flag, url } of printed.commands) {
        const controller = new AbortController();
        const res = await fetch(url, { headers: { authorization: `Bearer ${printed.key}` }, signal: controller.signal });
        expect(res.status, url).toBe(200);
        if (flag === '-N') {
          expect(res.headers.get('content-type'), url).toMatch(/^text\/event-stream/);
          controller.abort();
          await res.body?.cancel().catch(() => {});
        } else {
          await res.arrayBuffer();
        }
      }
      const negative = await get(`/v1/mentions?brand=${printed.ownBrand}&sentiment=negative`);
      expect(negative.items.length).toBeGreaterThan(0);
      expect(negative.items.every((m) => m.sentiment.label === 'negative' && m.brandIds.includes(printed.ownBrand))).toBe(true);
      const tagged = await get('/v1/mentions?hashtag=aromacoffee');
      expect(tagged.items.length).toBeGreaterThan(0);
      expect(tagged.items.every((m) => m.hashtags.includes('aromacoffee'))).toBe(true);
    });


    it('listens on loopback only: it allows private networks and prints an admin token', async () => {
      const port = new URL(printed.base).port;
      const outside = Object.values(networkInterfaces())
        .flat()
        .find((a) => a && a.family === 'IPv4' && !a.internal);
      if (!outside) return; // nothing but loopback on this machine
      const reached = await fetch(`http://${outside.address}:${port}/healthz`, { signal: AbortSignal.timeout(3_000) }).then(
        () => true,
        () => false,
      );
      expect(reached, `${outside.address}:${port}`).toBe(false);
    });

  });

  it('stops cleanly on Ctrl-C', async () => {
    expect(await stop(demo)).toEqual({ code: 0, signal: null });
  });
});
