import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const later = (ms: number) => new Date(Date.now() + ms).toISOString();
const msLater = (iso: string, ms: number) => new Date(new Date(iso).getTime() + ms).toISOString();

describe('a key that expires cannot outlive itself', () => {
  it("a contractor's expiring key cannot mint a key that outlives it, nor revoke the owner's key; once it expires, every key it made has expired too", async () => {
    const owner = await t.workspace('Audited');
    // Long enough for the steps below on a busy machine; the test waits it out at the end.
    const contractorExpires = later(5_000);
    const contractor = await t.request('POST', '/v1/api-keys', { key: owner.key, body: { name: 'contractor', expiresAt: contractorExpires } });
    expect(contractor.status, contractor.text).toBe(201);
    const c = contractor.json.apiKey as string;

    // A key without expiry, or one expiring after the contractor's: refused, naming the limit.
    for (const [body, says] of [
      [{ name: 'forever' }, 'is required, and must be no later than'],
      [{ name: 'a second longer', expiresAt: msLater(contractorExpires, 1_000) }, 'must be no later than'],
    ] as const) {
      const res = await t.request('POST', '/v1/api-keys', { key: c, body });
      expect(res.status, res.text).toBe(400);
      expect(res.json.error).toMatchObject({ code: 'validation.failed', requestId: expect.any(String) });
      expect(res.json.error.fields).toEqual([{ field: 'expiresAt', message: expect.stringContaining(says) }]);
      expect(res.json.error.fields[0].message).toContain(contractorExpires);
    }

    // As long as itself, or shorter: made.
    const sameEnd = await t.request('POST', '/v1/api-keys', { key: c, body: { name: 'same end', expiresAt: contractorExpires } });
    expect(sameEnd.status, sameEnd.text).toBe(201);
    expect(sameEnd.json.expiresAt).toBe(contractorExpires);
    const shorter = await t.request('POST', '/v1/api-keys', { key: c, body: { name: 'shorter', expiresAt: msLater(contractorExpires, -1_000) } });
    expect(shorter.status, shorter.text).toBe(201);

    // The owner's key (no expiry) and a key expiring after the contractor's cannot be revoked by it.
    const longer = await t.request('POST', '/v1/api-keys', { key: owner.key, body: { name: 'longer', expiresAt: later(3_600_000) } });
    const ownerKeyId = (await t.ok('GET', '/v1/api-keys', owner.key)).json.items.find((k: { name: string }) => k.name === 'default').id;
    for (const id of [ownerKeyId, longer.json.id]) {
      const res = await t.request('DELETE', `/v1/api-keys/${id}`, { key: c });
      expect(res.status, res.text).toBe(409);
      expect(res.json.error).toMatchObject({ code: 'api_keys.outlives_caller', message: expect.stringContaining(contractorExpires) });
    }
    expect((await t.request('GET', '/v1/brands', { key: owner.key })).status).toBe(200);
    const listed = await t.ok('GET', '/v1/api-keys', c);
    expect(listed.json.items.filter((k: { revokedAt: string | null }) => k.revokedAt !== null)).toEqual([]);

    // Keys that end no later than it: revoked.
    expect((await t.request('DELETE', `/v1/api-keys/${shorter.json.id}`, { key: c })).status).toBe(204);
    expect((await t.request('GET', '/v1/brands', { key: shorter.json.apiKey })).status).toBe(401);

    await new Promise((r) => setTimeout(r, Math.max(0, new Date(contractorExpires).getTime() - Date.now()) + 100));
    expect((await t.request('GET', '/v1/brands', { key: c })).status).toBe(401);
    expect((await t.request('GET', '/v1/brands', { key: sameEnd.json.apiKey })).status).toBe(401);
    expect((await t.request('GET', '/v1/brands', { key: owner.key })).status).toBe(200);
  });

  it('a key that expires may revoke itself', async () => {
    const owner = await t.workspace('Self-revoking');
    const ci = await t.request('POST', '/v1/api-keys', { key: owner.key, body: { name: 'ci job', expiresAt: later(3_600_000) } });
    expect((await t.request('DELETE', `/v1/api-keys/${ci.json.id}`, { key: ci.json.apiKey })).status).toBe(204);
    expect((await t.request('GET', '/v1/brands', { key: ci.json.apiKey })).status).toBe(401);
  });

  it('a key without expiry keeps full rights: it makes keys that never expire and revokes keys that expire after any other', async () => {
    const owner = await t.workspace('Full rights');
    const forever = await t.request('POST', '/v1/api-keys', { key: owner.key, body: { name: 'forever' } });
    expect(forever.status, forever.text).toBe(201);
    expect(forever.json.expiresAt).toBeNull();
    const longLived = await t.request('POST', '/v1/api-keys', { key: owner.key, body: { name: 'a year', expiresAt: later(365 * 86_400_000) } });
    expect((await t.request('DELETE', `/v1/api-keys/${longLived.json.id}`, { key: forever.json.apiKey })).status).toBe(204);
    expect((await t.request('DELETE', `/v1/api-keys/${forever.json.id}`, { key: owner.key })).status).toBe(204);
  });
});

describe('an ADMIN_TOKEN of every character start-up allows', () => {
  // Every visible ASCII punctuation mark, letters and digits: each can be sent in a header as written.
  const token = `!"#$%&'()*+,-./:;<=>?@[\\]^_\`{|}~Az09`;
  let admin: TestApp;
  beforeAll(async () => {
    admin = await createTestApp({ config: { ADMIN_TOKEN: token } });
  });
  afterAll(async () => admin.close());

  it('works for admin calls', async () => {
    const res = await admin.request('POST', '/v1/workspaces', { key: token, body: { name: 'Punctuated' } });
    expect(res.status, res.text).toBe(201);
  });
});
