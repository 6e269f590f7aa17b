import { describe, expect, it } from 'vitest';
import { buildSwot, type SwotInput } from '../../../src/domain/swot/index.js';
import { extractThemes, type ThemeMention } from '../../../src/domain/themes/index.js';
import { BRANDS, PERIOD, currentWindow, previousWindow, sentimentWindow, shareOfVoice, shares } from './scenario.js';

// One point, on the same mentions, sits in one quadrant (audit of `npm run demo`, F6: "loyalty
// card" was an opportunity, rising where the own brand is absent, and a threat, competitors
// praised for it, with the same five samples).

function swotOf(current: ThemeMention[]) {
  const previous = previousWindow();
  const input: SwotInput = {
    ownBrandId: 'acme',
    brands: BRANDS,
    themes: extractThemes({ mentions: current, previous, brands: BRANDS }),
    shareOfVoice: shareOfVoice(current, previous),
    sentimentTrend: Object.fromEntries(BRANDS.map((b) => [b.id, { current: sentimentWindow(current, b.id), previous: sentimentWindow(previous, b.id) }])),
    ...PERIOD,
  };
  return buildSwot(input);
}

/** Seven new posts of Beta on its loyalty app, each with its own words, at `score`. */
function loyaltyApp(score: number): ThemeMention[] {
  const verbs = ['Tried', 'Downloaded', 'Installed', 'Reviewed', 'Opened', 'Tested', 'Used'];
  return verbs.map((verb, i) => ({
    id: `b-app-${i + 1}`, brandIds: ['beta'], text: `${verb} the Beta loyalty app`, lang: 'en', sentimentScore: score,
    label: score > 0.05 ? 'positive' : score < -0.05 ? 'negative' : 'neutral', occurredAt: PERIOD.since,
  }));
}

describe('a competitor theme that is rising and judged', () => {
  it('praised, it is a threat only, not also an opportunity for being new', () => {
    const swot = swotOf([...currentWindow(), ...loyaltyApp(0.7)]);
    expect(swot.threats.filter((i) => i.theme === 'loyalty app').map((i) => i.rule)).toEqual(['competitors_praised']);
    expect(swot.opportunities.filter((i) => i.theme === 'loyalty app')).toEqual([]);
  });

  it('criticised or neutral, it stays an opportunity (one item in the quadrant)', () => {
    const criticised = swotOf([...currentWindow(), ...loyaltyApp(-0.7)]);
    expect(criticised.opportunities.filter((i) => i.theme === 'loyalty app')).toHaveLength(1);
    expect(criticised.threats.filter((i) => i.theme === 'loyalty app')).toEqual([]);
    const neutral = swotOf([...currentWindow(), ...loyaltyApp(0)]);
    expect(neutral.opportunities.filter((i) => i.theme === 'loyalty app').map((i) => i.rule)).toEqual(['rising_without_own']);
  });

  it('no theme stands in two quadrants with the same evidence', () => {
    for (const score of [0.7, -0.7, 0]) {
      const swot = swotOf([...currentWindow(), ...loyaltyApp(score)]);
      const quadrants = [swot.strengths, swot.weaknesses, swot.opportunities, swot.threats];
      const seen = new Map<string, string>();
      quadrants.forEach((items, q) => {
        for (const item of items) {
          const key = `${item.theme}|${item.evidence.sampleMentionIds.join(',')}`;
          expect(seen.get(key), `${item.theme} in quadrants ${seen.get(key)} and ${q}`).toBeUndefined();
          seen.set(key, String(q));
        }
      });
    }
  });
});
