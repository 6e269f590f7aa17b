// `npm run demo`: Earshot with a demo workspace whose sources are sample feeds in five languages,
// served from this machine, so a newcomer sees mentions, streams and sentiment with no internet.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { startEarshot } from '../src/runtime.js';
import { createWorkspace } from '../src/domain/workspaces/workspaces.usecases.js';
import { createWorkspaceRepository } from '../src/domain/workspaces/workspaces.repository.js';

interface Sample {
  title: string;
  text: string;
}
const samples = JSON.parse(await readFile(new URL('../demo/samples.json', import.meta.url), 'utf8')) as {
  brands: Array<{ name: string; role: string; query: string }>;
  feeds: Record<string, { title: string; items: Sample[] }>;
};

// Each feed starts with most of its items, dated over the last three days; the rest are
// "published" one every 15 seconds, so the live stream has something to show.
const published = new Map<string, Array<Sample & { date: Date; guid: string }>>();
const backlog: Array<[string, Sample]> = [];
for (const [lang, feed] of Object.entries(samples.feeds)) {
  const split = Math.ceil(feed.items.length * 0.6);
  published.set(
    lang,
    feed.items.slice(0, split).map((item, i) => ({ ...item, guid: `${lang}-${i}`, date: new Date(Date.now() - (i + 1) * 7 * 3600_000) })),
  );
  for (const item of feed.items.slice(split)) backlog.push([lang, item]);
}
const drip = setInterval(() => {
  const next = backlog.shift();
  if (!next) return clearInterval(drip);
  const [lang, item] = next;
  const list = published.get(lang)!;
  list.unshift({ ...item, guid: `${lang}-${list.length}`, date: new Date() });
}, 15_000);
drip.unref();

const esc = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
const feedServer = createServer((req, res) => {
  const lang = /^\/feeds\/([a-z]{2})\.xml$/.exec(req.url ?? '')?.[1];
  const items = lang ? published.get(lang) : undefined;
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

const adminToken = process.env.ADMIN_TOKEN ?? randomBytes(24).toString('hex');
const config = loadConfig({
  ...process.env,
  DATABASE_URL: process.env.DEMO_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/earshot_demo',
  QUEUE_PREFIX: process.env.DEMO_QUEUE_PREFIX ?? 'earshot-demo',
  ALLOW_PRIVATE_NETWORKS: 'true',
  SCHEDULER_TICK_MS: '2000',
  ADMIN_TOKEN: adminToken,
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
});
const log = createLogger({ level: config.LOG_LEVEL });
const running = await startEarshot({ roles: ['api', 'worker', 'scheduler'], config, log });

const workspace = await createWorkspace({ name: `Demo ${new Date().toISOString().slice(0, 16)}`, db: running.db, workspaceRepository: createWorkspaceRepository({ db: running.db }) });
const base = `http://127.0.0.1:${running.port}`;
async function api(path: string, body: unknown) {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${workspace.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string };
}
const brandIds: Record<string, string> = {};
for (const brand of samples.brands) brandIds[brand.name] = (await api('/v1/brands', brand)).id;
for (const lang of Object.keys(samples.feeds)) await api('/v1/sources', { type: 'rss', url: `http://127.0.0.1:${feedPort}/feeds/${lang}.xml`, intervalSeconds: 60 });

const key = workspace.apiKey;
const own = brandIds['Aroma Coffee'];
console.log(`
Earshot demo is running at ${base}  (API reference: ${base}/docs)

  Workspace: ${workspace.name}
  API key:   ${key}
  Admin token (for POST /v1/workspaces): ${adminToken}

Mentions appear within seconds; a new sample item is published every 15 s (sources poll each minute).
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
    feedServer.close();
    void running.shutdown.shutdown(signal).then((clean) => process.exit(clean ? 0 : 1));
  });
}
