import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertEventId } from '../../src/domain/alerts/incidents.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { ADMIN_TOKEN } from '../support/app.js';
import { dumpRedis } from '../support/redis-dump.js';
import { createTestStack, type TestStack } from '../support/stack.js';

/**
 * RELIABILITY 25 for API keys, webhook secrets and the SMTP password (source credentials are in
 * test/e2e/credentials.test.ts): every log line at trace level, captured, and every key under the
 * queue prefix in the real Redis, read while webhook and digest jobs wait for their retry and
 * again after they finished.
 */
const smtpPassword = 'Sm7p-pa55-w0rd!';
let logs = '';
let s: TestStack;
let smtp: SMTPServer;
let hooks: Server;
let hookBase: string;
const answers: number[] = [];

beforeAll(async () => {
  smtp = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth: (auth, _session, callback) => (auth.password === smtpPassword ? callback(null, { user: auth.username }) : callback(new Error('Invalid username or password'))),
    onData: (stream, _session, callback) => {
      stream.resume();
      stream.on('end', () => callback());
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  hooks = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(answers.shift() ?? 200).end());
  });
  await new Promise<void>((r) => hooks.listen(0, '127.0.0.1', r));
  hookBase = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}`;
  const log = createLogger({ level: 'trace', destination: new Writable({ write: (chunk, _e, done) => ((logs += chunk.toString()), done()) }) });
  s = await createTestStack({
    log,
    config: { LOG_LEVEL: 'trace', SMTP_URL: `smtp://digest:${encodeURIComponent(smtpPassword)}@127.0.0.1:${(smtp.server.address() as AddressInfo).port}/?plaintext_auth=loopback` },
    // Long enough to read Redis while the retries wait.
    backoff: { webhook: () => 1_500 },
  });
});
afterAll(async () => {
  await s.close();
  smtp.close();
  hooks.close();
});

describe('nothing sensitive in logs or job payloads', () => {
  it('API keys, webhook secrets and the SMTP password appear in no log line and no Redis key, job data included', async () => {
    const created = await s.request('POST', '/v1/workspaces', { key: ADMIN_TOKEN, body: { name: 'Quiet' } });
    const key = created.json.apiKey as string;
    const workspaceId = created.json.id as string;
    const second = (await s.request('POST', '/v1/api-keys', { key, body: { name: 'ci' } })).json.key as string;
    await s.request('GET', '/v1/brands', { key: second });
    await s.request('GET', '/v1/brands', { key: `${key.slice(0, 12)}${'x'.repeat(key.length - 12)}` }); // a wrong key: 401
    const brandId = (await s.request('POST', '/v1/brands', { key, body: { name: 'Acme', role: 'own', query: 'acme' } })).json.id;
    const rule = (await s.request('POST', '/v1/alert-rules', { key, body: { brandId, webhookUrl: `${hookBase}/alert` } })).json;
    const settings = await s.request('PATCH', '/v1/workspace', { key, body: { digestWebhookUrl: `${hookBase}/digest`, digestRecipients: ['ana@example.test'] } });
    const digestSecret = settings.json.digestWebhookSecret as string;
    expect(rule.secret).toMatch(/^whsec_/);
    expect(digestSecret).toMatch(/^whsec_/);

    // An alert to deliver, and a digest by webhook and e-mail; both webhooks fail once first.
    const alertId = alertEventId(rule.id, new Date());
    await sql`insert into alerts (id, rule_id, workspace_id, brand_id, type, window_start, window_end, observed, total, expected, score, payload)
              values (${alertId}, ${rule.id}, ${workspaceId}, ${brandId}, 'alert.negative_spike', now(), now(), 9, 9, 1, 5, '{"type":"alert.negative_spike"}')`.execute(s.db);
    answers.push(500, 500);
    await s.services.queues.add('alerts.deliver', { alertId }, { jobId: `deliver-${alertId}` });
    expect((await s.request('POST', '/v1/digests', { key, body: { since: '2026-01-01T00:00:00Z', until: '2026-01-08T00:00:00Z' } })).status).toBe(201);
    await new Promise((r) => setTimeout(r, 600));
    const whileWaiting = await dumpRedis(s.config.QUEUE_PREFIX);
    expect(whileWaiting).toContain(alertId); // the job is there, waiting for its retry
    await s.drain();
    const after = await dumpRedis(s.config.QUEUE_PREFIX);

    const deliveries = (await s.request('GET', `/v1/alert-rules/${rule.id}/deliveries`, { key })).json.items;
    expect(deliveries.map((d: { outcome: string }) => d.outcome)).toContain('delivered');
    expect(logs).toContain('webhook attempt');
    expect(logs).toContain('digest delivery attempt');
    // RELIABILITY 18: every attempt logged with its status and latency, the digest's as the alert's.
    const attempts = logs.split('\n').filter((l) => l.includes('"digest delivery attempt"')).map((l) => JSON.parse(l));
    expect(attempts.map((a) => `${a.channel}:${a.outcome}:${a.status}`).sort()).toEqual(['email:delivered:250', 'webhook:delivered:200', 'webhook:retry:500']);
    for (const a of attempts) expect(a.latencyMs, JSON.stringify(a)).toEqual(expect.any(Number));
    expect(logs).toContain('request completed');

    const secrets: Record<string, string> = {
      'workspace key': key,
      'its secret part': key.slice(12),
      'second key': second,
      'alert secret': rule.secret,
      'alert secret bytes': rule.secret.slice(6),
      'digest secret': digestSecret,
      'SMTP password': smtpPassword,
      'SMTP password, encoded': encodeURIComponent(smtpPassword),
      'admin token': ADMIN_TOKEN,
    };
    for (const [what, secret] of Object.entries(secrets)) {
      for (const [where, text] of Object.entries({ logs, 'Redis while jobs wait': whileWaiting, 'Redis after': after })) {
        expect(text.includes(secret), `${what} found in ${where}`).toBe(false);
      }
    }
  }, 30_000);

  it('a configuration error shows no password from a URL', () => {
    const env = {
      SMTP_URL: `smtpx://digest:${smtpPassword}@mail.example.test:587`,
      DATABASE_URL: `mysql://earshot:${smtpPassword}@db.example.test/earshot`,
      REDIS_URL: `http://:${smtpPassword}@redis.example.test:6379`,
    };
    let error: unknown;
    try {
      loadConfig(env);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const name of Object.keys(env)) expect(message).toContain(name);
    expect(message).not.toContain(smtpPassword);
    // What is wrong is still shown: the scheme and the host.
    expect(message).toContain('smtpx://');
    expect(message).toContain('mail.example.test');
  });
});
