import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { mention, seed } from '../support/seed.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

describe('the mention resource', () => {
  it('carries engagement, follower counts, the documented reach estimate and how its date was read', async () => {
    const ws = await t.workspace('Reach');
    const brand = (await t.request('POST', '/v1/brands', { key: ws.key, body: { name: 'R', role: 'own', query: 'r' } })).json.id;
    const src = (await t.request('POST', '/v1/sources', { key: ws.key, body: { type: 'mastodon', instance: 'https://127.0.0.1:9', hashtag: 'r' } })).json.id;
    await seed(t.deps, {
      workspaceId: ws.id,
      sourceId: src,
      sourceType: 'mastodon',
      mentions: [mention({ at: new Date(Date.now() - 3600_000), brands: [brand], engagement: { favourites: 3, reposts: 2, replies: 1 }, authorFollowers: 120 })],
    });
    const [m] = (await t.request('GET', '/v1/mentions', { key: ws.key })).json.items;
    expect(m).toMatchObject({
      source: { id: src, type: 'mastodon' },
      engagement: { favourites: 3, reposts: 2, replies: 1 },
      authorFollowers: 120,
      reach: 120 + 20 * 6,
      dateQuality: 'exact',
    });
  });
});
