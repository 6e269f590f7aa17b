import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { revokeApiKey } from '../../src/domain/workspaces/workspaces.usecases.js';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

describe('workspaces and API keys', () => {
  it('an admin creates a workspace and gets its key exactly once', async () => {
    const res = await t.request('POST', '/v1/workspaces', { key: ADMIN_TOKEN, body: { name: 'Café Škoda' } });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ id: expect.any(String), name: 'Café Škoda', apiKey: expect.stringMatching(/^esk_[A-Za-z0-9_-]{43}$/) });
    const list = await t.request('GET', '/v1/api-keys', { key: res.json.apiKey });
    expect(list.status).toBe(200);
    expect(list.json.items).toHaveLength(1);
    expect(JSON.stringify(list.json)).not.toContain(res.json.apiKey);
    expect(list.json.items[0].prefix).toBe(res.json.apiKey.slice(0, 12));
  });

  it('a new workspace has its weekly digest scheduled at once, not at the next reconcile', async () => {
    const res = await t.request('POST', '/v1/workspaces', { key: ADMIN_TOKEN, body: { name: 'Scheduled from the start' } });
    expect(res.status).toBe(201);
    const schedulers = await (t.deps.queues.queues.get('digests') as Queue).getJobSchedulers(0, -1);
    expect(schedulers.filter((s) => s.key === `digest-${res.json.id}`)).toEqual([expect.objectContaining({ pattern: '0 8 * * 1', tz: 'UTC' })]);
  });

  it('without the admin token, creating a workspace answers 401 with the envelope', async () => {
    for (const key of [undefined, 'not-the-admin-token-at-all', 'esk_whatever']) {
      const res = await t.request('POST', '/v1/workspaces', { ...(key ? { key } : {}), body: { name: 'x' } });
      expect(res.status).toBe(401);
      expect(res.json.error).toMatchObject({ code: 'auth.unauthorized', message: expect.any(String), requestId: expect.any(String) });
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
    }
    // The admin route asks for the admin token, not an API key.
    const bare = await t.request('POST', '/v1/workspaces', { body: { name: 'x' } });
    expect(bare.json.error.message).toContain('ADMIN_TOKEN');
    // A body not sent as JSON is named as such.
    const res = await t.app.request('/v1/workspaces', { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/plain' }, body: '{"name":"x"}' });
    expect(res.status).toBe(400);
    const json = (await res.json()) as { error: { fields: Array<{ field: string; message: string }> } };
    expect(json.error.fields).toEqual([{ field: 'body', message: expect.stringContaining('Content-Type: application/json') }]);
  });

  it('a workspace API key cannot create workspaces', async () => {
    const ws = await t.workspace();
    const res = await t.request('POST', '/v1/workspaces', { key: ws.key, body: { name: 'x' } });
    expect(res.status).toBe(401);
  });

  it('no plaintext key is stored anywhere in the database', async () => {
    const ws = await t.workspace('Plain');
    const extra = await t.request('POST', '/v1/api-keys', { key: ws.key, body: { name: 'ci' } });
    expect(extra.status).toBe(201);
    const dump = await sql<{ doc: string }>`
      select coalesce(string_agg(t::text, E'\n'), '') as doc from (
        select row_to_json(k)::text as t from api_keys k
        union all select row_to_json(w)::text from workspaces w) s`.execute(t.db);
    const text = dump.rows[0]!.doc;
    for (const key of [ws.key, extra.json.key as string]) {
      expect(text).not.toContain(key);
      expect(text).not.toContain(key.slice(12)); // not even the secret part
    }
  });

  it('keys are created, listed, used and revoked; a revoked key answers 401', async () => {
    const ws = await t.workspace('Lifecycle');
    const created = await t.request('POST', '/v1/api-keys', { key: ws.key, body: { name: 'dashboard' } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: 'dashboard', key: expect.stringMatching(/^esk_/), revokedAt: null });

    const used = await t.request('GET', '/v1/brands', { key: created.json.key });
    expect(used.status).toBe(200);
    const listed = await t.request('GET', '/v1/api-keys', { key: ws.key });
    const entry = listed.json.items.find((k: { id: string }) => k.id === created.json.id);
    expect(entry.lastUsedAt).not.toBeNull();
    expect(entry).not.toHaveProperty('key');

    const revoked = await t.request('DELETE', `/v1/api-keys/${created.json.id}`, { key: ws.key });
    expect(revoked.status).toBe(204);
    const after = await t.request('GET', '/v1/brands', { key: created.json.key });
    expect(after.status).toBe(401);
    expect(after.json.error.code).toBe('auth.unauthorized');
    // Revoking it again is done already, not "not found": the list still shows it, with its revocation time.
    const listedRevoked = (await t.request('GET', '/v1/api-keys', { key: ws.key })).json.items.find((k: { id: string }) => k.id === created.json.id);
    const again = await t.request('DELETE', `/v1/api-keys/${created.json.id}`, { key: ws.key });
    expect(again.status).toBe(204);
    const listedAgain = (await t.request('GET', '/v1/api-keys', { key: ws.key })).json.items.find((k: { id: string }) => k.id === created.json.id);
    expect(listedAgain.revokedAt).toBe(listedRevoked.revokedAt);
    expect((await t.request('GET', '/v1/brands', { key: created.json.key })).status).toBe(401);
  });

  it('a workspace holds at most 100 usable keys: the next is a 409 until one is revoked', async () => {
    const ws = await t.workspace('Many keys');
    // 99 more beside the first.
    const made: string[] = [];
    for (let i = 0; i < 99; i++) {
      const res = await t.request('POST', '/v1/api-keys', { key: ws.key, body: { name: `k${i}` } });
      expect(res.status, res.text).toBe(201);
      made.push(res.json.id);
    }
    const refused = await t.request('POST', '/v1/api-keys', { key: ws.key, body: { name: 'one too many' } });
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe('api_keys.limit');
    expect(refused.json.error.message).toContain('100 usable API keys');
    expect((await t.request('DELETE', `/v1/api-keys/${made[0]}`, { key: ws.key })).status).toBe(204);
    expect((await t.request('POST', '/v1/api-keys', { key: ws.key, body: { name: 'in its place' } })).status).toBe(201);
  });

  it("the workspace's last usable key cannot be revoked: 409, and it still works", async () => {
    const ws = await t.workspace('Last key');
    const [only] = (await t.request('GET', '/v1/api-keys', { key: ws.key })).json.items;
    const refused = await t.request('DELETE', `/v1/api-keys/${only.id}`, { key: ws.key });
    expect(refused.status).toBe(409);
    expect(refused.json.error).toMatchObject({ code: 'api_keys.last_key', message: expect.stringContaining('POST /v1/api-keys') });
    expect((await t.request('GET', '/v1/brands', { key: ws.key })).status).toBe(200);

    // An expired key is no successor.
    const expired = await t.request('POST', '/v1/api-keys', { key: ws.key, body: { name: 'expired' } });
    await t.db.updateTable('api_keys').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', expired.json.id).execute();
    expect((await t.request('DELETE', `/v1/api-keys/${only.id}`, { key: ws.key })).status).toBe(409);

    // With a successor, the old key goes; the successor is then the last.
    const successor = await t.request('POST', '/v1/api-keys', { key: ws.key, body: { name: 'successor' } });
    expect((await t.request('DELETE', `/v1/api-keys/${only.id}`, { key: successor.json.key })).status).toBe(204);
    expect((await t.request('GET', '/v1/brands', { key: ws.key })).status).toBe(401);
    expect((await t.request('DELETE', `/v1/api-keys/${successor.json.id}`, { key: successor.json.key })).status).toBe(409);
    expect((await t.request('GET', '/v1/brands', { key: successor.json.key })).status).toBe(200);
  });

  it('two keys revoked at once leave one of them', async () => {
    const ws = await t.workspace('Both at once');
    await t.request('POST', '/v1/api-keys', { key: ws.key, body: { name: 'second' } });
    const ids: string[] = (await t.request('GET', '/v1/api-keys', { key: ws.key })).json.items.map((k: { id: string }) => k.id);
    expect(ids).toHaveLength(2);
    // Past authentication, each request revoking the other's key: both start before either ends.
    const outcomes = await Promise.allSettled(ids.map((id) => revokeApiKey({ workspaceId: ws.id, id, callerExpiresAt: null, workspaceRepository: t.deps.workspaceRepository, announceRevoked: async () => {} })));
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(outcomes.find((o) => o.status === 'rejected')).toMatchObject({ reason: { code: 'api_keys.last_key', status: 409 } });
    const live = await t.db.selectFrom('api_keys').select('id').where('workspace_id', '=', ws.id).where('revoked_at', 'is', null).execute();
    expect(live).toHaveLength(1);
  });

  it("an expired key answers 401", async () => {
    const ws = await t.workspace('Expiry');
    const created = await t.request('POST', '/v1/api-keys', { key: ws.key, body: { name: 'short' } });
    await t.db.updateTable('api_keys').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', created.json.id).execute();
    expect((await t.request('GET', '/v1/brands', { key: created.json.key })).status).toBe(401);
  });

  it('a key created with expiresAt works until then and answers 401 after; a past or malformed expiry is a 400', async () => {
    const ws = await t.workspace('Expiring keys');
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    const created = await t.request('POST', '/v1/api-keys', { key: ws.key, body: { name: 'for a contractor', expiresAt } });
    expect(created.status, created.text).toBe(201);
    expect(created.json).toMatchObject({ name: 'for a contractor', expiresAt });
    expect((await t.request('GET', '/v1/brands', { key: created.json.key })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1600));
    const expired = await t.request('GET', '/v1/brands', { key: created.json.key });
    expect(expired.status).toBe(401);
    expect(expired.json.error.message).toContain('expired');

    for (const [value, says] of [
      [new Date(Date.now() - 60_000).toISOString(), 'must be in the future'] as const,
      ['next week', 'expected an ISO-8601 time'] as const,
    ]) {
      const res = await t.request('POST', '/v1/api-keys', { key: ws.key, body: { name: 'bad', expiresAt: value } });
      expect(res.status, res.text).toBe(400);
      expect(res.json.error.fields).toEqual([expect.objectContaining({ field: 'expiresAt', message: expect.stringContaining(says) })]);
    }
  });

  it('workspace settings say what each field must be, and a mailbox listed twice gets each digest once', async () => {
    const ws = await t.workspace('Settings messages');
    for (const [body, field, says] of [
      [{ retentionDays: '7' }, 'retentionDays', 'must be a whole number of days'],
      [{ retentionDays: 36501 }, 'retentionDays', 'must be at most 36500'],
      [{ digestRecipients: 'a@example.com' }, 'digestRecipients', 'must be a list of e-mail addresses'],
      [{ digestSchedule: 5 }, 'digestSchedule', 'must be a cron expression'],
      [{ name: '  ' }, 'name', 'must not be empty'],
      // Only an unknown field: named, without also being asked for a field.
      [{ colour: 'red' }, 'colour', 'unknown field'],
      [{}, 'body', 'give at least one of name'],
    ] as const) {
      const res = await t.request('PATCH', '/v1/workspace', { key: ws.key, body });
      expect(res.status, res.text).toBe(400);
      expect(res.json.error.fields, JSON.stringify(body)).toEqual([expect.objectContaining({ field, message: expect.stringContaining(says) })]);
    }
    const res = await t.request('PATCH', '/v1/workspace', { key: ws.key, body: { digestRecipients: ['Ana@example.com', 'b@example.com', 'ANA@EXAMPLE.COM', 'ana@example.com'] } });
    expect(res.status, res.text).toBe(200);
    expect(res.json.digestRecipients).toEqual(['Ana@example.com', 'b@example.com']);
  });

  it('the digest webhook keeps its signing secret when its URL is only spelled another way; a new target gets a new one', async () => {
    const ws = await t.workspace('Webhook secrets');
    const stored = async () => (await t.db.selectFrom('workspaces').select('digest_webhook_secret').where('id', '=', ws.id).executeTakeFirstOrThrow()).digest_webhook_secret;
    const first = await t.request('PATCH', '/v1/workspace', { key: ws.key, body: { digestWebhookUrl: 'http://127.0.0.1:9/digest-hook' } });
    expect(first.json.digestWebhookSecret).toMatch(/^whsec_/);
    const secret = await stored();
    const respelled = await t.request('PATCH', '/v1/workspace', { key: ws.key, body: { digestWebhookUrl: 'HTTP://127.0.0.1:9/digest-hook#receiver' } });
    expect(respelled.status, respelled.text).toBe(200);
    expect(respelled.json).not.toHaveProperty('digestWebhookSecret');
    expect(respelled.json.digestWebhookUrl).toBe('HTTP://127.0.0.1:9/digest-hook#receiver');
    expect(await stored()).toEqual(secret);
    const moved = await t.request('PATCH', '/v1/workspace', { key: ws.key, body: { digestWebhookUrl: 'http://127.0.0.1:9/other-hook' } });
    expect(moved.json.digestWebhookSecret).toMatch(/^whsec_/);
    expect(await stored()).not.toEqual(secret);
  });

  it("another workspace's key id is not found, never revoked", async () => {
    const a = await t.workspace('A');
    const b = await t.workspace('B');
    const bKeys = await t.request('GET', '/v1/api-keys', { key: b.key });
    const res = await t.request('DELETE', `/v1/api-keys/${bKeys.json.items[0].id}`, { key: a.key });
    expect(res.status).toBe(404);
    expect((await t.request('GET', '/v1/brands', { key: b.key })).status).toBe(200);
  });

  it('a missing or malformed Authorization header answers 401', async () => {
    expect((await t.request('GET', '/v1/brands')).status).toBe(401);
    expect((await t.request('GET', '/v1/brands', { headers: { authorization: 'Basic abc' } })).status).toBe(401);
  });

  it('lists of keys page with an opaque cursor', async () => {
    const ws = await t.workspace('Paging');
    for (let i = 0; i < 4; i++) await t.request('POST', '/v1/api-keys', { key: ws.key, body: { name: `k${i}` } });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { json: { items: { id: string }[]; nextCursor: string | null } } = await t.request(
        'GET',
        `/v1/api-keys?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        { key: ws.key },
      );
      seen.push(...page.json.items.map((k) => k.id));
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
  });
});

describe('the new key has one name', () => {
  it('POST /v1/api-keys answers the key as apiKey, as POST /v1/workspaces does; key stays, documented as deprecated', async () => {
    const ws = await t.workspace('Key names');
    const created = await t.request('POST', '/v1/api-keys', { key: ws.key, body: { name: 'renamed' } });
    expect(created.status, created.text).toBe(201);
    expect(created.json.apiKey).toMatch(/^esk_/);
    expect(created.json.key).toBe(created.json.apiKey);
    expect((await t.request('GET', '/v1/brands', { key: created.json.apiKey })).status).toBe(200);

    const schemas = (await t.request('GET', '/openapi.json')).json.components.schemas;
    // ApiKey's fields, then the two names of the new key (allOf).
    const own = schemas.CreatedApiKey.allOf.find((part: { properties?: object }) => part.properties);
    expect(own.required).toEqual(expect.arrayContaining(['apiKey', 'key']));
    expect(own.properties.key).toMatchObject({ deprecated: true, description: expect.stringContaining('apiKey') });
    expect(own.properties.apiKey.deprecated).toBeUndefined();
    expect(schemas.CreatedWorkspace.properties).toHaveProperty('apiKey');
  });
});
