import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateRule } from '../../src/domain/alerts/alerts.usecases.js';
import { rss, type FeedItem } from '../support/feed-server.js';
import { mention, seed } from '../support/seed.js';
import { createTestStack, type TestStack } from '../support/stack.js';
import { addSource, cleanupList, fetchNow, startUpstream, storedItems, type Upstream } from './support.js';

// RELIABILITY 8, second half: "a new source's backlog never counts as a spike". dates.test.ts shows
// the first poll is marked is_backlog; nothing showed that the alert evaluation then ignores it.
// Here a new feed's first poll brings 25 fresh negative mentions of a brand with quiet history
// (what adding a busy feed looks like): no alert. The same feed's next poll brings 25 more, which
// are news: that one alerts, so the first half of the test could fail.

const cleanup = cleanupList();
let s: TestStack;
let upstream: Upstream;
let receiver: Server;
let key: string;
let workspaceId: string;
let brandId: string;

beforeAll(async () => {
  upstream = await startUpstream();
  cleanup.add(() => upstream.close());
  receiver = createServer((_req, res) => res.writeHead(200).end('ok'));
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  cleanup.add(() => new Promise<void>((r) => receiver.close(() => r())));
  s = await createTestStack();
  cleanup.add(() => s.close());
  ({ key, id: workspaceId } = await s.workspace('Backlog'));
  const brand = await s.request('POST', '/v1/brands', { key, body: { name: 'Acme', role: 'own', query: 'acme' } });
  expect(brand.status, brand.text).toBe(201);
  brandId = brand.json.id;
  // The brand's history matched (none yet), as the tick would have had it done, so no rematch runs later.
  await s.services.queues.add('brands.rematch', { workspaceId, brandId });
  await s.drain();

  // Three weeks of quiet history from another source: 4–7 mentions an hour, one in five negative.
  const quiet = await s.services.sourceRepository.insert({
    workspaceId,
    type: 'rss',
    config: { url: 'http://127.0.0.1:9/quiet.xml' },
    credentials: null,
    host: '127.0.0.1',
    intervalSeconds: 900,
    enabled: false,
  });
  const now = Date.now();
  const history = [];
  for (let h = 21 * 24; h >= 2; h--) {
    const hour = Math.floor(now / 3_600_000 - h) * 3_600_000;
    for (let i = 0; i < 4 + (h % 4); i++) history.push(mention({ at: new Date(hour + i * 60_000), brands: [brandId], label: (h + i) % 5 === 0 ? 'negative' : 'neutral' }));
  }
  await seed(s.deps, { workspaceId, sourceId: quiet.id, mentions: history });
});
afterAll(() => cleanup.run());

/** 25 angry items about Acme, all dated in the last 20 minutes but before the current minute. */
function angry(prefix: string): FeedItem[] {
  const minute = Math.floor(Date.now() / 60_000) * 60_000;
  return Array.from({ length: 25 }, (_, i) => ({
    guid: `${prefix}-${i}`,
    title: `Acme ruined my order ${prefix} ${i}`,
    description: `Acme is terrible, awful and horrible. Worst service ever, I hate it. ${prefix} ${i}`,
    link: `https://angry.example.com/${prefix}/${i}`,
    pubDate: new Date(minute - (i + 1) * 45_000).toUTCString(),
  }));
}

async function evaluate(ruleId: string) {
  return evaluateRule({ ...s.deps, ruleId, now: new Date() });
}

describe("a new source's backlog", () => {
  it('25 fresh negative mentions from a new feed\'s first poll raise no alert; 25 more from its next poll do', async () => {
    const rule = await s.request('POST', '/v1/alert-rules', {
      key,
      body: { brandId, webhookUrl: `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`, windowMinutes: 30 },
    });
    expect(rule.status, rule.text).toBe(201);
    expect((await evaluate(rule.json.id)).action).not.toBe('open');

    const backlog = angry('backlog');
    upstream.routes.set('/angry', { body: rss(backlog) });
    const { id } = await addSource(s, key, { url: upstream.url('/angry'), intervalSeconds: 60 });
    await fetchNow(s, key, id);
    const first = await storedItems(s, id);
    expect(first).toHaveLength(25);
    expect(first.every((r) => r.is_backlog)).toBe(true);
    const negative = await s.db.selectFrom('mention_brands').select('mention_id').where('brand_id', '=', brandId).where('sentiment_label', '=', 'negative').execute();
    expect(negative.length).toBeGreaterThanOrEqual(25 + 1);

    expect((await evaluate(rule.json.id)).action).not.toBe('open');
    expect((await s.request('GET', '/v1/alerts', { key })).json.items).toEqual([]);

    // The next poll of the same feed: new items, not history.
    upstream.routes.set('/angry', { body: rss([...angry('news'), ...backlog]) });
    await fetchNow(s, key, id);
    expect((await storedItems(s, id)).filter((r) => !r.is_backlog)).toHaveLength(25);
    expect((await evaluate(rule.json.id)).action).toBe('open');
    const alerts = (await s.request('GET', '/v1/alerts', { key })).json.items;
    expect(alerts).toHaveLength(1);
    expect(alerts[0].observed).toBe(25);
  });
});
