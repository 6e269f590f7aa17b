import { describe, expect, it } from 'vitest';
import { createScorer } from '../../../src/domain/scoring/scorer.js';
import { buildSwot } from '../../../src/domain/swot/index.js';
import { extractThemes, termsOfMention, brandExclusions, type ThemeBrand, type ThemeMention } from '../../../src/domain/themes/index.js';
import { attributeClauses, brandNamer } from '../../../src/domain/themes/themes.clauses.js';

// In a switch, each brand has the words of its own slot: "After another cold BeanBros delivery I
// switched to Aroma Coffee" criticises BeanBros for the cold delivery and praises Aroma Coffee for
// nothing of it (audit of `npm run demo`, F2: the SWOT said "Aroma Coffee is praised for 'cold'").

const scorer = createScorer();
const BRANDS: ThemeBrand[] = [
  { id: 'aroma', name: 'Aroma Coffee', role: 'own', query: '"aroma coffee" OR #aromacoffee' },
  { id: 'beanbros', name: 'BeanBros', role: 'competitor', query: 'beanbros OR #beanbros' },
];
const namers = BRANDS.map(brandNamer);
const exclude = brandExclusions(BRANDS);

/** Each brand's terms in a post naming both, and its part in a switch. */
function partsOf(text: string) {
  const parts = attributeClauses({ title: null, text, lang: 'en' }, [0, 1], namers, (clause) => termsOfMention({ text: clause, lang: 'en' }, { exclude }));
  const of = (b: number) => ({ terms: parts[b]!.terms.map((t) => t.term), role: parts[b]!.switched?.role });
  return { aroma: of(0), beanbros: of(1) };
}

describe('the terms of a switch go to the slot they stand in', () => {
  it('the words before the move are the brand left’s, the verb neither’s, the words after it the switch’s', () => {
    const { aroma, beanbros } = partsOf('After another cold BeanBros delivery I switched to Aroma Coffee. Happy with the change so far.');
    expect(beanbros).toEqual({ role: 'left', terms: ['cold', 'delivery'] });
    expect(aroma).toEqual({ role: 'chosen', terms: [] });
  });

  it('words opened by "after" behind the brand chosen are the brand left’s', () => {
    const { aroma, beanbros } = partsOf('Switched from BeanBros to Aroma Coffee after the third cold delivery. Loving it.');
    expect(beanbros.terms).toEqual(expect.arrayContaining(['cold delivery', 'cold', 'delivery']));
    expect(aroma.terms).toEqual([]);
  });

  it('the reason for the brand chosen, in its slot, is the brand chosen’s only', () => {
    const { aroma, beanbros } = partsOf('Switched from BeanBros to Aroma Coffee for the oat milk');
    expect(aroma.terms).toEqual(['oat', 'oat milk', 'milk']);
    expect(beanbros.terms).toEqual([]);
    // A choice's reason after the brand left is no slot's: neither brand's.
    const choice = partsOf('Chose Aroma Coffee over BeanBros for the loyalty card');
    expect([choice.aroma.terms, choice.beanbros.terms]).toEqual([[], []]);
  });

  it('a clause that names both brands without switching still gives both its terms', () => {
    const { aroma, beanbros } = partsOf('Aroma Coffee and BeanBros both have slow delivery today');
    expect(aroma.role).toBeUndefined();
    expect(aroma.terms).toEqual(beanbros.terms);
  });
});

describe('the SWOT of switches to the own brand', () => {
  const at = (day: number) => new Date(Date.UTC(2026, 11, day, 9));
  const mention = (id: string, brandIds: string[], text: string, day: number): ThemeMention => {
    const { sentiment } = scorer.score({ title: null, text, langHint: 'en', ignore: ['aroma coffee', '#aromacoffee', 'beanbros', '#beanbros'] });
    return { id, brandIds, title: null, text, lang: 'en', sentimentScore: sentiment.score, label: sentiment.label, occurredAt: at(day) };
  };
  const SWITCHES = [
    'After another cold BeanBros delivery I switched to Aroma Coffee. Happy with the change so far.',
    'Switched from BeanBros to Aroma Coffee after the third cold delivery. Loving it.',
    'After one more cold BeanBros delivery we moved to Aroma Coffee. Great decision.',
    'After a cold BeanBros delivery yet again I switched to Aroma Coffee. Much happier now.',
    'Moved from BeanBros to Aroma Coffee after a cold delivery this morning. Very happy.',
    'After that cold BeanBros delivery on Monday I moved over to Aroma Coffee. No regrets.',
  ];
  const FILLER = ['pastries', 'espresso', 'terrace', 'playlist', 'cups', 'benches', 'wifi', 'menu', 'lighting', 'napkins'];
  const current: ThemeMention[] = [
    ...SWITCHES.map((text, i) => mention(`switch-${i}`, ['aroma', 'beanbros'], text, 1 + i)),
    ...Array.from({ length: 20 }, (_, i) => mention(`aroma-${i}`, ['aroma'], `Aroma Coffee ${FILLER[i % 10]} number ${i} today`, 1 + (i % 6))),
    ...Array.from({ length: 20 }, (_, i) => mention(`beanbros-${i}`, ['beanbros'], `BeanBros ${FILLER[i % 10]} number ${i} today`, 1 + (i % 6))),
  ];
  const window = (brand: string) => {
    const own = current.filter((m) => m.brandIds.includes(brand));
    return { mentions: own.length, scored: own.length, netSentiment: 0 };
  };
  const swot = buildSwot({
    ownBrandId: 'aroma',
    brands: BRANDS,
    themes: extractThemes({ mentions: current, previous: [], brands: BRANDS }),
    shareOfVoice: { current: { aroma: 0.5, beanbros: 0.5 }, previous: { aroma: 0.5, beanbros: 0.5 }, mentions: { current: current.length, previous: 0 } },
    sentimentTrend: Object.fromEntries(BRANDS.map((b) => [b.id, { current: window(b.id), previous: { mentions: 0, scored: 0, netSentiment: null } }])),
    since: at(1).toISOString(),
    until: at(8).toISOString(),
  });
  const items = [...swot.strengths, ...swot.weaknesses, ...swot.opportunities, ...swot.threats];

  it('never praises the own brand for the competitor’s complaint', () => {
    expect(swot.status).toBe('ok');
    expect(items.filter((i) => ['cold', 'delivery', 'cold delivery'].includes(i.theme) && i.evidence.brandIds.includes('aroma'))).toEqual([]);
  });

  it('reads the complaint as the competitor’s: an opportunity, evidenced by the switches', () => {
    const item = swot.opportunities.find((i) => i.theme === 'cold delivery' || i.theme === 'delivery');
    expect(item).toMatchObject({ rule: 'competitors_criticised', evidence: { brandIds: ['beanbros'], mentions: 6, netSentiment: -1 } });
    expect(item!.summary).toContain('Aroma Coffee has fewer than 3 mentions on it');
  });
});
