import { describe, expect, it } from 'vitest';
import { extractThemes, type BrandThemes, type ThemeBrand, type ThemeMention } from '../../../src/domain/themes/index.js';
import { splitClauses } from '../../../src/domain/themes/themes.clauses.js';

// Comparison posts joined by "and", or written as a comparative, went whole to both brands, so each
// got the other's verdict (audit 2 of the analytics, findings 2, 3 and 6).

const BRANDS: ThemeBrand[] = [
  { id: 'lumen', name: 'Lumen', role: 'own', query: 'lumen OR लुमेन OR லுமென் OR لومن' },
  { id: 'kofi', name: 'Kofi', role: 'competitor', query: 'kofi OR कोफ़ी OR கோஃபி OR کوفی' },
];

let seq = 0;
function post(text: string, lang: string, score: number): ThemeMention {
  seq++;
  const label = score >= 0.05 ? 'positive' : score <= -0.05 ? 'negative' : 'neutral';
  return { id: `c${String(seq).padStart(3, '0')}`, brandIds: ['lumen', 'kofi'], title: null, text, lang, sentimentScore: score, label, occurredAt: new Date(Date.UTC(2026, 11, 1, seq)) };
}
/** Three copies of a post with the label the scorer gave it as a whole (from the audit). */
function themesOf(text: string, lang: string, score: number): Record<'lumen' | 'kofi', BrandThemes> {
  const [lumen, kofi] = extractThemes({ mentions: [0, 1, 2].map(() => post(text, lang, score)), previous: [], brands: BRANDS });
  return { lumen: lumen!, kofi: kofi! };
}
const counts = (brand: BrandThemes) => Object.fromEntries(brand.themes.map((t) => [t.theme, [t.positive, t.neutral, t.negative]]));

describe('a co-ordinating "and" between two brands', () => {
  it.each([
    ['en', 'The Lumen app is great and the Kofi app is awful.', ['The Lumen app is great', 'and the Kofi app is awful']],
    ['cs', 'Aplikace Lumen je výborná a aplikace Kofi je hrozná.', ['Aplikace Lumen je výborná', 'a aplikace Kofi je hrozná']],
    ['fa', 'اپلیکیشن لومن عالی است و اپلیکیشن کوفی افتضاح است.', ['اپلیکیشن لومن عالی است', 'و اپلیکیشن کوفی افتضاح است']],
    ['hi', 'लुमेन का ऐप बढ़िया है और कोफ़ी का ऐप बेकार है।', ['लुमेन का ऐप बढ़िया है', 'और कोफ़ी का ऐप बेकार है']],
    ['ne', 'लुमेनको एप राम्रो छ र कोफीको एप बेकार छ।', ['लुमेनको एप राम्रो छ', 'र कोफीको एप बेकार छ']],
    ['gu', 'લુમેનની એપ સરસ છે અને કોફીની એપ ખરાબ છે.', ['લુમેનની એપ સરસ છે', 'અને કોફીની એપ ખરાબ છે']],
    ['ta', 'லுமென் செயலி அருமை மற்றும் கோஃபி செயலி மோசம்.', ['லுமென் செயலி அருமை', 'மற்றும் கோஃபி செயலி மோசம்']],
  ])('cuts the %s post into a clause about each', (lang, text, clauses) => {
    expect(splitClauses(text, lang)).toEqual(clauses);
  });

  it.each([
    ['en', 'The Lumen app is great and the Kofi app is awful.', 0.27, { app: [3, 0, 0], 'app is great': [3, 0, 0] }, { app: [0, 0, 3], 'app is awful': [0, 0, 3] }],
    ['cs', 'Aplikace Lumen je výborná a aplikace Kofi je hrozná.', 0, { aplikace: [3, 0, 0] }, { aplikace: [0, 0, 3] }],
    ['fa', 'اپلیکیشن لومن عالی است و اپلیکیشن کوفی افتضاح است.', -0.1, { اپلیکیشن: [3, 0, 0] }, { اپلیکیشن: [0, 0, 3] }],
    ['hi', 'लुमेन का ऐप बढ़िया है और कोफ़ी का ऐप बेकार है।', 0.05, { ऐप: [3, 0, 0], 'ऐप बढ़िया': [3, 0, 0] }, { ऐप: [0, 0, 3], 'ऐप बेकार': [0, 0, 3] }],
  ])('gives each brand its own clause and its own verdict (%s)', (lang, text, score, lumen, kofi) => {
    const themes = themesOf(text, lang, score);
    expect(counts(themes.lumen)).toEqual(lumen);
    expect(counts(themes.kofi)).toEqual(kofi);
  });

  it("keeps a clause naming no brand with the brand before it: Lumen's app and website", () => {
    expect(splitClauses("Lumen's app and website are great, Kofi is slow", 'en')).toEqual(["Lumen's app", 'and website are great', 'Kofi is slow']);
    const themes = themesOf("Lumen's app and website are great, Kofi is slow", 'en', 0.3);
    expect(counts(themes.lumen)).toEqual({ app: [3, 0, 0], 'website are great': [3, 0, 0] });
    expect(counts(themes.kofi)).toEqual({ slow: [0, 0, 3] });
  });
});

describe('a comparison between two brands', () => {
  it.each([
    // "better" alone is a verdict, no theme (English valence 1.8 and up): the clause names a topic.
    ['en', 'Lumen delivery is much better than Kofi.', 0.44],
    ['cs', 'Lumen je mnohem lepší než Kofi.', 0.5],
    ['en', 'Unlike Kofi, Lumen delivers on time.', 0.3],
    ['en', 'Compared to Kofi, Lumen delivers on time.', 0.3],
  ])('gives the verdict to the winner only: %s %s', (lang, text, score) => {
    const { lumen, kofi } = themesOf(text, lang, score);
    expect(lumen.themes.length).toBeGreaterThan(0);
    expect(lumen.positiveSampleIds).toHaveLength(3);
    // Kofi is counted as mentioned, but neither praised nor given a word of the clause about Lumen.
    expect(kofi.mentions).toBe(3);
    expect(kofi.themes).toEqual([]);
    expect(kofi.positiveSampleIds).toEqual([]);
  });

  it('cuts at "vs" and at parentheses', () => {
    expect(splitClauses('Lumen (great app) vs Kofi (awful app)', 'en')).toEqual(['Lumen', 'great app', 'vs Kofi', 'awful app']);
    const { lumen, kofi } = themesOf('Lumen (great app) vs Kofi (awful app)', 'en', 0.1);
    expect(counts(lumen)).toEqual({ app: [3, 0, 0], 'great app': [3, 0, 0] });
    expect(counts(kofi)).toEqual({ app: [0, 0, 3], 'awful app': [0, 0, 3] });
  });

  it('still gives a clause after "Lumen vs. Kofi:" to both', () => {
    const { lumen, kofi } = themesOf('Lumen vs. Kofi: both are slow', 'en', -0.4);
    expect(counts(lumen)).toEqual({ slow: [0, 0, 3] });
    expect(counts(kofi)).toEqual({ slow: [0, 0, 3] });
  });
});

it('does not cut Hindi at पर, which is mostly "on"', () => {
  expect(splitClauses('कोफ़ी पर भरोसा नहीं लुमेन बढ़िया है', 'hi')).toEqual(['कोफ़ी पर भरोसा नहीं लुमेन बढ़िया है']);
  expect(splitClauses('कोफ़ी का ऐप बेकार है लेकिन लुमेन बढ़िया है', 'hi')).toEqual(['कोफ़ी का ऐप बेकार है', 'लेकिन लुमेन बढ़िया है']);
});
