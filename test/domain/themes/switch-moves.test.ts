import { describe, expect, it } from 'vitest';
import { growth } from '../../support/timing.js';
import { createScorer } from '../../../src/domain/scoring/scorer.js';
import { createBrandReader, readingOf } from '../../../src/domain/themes/brand-readings.js';
import type { ThemeBrand } from '../../../src/domain/themes/index.js';
import { attributeClauses, brandNamer } from '../../../src/domain/themes/themes.clauses.js';

// Switches said without "from" (audit of `npm run demo`, F3): "Got a cold BeanBros delivery again,
// so I switched to Aroma Coffee" read BeanBros neutral, "Tired of the cold BeanBros delivery I now
// go to Aroma Coffee" read it positive. A clause saying the author moved to a brand, after words
// naming another, is a switch from that brand (docs/sentiment.md, "Switches").

const scorer = createScorer();
const BRANDS: Array<ThemeBrand & { query: string }> = [
  { id: 'kofi', name: 'BeanBros', role: 'competitor', query: 'beanbros OR kofi* OR کوفی OR कोफ़ी OR कोफी' },
  { id: 'lumen', name: 'Aroma Coffee', role: 'own', query: '"aroma coffee" OR lumen* OR لومن OR लुमेन' },
];
const reader = createBrandReader(BRANDS, scorer);
const namers = BRANDS.map(brandNamer);
const IGNORE = ['beanbros', 'kofi*', 'کوفی', 'कोफ़ी', 'कोफी', 'aroma coffee', 'lumen*', 'لومن', 'लुमेन'];

/** Each brand's label for a post naming both, scored as ingest scores it, in `lang`. */
function labels(text: string, lang: string) {
  const { lang: detected, sentiment } = scorer.score({ title: null, text, langHint: lang, ignore: IGNORE });
  const post = { label: sentiment.label, score: sentiment.score };
  const readings = reader.read({ title: null, text, lang: detected, ...post }, ['kofi', 'lumen']);
  return { kofi: readingOf(readings, 'kofi', post).label, lumen: readingOf(readings, 'lumen', post).label };
}

/** The roles of the two brands in the post's switch, if it has one. */
function roles(text: string, lang: string) {
  const parts = attributeClauses({ title: null, text, lang }, [0, 1], namers, () => [{ term: 'x', key: 'x' }]);
  return { kofi: parts[0]!.switched?.role, lumen: parts[1]!.switched?.role };
}

describe('a move to a brand after words naming another is a switch', () => {
  it.each([
    // The audit's posts.
    ['en', 'Tired of the cold BeanBros delivery I now go to Aroma Coffee. Very happy.'],
    ['en', 'Left BeanBros over the cold delivery and joined Aroma Coffee. Excellent choice.'],
    ['en', 'One more late BeanBros delivery and I moved to Aroma Coffee. Great decision.'],
    ['en', 'Got a cold BeanBros delivery again, so I switched to Aroma Coffee. Much happier now.'],
    // Across sentences, with a clause between, and other verbs.
    ['en', 'BeanBros delivery was late again. Waited an hour. So we switched to Aroma Coffee.'],
    ['en', 'Done with Kofi. Signed up with Lumen yesterday.'],
    ['en', 'Quit Kofi over the prices, went with Lumen'],
    ['en', 'Sick of the awful Kofi delivery I switched to Lumen'],
    ['en', 'Chose Lumen over Kofi'],
    ['cs', 'Další studená dodávka od Kofi, tak jsem přešel na Lumen.'],
    ['cs', 'Kofi mě zase zklamalo. Přešla jsem na Lumen.'],
    ['fa', 'کوفی دوباره سرد بود، به لومن مهاجرت کردم'],
    ['hi', 'कोफ़ी की डिलीवरी फिर ठंडी आई, इसलिए मैंने लुमेन पर स्विच किया'],
    ['hi', 'कोफ़ी से परेशान था। लुमेन पर शिफ्ट हो गया'],
  ])('%s: "%s" criticises the brand left and praises the brand chosen', (lang, text) => {
    expect(roles(text, lang)).toEqual({ kofi: 'left', lumen: 'chosen' });
    expect(labels(text, lang)).toEqual({ kofi: 'negative', lumen: 'positive' });
  });

  it('the brand left’s own words do not make the move a mistake', () => {
    // "awful" is said of Kofi's delivery: before, the switch's words read negative and voided it.
    expect(labels('After another awful Kofi delivery I switched to Lumen', 'en')).toEqual({ kofi: 'negative', lumen: 'positive' });
  });

  it('a brand’s own clause that reads the other way still decides its reading', () => {
    expect(labels('I love Kofi. Also switched to Lumen for tea.', 'en')).toEqual({ kofi: 'positive', lumen: 'positive' });
  });
});

describe('not a switch', () => {
  it.each([
    // The brand is not what the author went to: the park is.
    ['en', "BeanBros is cold. I went to the park with Aroma Coffee's mug"],
    // "went to" is a visit unless words leave the other brand.
    ['en', 'Kofi was closed. I went to Lumen.'],
    ['en', 'Kofi is great. I joined Lumen too.'],
    // An advert: a question, then an imperative.
    ['en', 'Tired of Kofi? Switch to Lumen!'],
    ['en', 'Tired of Kofi. Go to Lumen.'],
    // Someone else, or no move at all.
    ['en', 'Kofi was fine. My sister switched to Lumen.'],
    ['en', 'Kofi delivery was late. If I switched to Lumen would it be better'],
    ['en', 'Kofi delivery was late again. I never switched to Lumen though'],
    ['en', 'Kofi delivery was late again. I would have switched to Lumen'],
    ['en', 'Kofi delivery was late. Should I switch to Lumen?'],
    ['en', 'I prefer Lumen over Kofi'],
    // The brand chosen named before too: a comparison, not a move from it.
    ['en', 'Kofi and Lumen were both late. I switched to Lumen anyway'],
    ['cs', 'Kofi je drahé. Kamarád přešel na Lumen.'],
    ['cs', 'Kofi je drahé. Kdybych přešel na Lumen, ušetřím'],
    ['hi', 'कोफ़ी की डिलीवरी ठंडी आई। लुमेन पर स्विच करो'],
    ['fa', 'کوفی سرد بود. به لومن مهاجرت نکردم'],
  ])('%s: "%s"', (lang, text) => {
    expect(roles(text, lang)).toEqual({ kofi: undefined, lumen: undefined });
  });
});

describe('cost', () => {
  it('reads a long post full of move verbs and markers, in every table’s language, in linear time', () => {
    const long = (repeats: number) => `Kofi ${'so I switched to the park, went with به مهاجرت کردم पर स्विच किया přešel jsem na '.repeat(repeats)} the end Lumen`;
    const read = (repeats: number) => reader.read({ title: null, text: long(repeats), lang: 'en', label: 'neutral', score: 0 }, ['kofi', 'lumen']);
    expect(read(2_000)).toBeNull();
    // 250 → 2,000 repeats: about 8 times longer when linear, 64 when quadratic.
    expect(growth(read, 250).ratio).toBeLessThan(20);
  });
});
