import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  // 60 a minute: one a second, with a burst allowance of 10.
  t = await createTestApp({ config: { RATE_LIMIT_PER_MINUTE: '60' } });
});
afterAll(async () => t.close());

describe('per-key rate limits', () => {
  it('a burst over the limit answers 429 with Retry-After, and other keys are unaffected', async () => {
    const a = await t.workspace('Busy');
    const b = await t.workspace('Quiet');
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<TestApp['request']>> | undefined;
    for (let i = 0; i < 15; i++) {
      const res = await t.request('GET', '/v1/brands', { key: a.key });
      statuses.push(res.status);
      if (res.status === 429) limited ??= res;
    }
    expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(10).every((s) => s === 429)).toBe(true);
    expect(limited!.json.error.code).toBe('rate_limit.exceeded');
    const retryAfter = Number(limited!.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(2);

    expect((await t.request('GET', '/v1/brands', { key: b.key })).status).toBe(200);
  });

  it('a 429 is what /openapi.json declares: error.retryAfterSeconds in the Error schema, the same seconds as the Retry-After header', async () => {
    const d = await t.workspace('Declared');
    let res;
    do res = await t.request('GET', '/v1/brands', { key: d.key });
    while (res.status === 200);
    expect(res.status).toBe(429);
    expect(res.json.error.retryAfterSeconds).toBe(Number(res.headers.get('retry-after')));
    const doc = (await t.request('GET', '/openapi.json')).json;
    const declared = Object.keys(doc.components.schemas.Error.properties.error.properties);
    expect(declared).toEqual(expect.arrayContaining(Object.keys(res.json.error)));
    expect(doc.paths['/v1/brands'].get.responses['429'].headers['Retry-After']).toBeDefined();
  });

  it('the allowance comes back after Retry-After', async () => {
    const c = await t.workspace('Patient');
    let res;
    do res = await t.request('GET', '/v1/brands', { key: c.key });
    while (res.status === 200);
    await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after')) * 1000 + 50));
    expect((await t.request('GET', '/v1/brands', { key: c.key })).status).toBe(200);
  });
});
