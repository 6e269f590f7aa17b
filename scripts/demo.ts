// `npm run demo`: Earshot with a demo workspace whose sources are sample feeds in five languages,
// served from this machine, so a newcomer sees mentions, streams and sentiment with no internet.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { sql } from 'kysely';
import { loadConfig, type Config } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { startEarshot, type Running } from '../src/runtime.js';
import type { Database } from '../src/infra/db/database.js';
import { startUpMessage } from '../src/startup-errors.js';
import { createWorkspace } from '../src/domain/workspaces/workspaces.usecases.js';
import { createWorkspaceRepository } from '../src/domain/workspaces/workspaces.repository.js';

interface Sample {
  title: string;
  text: string;
  /** Mentions no brand: it shows that not every item is a mention, so it is never replayed live. */
  offTopic?: boolean;
}
const samples = JSON.parse(await readFile(new URL('../demo/samples.json', import.meta.url), 'utf8')) as {
  brands: Array<{ name: string; role: string; query: string }>;
  feeds: Record<string, { title: string; items: Sample[] }>;
};
const LANGS = Object.keys(samples.feeds);
// Tests ask for a faster pace; a newcomer gets one new item every 15 s.
const PUBLISH_EVERY_MS = Math.max(200, Number(process.env.DEMO_PUBLISH_INTERVAL_MS) || 15_000);
// Like a real feed, each one lists its latest items only; older ones are already stored.
const FEED_LENGTH = 40;

// Each feed starts with most of its samples, dated over the last three days. Then one item is
// published every PUBLISH_EVERY_MS, taking the languages in turn and replaying the samples under
// new ids once they run out, so the live stream never goes quiet and shows every language.
const feeds = new Map<string, { items: Array<Sample & { date: Date; guid: string }>; next: number; published: number }>();
for (const [lang, feed] of Object.entries(samples.feeds)) {
  const split = Math.ceil(feed.items.length * 0.6);
  feeds.set(lang, {
    items: feed.items.slice(0, split).map((item, i) => ({ ...item, guid: `${lang}-${i}`, date: new Date(Date.now() - (i + 1) * 7 * 3600_000) })),
    next: split,
    published: split,
  });
}
function publishNext(lang: string): void {
  const feed = feeds.get(lang)!;
  const all = samples.feeds[lang]!.items;
  let sample = all[feed.next++ % all.length]!;
  while (sample.offTopic) sample = all[feed.next++ % all.length]!;
  feed.items.unshift({ ...sample, guid: `${lang}-${feed.published++}`, date: new Date() });
  feed.items.length = Math.min(feed.items.length, FEED_LENGTH);
}

const esc = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
const feedServer = createServer((req, res) => {
  const lang = /^\/feeds\/([a-z]{2})\.xml$/.exec(req.url ?? '')?.[1];
  const items = lang ? feeds.get(lang)?.items : undefined;
  if (!lang || !items) return void res.writeHead(404).end();
  const body = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>${esc(samples.feeds[lang]!.title)}</title><link>https://demo.earshot.invalid/${lang}</link><language>${lang}</language>
${items
  .map(
    (i) =>
      `<item><guid isPermaLink="false">${i.guid}</guid><title>${esc(i.title)}</title><link>https://demo.earshot.invalid/${lang}/${i.guid}</link><description>${esc(i.text)}</description><pubDate>${i.date.toUTCString()}</pubDate></item>`,
  )
  .join('\n')}
</channel></rss>`;
  res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(body);
});
await new Promise<void>((resolve) => feedServer.listen(0, '127.0.0.1', resolve));
const feedPort = (feedServer.address() as { port: number }).port;

const databaseUrl = process.env.DEMO_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/earshot_demo';

/** What went wrong at start-up, as a newcomer can act on it: which service, where, and the variable to change. */
function explain(err: unknown, config: Config | undefined): string {
  const context = {
    databaseUrl,
    redisUrl: config?.REDIS_URL ?? process.env.REDIS_URL ?? '',
    databaseVariable: 'DEMO_DATABASE_URL',
    portHint: `PORT=${(config?.PORT ?? 3000) + 1} npm run demo`,
  };
  return startUpMessage(err, context) ?? `failed to start: ${(err as Error).stack ?? String(err)}`;
}

// Workspaces an earlier run left: their sources point at that run's feed server, gone now, and
// would fail on every poll. Only workspaces named as the demo names them and holding nothing but
// demo feeds are removed, in case DEMO_DATABASE_URL points at a database with real workspaces.
async function removeEarlierDemoWorkspaces(db: Database): Promise<number> {
  const { numAffectedRows } = await sql`
    delete from workspaces w
    where w.name ~ '^Demo [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}$'
      and not exists (
        select 1 from sources s
        where s.workspace_id = w.id
          and not (s.type = 'rss' and s.config->>'url' ~ '^http://127\\.0\\.0\\.1:[0-9]+/feeds/[a-z]{2}\\.xml$')
      )`.execute(db);
  return Number(numAffectedRows ?? 0);
}

const adminToken = process.env.ADMIN_TOKEN || randomBytes(24).toString('hex');
let config: Config | undefined;
let running: Running | undefined;
let setup;
try {
  config = loadConfig({
    ...process.env,
    DATABASE_URL: databaseUrl,
    QUEUE_PREFIX: process.env.DEMO_QUEUE_PREFIX || 'earshot-demo',
    // The demo lets sources reach this machine and prints an admin token: it is not for the network.
    HOST: process.env.HOST || '127.0.0.1',
    ALLOW_PRIVATE_NETWORKS: 'true',
    SCHEDULER_TICK_MS: '2000',
    ADMIN_TOKEN: adminToken,
    LOG_LEVEL: process.env.LOG_LEVEL || 'warn',
  });
  const log = createLogger({ level: config.LOG_LEVEL });
  running = await startEarshot({ roles: ['api', 'worker', 'scheduler'], config, log });
  const replaced = await removeEarlierDemoWorkspaces(running.db);
  const workspace = await createWorkspace({
    name: `Demo ${new Date().toISOString().slice(0, 16)}`,
    db: running.db,
    workspaceRepository: createWorkspaceRepository({ db: running.db }),
  });
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
    sourceIds[lang] = (await api('/v1/sources', { type: 'rss', url: `http://127.0.0.1:${feedPort}/feeds/${lang}.xml`, intervalSeconds: 60 })).id;
    await api(`/v1/sources/${sourceIds[lang]}/fetch`);
  }
  setup = { workspace, base, api, sourceIds, own: brandIds['Aroma Coffee']!, replaced };
} catch (err) {
  console.error(`earshot demo: ${explain(err, config)}`);
  feedServer.close();
  if (running) await running.shutdown.shutdown('startup failed').catch(() => {});
  process.exit(1);
}

const { workspace, base, api, sourceIds, own, replaced } = setup;
// A published item is fetched at once ("fetch now"), so it reaches the live stream in a moment
// rather than at the source's next poll; a fetch already running picks it up at the next one.
let turn = 0;
const drip = setInterval(() => {
  const lang = LANGS[turn++ % LANGS.length]!;
  publishNext(lang);
  api(`/v1/sources/${sourceIds[lang]}/fetch`).catch(() => {});
}, PUBLISH_EVERY_MS);

const key = workspace.apiKey;
const every = PUBLISH_EVERY_MS % 1000 ? `${PUBLISH_EVERY_MS} ms` : `${PUBLISH_EVERY_MS / 1000} s`;
console.log(`
Earshot demo is running at ${base}  (API reference: ${base}/docs)

  Workspace: ${workspace.name}${replaced ? `  (replaces the workspace of an earlier demo run)` : ''}
  API key:   ${key}
  Admin token (for POST /v1/workspaces): ${adminToken}

Mentions appear within seconds; a new sample item is published every ${every}, in each language in turn.
Try:

  curl -s -H "Authorization: Bearer ${key}" "${base}/v1/mentions?limit=5"
  curl -s -H "Authorization: Bearer ${key}" "${base}/v1/mentions?brand=${own}&sentiment=negative"
  curl -s -H "Authorization: Bearer ${key}" "${base}/v1/mentions?hashtag=aromacoffee"
  curl -s -H "Authorization: Bearer ${key}" "${base}/v1/mentions?lang=hi"
  curl -N -H "Authorization: Bearer ${key}" "${base}/v1/mentions/live"
  curl -s -H "Authorization: Bearer ${key}" "${base}/v1/mentions/export.csv" -o mentions.csv
  curl -s -H "Authorization: Bearer ${key}" "${base}/v1/sources"

Press Ctrl-C to stop.
`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    clearInterval(drip);
    feedServer.close();
    void running!.shutdown.shutdown(signal).then((clean) => process.exit(clean ? 0 : 1));
  });
}
