import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maintenanceHandlers } from '../../src/workers/maintenance.worker.js';
import { rss } from '../support/feed-server.js';
import { cleanupList, fetchNow, storedItems, upstreamAndStack } from './support.js';
import type { TestStack } from '../support/stack.js';
import type { Upstream } from './support.js';

// A workspace keeps mentions for `retentionDays`. Feeds keep old items (many keep 50–100): an
// item that retention deleted must not be stored again on the next poll that finds the feed
// changed, as a new mention, counted again and announced on the live stream again.

const cleanup = cleanupList();
let upstream: Upstream;
let s: TestStack;
let key: string;
beforeAll(async () => ({ upstream, s, key } = await upstreamAndStack(cleanup, 'Retention')));
afterAll(() => cleanup.run());

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);

describe('an item retention deleted, still in its feed', () => {
  it('is not stored, counted or announced again when the feed changes, and neither is an old item first seen after retention was set', async () => {
    const brand = (await s.request('POST', '/v1/brands', { key, body: { name: 'Acme', role: 'own', query: 'acme' } })).json.id as string;
    const items = [
      { guid: 'old', title: 'Acme outage again', description: 'Acme is down', pubDate: daysAgo(40).toUTCString() },
      { guid: 'recent', title: 'Acme is fine', description: 'Acme works', pubDate: daysAgo(2).toUTCString() },
    ];
    upstream.routes.set('/feed', { body: rss(items) });
    const source = (await s.request('POST', '/v1/sources', { key, body: { type: 'rss', url: upstream.url('/feed') } })).json.id as string;
    await fetchNow(s, key, source);
    expect((await storedItems(s, source)).map((r) => r.item_key).sort()).toEqual(['old', 'recent']);
    const trend = async () => {
      const res = await s.request('GET', `/v1/trends/sentiment?brand=${brand}&interval=week&since=${daysAgo(60).toISOString()}`, { key });
      return (res.json.series[0].buckets as Array<{ mentions: number }>).reduce((n, b) => n + b.mentions, 0);
    };
    expect(await trend()).toBe(2);

    expect((await s.request('PATCH', '/v1/workspace', { key, body: { retentionDays: 30 } })).status).toBe(200);
    expect(await maintenanceHandlers(s.services)['mentions.retention']({}, { log: s.services.log, job: {} as never, token: undefined })).toEqual({ deleted: 1 });
    const events = async () => Number((await s.db.selectFrom('mention_events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const eventsBefore = await events();

    // The feed changes: a new item, and an old one Earshot never saw.
    items.push({ guid: 'new', title: 'Acme launches', description: 'Acme news', pubDate: daysAgo(0).toUTCString() });
    items.push({ guid: 'archive', title: 'Acme history', description: 'Acme in the archive', pubDate: daysAgo(90).toUTCString() });
    upstream.routes.set('/feed', { body: rss(items) });
    await fetchNow(s, key, source);

    expect((await storedItems(s, source)).map((r) => r.item_key).sort()).toEqual(['new', 'recent']);
    expect(await events()).toBe(eventsBefore + 1);
    // The rollups keep what retention took (they outlive mentions), and count nothing twice.
    expect(await trend()).toBe(3);
  });
});
