// `npm run demo`: Earshot with a demo workspace whose sources are sample feeds in five languages,
// served from this machine, so a newcomer sees mentions, streams and sentiment with no internet.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { sql } from 'kysely';
import pg from 'pg';
import { ConfigError, loadConfig, type Config } from '../src/config.js';
import type { Running } from '../src/runtime.js';
import type { Database } from '../src/infra/db/database.js';
import { freePortNear } from '../src/infra/free-port.js';

const USAGE = `usage: [VARIABLE=value …] npm run demo

Earshot with a demo workspace whose sources are sample feeds in five languages, served from this
machine; Ctrl-C stops it. It takes no arguments: it reads these variables from the environment.

  PORT                      the API's port (default 3000; 0 for any free one)
  HOST                      the address the API listens on (default 127.0.0.1: this machine only)
  DEMO_FEED_PORT            the sample feeds' port, on 127.0.0.1 (default 0: any free one)
  DEMO_DATABASE_URL         its database, created if missing
                            (default postgres://postgres@127.0.0.1:5432/earshot_demo)
  DEMO_QUEUE_PREFIX         the prefix of its Redis keys (default earshot-demo)
  DEMO_PUBLISH_INTERVAL_MS  how often a sample item is published, in ms (default 15000, at least 200)
  REDIS_URL                 its Redis (default redis://127.0.0.1:6379)
  ADMIN_TOKEN               the admin token it prints (default: a new random one)
  LOG_LEVEL                 how much it logs: error, warn, info, debug… (default warn)
  DATABASE_STARTUP_WAIT_MS  how long to wait for a Postgres that is starting, in ms (default 10000)
  SWOT_CACHE_SECONDS        how long a SWOT answer is kept (default 15)

Earshot's other variables (README.md, Configuration) apply too, but for DATABASE_URL and
QUEUE_PREFIX (the demo's own are above), ALLOW_PRIVATE_NETWORKS and SCHEDULER_TICK_MS, which it sets.
For example: PORT=3001 DEMO_FEED_PORT=3002 npm run demo`;

// Answered before anything is opened or created, as bin/earshot.js answers the command line.
const args = process.argv.slice(2);
if (args.some((arg) => arg === '--help' || arg === '-h')) {
  console.log(USAGE);
  process.exit(0);
}
if (args.length) {
  const named = args.map((arg) => JSON.stringify(arg)).join(' ');
  console.error(`earshot demo: unknown argument${args.length > 1 ? 's' : ''} ${named}: it takes none but --help; set the variables below instead\n\n${USAGE}`);
  process.exit(2);
}

/** A port variable of the demo's own, checked as Earshot checks PORT (src/config.ts). */
function portVariable(name: string): number {
  const given = process.env[name]?.trim() ?? '';
  if (given === '') return 0;
  if (!/^\d+$/.test(given)) throw new ConfigError([`${name}: expected a whole number (got ${JSON.stringify(given)})`]);
  if (Number(given) > 65535) throw new ConfigError([`${name}: must be at most 65535 (got ${JSON.stringify(given)})`]);
  return Number(given);
}

interface Sample {
  title: string;
  text: string;
  /** Mentions no brand: it shows that not every item is a mention, so it is never replayed live. */
  offTopic?: boolean;
  /** How many times it was also posted in the week before, under other ids; absent: not then. */
  weekBefore?: number;
}
const samples = JSON.parse(await readFile(new URL('../demo/samples.json', import.meta.url), 'utf8')) as {
  brands: Array<{ name: string; role: string; query: string }>;
  feeds: Record<string, { title: string; items: Sample[] }>;
};
const LANGS = Object.keys(samples.feeds);
// Tests ask for a faster pace; a newcomer gets one new item every 15 s.
const PUBLISH_EVERY_MS = Math.max(200, Number(process.env.DEMO_PUBLISH_INTERVAL_MS) || 15_000);
// Like a real feed, each one lists its latest items only; older ones are already stored (the
// backlog reaches Earshot's first poll: see the feed server).
const FEED_LENGTH = 40;
const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;
// The backlog lies inside the analytics' default window (a week), at least an hour old, so it is
// never mistaken for what this run publishes.
const BACKLOG_SPAN_MS = 72 * HOUR_MS;
// Every analytics endpoint compares its window with the equal one before it, so the backlog also
// holds the week before: dated 8 d to 13 d 18 h ago, in the previous window of a week ending now
// for hours after the start, even when the window is widened to whole hours, or to whole days as
// trending hashtags widen it. Mentions are kept (no retention by default), and the items about no
// brand are well within RAW_RETENTION_DAYS (30 by default).
const WEEK_BEFORE_FROM_MS = 8 * DAY_MS;
const WEEK_BEFORE_SPAN_MS = 5 * DAY_MS + 18 * HOUR_MS;

type Item = Sample & { date: Date; guid: string };
// Each feed starts with all of its samples, dated over the last three days: with them the SWOT
// (20 mentions of the own brand and 20 of its competitors), trends and trending terms have data at
// once, and every language has an item about no brand. Behind them come the week before's items:
// the samples again, each as many times as its `weekBefore` says, under their own ids. That week's
// mix differs (the queue at Aroma Coffee and the Moka Lux loyalty card talked of less, Moka Lux's
// prices and BeanBros' drive-through more, staff and delivery as much), so the comparisons show
// themes rising, falling and steady, not everything new. Then one item is published every
// PUBLISH_EVERY_MS, the languages in turn: the samples that mention a brand again, oldest first,
// under new ids, so the live stream never goes quiet and shows every language.
/** backlog: the samples as the feed starts with them; live: what this run published, newest first. */
const feeds = new Map<string, { backlog: Item[]; live: Item[]; replay: Sample[]; published: number }>();
for (const [lang, feed] of Object.entries(samples.feeds)) {
  const step = Math.min(7 * HOUR_MS, BACKLOG_SPAN_MS / feed.items.length);
  const now = Date.now();
  const recent = feed.items.map((item, i) => ({ ...item, guid: `${lang}-${i}`, date: new Date(now - (i + 1) * step) }));
  // In rounds (every sample posted then, then those posted twice…), so repeats are days apart.
  const rounds = Math.max(0, ...feed.items.map((item) => item.weekBefore ?? 0));
  const weekBefore = Array.from({ length: rounds }, (_, round) => feed.items.filter((item) => (item.weekBefore ?? 0) > round)).flat();
  const weekStep = WEEK_BEFORE_SPAN_MS / Math.max(1, weekBefore.length);
  feeds.set(lang, {
    backlog: [
      ...recent,
      ...weekBefore.map((item, k) => ({ ...item, guid: `${lang}-w${k}`, date: new Date(now - WEEK_BEFORE_FROM_MS - k * weekStep) })),
    ],
    live: [],
    replay: feed.items.filter((item) => !item.offTopic).reverse(),
    published: feed.items.length,
  });
}
/**
 * The order samples are published live: every sample once per cycle, each language's spread
 * evenly over it (sample k of n at (k + ½) / n of the way). Taking the languages in turn repeated
 * a language with few samples (Tamil has three) every few minutes, and after a quarter of an hour
 * its few posts, repeated, were the trending terms and the SWOT; this way each sample repeats as
 * often as any other, and every language still comes round within a few minutes.
 */
const replayOrder = LANGS.flatMap((lang) => {
  const { replay } = feeds.get(lang)!;
  return replay.map((_, index) => ({ lang, index, at: (index + 0.5) / replay.length }));
}).sort((a, b) => a.at - b.at || LANGS.indexOf(a.lang) - LANGS.indexOf(b.lang));

/** Publishes the next sample of the cycle; returns its language, whose feed to fetch now. */
function publishNext(turn: number): string {
  const { lang, index } = replayOrder[turn % replayOrder.length]!;
  const feed = feeds.get(lang)!;
  feed.live.unshift({ ...feed.replay[index]!, guid: `${lang}-${feed.published++}`, date: new Date() });
  feed.live.length = Math.min(feed.live.length, FEED_LENGTH);
  return lang;
}

const esc = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
// The feeds' paths carry this run's token: a later run that finds the port answering can tell this
// run's feeds from another process that took the port over.
const feedToken = randomBytes(8).toString('hex');
const feedServer = createServer((req, res) => {
  const [, token, lang] = /^\/feeds\/([0-9a-f]{16})\/([a-z]{2})\.xml$/.exec(req.url ?? '') ?? [];
  const feed = token === feedToken && lang ? feeds.get(lang) : undefined;
  if (!lang || !feed) return void res.writeHead(404).end();
  // Each response lists this run's published items, newest first, then the backlog. A poller that
  // has read the feed before gets the latest FEED_LENGTH of them, as from a real feed; the backlog
  // (the English one) is longer than that, so a request that is not conditional gets all of it.
  // Earshot sends a response's ETag back (If-None-Match) only once it has stored that response's
  // items (it saves the validators in the transaction that stores them): its first poll, or the
  // retry of a first poll that failed, lists the whole backlog, and every later poll the latest
  // items only. Counting requests instead would not do: a newcomer's curl, or another demo asking
  // whether this one still runs, may come first, and a poll can fail after it was answered.
  const conditional = req.headers['if-none-match'] !== undefined || req.headers['if-modified-since'] !== undefined;
  const listed = [...feed.live, ...feed.backlog];
  const items = conditional ? listed.slice(0, FEED_LENGTH) : listed;
  const body = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>${esc(samples.feeds[lang]!.title)}</title><link>https://demo.earshot.invalid/${lang}</link><language>${lang}</language>
${items
  .map(
    (i) =>
      `<item><guid isPermaLink="false">${i.guid}</guid><title>${esc(i.title)}</title><link>https://demo.earshot.invalid/${lang}/${i.guid}</link><description>${esc(i.text)}</description><pubDate>${i.date.toUTCString()}</pubDate></item>`,
  )
  .join('\n')}
</channel></rss>`;
  // The ETag is the feed's version; it is never answered with a 304 (Earshot hashes an unchanged body).
  res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag: `W/"${feed.published}"` }).end(body);
});

/** The sample feeds' port (DEMO_FEED_PORT) is taken, or not one this user may listen on. */
class FeedListenError extends Error {
  readonly inUse: boolean;
  constructor(
    readonly port: number,
    cause: NodeJS.ErrnoException,
  ) {
    super(
      cause.code === 'EADDRINUSE'
        ? `port ${port} on 127.0.0.1 is already in use: set DEMO_FEED_PORT to a free one`
        : `the sample feeds could not listen on 127.0.0.1:${port} (${cause.code ?? cause.message}): set DEMO_FEED_PORT to another port, or 0 for any free one`,
    );
    this.name = 'FeedListenError';
    this.inUse = cause.code === 'EADDRINUSE';
  }
}

async function listenForFeeds(port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    feedServer.once('error', (err: NodeJS.ErrnoException) => reject(new FeedListenError(port, err)));
    feedServer.listen(port, '127.0.0.1', resolve);
  });
  return (feedServer.address() as AddressInfo).port;
}

/** How to start again on a port checked free where the demo would listen on it; empty if none was found. */
async function portHint(variable: string, port: number, host: string): Promise<string> {
  const free = await freePortNear(port, host);
  return free === undefined ? '' : `${variable}=${free} npm run demo`;
}

const databaseUrl = process.env.DEMO_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/earshot_demo';
const adminToken = process.env.ADMIN_TOKEN || randomBytes(24).toString('hex');

// What the demo is told is checked, and its feeds' port taken, before Earshot loads (seconds on a
// busy machine): a mistake is answered at once, and nothing is created.
let config: Config;
let feedPort: number;
try {
  const feedPortWanted = portVariable('DEMO_FEED_PORT');
  config = loadConfig({
    ...process.env,
    DATABASE_URL: databaseUrl,
    QUEUE_PREFIX: process.env.DEMO_QUEUE_PREFIX || 'earshot-demo',
    // The demo lets sources reach this machine and prints an admin token: it is not for the network.
    HOST: process.env.HOST || '127.0.0.1',
    ALLOW_PRIVATE_NETWORKS: 'true',
    SCHEDULER_TICK_MS: '2000',
    // A newcomer whose Postgres is not running hears so in 10 s, not after a server's 30 s.
    DATABASE_STARTUP_WAIT_MS: process.env.DATABASE_STARTUP_WAIT_MS || '10000',
    // A sample arrives every 15 s: the SWOT follows them rather than answering again for 5 minutes.
    SWOT_CACHE_SECONDS: process.env.SWOT_CACHE_SECONDS || '15',
    ADMIN_TOKEN: adminToken,
    LOG_LEVEL: process.env.LOG_LEVEL || 'warn',
  });
  feedPort = await listenForFeeds(feedPortWanted);
} catch (err) {
  if (!(err instanceof ConfigError || err instanceof FeedListenError)) throw err;
  const hint = err instanceof FeedListenError && err.inUse ? await portHint('DEMO_FEED_PORT', err.port, '127.0.0.1') : '';
  console.error(`earshot demo: ${err.message}${hint ? `.\n  For example: ${hint}` : ''}`);
  process.exit(1);
}

const { createLogger } = await import('../src/logger.js');
const { PortInUseError, startEarshot } = await import('../src/runtime.js');
const { startUpMessage } = await import('../src/startup-errors.js');
const { generateApiKey } = await import('../src/domain/workspaces/api-keys.js');
const { createWorkspaceRepository } = await import('../src/domain/workspaces/workspaces.repository.js');

/** What went wrong at start-up, as a newcomer can act on it: which service, where, and the variable to change. */
async function explain(err: unknown): Promise<string> {
  const context = {
    databaseUrl,
    redisUrl: config.REDIS_URL,
    databaseVariable: 'DEMO_DATABASE_URL',
    databaseName: 'earshot_demo',
    portHint: err instanceof PortInUseError ? (await portHint('PORT', config.PORT, config.HOST)) || 'PORT=0 npm run demo' : '',
  };
  return startUpMessage(err, context) ?? `failed to start: ${(err as Error).stack ?? String(err)}`;
}

// Several demos may share the database (a second one on another PORT), so a demo removes only the
// workspaces of demos that are gone, and only once its own is set up. A demo is alive while either
// holds: a session of it keeps the advisory lock on its workspace (Postgres releases it when the
// process dies, however it dies, whichever machine it ran on), or its feeds still answer as that
// run's feeds (for a demo that lost its lock's connection, or one from before the lock).
// Only workspaces named as the demo names them and holding nothing but demo feeds are candidates,
// in case DEMO_DATABASE_URL points at a database with real workspaces.
const DEMO_NAME = '^Demo [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}$';
const DEMO_FEED = '^http://127\\.0\\.0\\.1:[0-9]+/feeds/([0-9a-f]{16}/)?[a-z]{2}\\.xml$';
const LOCK_CLASS = "hashtext('earshot demo workspace')";
const lockHeld = (workspaceId: ReturnType<typeof sql.ref>) => sql`exists (
  select 1 from pg_locks l
  where l.locktype = 'advisory' and l.objsubid = 2
    and l.database = (select oid from pg_database where datname = current_database())
    and l.classid = ${sql.raw(LOCK_CLASS)}::oid and l.objid = hashtext(${workspaceId}::text)::oid)`;

/** Whether a feed still answers as a running demo's feed; undefined when it cannot tell (no answer in time). */
async function answersAsDemoFeed(url: string): Promise<boolean | undefined> {
  try {
    const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(5_000) });
    const body = await res.text();
    return res.status === 200 && body.includes('<rss');
  } catch (err) {
    return (err as Error).name === 'TimeoutError' ? undefined : false;
  }
}

async function removeGoneDemoWorkspaces(db: Database, self: string): Promise<number> {
  const { rows } = await sql<{ id: string; urls: string[] }>`
    select w.id, array_remove(array_agg(s.config->>'url'), null) as urls
    from workspaces w left join sources s on s.workspace_id = w.id
    where w.name ~ ${DEMO_NAME} and w.id <> ${self}
      and not exists (
        select 1 from sources o
        where o.workspace_id = w.id and not (o.type = 'rss' and o.config->>'url' ~ ${DEMO_FEED})
      )
      and not ${lockHeld(sql.ref('w.id'))}
    group by w.id`.execute(db);
  const gone: string[] = [];
  for (const { id, urls } of rows) {
    const answers = await Promise.all([...new Set(urls)].map(answersAsDemoFeed));
    if (answers.every((a) => a === false)) gone.push(id);
  }
  if (!gone.length) return 0;
  const { numAffectedRows } = await sql`delete from workspaces where id = any(${gone}::uuid[])`.execute(db);
  return Number(numAffectedRows ?? 0);
}

let running: Running | undefined;
/** This run's own session, holding the advisory lock that says its workspace is in use. */
let liveness: pg.Client | undefined;
let ownWorkspaceId: string | undefined;
let setup;
try {
  const log = createLogger({ level: config.LOG_LEVEL });
  running = await startEarshot({ roles: ['api', 'worker', 'scheduler'], config, log });
  const db = running.db;
  liveness = new pg.Client({ connectionString: config.DATABASE_URL });
  // Without it, a lost connection would end the demo; its feeds still say it runs.
  liveness.on('error', (err) => log.warn({ err }, 'demo: the session holding the workspace lock was lost'));
  await liveness.connect();
  const lock = liveness;
  // The workspace becomes visible already locked, so no other demo can take it for a gone one.
  const generated = generateApiKey();
  const workspaceRepository = createWorkspaceRepository({ db });
  const created = await db.transaction().execute(async (trx) => {
    const row = await workspaceRepository.insertWorkspace(trx, `Demo ${new Date().toISOString().slice(0, 16)}`);
    await workspaceRepository.insertKey(trx, { workspaceId: row.id, name: 'default', ...generated });
    await lock.query(`select pg_advisory_lock(${LOCK_CLASS}, hashtext($1::text))`, [row.id]);
    return row;
  });
  ownWorkspaceId = created.id;
  const workspace = { name: created.name, apiKey: generated.key };
  const base = `http://127.0.0.1:${running.port}`;
  const api = async (path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${workspace.apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { id: string };
  };
  const brandIds: Record<string, string> = {};
  for (const brand of samples.brands) brandIds[brand.name] = (await api('/v1/brands', brand)).id;
  const sourceIds: Record<string, string> = {};
  for (const lang of LANGS) {
    sourceIds[lang] = (await api('/v1/sources', { type: 'rss', url: `http://127.0.0.1:${feedPort}/feeds/${feedToken}/${lang}.xml`, intervalSeconds: 60 })).id;
    await api(`/v1/sources/${sourceIds[lang]}/fetch`);
  }
  // Only now that this run works: a failed start must not cost anyone the demo they had.
  const replaced = await removeGoneDemoWorkspaces(db, created.id).catch((err: unknown) => {
    log.warn({ err }, 'demo: could not remove the workspaces of earlier runs');
    return 0;
  });
  setup = { workspace, base, api, sourceIds, brandIds, own: brandIds['Aroma Coffee']!, replaced };
} catch (err) {
  console.error(`earshot demo: ${await explain(err)}`);
  feedServer.close();
  if (running) await running.shutdown.shutdown('startup failed').catch(() => {});
  // A half-built workspace is removed by this run, after its workers stopped writing to it, over
  // its own session (the pool is closed by now); if even that fails, its lock ends with this
  // process and the next run removes it.
  if (ownWorkspaceId) await liveness?.query('delete from workspaces where id = $1', [ownWorkspaceId]).catch(() => {});
  await liveness?.end().catch(() => {});
  process.exit(1);
}

const { workspace, base, api, sourceIds, brandIds, own, replaced } = setup;
// A published item is fetched at once ("fetch now"), so it reaches the live stream in a moment
// rather than at the source's next poll; a fetch already running picks it up at the next one.
let turn = 0;
const drip = setInterval(() => {
  const lang = publishNext(turn++);
  api(`/v1/sources/${sourceIds[lang]}/fetch`).catch(() => {});
}, PUBLISH_EVERY_MS);

const key = workspace.apiKey;
const every = PUBLISH_EVERY_MS % 1000 ? `${PUBLISH_EVERY_MS} ms` : `${PUBLISH_EVERY_MS / 1000} s`;
const curl = (flag: string, path: string, tail = '') => `  curl ${flag} -H "Authorization: Bearer ${key}" "${base}${path}"${tail}`;
const removed = replaced ? `  (removed ${replaced === 1 ? 'the workspace' : `${replaced} workspaces`} of demo runs no longer running)` : '';
console.log(`
Earshot demo is running at ${base}  (API reference: ${base}/docs)
Its sample feeds are served at http://127.0.0.1:${feedPort}/feeds/…  (DEMO_FEED_PORT to choose the port)

  Workspace: ${workspace.name}${removed}
  API key:   ${key}
  Admin token (for POST /v1/workspaces): ${adminToken}

  Brands (the analytics name them by id):
${samples.brands.map((b) => `    ${b.name.padEnd(14)} ${b.role.padEnd(11)} ${brandIds[b.name]}`).join('\n')}

Mentions of the last three days, and of the week before to compare with, appear within seconds; then a sample item is published every ${every}, every language's spread over the cycle.
Try the mentions:

${curl('-s', '/v1/mentions?limit=5')}
${curl('-s', `/v1/mentions?brand=${own}&sentiment=negative`)}
${curl('-s', '/v1/mentions?hashtag=aromacoffee')}
${curl('-s', '/v1/mentions?lang=hi')}
${curl('-N', '/v1/mentions/live')}
${curl('-s', '/v1/mentions/export.csv', ' -o mentions.csv')}
${curl('-s', '/v1/sources')}

and the analytics, within a minute:

${curl('-s', `/v1/swot?brand=${own}`)}
${curl('-s', '/v1/share-of-voice')}
${curl('-s', `/v1/trends/sentiment?brand=${own}&interval=day`)}
${curl('-s', '/v1/trending/hashtags')}
${curl('-s', '/v1/trending/keywords')}
${curl('-s', `/v1/terms?brand=${own}&sentiment=negative`)}

Press Ctrl-C to stop.
`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    clearInterval(drip);
    feedServer.close();
    void running!.shutdown
      .shutdown(signal)
      .then(async (clean) => {
        await liveness?.end().catch(() => {});
        process.exit(clean ? 0 : 1);
      });
  });
}
