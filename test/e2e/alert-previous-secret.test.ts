import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateRule } from '../../src/domain/alerts/alerts.usecases.js';
import { quietWeeksThenNegativeSpike, seed } from '../support/seed.js';
import { createTestStack, type TestStack } from '../support/stack.js';

/**
 * DELETE /v1/alert-rules/{id}/previous-secret: after a rotation, the old secret signs beside the
 * new one for a day; ending that early (the old secret leaked) leaves deliveries to a real
 * receiver signed with the new secret alone, without minting another.
 */
type Received = { path: string; headers: Record<string, string>; body: string };
const received: Received[] = [];
let server: Server;
let base: string;
let s: TestStack;
let key: string;
let brand: string;

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
  s = await createTestStack();
  let workspaceId: string;
  ({ key, id: workspaceId } = await s.workspace('Previous secrets'));
  brand = (await s.ok('POST', '/v1/brands', key, { name: 'Acme', role: 'own', query: 'acme' })).json.id;
  const sourceId = (await s.ok('POST', '/v1/sources', key, { type: 'rss', url: 'http://127.0.0.1:9/previous.xml' })).json.id;
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

async function rotatedRule(path: string, k = key, b = brand) {
  const created = await s.ok('POST', '/v1/alert-rules', k, { brandId: b, webhookUrl: `${base}${path}`, windowMinutes: 30 });
  const rotated = await s.ok('POST', `/v1/alert-rules/${created.json.id}/rotate-secret`, k);
  return { id: created.json.id as string, old: created.json.secret as string, current: rotated.json.secret as string };
}

/** Opens the rule's incident and delivers its alert through the webhooks queue. */
async function deliverOne(ruleId: string) {
  const result = await evaluateRule({ ...s.deps, ruleId, now: new Date() });
  expect(result.action).toBe('open');
  await s.services.queues.add('alerts.deliver', { alertId: result.toDeliver! }, { jobId: `deliver-${result.toDeliver}` });
  await s.drain();
}

describe('ending the previous secret of an alert rule', () => {
  it('after DELETE previous-secret, a delivery carries only the new secret\'s signature', async () => {
    const r = await rotatedRule('/ended');
    const ended = await s.request('DELETE', `/v1/alert-rules/${r.id}/previous-secret`, { key });
    expect(ended.status, ended.text).toBe(204);

    await deliverOne(r.id);
    const [request] = sentTo('/ended');
    expect(sentTo('/ended')).toHaveLength(1);
    expect(request!.headers['webhook-signature']!.split(' ')).toHaveLength(1);
    expect(verifies(r.current, request!)).toBe(true);
    expect(verifies(r.old, request!)).toBe(false);
    // No new secret was made: the one the rotation answered is still the one.
    const row = await s.db.selectFrom('alert_rules').select(['previous_secret', 'previous_secret_expires_at']).where('id', '=', r.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ previous_secret: null, previous_secret_expires_at: null });
  });

  it('without it, the same rotation still signs with both (what the DELETE ends)', async () => {
    const r = await rotatedRule('/kept');
    await deliverOne(r.id);
    const [request] = sentTo('/kept');
    expect(request!.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(verifies(r.old, request!)).toBe(true);
  });

  it('answers 404 no_previous_secret when there is none to end, and 404 not_found for a rule that is not there', async () => {
    const r = await rotatedRule('/twice');
    expect((await s.request('DELETE', `/v1/alert-rules/${r.id}/previous-secret`, { key })).status).toBe(204);
    const again = await s.request('DELETE', `/v1/alert-rules/${r.id}/previous-secret`, { key });
    expect(again.status).toBe(404);
    expect(again.json.error.code).toBe('alert_rules.no_previous_secret');
    expect(again.json.error.message).toMatch(/no previous secret/);

    const never = await s.ok('POST', '/v1/alert-rules', key, { brandId: brand, webhookUrl: `${base}/never`, windowMinutes: 30 });
    expect((await s.request('DELETE', `/v1/alert-rules/${never.json.id}/previous-secret`, { key })).json.error.code).toBe('alert_rules.no_previous_secret');

    // Its day passed: nothing signs with it any more, so there is nothing to end.
    const lapsed = await rotatedRule('/lapsed');
    await s.db.updateTable('alert_rules').set({ previous_secret_expires_at: new Date(Date.now() - 1000) }).where('id', '=', lapsed.id).execute();
    expect((await s.request('DELETE', `/v1/alert-rules/${lapsed.id}/previous-secret`, { key })).json.error.code).toBe('alert_rules.no_previous_secret');

    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const missing = await s.request('DELETE', `/v1/alert-rules/${id}/previous-secret`, { key });
      expect(missing.status).toBe(404);
      expect(missing.json.error.code).toBe('alert_rules.not_found');
    }
  });

  it("another workspace's rule is not found, and its previous secret keeps signing", async () => {
    const other = await s.workspace('Previous secrets, theirs');
    const theirBrand = (await s.ok('POST', '/v1/brands', other.key, { name: 'Acme', role: 'own', query: 'acme' })).json.id as string;
    const theirs = await rotatedRule('/theirs', other.key, theirBrand);
    const res = await s.request('DELETE', `/v1/alert-rules/${theirs.id}/previous-secret`, { key });
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe('alert_rules.not_found');
    const row = await s.db.selectFrom('alert_rules').select('previous_secret').where('id', '=', theirs.id).executeTakeFirstOrThrow();
    expect(row.previous_secret).not.toBeNull();
  });
});
