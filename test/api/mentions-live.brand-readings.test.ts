import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mention } from '../../src/domain/mentions/mentions.usecases.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { mention, seed } from '../support/seed.js';
import { collectEvents } from '../support/sse.js';
import { cleanupList, waitUntil } from '../reliability/support.js';

// The audit: a live stream resumed with Last-Event-ID, and the catch-up sweep that reads the same
// events, filtered `brand=` + `sentiment=` on the post's own label. A post praising one brand and
// criticising another was lost to the first brand's "positive" stream and sent to its "negative"
// one. The list, the export and the live path take the brand's reading; so must the replay.

const HEARTBEAT_MS = 200;
const cleanup = cleanupList();
let t: TestApp;
let base: string;
let key: string;
let workspaceId: string;
let sourceId: string;
let acme: string;
let airtel: string;

beforeAll(async () => {
  t = await createTestApp({ config: { LIVE_HEARTBEAT_MS: String(HEARTBEAT_MS) } });
  cleanup.add(() => t.close());
  ({ key, id: workspaceId } = await t.workspace('Comparative posts'));
  acme = (await t.request('POST', '/v1/brands', { key, body: { name: 'Acme Coffee', role: 'own', query: '"acme coffee"' } })).json.id;
  airtel = (await t.request('POST', '/v1/brands', { key, body: { name: 'Airtel', role: 'competitor', query: 'airtel' } })).json.id;
  sourceId = (await t.request('POST', '/v1/sources', { key, body: { type: 'rss', url: 'http://127.0.0.1:9/comparative.xml' } })).json.id;
  // A real HTTP server: the stream is read as a client reads it, over a socket.
  const server = serve({ hostname: '127.0.0.1', port: 0, fetch: t.app.fetch });
  cleanup.add(() => new Promise<void>((resolve) => server.close(() => resolve())));
  await new Promise<void>((resolve) => (server.listening ? resolve() : server.once('listening', () => resolve())));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => cleanup.run());

/** Two posts, each negative as a whole: one praises `praised` and criticises `criticised`, in that brand's reading. */
function comparative(text: string, praised: string, criticised: string) {
  return mention({
    at: new Date(Date.now() - 60_000),
    brands: [acme, airtel],
    text,
    label: 'negative',
    score: -0.85,
    brandSentiments: { [praised]: { label: 'positive', score: 0.81 }, [criticised]: { label: 'negative', score: -0.92 } },
  });
}

async function openStream(query: string, lastEventId?: string) {
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
  const res = await fetch(`${base}/v1/mentions/live?${query}`, { headers });
  expect(res.status).toBe(200);
  const stream = collectEvents<Mention>(res);
  cleanup.add(() => stream.close());
  return stream;
}

const FILTERS = () => [
  { name: 'Acme positive', query: `brand=${acme}&sentiment=positive` },
  { name: 'Acme negative', query: `brand=${acme}&sentiment=negative` },
  { name: 'Airtel positive', query: `brand=${airtel}&sentiment=positive` },
  { name: 'Airtel negative', query: `brand=${airtel}&sentiment=negative` },
];

/** What the list answers for the same filters: the texts, oldest first, as a stream sends them. */
async function listed(query: string, texts: readonly string[]): Promise<string[]> {
  const res = await t.request('GET', `/v1/mentions?${query}&limit=100`, { key });
  expect(res.status).toBe(200);
  return (res.json.items as Mention[]).map((m) => m.text).filter((text) => texts.includes(text)).reverse();
}

describe("a live stream filtered by brand and sentiment takes the brand's reading", () => {
  it('when it resumes with Last-Event-ID: each brand\'s stream replays the posts that praise or criticise that brand, as the list has them', async () => {
    const [before] = await seed(t.deps, { workspaceId, sourceId, mentions: [mention({ at: new Date(Date.now() - 120_000), brands: [acme], text: 'Acme Coffee opened a shop' })] });
    const event = await t.db.selectFrom('mention_events').select('seq').where('mention_id', '=', before!.id as never).executeTakeFirstOrThrow();
    const lastSeen = String(event.seq);
    const acmeGood = 'Acme Coffee is excellent and wonderful, but the Airtel network is terrible, awful and broken.';
    const airtelGood = 'Airtel is excellent and wonderful, but Acme Coffee is terrible, awful and disgusting.';
    await seed(t.deps, { workspaceId, sourceId, mentions: [comparative(acmeGood, acme, airtel)] });
    await seed(t.deps, { workspaceId, sourceId, mentions: [comparative(airtelGood, airtel, acme)] });

    const expected: Record<string, string[]> = {
      'Acme positive': [acmeGood],
      'Acme negative': [airtelGood],
      'Airtel positive': [airtelGood],
      'Airtel negative': [acmeGood],
    };
    for (const { name, query } of FILTERS()) {
      const stream = await openStream(query, lastSeen);
      // The replay is sent before the stream goes live; its first heartbeat comes after it.
      await waitUntil(`${name}: the replay`, () => stream.comments.includes('heartbeat'), 5_000, 10);
      expect(stream.events.map((e) => e.data.text), name).toEqual(expected[name]);
      expect(await listed(query, [acmeGood, airtelGood]), `${name}: the list`).toEqual(expected[name]);
      await stream.close();
    }
  });

  it('when the catch-up sweep finds events stored but never published: each brand\'s stream gets the posts of its reading', async () => {
    const streams = await Promise.all(FILTERS().map(async (f) => ({ ...f, stream: await openStream(f.query) })));
    const acmeGood = 'Acme Coffee beats Airtel: the coffee is great, the network is awful.';
    const airtelGood = 'Airtel is great; Acme Coffee is awful.';
    // Stored as a poll stores them, but not published (as when the publishing process dies).
    await seed(t.deps, { workspaceId, sourceId, mentions: [comparative(acmeGood, acme, airtel), comparative(airtelGood, airtel, acme)] });

    const expected: Record<string, string[]> = {
      'Acme positive': [acmeGood],
      'Acme negative': [airtelGood],
      'Airtel positive': [airtelGood],
      'Airtel negative': [acmeGood],
    };
    for (const { name, stream } of streams) await waitUntil(`${name}: the swept post`, () => stream.events.length > 0, 5_000, 10);
    // A few heartbeats more: nothing else is swept in.
    await new Promise((r) => setTimeout(r, 4 * HEARTBEAT_MS));
    for (const { name, stream } of streams) expect(stream.events.map((e) => e.data.text), name).toEqual(expected[name]);
    for (const { stream } of streams) await stream.close();
  });
});
