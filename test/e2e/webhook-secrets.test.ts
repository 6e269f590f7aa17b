import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { Worker } from 'bullmq';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverAlert, evaluateRule } from '../../src/domain/alerts/alerts.usecases.js';
import { generateSecret } from '../../src/domain/webhooks/index.js';
import { createRedis } from '../../src/infra/redis.js';
import { createLogger } from '../../src/logger.js';
import { createServices } from '../../src/services.js';
import { buildHandlers, catalogue } from '../../src/workers/index.js';
import { startWorkers } from '../../src/workers/runtime.js';
import { silentLog } from '../support/db.js';
import { dumpRedis } from '../support/redis-dump.js';
import { quietWeeksThenNegativeSpike, seed } from '../support/seed.js';
import { testConfig } from '../support/app.js';
import { createTestStack, type TestStack } from '../support/stack.js';

/**
 * Webhook signing secrets at rest: with a SECRET_KEY they are stored sealed (a dump of the
 * database cannot sign), deliveries still verify at a real receiver, secrets stored in plaintext
 * before the key still sign and get sealed without an operator step, and a server that cannot
 * open a sealed secret sends nothing, saying why.
 */
const SECRET_KEY = randomBytes(32).toString('hex');
type Received = { path: string; headers: Record<string, string>; body: string };
const received: Received[] = [];
let server: Server;
let base: string;
let logs = '';
let s: TestStack;
let key: string;
let brand: string;
/** Every secret shown or planted in this file: none may reach a log line or Redis. */
const secretsSeen: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      received.push({ path: req.url ?? '/', headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])), body });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const log = createLogger({ level: 'trace', destination: new Writable({ write: (chunk, _e, done) => ((logs += chunk.toString()), done()) }) });
  s = await createTestStack({ log, config: { SECRET_KEY } });
  let workspaceId: string;
  ({ key, id: workspaceId } = await s.workspace('Sealed'));
  brand = (await s.ok('POST', '/v1/brands', key, { name: 'Acme', role: 'own', query: 'acme' })).json.id;
  const sourceId = (await s.ok('POST', '/v1/sources', key, { type: 'rss', url: 'http://127.0.0.1:9/sealed.xml' })).json.id;
  // Every rule of the brand opens an incident at its first evaluation.
  await seed(s.deps, { workspaceId, sourceId, mentions: quietWeeksThenNegativeSpike(brand) });
});
afterAll(async () => {
  await s.close();
  server.closeAllConnections();
  server.close();
});

const sentTo = (path: string) => received.filter((x) => x.path === path);
const verifies = (secret: string, x: Received) => {
  try {
    new Webhook(secret).verify(x.body, x.headers);
    return true;
  } catch {
    return false;
  }
};

async function rule(path: string): Promise<{ id: string; secret: string }> {
  const res = await s.ok('POST', '/v1/alert-rules', key, { brandId: brand, webhookUrl: `${base}${path}`, windowMinutes: 30 });
  secretsSeen.push(res.json.secret);
  return { id: res.json.id, secret: res.json.secret };
}

/** The rule's first evaluation opens an incident; its alert is stored pending. */
async function opened(ruleId: string): Promise<string> {
  const result = await evaluateRule({ ...s.deps, ruleId, now: new Date() });
  expect(result.action).toBe('open');
  return result.toDeliver!;
}

const stored = (ruleId: string) => s.db.selectFrom('alert_rules').select(['secret', 'previous_secret']).where('id', '=', ruleId).executeTakeFirstOrThrow();
const storedDigestSecret = async () =>
  (await s.db.selectFrom('workspaces').select('digest_webhook_secret').where('name', '=', 'Sealed').executeTakeFirstOrThrow()).digest_webhook_secret;

/** Sealed as src/infra/secrets.ts writes it: `v1.<nonce>.<ciphertext>.<tag>`, nothing of the secret in it. */
function expectSealed(value: string | null, secret: string) {
  expect(value).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  expect(value).not.toContain(secret);
  expect(value).not.toContain(secret.slice('whsec_'.length));
}

async function deliverQueued(alertId: string) {
  await s.services.queues.add('alerts.deliver', { alertId }, { jobId: `deliver-${alertId}` });
  await s.drain();
}

describe('webhook secrets with SECRET_KEY set', () => {
  it("stores a new rule's secret sealed, and its alert verifies at the receiver", async () => {
    const r = await rule('/sealed');
    expect(r.secret).toMatch(/^whsec_/);
    expectSealed((await stored(r.id)).secret, r.secret);
    // The API never shows it again.
    expect((await s.ok('GET', `/v1/alert-rules/${r.id}`, key)).text).not.toContain(r.secret);

    await deliverQueued(await opened(r.id));
    const [request] = sentTo('/sealed');
    expect(sentTo('/sealed')).toHaveLength(1);
    expect(verifies(r.secret, request!)).toBe(true);
  });

  it('a rotated secret is sealed, and the old one, sealed too, still signs beside it', async () => {
    const r = await rule('/rotated');
    const before = (await stored(r.id)).secret;
    const rotated = await s.ok('POST', `/v1/alert-rules/${r.id}/rotate-secret`, key);
    const secret = rotated.json.secret as string;
    secretsSeen.push(secret);
    const row = await stored(r.id);
    expectSealed(row.secret, secret);
    expect(row.previous_secret).toBe(before);

    await deliverQueued(await opened(r.id));
    const [request] = sentTo('/rotated');
    expect(request!.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(verifies(secret, request!)).toBe(true);
    expect(verifies(r.secret, request!)).toBe(true);
  });

  it('stores the digest webhook secret sealed, and the digest verifies at the receiver', async () => {
    const set = await s.ok('PATCH', '/v1/workspace', key, { digestWebhookUrl: `${base}/digest` });
    const secret = set.json.digestWebhookSecret as string;
    secretsSeen.push(secret);
    expect(secret).toMatch(/^whsec_/);
    expectSealed(await storedDigestSecret(), secret);

    await s.ok('POST', '/v1/digests', key, {});
    await s.drain();
    expect(sentTo('/digest')).toHaveLength(1);
    expect(verifies(secret, sentTo('/digest')[0]!)).toBe(true);
  });

  it('a secret stored in plaintext before SECRET_KEY still signs, and the periodic jobs seal it', async () => {
    const legacy = await rule('/legacy');
    const later = await rule('/legacy-later');
    // Paused: the evaluation job leaves it alone, but seals its secret all the same.
    await s.ok('PATCH', `/v1/alert-rules/${later.id}`, key, { enabled: false });
    const plain = { legacy: generateSecret(), previous: generateSecret(), later: generateSecret(), digest: generateSecret() };
    secretsSeen.push(...Object.values(plain));
    await s.db
      .updateTable('alert_rules')
      .set({ secret: plain.legacy, previous_secret: plain.previous, previous_secret_expires_at: new Date(Date.now() + 3_600_000) })
      .where('id', '=', legacy.id)
      .execute();
    await s.db.updateTable('alert_rules').set({ secret: plain.later }).where('id', '=', later.id).execute();
    await s.db.updateTable('workspaces').set({ digest_webhook_url: `${base}/legacy-digest`, digest_webhook_secret: plain.digest }).where('name', '=', 'Sealed').execute();

    // Plaintext, it signs as before, both secrets.
    await deliverAlert({ ...s.deps, alertId: await opened(legacy.id), attempt: 1, now: new Date() });
    const [first] = sentTo('/legacy');
    expect(verifies(plain.legacy, first!)).toBe(true);
    expect(verifies(plain.previous, first!)).toBe(true);

    // The scheduled jobs seal what was stored in plaintext, paused rules' too.
    await s.services.queues.add('alerts.evaluate', {});
    await s.services.queues.add('digests.reconcile', {});
    await s.drain();
    const legacyRow = await stored(legacy.id);
    expectSealed(legacyRow.secret, plain.legacy);
    expectSealed(legacyRow.previous_secret, plain.previous);
    expectSealed((await stored(later.id)).secret, plain.later);
    expectSealed(await storedDigestSecret(), plain.digest);
    expect(logs).toContain('alert rule signing secrets sealed with SECRET_KEY');

    // Sealed, the same secrets sign.
    await s.ok('PATCH', `/v1/alert-rules/${later.id}`, key, { enabled: true });
    await deliverQueued(await opened(later.id));
    expect(sentTo('/legacy-later')).toHaveLength(1);
    expect(verifies(plain.later, sentTo('/legacy-later')[0]!)).toBe(true);
    await s.ok('POST', '/v1/digests', key, {});
    await s.drain();
    expect(sentTo('/legacy-digest')).toHaveLength(1);
    expect(verifies(plain.digest, sentTo('/legacy-digest')[0]!)).toBe(true);
  });
});

describe('a server that cannot open the sealed secrets', () => {
  for (const [label, secretKey] of [
    ['another SECRET_KEY', randomBytes(32).toString('hex')],
    ['no SECRET_KEY', undefined],
  ] as const) {
    it(`with ${label}: sends nothing, fails the delivery at once saying why, and goes on with other work`, async () => {
      const path = `/lost-${secretKey ? 'other' : 'none'}`;
      const lost = await rule(path);
      const plainPath = `${path}-plain`;
      const plainRule = await rule(plainPath);
      const plainSecret = generateSecret();
      secretsSeen.push(plainSecret);
      await s.db.updateTable('alert_rules').set({ secret: plainSecret }).where('id', '=', plainRule.id).execute();
      await s.ok('PATCH', '/v1/workspace', key, { digestWebhookUrl: null });
      const digestSecret = (await s.ok('PATCH', '/v1/workspace', key, { digestWebhookUrl: `${base}${path}-digest` })).json.digestWebhookSecret as string;
      secretsSeen.push(digestSecret);
      const alertId = await opened(lost.id);
      const plainAlertId = await opened(plainRule.id);

      // The same deployment restarted with the other key: its workers, on the same queues.
      await s.stopWorkers();
      const config = testConfig({ DATABASE_URL: s.config.DATABASE_URL, QUEUE_PREFIX: s.config.QUEUE_PREFIX, ...(secretKey ? { SECRET_KEY: secretKey } : {}) });
      const workerLog = createLogger({ level: 'trace', destination: new Writable({ write: (chunk, _e, done) => ((logs += chunk.toString()), done()) }) });
      const producer = createRedis(config.REDIS_URL, { role: 'producer', log: silentLog });
      const connection = createRedis(config.REDIS_URL, { role: 'worker', log: silentLog });
      const services = createServices({ config, db: s.db, redis: producer, log: workerLog });
      let workers: Worker[] = [];
      try {
        workers = startWorkers({ catalogue, handlers: buildHandlers(services), connection, prefix: config.QUEUE_PREFIX, concurrency: () => 2, log: workerLog, backoff: { webhook: () => 100 } });
        await s.services.queues.add('alerts.deliver', { alertId }, { jobId: `deliver-${alertId}` });
        const digest = await s.ok('POST', '/v1/digests', key, {});
        await s.drain();
        // The worker is still there: a plaintext secret after the failure signs as ever.
        await s.services.queues.add('alerts.deliver', { alertId: plainAlertId }, { jobId: `deliver-${plainAlertId}` });
        await s.drain();

        expect(sentTo(path)).toHaveLength(0);
        expect(sentTo(`${path}-digest`)).toHaveLength(0);
        expect(sentTo(plainPath)).toHaveLength(1);
        expect(verifies(plainSecret, sentTo(plainPath)[0]!)).toBe(true);

        const reason = secretKey ? 'wrong key or tampered data' : 'the server has no SECRET_KEY';
        const log = (await s.ok('GET', `/v1/alert-rules/${lost.id}/deliveries`, key)).json.items as { attempt: number; outcome: string; status: number | null; error: string }[];
        expect(log).toHaveLength(1);
        expect(log[0]).toMatchObject({ attempt: 1, outcome: 'failed', status: null });
        expect(log[0]!.error).toContain('not sent: the signing secret cannot be opened');
        expect(log[0]!.error).toContain(reason);
        expect(log[0]!.error).toContain(`/v1/alert-rules/${lost.id}/rotate-secret`);
        const ruleState = (await s.ok('GET', `/v1/alert-rules/${lost.id}`, key)).json;
        expect(ruleState).toMatchObject({ enabled: true, lastDelivery: { outcome: 'failed', status: null, error: log[0]!.error } });
        const alert = await s.db.selectFrom('alerts').select('delivery_status').where('id', '=', alertId).executeTakeFirstOrThrow();
        expect(alert.delivery_status).toBe('failed');
        // Not retried: one attempt, the job failed for good.
        const job = await s.services.queues.queues.get('webhooks')!.getJob(`deliver-${alertId}`);
        expect(job?.attemptsMade).toBe(1);
        expect(job?.failedReason).toContain('cannot be opened');

        const digestState = (await s.ok('GET', `/v1/digests/${digest.json.id}`, key)).json;
        expect(digestState.deliveries).toMatchObject([{ channel: 'webhook', attempt: 1, outcome: 'failed' }]);
        expect(JSON.stringify(digestState.deliveries)).toContain(reason);
        expect(JSON.stringify(digestState.deliveries)).toContain('digestWebhookUrl');
      } finally {
        await Promise.all(workers.map((w) => w.close()));
        await services.close();
        producer.disconnect();
        connection.disconnect();
      }
    });
  }
});

describe('secrets stay out of logs and job payloads', () => {
  it('appear in no log line and no Redis key or job', async () => {
    expect(secretsSeen.length).toBeGreaterThan(5);
    const redis = await dumpRedis(s.config.QUEUE_PREFIX);
    expect(redis).toContain('alerts.deliver');
    expect(logs).toContain('webhook attempt');
    for (const secret of secretsSeen) {
      const key = secret.slice('whsec_'.length);
      expect(logs.includes(key), `${secret.slice(0, 10)}… in the logs`).toBe(false);
      expect(redis.includes(key), `${secret.slice(0, 10)}… in Redis`).toBe(false);
    }
  });
});
