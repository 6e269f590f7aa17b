import { Ajv2020 } from 'ajv/dist/2020.js';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverAlert, evaluateRule } from '../../src/domain/alerts/alerts.usecases.js';
import { deliverDigest } from '../../src/domain/digests/digests.usecases.js';
import type { HttpClient } from '../../src/infra/http/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { mention, seed } from '../support/seed.js';

// What Earshot really sends to a webhook, caught on its way out, against what /openapi.json's
// `webhooks` say it sends: the documented JSON Schema (OpenAPI 3.1 is JSON Schema 2020-12) and
// the documented signature headers.

interface Sent {
  url: string;
  headers: Record<string, string>;
  body: string;
}

let t: TestApp;
let doc: any;
let key: string;
let workspaceId: string;
let brand: string;
let rival: string;
/** A competitor named in Tamil: the digest's SWOT names it in `swot.brands`. */
const RIVAL_NAME = 'குளோபெக்ஸ் கடை';
let sourceId: string;
const sent: Sent[] = [];
const http = {
  async request(url: string, options: { headers: Record<string, string>; body: string }) {
    sent.push({ url, headers: options.headers, body: options.body });
    return { status: 200, url, headers: {}, body: Buffer.from('ok') };
  },
} as unknown as HttpClient;

beforeAll(async () => {
  t = await createTestApp();
  doc = (await t.request('GET', '/openapi.json')).json;
  ({ key, id: workspaceId } = await t.workspace('Webhooks'));
  brand = (await t.request('POST', '/v1/brands', { key, body: { name: 'Acme <&>', role: 'own', query: 'acme' } })).json.id;
  rival = (await t.request('POST', '/v1/brands', { key, body: { name: RIVAL_NAME, role: 'competitor', query: 'globex' } })).json.id;
  sourceId = (await t.request('POST', '/v1/sources', { key, body: { type: 'rss', url: 'http://127.0.0.1:9/hooks.xml' } })).json.id;
  // Two weeks of quiet history, then 25 negative mentions in the last 20 minutes.
  const now = Date.now();
  const history = [];
  for (let h = 14 * 24; h >= 2; h--) {
    const hour = Math.floor(now / 3_600_000 - h) * 3_600_000;
    for (let i = 0; i < 4 + (h % 3); i++) history.push(mention({ at: new Date(hour + i * 60_000), brands: [brand], label: (h + i) % 5 === 0 ? 'negative' : 'neutral', hashtags: ['acme'] }));
  }
  const minute = Math.floor(now / 60_000) * 60_000;
  for (let i = 0; i < 25; i++) {
    history.push(mention({ at: new Date(minute - (i + 1) * 45_000), brands: [brand], label: 'negative', score: -0.8, text: `Acme ruined my order ${i}` }));
  }
  await seed(t.deps, { workspaceId, sourceId, mentions: history });
});
afterAll(async () => t.close());

function validatorFor(webhook: string) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addFormat('date-time', (v: string) => !Number.isNaN(Date.parse(v)) && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(v));
  ajv.addFormat('uri', true);
  ajv.addSchema({ $id: 'https://earshot.invalid/openapi.json', components: doc.components });
  const operation = doc.webhooks[webhook].post;
  const schema = operation.requestBody.content['application/json'].schema;
  const body = ajv.compile({ $ref: `https://earshot.invalid/openapi.json${schema.$ref}` });
  const headers = operation.parameters.filter((p: { in: string }) => p.in === 'header') as { name: string; required: boolean; schema: object }[];
  return { body, headers, ajv };
}

function expectDocumented(webhook: string, message: Sent) {
  const { body, headers, ajv } = validatorFor(webhook);
  const valid = body(JSON.parse(message.body));
  expect(body.errors ?? [], `${webhook}: ${message.body}`).toEqual([]);
  expect(valid).toBe(true);
  expect(headers.map((h) => h.name).sort()).toEqual(['webhook-id', 'webhook-signature', 'webhook-timestamp']);
  for (const header of headers) {
    expect(message.headers[header.name], header.name).toBeDefined();
    expect(ajv.validate(header.schema, message.headers[header.name]), `${header.name}: ${message.headers[header.name]}`).toBe(true);
  }
  expect(message.headers['content-type']).toBe('application/json');
}

describe('the webhooks /openapi.json documents are the ones Earshot sends', () => {
  it('documents the alert and digest webhooks with the Standard Webhooks signature headers', () => {
    expect(Object.keys(doc.webhooks ?? {}).sort()).toEqual(['alert.negative_spike', 'alert.negative_spike.resolved', 'digest.weekly']);
  });

  it('an alert webhook, opened and then resolved, matches its documented body and headers', async () => {
    const rule = await t.request('POST', '/v1/alert-rules', { key, body: { brandId: brand, webhookUrl: 'http://127.0.0.1:9/alerts', windowMinutes: 30 } });
    expect(rule.status, rule.text).toBe(201);
    const now = new Date();
    const opened = await evaluateRule({ ...t.deps, ruleId: rule.json.id, now });
    expect(opened.action).toBe('open');
    await deliverAlert({ alertId: opened.toDeliver!, attempt: 1, now, http, alertRepository: t.deps.alertRepository });
    const alert = sent.at(-1)!;
    expect(JSON.parse(alert.body).type).toBe('alert.negative_spike');
    expect(JSON.parse(alert.body).data.sampleMentions.length).toBeGreaterThan(0);
    // Slack reads &, < and > as markup: the brand name is escaped in every text.
    expect(JSON.parse(alert.body).text).toContain('*Acme &lt;&amp;&gt;*');
    expectDocumented('alert.negative_spike', alert);

    // Quiet windows after the spike resolve the incident.
    let resolved: Awaited<ReturnType<typeof evaluateRule>> | undefined;
    for (let minutes = 60; minutes < 70 && resolved?.action !== 'resolve'; minutes++) {
      resolved = await evaluateRule({ ...t.deps, ruleId: rule.json.id, now: new Date(now.getTime() + minutes * 60_000) });
    }
    expect(resolved?.action).toBe('resolve');
    await deliverAlert({ alertId: resolved!.toDeliver!, attempt: 1, now: new Date(), http, alertRepository: t.deps.alertRepository });
    const resolution = sent.at(-1)!;
    expect(JSON.parse(resolution.body).type).toBe('alert.negative_spike.resolved');
    expect(JSON.parse(resolution.body).text).toBe('Resolved: negative mentions of Acme &lt;&amp;&gt; are back to normal.');
    // No test fired on the window that resolved it: the body says so as GET /v1/alerts does.
    expect(JSON.parse(resolution.body).data.reason).toBeNull();
    const listed = (await t.request('GET', '/v1/alerts', { key })).json.items.find((a: { id: string }) => a.id === resolved!.toDeliver);
    expect(listed.reason).toBeNull();
    expectDocumented('alert.negative_spike.resolved', resolution);
  });

  it('a digest webhook matches its documented body and headers', async () => {
    const settings = await t.request('PATCH', '/v1/workspace', { key, body: { digestWebhookUrl: 'http://127.0.0.1:9/digests' } });
    expect(settings.status, settings.text).toBe(200);
    const digest = await t.request('POST', '/v1/digests', { key, body: {} });
    expect(digest.status, digest.text).toBe(201);
    const outcome = await deliverDigest({ ...t.deps, digestId: digest.json.id, channel: 'webhook', attempt: 1, now: new Date(), http, mailer: null });
    expect(outcome.outcome).toBe('delivered');
    const message = sent.at(-1)!;
    expect(message.headers['webhook-id']).toBe(`dgst_${digest.json.id}`);
    const body = JSON.parse(message.body);
    expect(body.type).toBe('digest.weekly');
    expect(body.data).toMatchObject({ id: digest.json.id, kind: 'manual' });
    expect(body.data.brands.length).toBe(2);
    expect(body.data.swot.brands).toEqual([{ id: brand, name: 'Acme <&>', role: 'own' }, { id: rival, name: RIVAL_NAME, role: 'competitor' }]);
    expectDocumented('digest.weekly', message);
  });

  it('a digest stored before the SWOT named its brands is still delivered, served and rendered as documented', async () => {
    const digest = await t.request('POST', '/v1/digests', { key, body: {} });
    expect(digest.status, digest.text).toBe(201);
    // As the release before stored it: the SWOT without `brands`.
    await sql`update digests set document = document #- '{swot,brands}' where id = ${digest.json.id}`.execute(t.db);
    const outcome = await deliverDigest({ ...t.deps, digestId: digest.json.id, channel: 'webhook', attempt: 1, now: new Date(), http, mailer: null });
    expect(outcome.outcome).toBe('delivered');
    const message = sent.at(-1)!;
    expect(JSON.parse(message.body).data.swot).not.toHaveProperty('brands');
    expectDocumented('digest.weekly', message);
    const stored = await t.request('GET', `/v1/digests/${digest.json.id}`, { key });
    expect(stored.status, stored.text).toBe(200);
    expect(stored.json.document.swot.competitorIds).toEqual([rival]);
    for (const format of ['markdown', 'html', 'text']) {
      const rendered = await t.request('GET', `/v1/digests/${digest.json.id}?format=${format}`, { key });
      expect(rendered.status, format).toBe(200);
      expect(rendered.text, format).toContain(RIVAL_NAME);
    }
  });

  it('a body that strays from the documented shape is caught by the same check', () => {
    const { body } = validatorFor('alert.negative_spike');
    expect(body({ type: 'alert.negative_spike', timestamp: new Date().toISOString(), text: 'x', data: {} })).toBe(false);
  });

  it('a resolution documents a null reason and no samples; an opening, a count or share reason', () => {
    const data = { brand: { id: 'b', name: 'B' }, window: { start: '2026-03-04T10:00:00Z', end: '2026-03-04T11:00:00Z' }, observed: { negative: 1, total: 9 }, expected: 1.2, score: 0 };
    const event = (type: string, reason: string | null) => ({ type, timestamp: '2026-03-04T11:00:05Z', text: 'x', data: { ...data, reason, sampleMentions: [] } });
    const resolved = validatorFor('alert.negative_spike.resolved').body;
    expect(resolved(event('alert.negative_spike.resolved', null))).toBe(true);
    expect(resolved(event('alert.negative_spike.resolved', 'count'))).toBe(false);
    const opened = validatorFor('alert.negative_spike').body;
    expect(opened(event('alert.negative_spike', 'share'))).toBe(true);
    expect(opened(event('alert.negative_spike', null))).toBe(false);
  });

  it('tells receivers how long an attempt may take', () => {
    for (const webhook of ['alert.negative_spike', 'alert.negative_spike.resolved', 'digest.weekly']) {
      expect(doc.webhooks[webhook].post.responses['200'].description, webhook).toContain('within 20 s');
    }
  });
});
