import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient, type HttpClient } from '../../src/infra/http/index.js';
import { createSecretBox, SecretBoxError } from '../../src/infra/secrets.js';
import { createWebhookSecrets, deliverWebhook, generateSecret, isSealedSecret, PLAINTEXT_WEBHOOK_SECRETS, WebhookSecretError } from '../../src/domain/webhooks/index.js';

const KEY = randomBytes(32).toString('hex');
const sealed = createWebhookSecrets(createSecretBox(KEY));
const otherKey = createWebhookSecrets(createSecretBox(randomBytes(32).toString('hex')));

describe('webhook secrets at rest', () => {
  it('a generated secret can never be taken for a sealed one', () => {
    // whsec_ + base64: the base64 alphabet has no '.', so no plaintext secret starts `v1.`.
    for (let i = 0; i < 1000; i++) {
      const secret = generateSecret();
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
      expect(isSealedSecret(secret)).toBe(false);
      expect(isSealedSecret(sealed.store(secret))).toBe(true);
    }
  });

  it('with a SECRET_KEY a secret is stored sealed and opens to itself; without one it is stored as it is', () => {
    const secret = generateSecret();
    const stored = sealed.store(secret);
    expect(stored).not.toContain(secret.slice('whsec_'.length));
    expect(sealed.open(stored)).toBe(secret);
    expect(sealed.store(secret)).not.toBe(stored); // a fresh nonce each time
    expect(sealed.sealing).toBe(true);
    // Plaintext stored before the key opens as it is, under any key or none.
    expect(sealed.open(secret)).toBe(secret);
    expect(PLAINTEXT_WEBHOOK_SECRETS.sealing).toBe(false);
    expect(PLAINTEXT_WEBHOOK_SECRETS.store(secret)).toBe(secret);
    expect(PLAINTEXT_WEBHOOK_SECRETS.open(secret)).toBe(secret);
  });

  it('a sealed secret under another key, or with no key, is a WebhookSecretError that names no secret', () => {
    const secret = generateSecret();
    const stored = sealed.store(secret);
    expect(() => otherKey.open(stored)).toThrow(new WebhookSecretError('sealed value could not be opened: wrong key or tampered data'));
    expect(() => PLAINTEXT_WEBHOOK_SECRETS.open(stored)).toThrow(new WebhookSecretError('it is sealed and the server has no SECRET_KEY'));
    const flipped = `${stored.slice(0, -2)}${stored.at(-2) === 'A' ? 'B' : 'A'}${stored.at(-1)}`;
    expect(() => sealed.open(flipped)).toThrow(WebhookSecretError);
  });

  it('a sealed source credential does not open as a webhook secret, nor the reverse', () => {
    const box = createSecretBox(KEY);
    expect(() => box.openWebhookSecret(box.seal({ clientSecret: 'x' }))).toThrow(SecretBoxError);
    expect(() => box.open(box.sealWebhookSecret(generateSecret()))).toThrow(SecretBoxError);
  });
});

describe('signing with stored secrets at a real receiver', () => {
  const received: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];
  let server: Server;
  let http: HttpClient;
  let url: (path: string) => string;
  const body = JSON.stringify({ type: 'alert.negative_spike', data: { n: 1 } });

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    url = (path) => `http://127.0.0.1:${port}${path}`;
    http = createHttpClient({ allowPrivateNetworks: true, totalTimeoutMs: 1_000 });
  });
  afterEach(() => {
    received.length = 0;
  });
  afterAll(async () => {
    await http.close();
    server.close();
  });

  const verifies = (secret: string, r: (typeof received)[number]) => {
    try {
      new Webhook(secret).verify(r.body, r.headers as Record<string, string>);
      return true;
    } catch {
      return false;
    }
  };

  it('a sealed secret is opened to sign: the receiver verifies with the plaintext secret', async () => {
    const secret = generateSecret();
    const attempt = await deliverWebhook({ http, url: url('/sealed'), secret: sealed.store(secret), webhookSecrets: sealed, id: 'evt_sealed', body, now: new Date() });
    expect(attempt.outcome).toBe('delivered');
    expect(received).toHaveLength(1);
    expect(verifies(secret, received[0]!)).toBe(true);
  });

  it('a secret that cannot be opened sends nothing and fails at once, saying what to do', async () => {
    const secret = generateSecret();
    const attempt = await deliverWebhook({
      http,
      url: url('/lost'),
      secret: sealed.store(secret),
      webhookSecrets: otherKey,
      newSecretHint: 'rotate it',
      id: 'evt_lost',
      body,
      now: new Date(),
    });
    expect(attempt).toMatchObject({ outcome: 'failed', status: null, responseSnippet: '' });
    expect(attempt.error).toBe(
      'not sent: the signing secret cannot be opened (sealed value could not be opened: wrong key or tampered data); start the server with the SECRET_KEY it was sealed with, or rotate it',
    );
    expect(received).toHaveLength(0);
    // Without the box, a sealed secret fails the same way: never sent unsigned, nor signed with the sealed text.
    expect((await deliverWebhook({ http, url: url('/lost'), secret: sealed.store(secret), id: 'evt_lost', body, now: new Date() })).outcome).toBe('failed');
    expect(received).toHaveLength(0);
  });

  it('a rotated-out secret that cannot be opened is left out: the new one signs alone', async () => {
    const secret = generateSecret();
    const attempt = await deliverWebhook({
      http,
      url: url('/rotated'),
      secret: otherKey.store(secret),
      previousSecret: sealed.store(generateSecret()),
      webhookSecrets: otherKey,
      id: 'evt_rotated',
      body,
      now: new Date(),
    });
    expect(attempt.outcome).toBe('delivered');
    expect(String(received[0]!.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(verifies(secret, received[0]!)).toBe(true);
  });
});
