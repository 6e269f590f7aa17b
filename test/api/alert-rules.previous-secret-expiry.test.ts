import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

// A rule shows until when its rotated-out secret still signs deliveries (`previousSecretExpiresAt`),
// null when none does, so the owner can see whether the old secret is still live without having
// kept the rotation's answer. The secret itself is never shown.

const DAY = 24 * 3_600_000;

let t: TestApp;
let key: string;
let brandId: string;

beforeAll(async () => {
  t = await createTestApp();
  ({ key } = await t.workspace('Previous secret expiry'));
  brandId = (await t.ok('POST', '/v1/brands', key, { name: 'Acme', role: 'own', query: 'acme' })).json.id;
});
afterAll(async () => t.close());

async function newRule(): Promise<string> {
  const created = await t.ok('POST', '/v1/alert-rules', key, { brandId, webhookUrl: 'http://127.0.0.1:9/hook' });
  expect(created.json.previousSecretExpiresAt).toBeNull();
  return created.json.id;
}

async function shown(id: string) {
  const got = await t.ok('GET', `/v1/alert-rules/${id}`, key);
  const listed = (await t.ok('GET', '/v1/alert-rules?limit=200', key)).json.items.find((r: { id: string }) => r.id === id);
  // The list shows the rule as GET does.
  expect(listed).toEqual(got.json);
  return got.json as Record<string, unknown>;
}

describe('previousSecretExpiresAt on an alert rule', () => {
  it('is null on a rule never rotated', async () => {
    const id = await newRule();
    expect((await shown(id)).previousSecretExpiresAt).toBeNull();
  });

  it('after a rotation, is the time the old secret stops signing, about a day ahead, on GET, the list and PATCH', async () => {
    const id = await newRule();
    const before = Date.now();
    const rotated = await t.ok('POST', `/v1/alert-rules/${id}/rotate-secret`, key);
    const until = rotated.json.previousSecretExpiresAt as string;
    expect(new Date(until).toISOString()).toBe(until);
    expect(Date.parse(until)).toBeGreaterThanOrEqual(before + DAY - 1000);
    expect(Date.parse(until)).toBeLessThanOrEqual(Date.now() + DAY + 1000);

    const rule = await shown(id);
    expect(rule.previousSecretExpiresAt).toBe(until);
    const patched = await t.ok('PATCH', `/v1/alert-rules/${id}`, key, { minMentions: 7 });
    expect(patched.json.previousSecretExpiresAt).toBe(until);
    // Neither secret is shown outside the answers that make one.
    for (const answer of [rule, patched.json]) {
      expect(Object.keys(answer)).not.toContain('secret');
      expect(Object.keys(answer)).not.toContain('previousSecret');
      expect(JSON.stringify(answer)).not.toContain('whsec_');
    }
  });

  it('is null again once DELETE previous-secret has ended the old secret', async () => {
    const id = await newRule();
    await t.ok('POST', `/v1/alert-rules/${id}/rotate-secret`, key);
    expect((await t.request('DELETE', `/v1/alert-rules/${id}/previous-secret`, { key })).status).toBe(204);
    expect((await shown(id)).previousSecretExpiresAt).toBeNull();
  });

  it('is null once the day has passed, though the row still holds the old secret', async () => {
    const id = await newRule();
    await t.ok('POST', `/v1/alert-rules/${id}/rotate-secret`, key);
    await t.db.updateTable('alert_rules').set({ previous_secret_expires_at: new Date(Date.now() - 1000) }).where('id', '=', id).execute();
    const row = await t.db.selectFrom('alert_rules').select('previous_secret').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.previous_secret).not.toBeNull();
    expect((await shown(id)).previousSecretExpiresAt).toBeNull();
    expect((await t.ok('PATCH', `/v1/alert-rules/${id}`, key, { minMentions: 8 })).json.previousSecretExpiresAt).toBeNull();
  });

  it('is documented in the AlertRule schema as a nullable time', async () => {
    const doc = (await t.request('GET', '/openapi.json')).json;
    const rule = doc.components.schemas.AlertRule;
    expect(rule.required).toContain('previousSecretExpiresAt');
    expect(rule.properties.previousSecretExpiresAt.nullable ?? rule.properties.previousSecretExpiresAt.type?.includes?.('null')).toBeTruthy();
    expect(rule.properties.previousSecretExpiresAt.description).toMatch(/previous-secret/);
  });
});
