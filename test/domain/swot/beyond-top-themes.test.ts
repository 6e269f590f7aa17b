import { describe, expect, it } from 'vitest';
import { buildSwot } from '../../../src/domain/swot/index.js';
import { extractThemes, type ThemeBrand, type ThemeMention } from '../../../src/domain/themes/index.js';
import { PERIOD } from './scenario.js';

// At a few thousand mentions a brand has far more than its 100 top themes; a key below them used
// to read as "fewer than 3 mentions" (audit 2 of the analytics, finding 1).

const BRANDS: ThemeBrand[] = [
  { id: 'lumen', name: 'Lumen', role: 'own', query: 'lumen' },
  { id: 'kofi', name: 'Kofi', role: 'competitor', query: 'kofi' },
];

let seq = 0;
function post(brand: string, text: string, score: number): ThemeMention {
  seq++;
  const label = score >= 0.05 ? 'positive' : score <= -0.05 ? 'negative' : 'neutral';
  return { id: `m${String(seq).padStart(4, '0')}`, brandIds: [brand], title: null, text, lang: 'en', sentimentScore: score, label, occurredAt: new Date(Date.UTC(2026, 11, 1, 0, seq)) };
}
const times = (n: number, make: () => ThemeMention) => Array.from({ length: n }, make);

// 120 made-up topic words (letters only, so none is a stopword, number or verdict), 12 mentions each.
const LETTERS = 'bcdfghjklmnpqrstvwxz';
const TOPICS = Array.from({ length: 120 }, (_, i) => `zo${LETTERS[Math.floor(i / 20)]}${LETTERS[i % 20]}ax`);
const busyLumen = Array.from({ length: 12 }, (_, group) => TOPICS.slice(group * 10, group * 10 + 10))
  .flatMap((topics) => times(12, () => post('lumen', `Lumen: ${topics.join(', ')}.`, 0)));

describe('a brand with more than 100 themes', () => {
  const mentions = [
    ...busyLumen,
    // Lumen is as criticised for refunds as Kofi, and neutral on parking: 10 mentions of each,
    // fewer than any of its 120 busy topics, so neither is among its top 100 themes.
    ...times(10, () => post('lumen', 'Lumen refund, never again', -0.6)),
    ...times(10, () => post('lumen', 'Lumen parking', 0)),
    ...times(30, () => post('kofi', 'Kofi refund, never again', -0.6)),
    ...times(30, () => post('kofi', 'Kofi parking', -0.5)),
  ];
  const themes = extractThemes({ mentions, previous: [], brands: BRANDS });
  const swot = buildSwot({ ownBrandId: 'lumen', brands: BRANDS, themes, shareOfVoice: { current: {}, previous: {}, mentions: { current: 0, previous: 0 } }, sentimentTrend: {}, ...PERIOD });

  it('keeps the top 100 as themes and counts every supported key', () => {
    const lumen = themes.find((b) => b.brandId === 'lumen')!;
    expect(lumen.themes).toHaveLength(100);
    expect(lumen.themes.map((t) => t.key)).not.toContain('en:refund');
    expect(lumen.counts.get('en:refund')).toEqual({ mentions: 10, positive: 0, neutral: 0, negative: 10, previousMentions: 0 });
    expect(lumen.counts.get('en:park')).toMatchObject({ mentions: 10, neutral: 10 });
    expect(lumen.counts.has('en:never')).toBe(false);
  });

  it('finds no opportunity where the own brand is criticised as much, and says none is absent', () => {
    expect(swot.status).toBe('ok');
    const items = [...swot.opportunities, ...swot.threats];
    expect(items.filter((i) => i.theme === 'refund')).toEqual([]);
    for (const i of items) expect(i.summary).not.toContain('Lumen has fewer than');
  });

  it("compares a competitor's criticism with the own brand's real net sentiment on it", () => {
    const parking = swot.opportunities.filter((i) => i.theme === 'parking');
    expect(parking.map((i) => i.rule)).toEqual(['competitors_criticised']);
    expect(parking[0]!.summary).toBe('Kofi is criticised for "parking": net sentiment −1.00 across 30 mentions (30 negative), against 0.00 for Lumen.');
  });
});
