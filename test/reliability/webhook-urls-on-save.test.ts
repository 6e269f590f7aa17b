import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

/**
 * RELIABILITY 20, the save half: alert-rule and digest webhook URLs go through the same address
 * policy as feed URLs when saved (the send half is in test/domain/webhooks.test.ts,
 * test/e2e/alerts.test.ts and webhook-receivers.test.ts). A real receiver on 127.0.0.1 counts
 * connections: a refused URL must never be contacted, not even by the check.
 */
let strict: TestApp;
let key: string;
let brandId: string;
let connections = 0;
const receiver = createServer((_req, res) => res.writeHead(200).end());
receiver.on('connection', () => connections++);
let port: number;

beforeAll(async () => {
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  port = (receiver.address() as AddressInfo).port;
  strict = await createTestApp({ config: { ALLOW_PRIVATE_NETWORKS: 'false' } });
  key = (await strict.workspace('Strict hooks')).key;
  brandId = (await strict.request('POST', '/v1/brands', { key, body: { name: 'Acme', role: 'own', query: 'acme' } })).json.id;
});
afterAll(async () => {
  await strict.close();
  receiver.close();
});

const forbidden = (p: number) => [
  `http://127.0.0.1:${p}/hook`,
  `http://2130706433:${p}/hook`,
  `http://0x7f.1:${p}/hook`,
  `http://[::ffff:127.0.0.1]:${p}/hook`,
  `http://[::1]:${p}/hook`,
  `http://localhost:${p}/hook`,
  'http://169.254.169.254/latest/meta-data/',
  'http://10.0.0.7/hook',
  'http://100.64.0.1/hook',
  'http://[fd00::1]/hook',
  'http://[64:ff9b::7f00:1]/hook',
];

describe('webhook URLs are checked for SSRF when saved', () => {
  it('an alert rule with a private, loopback or link-local webhook URL is refused on create and on edit, and nothing is stored', async () => {
    for (const webhookUrl of forbidden(port)) {
      const res = await strict.request('POST', '/v1/alert-rules', { key, body: { brandId, webhookUrl } });
      expect(res.status, `${webhookUrl}: ${res.text}`).toBe(400);
      expect(['alert_rules.url_not_allowed', 'validation.failed'], webhookUrl).toContain(res.json.error.code);
      expect(res.json.error.message, webhookUrl).toContain('webhookUrl');
    }
    expect((await strict.request('GET', '/v1/alert-rules', { key })).json.items).toEqual([]);

    // A rule saved with a public address cannot be moved onto a private one.
    const rule = await strict.request('POST', '/v1/alert-rules', { key, body: { brandId, webhookUrl: 'http://93.184.215.14/hook' } });
    expect(rule.status, rule.text).toBe(201);
    for (const webhookUrl of forbidden(port)) {
      const res = await strict.request('PATCH', `/v1/alert-rules/${rule.json.id}`, { key, body: { webhookUrl } });
      expect(res.status, webhookUrl).toBe(400);
    }
    expect((await strict.request('GET', `/v1/alert-rules/${rule.json.id}`, { key })).json.webhookUrl).toBe('http://93.184.215.14/hook');
    expect(connections).toBe(0);
  });

  it('a private digest webhook URL is refused, the previous one stays, and no secret is issued', async () => {
    const ok = await strict.request('PATCH', '/v1/workspace', { key, body: { digestWebhookUrl: 'http://93.184.215.14/digest' } });
    expect(ok.status, ok.text).toBe(200);
    for (const digestWebhookUrl of forbidden(port)) {
      const res = await strict.request('PATCH', '/v1/workspace', { key, body: { digestWebhookUrl } });
      expect(res.status, `${digestWebhookUrl}: ${res.text}`).toBe(400);
      expect(['workspaces.url_not_allowed', 'validation.failed'], digestWebhookUrl).toContain(res.json.error.code);
      expect(res.json.error.message, digestWebhookUrl).toContain('digestWebhookUrl');
      expect(res.text).not.toContain('whsec_');
    }
    expect((await strict.request('GET', '/v1/workspace', { key })).json.digestWebhookUrl).toBe('http://93.184.215.14/digest');
    expect(connections).toBe(0);
  });

  it('credentials in a webhook URL and schemes other than http(s) are refused', async () => {
    for (const url of ['ftp://93.184.215.14/hook', 'http://user:pw@93.184.215.14/hook', 'file:///etc/passwd', 'gopher://93.184.215.14/']) {
      expect((await strict.request('POST', '/v1/alert-rules', { key, body: { brandId, webhookUrl: url } })).status, url).toBe(400);
      expect((await strict.request('PATCH', '/v1/workspace', { key, body: { digestWebhookUrl: url } })).status, url).toBe(400);
    }
  });
});
