import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { competitorSwot } from '../../../src/domain/swot/swot.usecases.js';
import { createTestApp, type TestApp } from '../../support/app.js';
import { mention, seed } from '../../support/seed.js';

// Copies of one text (the demo republishes its samples under new ids; bots and cross-posts do the
// same) count once per window in the SWOT's themes, and its evidence shows distinct texts (audit of
// `npm run demo`, F4 and F5: a threat "BeanBros is praised for 'कॉफ़ी'" from one Hindi post
// repeated, and samples 36, 1214 of one text).

const HOUR = 3_600_000;
const since = new Date('2026-03-02T00:00:00Z');
const until = new Date('2026-03-09T00:00:00Z');
const previousSince = new Date('2026-02-23T00:00:00Z');
const at = (from: Date, i: number) => new Date(from.getTime() + (i + 1) * HOUR);

// Words used once each, so filler never makes a theme.
const WORDS = [
  'umbrella', 'giraffe', 'lantern', 'pebble', 'violin', 'compass', 'meadow', 'saddle', 'harbor', 'quartz', 'walnut',
  'orchid', 'tundra', 'biscuit', 'falcon', 'glacier', 'hammock', 'igloo', 'jasmine', 'kettle', 'lobster', 'mosaic',
  'nectar', 'oyster', 'parrot', 'quiver', 'raven', 'sequoia', 'trellis', 'urchin', 'velvet', 'walrus', 'yonder',
  'zephyr', 'anchor', 'banjo', 'cactus', 'dolphin', 'ember', 'fjord',
];

// One complaint posted three times (links, a handle, case and spacing differ), another twice, and three more.
const QUEUE = [
  ['The queue at Aroma Coffee was painfully slow https://t.co/a1', -0.9],
  ['the queue at  Aroma Coffee was painfully slow @barista https://t.co/a2', -0.9],
  ['THE QUEUE AT AROMA COFFEE WAS PAINFULLY SLOW', -0.9],
  ['Aroma Coffee queue out of the door again', -0.8],
  ['Aroma Coffee queue out of the door again https://example.com/p/7', -0.8],
  ['Twenty minutes in the Aroma Coffee queue this morning', -0.5],
  ['Aroma Coffee queue moved at a snail pace', -0.5],
  ['The Aroma Coffee queue is a daily pain', -0.5],
] as const;
const HINDI = 'बीनब्रोस की कॉफ़ी बहुत अच्छी है';

let t: TestApp;
let workspaceId: string;
let own: string;
let rival: string;
const textOf = new Map<string, string>();

beforeAll(async () => {
  t = await createTestApp();
  const ws = await t.workspace('Copies');
  workspaceId = ws.id;
  own = (await t.request('POST', '/v1/brands', { key: ws.key, body: { name: 'Aroma Coffee', role: 'own', query: '"aroma coffee"' } })).json.id;
  rival = (await t.request('POST', '/v1/brands', { key: ws.key, body: { name: 'BeanBros', role: 'competitor', query: 'beanbros OR बीनब्रोस' } })).json.id;
  const sourceId = (await t.request('POST', '/v1/sources', { key: ws.key, body: { type: 'rss', url: 'http://127.0.0.1:9/copies.xml' } })).json.id;
  let word = 0;
  await seed(t.deps, {
    workspaceId,
    sourceId,
    mentions: [
      ...QUEUE.map(([text, score], i) => mention({ at: at(since, i), brands: [own], label: 'negative', score, text })),
      ...Array.from({ length: 20 }, (_, i) => mention({ at: at(since, 10 + i), brands: [own], text: `Aroma Coffee ${WORDS[word++ % WORDS.length]} ${i}` })),
      // The same Hindi praise five times: once it counts, it is one mention, too few for a theme.
      ...Array.from({ length: 5 }, (_, i) => mention({ at: at(since, 40 + i), brands: [rival], label: 'positive', lang: 'hi', text: HINDI })),
      ...Array.from({ length: 20 }, (_, i) => mention({ at: at(since, 50 + i), brands: [rival], text: `BeanBros ${WORDS[word++ % WORDS.length]} ${i}` })),
      ...Array.from({ length: 3 }, (_, i) => mention({ at: at(previousSince, i), brands: [own], text: `Aroma Coffee last week ${i}` })),
    ],
  });
  const rows = await t.deps.db.selectFrom('mentions').select(['id', 'text']).where('workspace_id', '=', workspaceId).execute();
  for (const row of rows) textOf.set(String(row.id), row.text);
});
afterAll(async () => t.close());

const swot = () => competitorSwot({ workspaceId, brandId: own, since, until, brandRepository: t.deps.brandRepository, analyticsRepository: t.deps.analyticsRepository });
const fold = (text: string) => text.toLowerCase().replace(/https?:\/\/\S+|@\w+/g, ' ').replace(/\s+/g, ' ').trim();

describe('copies of one text in the SWOT', () => {
  it('count once: a post repeated five times makes no theme', async () => {
    const answer = await swot();
    expect(answer.status).toBe('ok');
    const items = [...answer.strengths, ...answer.weaknesses, ...answer.opportunities, ...answer.threats];
    expect(items.filter((i) => i.theme.includes('कॉफ़ी') || i.theme.includes('अच्छी'))).toEqual([]);
  });

  it('count once in a theme’s mentions, and its evidence is distinct texts, strongest first', async () => {
    const weakness = (await swot()).weaknesses.find((i) => i.theme === 'queue');
    expect(weakness).toMatchObject({ rule: 'own_criticised', evidence: { mentions: 5, scored: 5, netSentiment: -1 } });
    const texts = weakness!.evidence.sampleMentionIds.map((id) => fold(textOf.get(id)!));
    expect(texts).toHaveLength(5);
    expect(new Set(texts).size).toBe(5);
    // The three copies of the strongest complaint: the newest stands for them.
    expect(weakness!.evidence.sampleMentionIds[0]).toBe([...textOf].find(([, text]) => text === QUEUE[2][0])![0]);
  });

  it('are still read: the sample counts every mention of the window', async () => {
    expect((await swot()).sample).toEqual({ sampled: false, limit: 50_000, mentions: 53, of: 53, previousMentions: 3, previousOf: 3 });
  });
});
