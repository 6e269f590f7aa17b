import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

/**
 * RELIABILITY 24: the limit belongs to the API key, not to the workspace or the client address.
 * rate-limit.test.ts uses one key per workspace, which cannot tell a per-key limit from a
 * per-workspace one.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ config: { RATE_LIMIT_PER_MINUTE: '60' } });
});
afterAll(async () => t.close());

describe('per-key rate limits', () => {
  it("two keys of one workspace have their own allowance: one key's 429 leaves the other untouched", async () => {
    const ws = await t.workspace('Two keys');
    const other = (await t.request('POST', '/v1/api-keys', { key: ws.key, body: { name: 'dashboard' } })).json.key as string;
    const headers = { 'x-forwarded-for': '203.0.113.9' }; // one client address for both
    let limited;
    for (let i = 0; i < 20 && !limited; i++) {
      const res = await t.request('GET', '/v1/brands', { key: ws.key, headers });
      if (res.status === 429) limited = res;
    }
    expect(limited?.status).toBe(429);
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited!.json.error).toMatchObject({ code: 'rate_limit.exceeded', requestId: expect.any(String) });
    for (let i = 0; i < 5; i++) expect((await t.request('GET', '/v1/brands', { key: other, headers })).status).toBe(200);
    // Unauthenticated requests do not spend anyone's allowance and still get their 401.
    expect((await t.request('GET', '/v1/brands', { headers })).status).toBe(401);
  });
});
