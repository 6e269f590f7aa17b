import { describe, expect, it } from 'vitest';
import { buildSwot } from '../../../src/domain/swot/index.js';
import { extractThemes, type BrandThemes, type ThemeBrand, type ThemeMention } from '../../../src/domain/themes/index.js';
import { splitClauses } from '../../../src/domain/themes/themes.clauses.js';

// A post naming two brands often says one thing of each. Its one stored label, and its every word,
// used to count for both: "The Lumen mobile app is excellent but the Kofi mobile app is terrible"
// (labelled negative) made Lumen "criticised for 'app is excellent'" (audit of the analytics, finding 1).

const BRANDS: ThemeBrand[] = [
  { id: 'lumen', name: 'Lumen', role: 'own', query: 'lumen OR #lumencoffee OR लुमेन OR லுமென் OR لومن' },
  { id: 'kofi', name: 'Kofi', role: 'competitor', query: 'kofi OR कोफ़ी OR கோஃபி OR کوفی' },
];

let seq = 0;
function post(brandIds: string[], text: string, lang: string, score: number): ThemeMention {
  seq++;
  const label = score >= 0.05 ? 'positive' : score <= -0.05 ? 'negative' : 'neutral';
  return { id: `p${String(seq).padStart(3, '0')}`, brandIds, title: null, text, lang, sentimentScore: score, label, occurredAt: new Date(Date.UTC(2026, 11, 1, seq)) };
}
const times = (n: number, make: () => ThemeMention) => Array.from({ length: n }, make);
const themesOf = (result: BrandThemes[], id: string) => result.find((b) => b.brandId === id)!.themes;

describe('a post that names two brands', () => {
  // The audit's six comparison posts, with the labels the scorer gave them as a whole.
  const comparisons = [
    ...times(3, () => post(['lumen', 'kofi'], 'The Lumen mobile app is excellent but the Kofi mobile app is terrible.', 'en', -0.42)),
    ...times(3, () => post(['lumen', 'kofi'], 'Lumen mobile app works great, Kofi mobile app keeps crashing, awful.', 'en', 0.3)),
  ];
  const result = extractThemes({ mentions: comparisons, previous: [], brands: BRANDS });

  it("gives each brand the terms of its own clauses only, with those clauses' sentiment", () => {
    const lumen = new Map(themesOf(result, 'lumen').map((t) => [t.theme, t]));
    const kofi = new Map(themesOf(result, 'kofi').map((t) => [t.theme, t]));
    expect(lumen.get('app is excellent')).toMatchObject({ mentions: 3, positive: 3, negative: 0 });
    expect(lumen.get('app works great')).toMatchObject({ mentions: 3, positive: 3, negative: 0 });
    expect(kofi.get('app is terrible')).toMatchObject({ mentions: 3, positive: 0, negative: 3 });
    expect(kofi.get('app keeps crashing')).toMatchObject({ mentions: 3, positive: 0, negative: 3 });
    for (const phrase of ['app is terrible', 'app keeps crashing', 'terrible', 'awful']) expect(lumen.has(phrase), phrase).toBe(false);
    for (const phrase of ['app is excellent', 'app works great']) expect(kofi.has(phrase), phrase).toBe(false);
    // "mobile app" is in both brands' clauses: all praise for Lumen, all criticism for Kofi.
    expect(lumen.get('mobile app')).toMatchObject({ mentions: 6, positive: 6, negative: 0 });
    expect(kofi.get('mobile app')).toMatchObject({ mentions: 6, positive: 0, negative: 6 });
  });

  it("samples a brand's praise and criticism by its own clauses' label", () => {
    const [lumen, kofi] = result;
    expect(lumen!.negativeSampleIds).toEqual([]);
    expect(lumen!.positiveSampleIds).toHaveLength(5);
    expect(kofi!.positiveSampleIds).toEqual([]);
  });

  it('no longer makes the competitor\'s criticism a weakness of the own brand in the SWOT', () => {
    // 20 mentions of each brand: the 6 comparisons, 2 posts praising Lumen's app, and filler.
    const filler = (brand: string, name: string, i: number) => post([brand], `${name} ${['aurora', 'basalt', 'cobalt', 'dune', 'ember', 'fjord', 'geyser'][i % 7]} ${i}x${brand}`, 'en', 0);
    const mentions = [
      ...comparisons,
      ...times(2, () => post(['lumen'], 'The Lumen mobile app is excellent, fast and easy to use', 'en', 0.8)),
      ...Array.from({ length: 12 }, (_, i) => filler('lumen', 'Lumen', i)),
      ...Array.from({ length: 14 }, (_, i) => filler('kofi', 'Kofi', i)),
    ];
    const themes = extractThemes({ mentions, previous: [], brands: BRANDS });
    const window = (id: string) => {
      const own = mentions.filter((m) => m.brandIds.includes(id));
      return { mentions: own.length, scored: own.length, netSentiment: 0 };
    };
    const swot = buildSwot({
      ownBrandId: 'lumen', brands: BRANDS, themes, since: '2026-11-30T00:00:00Z', until: '2026-12-07T00:00:00Z',
      shareOfVoice: { current: { lumen: 0.5, kofi: 0.5 }, previous: { lumen: 0.5, kofi: 0.5 }, mentions: { current: mentions.length, previous: mentions.length } },
      sentimentTrend: { lumen: { current: window('lumen'), previous: window('lumen') }, kofi: { current: window('kofi'), previous: window('kofi') } },
    });
    expect(swot.status).toBe('ok');
    expect(swot.weaknesses).toEqual([]);
    const excellent = swot.strengths.find((i) => i.theme === 'app is excellent');
    expect(excellent).toMatchObject({ rule: 'own_praised', evidence: { mentions: 5, scored: 5, netSentiment: 1 } });
    const app = swot.opportunities.find((i) => i.theme === 'mobile app');
    expect(app).toMatchObject({ rule: 'competitors_criticised', evidence: { mentions: 6, netSentiment: -1, brandIds: ['kofi'] } });
    expect(app!.summary).toBe('Kofi is criticised for "mobile app": net sentiment −1.00 across 6 mentions (6 negative), against +1.00 for Lumen.');
    expect(swot.threats.filter((i) => i.rule === 'competitors_praised')).toEqual([]);
  });
});

describe('clauses in every supported language', () => {
  // Lumen praised, Kofi criticised, in one sentence joined by that language's "but".
  const cases: Array<[string, string, number]> = [
    ['cs', 'Aplikace Lumen je skvělá, ale aplikace Kofi pořád padá', -0.3],
    ['cs', 'Aplikace Lumen je skvělá zatímco aplikace Kofi pořád padá', 0.2],
    ['fa', 'اپلیکیشن لومن عالی است اما اپلیکیشن کوفی افتضاح است', -0.5],
    ['fa', 'اپلیکیشن لومن عالی است ولی اپلیکیشن کوفی افتضاح است', -0.5],
    ['hi', 'लुमेन का ऐप शानदार है लेकिन कोफ़ी का ऐप बेकार है', -0.4],
    ['hi', 'लुमेन का ऐप शानदार है जबकि कोफ़ी का ऐप बेकार है', 0.1],
    ['ne', 'Lumen को एप राम्रो छ तर Kofi को एप बेकार छ', -0.4],
    ['gu', 'Lumen ની એપ સરસ છે પણ Kofi ની એપ ખરાબ છે', -0.4],
    ['gu', 'Lumen ની એપ સરસ છે જ્યારે Kofi ની એપ ખરાબ છે', 0.2],
    ['ta', 'லுமென் செயலி அருமை ஆனால் கோஃபி செயலி மோசம்', -0.5],
    ['ta', 'லுமென் செயலி அருமை ஆனாலும் கோஃபி செயலி மோசம்', -0.5],
  ];

  for (const [lang, text] of cases) {
    it(`cuts "${text}" (${lang}) into one clause for each brand`, () => {
      expect(splitClauses(text, lang)).toHaveLength(2);
    });
  }

  it("gives Lumen only praise and Kofi only criticism, whatever the post's label was", () => {
    const mentions = cases.flatMap(([lang, text, score]) => times(3, () => post(['lumen', 'kofi'], text, lang, score)));
    const result = extractThemes({ mentions, previous: [], brands: BRANDS });
    const lumen = themesOf(result, 'lumen');
    const kofi = themesOf(result, 'kofi');
    expect(lumen.length).toBeGreaterThan(5);
    expect(kofi.length).toBeGreaterThan(5);
    for (const theme of lumen) expect([theme.theme, theme.positive, theme.negative]).toEqual([theme.theme, theme.mentions, 0]);
    for (const theme of kofi) expect([theme.theme, theme.positive, theme.negative]).toEqual([theme.theme, 0, theme.mentions]);
  });

  it('leaves a clause that names no brand with the brand of the clause before it', () => {
    const mentions = times(3, () => post(['lumen', 'kofi'], 'Kofi delivery was quick. Lumen delivery took nine days. Never again, awful courier', 'en', -0.3));
    const [lumen, kofi] = extractThemes({ mentions, previous: [], brands: BRANDS });
    expect(lumen!.themes.map((t) => t.theme)).toEqual(expect.arrayContaining(['took nine days', 'awful courier']));
    expect(lumen!.themes.find((t) => t.theme === 'awful courier')).toMatchObject({ negative: 3 });
    expect(kofi!.themes.map((t) => t.theme)).toEqual(expect.arrayContaining(['delivery was quick']));
    for (const theme of ['took nine days', 'awful courier']) expect(kofi!.themes.map((t) => t.theme)).not.toContain(theme);
  });

  it('keeps the whole post, and its label, for every brand when each clause names them all', () => {
    const mentions = times(3, () => post(['lumen', 'kofi'], 'Lumen and Kofi both raised prices, terrible', 'en', -0.5));
    const result = extractThemes({ mentions, previous: [], brands: BRANDS });
    for (const brand of result) expect(brand.themes.find((t) => t.theme === 'raised prices')).toMatchObject({ mentions: 3, negative: 3 });
  });
});
