import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverDigest } from '../../src/domain/digests/digests.usecases.js';
import { createHttpClient } from '../../src/infra/http/index.js';
import { createTestStack, type TestStack } from '../support/stack.js';

/**
 * RELIABILITY 17, 18 and 20 against receivers that misbehave, on the digest webhook as well as
 * the alert one: a real receiver on 127.0.0.1, real workers, Postgres and Redis.
 */
type Seen = { path: string; headers: IncomingHttpHeaders; body: string };
const seen: Seen[] = [];
let connections = 0;
const behaviour = new Map<string, (res: ServerResponse) => void>();
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (d: Buffer) => (body += d.toString()));
  req.on('end', () => {
    seen.push({ path: req.url ?? '/', headers: req.headers, body });
    (behaviour.get(req.url ?? '/') ?? ((r) => r.writeHead(200).end('ok')))(res);
  });
});
server.on('connection', () => connections++);
let base: string;
let s: TestStack;
let key: string;
let workspaceId: string;

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  s = await createTestStack();
  ({ key, id: workspaceId } = await s.workspace('Receivers'));
});
afterAll(async () => {
  await s.close();
  server.closeAllConnections();
  server.close();
});

const verified = (x: Seen, secret: string) => {
  try {
    new Webhook(secret).verify(x.body, x.headers as Record<string, string>);
    return true;
  } catch {
    return false;
  }
};

async function digestTo(path: string) {
  const res = await s.request('PATCH', '/v1/workspace', { key, body: { digestWebhookUrl: `${base}${path}` } });
  expect(res.status, res.text).toBe(200);
  const secret = res.json.digestWebhookSecret as string;
  const made = await s.request('POST', '/v1/digests', { key, body: { since: '2026-01-01T00:00:00Z', until: '2026-01-08T00:00:00Z' } });
  expect(made.status, made.text).toBe(201);
  await s.drain();
  const deliveries = (await s.request('GET', `/v1/digests/${made.json.id}`, { key })).json.deliveries as Array<{ channel: string; outcome: string; status: number | null }>;
  return { secret, id: made.json.id as string, deliveries: deliveries.filter((d) => d.channel === 'webhook') };
}

describe('webhook receivers that misbehave', () => {
  it('a receiver that accepts with 200 and a 16 MiB answer has the webhook delivered once, not retried', async () => {
    behaviour.set('/huge', (res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(1024 * 1024, 'a');
      let sent = 0;
      const write = () => {
        while (sent < 16 && res.write(chunk)) sent++;
        if (sent >= 16) res.end();
        else res.once('drain', () => (sent++, write()));
      };
      write();
    });
    const started = Date.now();
    const { secret, deliveries } = await digestTo('/huge');
    const attempts = seen.filter((x) => x.path === '/huge');
    expect(attempts.length).toBe(1);
    expect(verified(attempts[0]!, secret)).toBe(true);
    expect(deliveries.map((d) => [d.outcome, d.status])).toEqual([['delivered', 200]]);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('a 410 from the digest webhook disables that endpoint: the next digest does not call it', async () => {
    behaviour.set('/digest-gone', (res) => res.writeHead(410).end('gone'));
    const first = await digestTo('/digest-gone');
    expect(first.deliveries.map((d) => d.outcome)).toEqual(['gone']);
    expect(seen.filter((x) => x.path === '/digest-gone')).toHaveLength(1);

    const settings = (await s.request('GET', '/v1/workspace', { key })).json;
    expect(settings.digestWebhookUrl).toBeNull();
    const again = await s.request('POST', '/v1/digests', { key, body: { since: '2026-01-08T00:00:00Z', until: '2026-01-15T00:00:00Z' } });
    expect(again.status).toBe(201);
    await s.drain();
    expect(seen.filter((x) => x.path === '/digest-gone')).toHaveLength(1);
  });

  it('a 410 for a URL the workspace replaced while the attempt was in flight leaves the new URL alone', async () => {
    // The receiver answers 410 only after the workspace has moved to a new URL.
    behaviour.set('/old-gone', (res) => {
      void s.db.updateTable('workspaces').set({ digest_webhook_url: `${base}/new-ok` }).where('id', '=', workspaceId).execute().then(() => res.writeHead(410).end());
    });
    const { deliveries } = await digestTo('/old-gone');
    expect(deliveries.map((d) => d.outcome)).toEqual(['gone']);
    expect((await s.request('GET', '/v1/workspace', { key })).json.digestWebhookUrl).toBe(`${base}/new-ok`);
  });

  it('a digest webhook whose address became private is refused at send time, and the receiver sees no connection', async () => {
    const res = await s.request('PATCH', '/v1/workspace', { key, body: { digestWebhookUrl: `${base}/digest-private` } });
    expect(res.status).toBe(200);
    const made = await s.request('POST', '/v1/digests', { key, body: { since: '2026-03-01T00:00:00Z', until: '2026-03-08T00:00:00Z' } });
    await s.drain();
    // Delivered while the address was allowed; as a delivery still owed would be (a retry due
    // after the address turned private), its log is cleared, else the ended delivery is skipped.
    await s.db.deleteFrom('digest_deliveries').where('digest_id', '=', made.json.id).execute();
    const before = connections;
    const seenBefore = seen.filter((x) => x.path === '/digest-private').length;
    const strict = createHttpClient({ allowPrivateNetworks: false });
    try {
      const result = await deliverDigest({ ...s.deps, http: strict, digestId: made.json.id, channel: 'webhook', attempt: 9, now: new Date(), mailer: null });
      expect(result.outcome).toBe('failed');
    } finally {
      await strict.close();
    }
    expect(connections).toBe(before);
    expect(seen.filter((x) => x.path === '/digest-private')).toHaveLength(seenBefore);
    const deliveries = (await s.request('GET', `/v1/digests/${made.json.id}`, { key })).json.deliveries;
    expect(deliveries.find((d: { attempt: number }) => d.attempt === 9)).toMatchObject({ outcome: 'refused' });
  });
});
