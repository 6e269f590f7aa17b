// `npm run bench -- alert-latency [--runs N]`: the time from a spike's mentions being stored to
// the signed webhook arriving, with the default evaluation tick (ALERT_EVALUATION_MS, 60 s),
// through a real Earshot (API, workers, scheduler) on a scratch database and Redis prefix.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { startEarshot } from '../src/runtime.js';
import { createServices } from '../src/services.js';
import { createRedis } from '../src/infra/redis.js';
import { toMentionBatch } from '../src/domain/mentions/batch.js';
import { storeMentions } from '../src/domain/mentions/store.js';
import type { PreparedMention } from '../src/domain/mentions/ingest.js';

const SERVER = process.env.BENCH_DATABASE_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function prepared(at: Date, brandId: string, negative: boolean, i: number, term: string): PreparedMention {
  return {
    itemKey: `bench-${at.getTime()}-${i}-${Math.random()}`,
    canonicalUrl: null,
    url: null,
    title: null,
    // The brand's query term, or the scheduler's history re-match would rightly unlink the mention.
    text: negative ? `${term} broke my order again ${i}` : `${term} visit ${i}`,
    author: null,
    publishedAt: at,
    dateQuality: 'exact',
    fetchedAt: at,
    occurredAt: at,
    lang: 'en',
    langConfidence: 1,
    sentiment: { score: negative ? -0.7 : 0, label: negative ? 'negative' : 'neutral', model: 'bench@1' },
    hashtags: [],
    handles: [],
    engagement: null,
    authorFollowers: null,
    brands: [{ brandId, keywords: [term] }],
    brandSentiments: null,
    isBacklog: false,
  };
}

export async function main(args: string[]): Promise<void> {
  const runs = Number(args[args.indexOf('--runs') + 1]) || 3;
  const name = `earshot_bench_alerts_${randomBytes(3).toString('hex')}`;
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  const prefix = `bench${randomBytes(3).toString('hex')}`;
  const adminToken = randomBytes(16).toString('hex');
  const config = loadConfig({ ...process.env, DATABASE_URL: url.toString(), QUEUE_PREFIX: prefix, ADMIN_TOKEN: adminToken, PORT: '0', HOST: '127.0.0.1', ALLOW_PRIVATE_NETWORKS: 'true', LOG_LEVEL: 'warn' });
  const log = createLogger({ level: 'warn' });

  const arrivals: number[] = [];
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      arrivals.push(Date.now());
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

  const running = await startEarshot({ roles: ['api', 'worker', 'scheduler'], config, log });
  const redis = createRedis(config.REDIS_URL, { role: 'producer', log });
  const services = createServices({ config, db: running.db, redis, log });
  const base = `http://127.0.0.1:${running.port}`;
  const call = async (path: string, key: string, body: unknown) => {
    const res = await fetch(`${base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return (await res.json()) as { id: string; apiKey: string };
  };
  const { id: workspaceId, apiKey } = await call('/v1/workspaces', adminToken, { name: 'Latency' });
  const store = (mentions: PreparedMention[]) =>
    running.db.transaction().execute((trx) => storeMentions({ trx, workspaceId, sourceId, sourceType: 'rss', batch: toMentionBatch(mentions), now: new Date(), mentionRepository: services.mentionRepository, rollupRepository: services.rollupRepository }));
  const sourceId = (await call('/v1/sources', apiKey, { type: 'rss', url: 'http://127.0.0.1:9/none.xml', enabled: false })).id;

  console.log(`alert latency: default tick ${config.ALERT_EVALUATION_MS / 1000} s, ${runs} runs (each a fresh brand with three weeks of quiet history)`);
  const latencies: number[] = [];
  for (let run = 0; run < runs; run++) {
    const brandId = (await call('/v1/brands', apiKey, { name: `Acme ${run}`, role: 'own', query: `acme${run}` })).id;
    const history: PreparedMention[] = [];
    const now = Date.now();
    for (let h = 21 * 24; h >= 2; h--) {
      const hour = Math.floor(now / 3_600_000 - h) * 3_600_000;
      for (let i = 0; i < 5; i++) history.push(prepared(new Date(hour + i * 600_000), brandId, (h + i) % 6 === 0, i, `acme${run}`));
    }
    await store(history);
    await call('/v1/alert-rules', apiKey, { brandId, webhookUrl: hook, windowMinutes: 30 });
    // Wait for one quiet evaluation, so the spike lands at a random point of the tick.
    await new Promise((r) => setTimeout(r, Math.random() * config.ALERT_EVALUATION_MS));
    const before = arrivals.length;
    const spikeAt = Date.now();
    await store(Array.from({ length: 30 }, (_, i) => prepared(new Date(spikeAt - i * 20_000), brandId, true, i, `acme${run}`)));
    const stored = Date.now();
    while (arrivals.length === before && Date.now() - stored < 5 * config.ALERT_EVALUATION_MS) await new Promise((r) => setTimeout(r, 100));
    const latency = arrivals.length > before ? (arrivals[before]! - stored) / 1000 : NaN;
    latencies.push(latency);
    console.log(`  run ${run + 1}: spike stored → webhook received in ${latency.toFixed(1)} s`);
  }
  const ok = latencies.filter(Number.isFinite);
  console.log(`alert latency: max ${Math.max(...ok).toFixed(1)} s, mean ${(ok.reduce((a, b) => a + b, 0) / ok.length).toFixed(1)} s over ${ok.length}/${runs} runs (target ≤ 90 s)`);

  await services.close();
  redis.disconnect();
  await running.shutdown.shutdown('bench done');
  receiver.close();
  const admin = new pg.Client({ connectionString: SERVER });
  await admin.connect();
  await admin.query(`drop database if exists "${name}" with (force)`);
  await admin.end();
  const cleanup = createRedis(config.REDIS_URL, { role: 'worker', log });
  const keys = await cleanup.keys(`${prefix}:*`);
  if (keys.length) await cleanup.del(...keys);
  cleanup.disconnect();
}
