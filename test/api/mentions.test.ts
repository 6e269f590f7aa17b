import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceItem } from '../../src/connectors/connector.types.js';
import { prepareMentions } from '../../src/domain/mentions/ingest.js';
import { compileWorkspace } from '../../src/domain/query/index.js';
import { createScorer } from '../../src/domain/scoring/scorer.js';
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

  it('stores a follower count a Postgres integer cannot hold as the nearest it can, instead of failing the poll', async () => {
    const ws = await t.workspace('Followers');
    const brand = (await t.request('POST', '/v1/brands', { key: ws.key, body: { name: 'F', role: 'own', query: 'acme' } })).json.id;
    const src = (await t.request('POST', '/v1/sources', { key: ws.key, body: { type: 'mastodon', instance: 'https://127.0.0.1:9', hashtag: 'acme' } })).json.id;
    const claimed = [3e9, 1.5, -4, Number.NaN, 842];
    const items: SourceItem[] = claimed.map((authorFollowers, i) => ({
      itemKey: `status-${i}`,
      url: `https://mastodon.example/@sam/${i}`,
      title: null,
      text: `Acme post number ${i}`,
      author: '@sam@mastodon.example',
      publishedAt: new Date(Date.now() - (i + 1) * 60_000),
      dateQuality: 'exact',
      hashtags: [],
      handles: [],
      categories: [],
      engagement: null,
      authorFollowers,
      langHint: 'en',
    }));
    const prepared = await prepareMentions({
      items,
      sourceType: 'mastodon',
      fetchedAt: new Date(),
      isBacklog: false,
      scorer: createScorer(),
      matcher: compileWorkspace([{ id: brand, query: 'acme' }]),
    });
    await seed(t.deps, { workspaceId: ws.id, sourceId: src, sourceType: 'mastodon', mentions: prepared });
    const stored = (await t.request('GET', '/v1/mentions', { key: ws.key })).json.items as Array<{ text: string; authorFollowers: number | null }>;
    expect(stored.map((m) => [m.text, m.authorFollowers])).toEqual([
      ['Acme post number 0', 2_147_483_647],
      ['Acme post number 1', 1],
      ['Acme post number 2', null],
      ['Acme post number 3', null],
      ['Acme post number 4', 842],
    ]);
  });
});
