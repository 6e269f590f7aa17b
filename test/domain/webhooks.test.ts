import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient, type HttpClient, type LookupFunction } from '../../src/infra/http/index.js';
import { createMetrics } from '../../src/infra/metrics.js';
import {
  buildAlertPayload,
  delayFromLog,
  deliverWebhook,
  DeliveryRetry,
  generateSecret,
  MAX_ATTEMPTS,
  nextAttemptDelay,
  RESPONSE_SNIPPET_CHARS,
  retryBackoff,
  RETRY_DELAYS_MS,
  sampleText,
  sign,
  signedHeaders,
} from '../../src/domain/webhooks/index.js';

type Received = { path: string; headers: IncomingHttpHeaders; body: string };
type Reply = { status: number; body?: string; headers?: Record<string, string>; hang?: boolean };

/** A real receiver on 127.0.0.1 that answers from a per-path script and records everything. */
async function startReceiver() {
  const received: Received[] = [];
  const scripts = new Map<string, Reply[]>();
  let connections = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const reply = scripts.get(path)?.shift() ?? { status: 200, body: 'ok' };
      if (reply.hang) return;
      res.writeHead(reply.status, reply.headers).end(reply.body ?? '');
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    received,
    connections: () => connections,
    script: (path: string, replies: Reply[]) => scripts.set(path, replies),
    reset: () => {
      received.length = 0;
      scripts.clear();
      connections = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const body = JSON.stringify(
  buildAlertPayload({
    ruleId: 'a9c4e3f0-0000-4000-8000-000000000001',
    brand: { id: 'brd_1', name: 'Acme <Coffee> & Co' },
    window: { start: new Date('2026-03-04T10:00:00Z'), end: new Date('2026-03-04T11:00:00Z') },
    observed: { negative: 96, total: 410 },
    expected: 21.4567,
    score: 12.3456,
    reason: 'count',
    sampleMentions: Array.from({ length: 7 }, (_, i) => ({ url: `https://example.org/${i}`, text: `bad ${i} `.repeat(80), sentiment: -0.8, id: String(100 + i), lang: i % 2 ? 'cs' : 'en' })),
    timestamp: new Date('2026-03-04T11:00:05Z'),
  }),
);

describe('webhook signatures', () => {
  it('a generated secret is whsec_ plus 32 random bytes in base64, and the reference library accepts it', () => {
    const secret = generateSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(generateSecret()).not.toBe(secret);
    expect(() => new Webhook(secret)).not.toThrow();
  });

  it('our signature is byte for byte the one the reference library computes', () => {
    const secret = generateSecret();
    const timestamp = new Date('2026-03-04T11:00:05Z');
    expect(sign({ secret, id: 'evt_abc', timestamp: timestamp.getTime() / 1000, body })).toBe(new Webhook(secret).sign('evt_abc', timestamp, body));
  });

  it('headers verify with the reference library, and a tampered body or another secret does not', () => {
    const secret = generateSecret();
    const headers = signedHeaders({ secret, id: 'evt_abc', body, now: new Date() });
    expect(new Webhook(secret).verify(body, headers)).toMatchObject({ type: 'alert.negative_spike' });
    expect(() => new Webhook(secret).verify(body.replace('"negative":96', '"negative":97'), headers)).toThrow(/signature/i);
    expect(() => new Webhook(generateSecret()).verify(body, headers)).toThrow(/signature/i);
  });
});

describe('the alert payload', () => {
  it('carries rule, brand, window, counts, score and at most five short sample mentions, with a Slack-safe text', () => {
    const payload = JSON.parse(body);
    expect(payload).toMatchObject({
      type: 'alert.negative_spike',
      timestamp: '2026-03-04T11:00:05.000Z',
      data: {
        ruleId: 'a9c4e3f0-0000-4000-8000-000000000001',
        brand: { id: 'brd_1', name: 'Acme <Coffee> & Co' },
        window: { start: '2026-03-04T10:00:00.000Z', end: '2026-03-04T11:00:00.000Z' },
        observed: { negative: 96, total: 410 },
        expected: 21.46,
        score: 12.35,
      },
    });
    expect(payload.data.sampleMentions).toHaveLength(5);
    expect(payload.data.sampleMentions[0]).toMatchObject({ url: 'https://example.org/0', sentiment: -0.8, id: '100', lang: 'en' });
    expect(payload.data.sampleMentions[1]).toMatchObject({ id: '101', lang: 'cs' });
    expect(payload.data.sampleMentions[0].text.length).toBeLessThanOrEqual(280);
    expect(payload.text).toContain('*Acme &lt;Coffee&gt; &amp; Co*');
    expect(payload.text).toContain('96 negative mentions where about 21.5 were expected');
  });
});

describe('the expected count in the alert text', () => {
  const textFor = (expected: number) =>
    buildAlertPayload({
      ruleId: 'a9c4e3f0-0000-4000-8000-000000000001',
      brand: { id: 'brd_1', name: 'Acme' },
      window: { start: new Date('2026-03-04T10:00:00Z'), end: new Date('2026-03-04T11:00:00Z') },
      observed: { negative: 34, total: 74 },
      expected,
      score: 26.23,
      reason: 'count',
      sampleMentions: [],
      timestamp: new Date('2026-03-04T11:00:05Z'),
    }).text;

  it('a quiet hour expecting a fraction of a mention shows it, not "about 0.0"', () => {
    expect(textFor(0.0234)).toContain('34 negative mentions where about 0.02 were expected');
    expect(textFor(0.46)).toContain('where about 0.46 were expected');
    expect(textFor(0.5)).toContain('where about 0.5 were expected');
    expect(textFor(0.004)).toContain('34 negative mentions where fewer than 0.01 were expected');
    expect(textFor(0)).toContain('where fewer than 0.01 were expected');
    for (const expected of [0, 0.004, 0.0234, 0.46]) expect(textFor(expected)).not.toContain('0.0 ');
  });

  it('one or more expected keeps one decimal', () => {
    expect(textFor(1)).toContain('where about 1.0 were expected');
    expect(textFor(21.4567)).toContain('where about 21.5 were expected');
  });
});

describe('a sample mention in an alert', () => {
  it('reads its title before its text, unless the text already starts with it', () => {
    expect(sampleText('Acme recall', 'Kettles recalled today.')).toBe('Acme recall: Kettles recalled today.');
    expect(sampleText('Zentro is a scam', 'Zentro is a scam #zentro')).toBe('Zentro is a scam #zentro');
    expect(sampleText(null, 'only text')).toBe('only text');
    expect(sampleText('  ', 'only text')).toBe('only text');
  });
});

describe('the retry schedule', () => {
  it('waits 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h after attempts 1–7 and stops after attempt 8', () => {
    const middle = () => 0.5;
    expect(Array.from({ length: 7 }, (_, i) => nextAttemptDelay(i + 1, middle))).toEqual([
      5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000,
    ]);
    expect(nextAttemptDelay(MAX_ATTEMPTS, middle)).toBeNull();
    expect(nextAttemptDelay(0, middle)).toBeNull();
    expect(MAX_ATTEMPTS).toBe(8);
  });

  it('jitters each wait by at most ±15 %, following the random source', () => {
    RETRY_DELAYS_MS.forEach((base, i) => {
      expect(nextAttemptDelay(i + 1, () => 0)).toBe(Math.round(base * 0.85));
      expect(nextAttemptDelay(i + 1, () => 0.999_999)).toBeCloseTo(base * 1.15, -2);
    });
    const sequence = [0.1, 0.9];
    const [a, b] = sequence.map((r) => nextAttemptDelay(3, () => r)!);
    expect(a).toBeLessThan(1_800_000);
    expect(b).toBeGreaterThan(1_800_000);
  });
});

describe('the schedule of a delivery queued anew', () => {
  const middle = () => 0.5;
  const now = new Date('2026-12-07T12:00:00Z');
  const ago = (ms: number) => new Date(now.getTime() - ms);

  it('waits the delay after the last attempt logged, counted from that attempt', () => {
    // Attempt 3 a minute ago: attempt 4 is due 30 min after it.
    expect(delayFromLog({ attempts: 3, lastAttemptAt: ago(60_000), now, random: middle })).toBe(1_800_000 - 60_000);
    // Overdue, or nothing logged: at once.
    expect(delayFromLog({ attempts: 3, lastAttemptAt: ago(3_600_000), now, random: middle })).toBe(0);
    expect(delayFromLog({ attempts: 0, lastAttemptAt: null, now, random: middle })).toBe(0);
    // The schedule spent.
    expect(delayFromLog({ attempts: MAX_ATTEMPTS, lastAttemptAt: ago(1), now, random: middle })).toBeNull();
  });

  it("retries after the logged attempt a DeliveryRetry names, whatever the job's own count", () => {
    const random = Math.random;
    Math.random = middle;
    try {
      // A job queued anew is on its own first attempt; the log's is the fifth.
      expect(retryBackoff(1, new DeliveryRetry('HTTP 503', 5))).toBe(RETRY_DELAYS_MS[4]);
      expect(retryBackoff(2, new Error('HTTP 503'))).toBe(RETRY_DELAYS_MS[1]);
      expect(retryBackoff(1, new DeliveryRetry('HTTP 503', MAX_ATTEMPTS))).toBe(0);
    } finally {
      Math.random = random;
    }
  });
});

describe('webhook delivery to a real receiver', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let http: HttpClient;
  const secret = generateSecret();

  beforeAll(async () => {
    receiver = await startReceiver();
    http = createHttpClient({ allowPrivateNetworks: true, totalTimeoutMs: 1_000 });
  });
  afterEach(() => receiver.reset());
  afterAll(async () => {
    await http.close();
    await receiver.close();
  });

  it('a 2xx is delivered and the receiver verifies it with the reference library', async () => {
    receiver.script('/hook', [{ status: 204 }]);
    const attempt = await deliverWebhook({ http, url: receiver.url('/hook'), secret, id: 'evt_one', body, now: new Date() });
    expect(attempt).toMatchObject({ outcome: 'delivered', status: 204, responseSnippet: '' });
    expect(attempt.latencyMs).toBeGreaterThanOrEqual(0);
    const [request] = receiver.received;
    expect(request!.headers['content-type']).toBe('application/json');
    expect(new Webhook(secret).verify(request!.body, request!.headers as Record<string, string>)).toMatchObject({ data: { observed: { negative: 96 } } });
  });

  it('retries keep the webhook id and carry a fresh timestamp and signature, each verifying', async () => {
    receiver.script('/flaky', [{ status: 500, body: 'x'.repeat(2_000) }, { status: 503 }, { status: 200 }]);
    const start = Date.now();
    const outcomes = [];
    for (const offsetSeconds of [-20, -10, 0]) {
      const attempt = await deliverWebhook({ http, url: receiver.url('/flaky'), secret, id: 'evt_retry', body, now: new Date(start + offsetSeconds * 1000) });
      outcomes.push(attempt.outcome);
      if (attempt.status === 500) expect(attempt.responseSnippet).toHaveLength(RESPONSE_SNIPPET_CHARS);
    }
    expect(outcomes).toEqual(['retry', 'retry', 'delivered']);
    const headers = receiver.received.map((r) => r.headers);
    expect(new Set(headers.map((h) => h['webhook-id']))).toEqual(new Set(['evt_retry']));
    expect(new Set(headers.map((h) => h['webhook-timestamp'])).size).toBe(3);
    expect(new Set(headers.map((h) => h['webhook-signature'])).size).toBe(3);
    for (const r of receiver.received) expect(() => new Webhook(secret).verify(r.body, r.headers as Record<string, string>)).not.toThrow();
  });

  it('a 302 is a failure to retry and is never followed', async () => {
    receiver.script('/moved', [{ status: 302, headers: { location: receiver.url('/target') } }]);
    const attempt = await deliverWebhook({ http, url: receiver.url('/moved'), secret, id: 'evt_302', body, now: new Date() });
    expect(attempt).toMatchObject({ outcome: 'retry', status: 302 });
    expect(receiver.received.map((r) => r.path)).toEqual(['/moved']);
  });

  it('410 means gone, other 4xx and 5xx mean retry', async () => {
    receiver.script('/gone', [{ status: 410 }]);
    receiver.script('/bad', [{ status: 400 }, { status: 500 }]);
    const deliver = (path: string) => deliverWebhook({ http, url: receiver.url(path), secret, id: 'evt_s', body, now: new Date() });
    expect(await deliver('/gone')).toMatchObject({ outcome: 'gone', status: 410 });
    expect(await deliver('/bad')).toMatchObject({ outcome: 'retry', status: 400 });
    expect(await deliver('/bad')).toMatchObject({ outcome: 'retry', status: 500 });
  });

  it('every attempt is counted by kind, from its id, and outcome; the last attempt failing as failed', async () => {
    const metrics = createMetrics();
    const count = async (kind: string, outcome: string) => (await metrics.registry.getSingleMetric('earshot_webhook_deliveries_total')!.get()).values.find((v) => v.labels.kind === kind && v.labels.outcome === outcome)?.value ?? 0;
    const before = { delivered: await count('digest', 'delivered'), retry: await count('alert', 'retry'), failed: await count('alert', 'failed') };
    receiver.script('/counted', [{ status: 200 }, { status: 500 }, { status: 500 }]);
    const deliver = (id: string, lastAttempt?: boolean) => deliverWebhook({ http, url: receiver.url('/counted'), secret, id, body, now: new Date(), lastAttempt });
    expect((await deliver('dgst_7')).outcome).toBe('delivered');
    expect((await deliver('evt_counted')).outcome).toBe('retry');
    // The outcome returned stays `retry`: the caller ends the delivery.
    expect((await deliver('evt_counted', true)).outcome).toBe('retry');
    expect({ delivered: await count('digest', 'delivered'), retry: await count('alert', 'retry'), failed: await count('alert', 'failed') }).toEqual({
      delivered: before.delivered + 1,
      retry: before.retry + 1,
      failed: before.failed + 1,
    });
  });

  it('a receiver that never answers times out into a retry', async () => {
    receiver.script('/slow', [{ status: 200, hang: true }]);
    const attempt = await deliverWebhook({ http, url: receiver.url('/slow'), secret, id: 'evt_slow', body, now: new Date() });
    expect(attempt).toMatchObject({ outcome: 'retry', status: null });
    expect(attempt.error).toMatch(/longer than/);
  });

  it('a host that resolves to a private address is refused at send time and the receiver sees no connection', async () => {
    const toLoopback: LookupFunction = ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) =>
      options.all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4)) as LookupFunction;
    const strict = createHttpClient({ allowPrivateNetworks: false, lookup: toLoopback });
    try {
      const byName = await deliverWebhook({ http: strict, url: `http://hooks.example.test:${receiver.port}/hook`, secret, id: 'evt_ssrf', body, now: new Date() });
      expect(byName).toMatchObject({ outcome: 'refused', status: null });
      expect(byName.error).toMatch(/hooks\.example\.test resolves to a private, loopback or reserved address/);
      const literal = await deliverWebhook({ http: strict, url: receiver.url('/hook'), secret, id: 'evt_ssrf', body, now: new Date() });
      expect(literal.outcome).toBe('refused');
      expect(receiver.connections()).toBe(0);
      expect(receiver.received).toHaveLength(0);
    } finally {
      await strict.close();
    }
  });
});
