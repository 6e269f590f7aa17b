import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shareOfVoice } from '../../../src/domain/analytics/analytics.usecases.js';
import { SWOT_SAMPLE, competitorSwot } from '../../../src/domain/swot/swot.usecases.js';
import { createTestApp, type TestApp } from '../../support/app.js';
import { mention, seed } from '../../support/seed.js';

// SWOT themes are drawn from at most the newest `sampleLimit` mentions of each window; the
// answer says how many it read of how many the period holds.

const HOUR = 3_600_000;
const since = new Date('2026-03-02T00:00:00Z');
const until = new Date('2026-03-09T00:00:00Z');
const previousSince = new Date('2026-02-23T00:00:00Z');

let t: TestApp;
let workspaceId: string;
let own: string;

beforeAll(async () => {
  t = await createTestApp();
  const ws = await t.workspace('Sampled');
  workspaceId = ws.id;
  const key = ws.key;
  own = (await t.request('POST', '/v1/brands', { key, body: { name: 'Acme', role: 'own', query: 'acme' } })).json.id;
  const rival = (await t.request('POST', '/v1/brands', { key, body: { name: 'Globex', role: 'competitor', query: 'globex' } })).json.id;
  const sourceId = (await t.request('POST', '/v1/sources', { key, body: { type: 'rss', url: 'http://127.0.0.1:9/sample.xml' } })).json.id;
  const at = (from: Date, i: number) => new Date(from.getTime() + (i + 1) * HOUR);
  await seed(t.deps, {
    workspaceId,
    sourceId,
    mentions: [
      // The period: 8 of Acme and 4 of Globex, one brand each. The window before: 3 of Acme.
      ...Array.from({ length: 8 }, (_, i) => mention({ at: at(since, i), brands: [own], label: 'positive', text: `Acme post ${i}` })),
      ...Array.from({ length: 4 }, (_, i) => mention({ at: at(since, 20 + i), brands: [rival], label: 'negative', text: `Globex post ${i}` })),
      ...Array.from({ length: 3 }, (_, i) => mention({ at: at(previousSince, i), brands: [own], label: 'neutral', text: `Acme old post ${i}` })),
    ],
  });
});
afterAll(async () => t.close());

const swotOf = (sampleLimit?: number) =>
  competitorSwot({ workspaceId, brandId: own, since, until, brandRepository: t.deps.brandRepository, analyticsRepository: t.deps.analyticsRepository, ...(sampleLimit ? { sampleLimit } : {}) });

describe('the SWOT sample', () => {
  it('reads at most 50,000 mentions per window by default, and says it read them all', async () => {
    expect(SWOT_SAMPLE).toBe(50_000);
    expect((await swotOf()).sample).toEqual({ sampled: false, limit: 50_000, mentions: 12, of: 12, previousMentions: 3, previousOf: 3 });
  });

  it('with a cap of 5, says it sampled 5 of the 12 mentions in the period', async () => {
    const swot = await swotOf(5);
    expect(swot.sample).toEqual({ sampled: true, limit: 5, mentions: 5, of: 12, previousMentions: 3, previousOf: 3 });
  });

  it('with a cap below the window before, says that window was sampled too', async () => {
    expect((await swotOf(2)).sample).toEqual({ sampled: true, limit: 2, mentions: 2, of: 12, previousMentions: 2, previousOf: 3 });
  });

  it('counts as share of voice does: `of` is its total for the period', async () => {
    const { total } = await shareOfVoice({ workspaceId, since, until, analyticsRepository: t.deps.analyticsRepository });
    expect((await swotOf(5)).sample.of).toBe(total);
  });
});
