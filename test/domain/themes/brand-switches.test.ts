import { describe, expect, it } from 'vitest';
import { growth } from '../../support/timing.js';
import { createScorer } from '../../../src/domain/scoring/scorer.js';
import { createBrandReader, readingOf } from '../../../src/domain/themes/brand-readings.js';
import { extractThemes, type ThemeBrand, type ThemeMention } from '../../../src/domain/themes/index.js';
import { SWITCH_SCORE } from '../../../src/domain/themes/themes.readings.js';

// "Switched from Kofi to Lumen" is churn: criticism of the brand left, praise of the brand chosen
// (docs/sentiment.md, "Switches"). Before it, one clause naming both brands read the same for both.

const scorer = createScorer();
// Prefix terms: Czech names inflect (z Kofiho, na Lumenu), and the namers find them as matching does.
const BRANDS: Array<ThemeBrand & { query: string }> = [
  { id: 'kofi', name: 'Kofi', role: 'competitor', query: 'kofi* OR کوفی OR कोफ़ी OR कोफी OR કોફી OR كوفي' },
  { id: 'lumen', name: 'Lumen', role: 'own', query: 'lumen* OR لومن OR लुमेन OR લ્યુમેન OR لومين' },
];
const reader = createBrandReader(BRANDS, scorer);
const IGNORE = ['kofi*', 'lumen*', 'کوفی', 'لومن', 'कोफ़ी', 'कोफी', 'लुमेन', 'કોફી', 'લ્યુમેન', 'كوفي', 'لومين'];

/** Each brand's label for a post naming both, scored as ingest scores it, in `lang`. */
function labels(text: string, lang: string) {
  const { lang: detected, sentiment } = scorer.score({ title: null, text, langHint: lang, ignore: IGNORE });
  const post = { label: sentiment.label, score: sentiment.score };
  const readings = reader.read({ title: null, text, lang: detected, ...post }, ['kofi', 'lumen']);
  return { kofi: readingOf(readings, 'kofi', post).label, lumen: readingOf(readings, 'lumen', post).label, post: post.label };
}

/** Switches from Kofi to Lumen; `swap` gives the same post from Lumen to Kofi. */
const FROM_KOFI_TO_LUMEN: Array<[lang: string, text: string]> = [
  ['en', 'Switched from Kofi to Lumen last week'],
  ['en', 'We moved from Kofi to Lumen'],
  ['en', 'Migrated our team from Kofi over to Lumen'],
  ['en', 'Switched to Lumen from Kofi to save money'],
  ['en', 'After Kofi raised prices I switched to Lumen'],
  ['en', 'Left Kofi for Lumen'],
  ['en', 'Ditched Kofi for Lumen'],
  ['en', 'Dropped Kofi for Lumen'],
  ['en', 'Replaced Kofi with Lumen'],
  ['en', 'Made the switch from Kofi to Lumen'],
  ['en', 'Kofi → Lumen'],
  ['en', 'Kofi -> Lumen'],
  ['cs', 'Přešel jsem z Kofiho na Lumen'],
  ['cs', 'Přešla jsem z Kofi na Lumen'],
  ['cs', 'Přešli jsme z Kofi na Lumen'],
  ['cs', 'Z Kofiho jsem přešel na Lumen'],
  ['cs', 'Přešel jsem na Lumen z Kofi'],
  ['cs', 'Vyměnil jsem Kofi za Lumen'],
  ['cs', 'Vyměnila jsem Kofi za Lumen'],
  ['fa', 'از کوفی به لومن مهاجرت کردم'],
  ['fa', 'از کوفی به لومن سوییچ کردم'],
  ['fa', 'از کوفی به لومن رفتم'],
  ['fa', 'کوفی رو با لومن عوض کردم'],
  ['hi', 'मैंने कोफ़ी से लुमेन पर स्विच किया'],
  ['hi', 'कोफी से लुमेन पर शिफ्ट हो गया'],
  ['hi', 'कोफ़ी छोड़कर लुमेन ले लिया'],
  ['ne', 'कोफी छोडेर लुमेन लिएँ'],
  ['gu', 'કોફી છોડીને લ્યુમેન લીધું'],
  ['es', 'Me cambié de Kofi a Lumen'],
  ['es', 'Dejé Kofi por Lumen'],
  ['pt', 'Mudei de Kofi para Lumen'],
  ['pt', 'Troquei Kofi por Lumen'],
  ['de', 'Ich bin von Kofi zu Lumen gewechselt'],
  ['de', 'Ich habe Kofi durch Lumen ersetzt'],
  ['fr', 'Je suis passé de Kofi à Lumen'],
  ['fr', "J'ai quitté Kofi pour Lumen"],
  ['ar', 'انتقلت من كوفي إلى لومين'],
];

const SWAP: Record<string, string> = {
  Kofi: 'Lumen', Lumen: 'Kofi', Kofiho: 'Lumenu', کوفی: 'لومن', لومن: 'کوفی', कोफ़ी: 'लुमेन', कोफी: 'लुमेन', लुमेन: 'कोफी',
  કોફી: 'લ્યુમેન', લ્યુમેન: 'કોફી', كوفي: 'لومين', لومين: 'كوفي',
};
const swap = (text: string) => text.replace(/[\p{L}\p{M}]+/gu, (word) => SWAP[word] ?? word);

describe('a switch from one brand to another', () => {
  it.each(FROM_KOFI_TO_LUMEN)('%s: "%s" criticises the brand left and praises the brand chosen', (lang, text) => {
    expect(labels(text, lang)).toMatchObject({ kofi: 'negative', lumen: 'positive' });
  });

  it.each(FROM_KOFI_TO_LUMEN.map(([lang, text]) => [lang, swap(text)]))('%s, the other way: "%s"', (lang, text) => {
    expect(labels(text, lang)).toMatchObject({ kofi: 'positive', lumen: 'negative' });
  });

  it.each([
    ['cs', 'Přešel jsem z Kofiho do Lumenu', { kofi: 'negative', lumen: 'positive' }],
    ['cs', 'Přešli jsme z Kofi do Lumenu kvůli poplatkům', { kofi: 'negative', lumen: 'positive' }],
    ['cs', 'Přešla jsem z Lumenu do Kofi', { kofi: 'positive', lumen: 'negative' }],
  ])('%s: "%s" moves "do" (into) a brand as into a bank or a shop', (lang, text, readings) => {
    expect(labels(text, lang)).toMatchObject(readings);
  });

  it('is as strong as its words, and at least a plain "good"', () => {
    const read = (text: string) => {
      const { sentiment } = scorer.score({ title: null, text, langHint: 'en', ignore: IGNORE });
      return reader.read({ title: null, text, lang: 'en', label: sentiment.label, score: sentiment.score }, ['kofi', 'lumen'])!;
    };
    expect(read('Switched from Kofi to Lumen')).toEqual({ kofi: { label: 'negative', score: -SWITCH_SCORE }, lumen: { label: 'positive', score: SWITCH_SCORE } });
    const loved = read('Switched from Kofi to Lumen and love it');
    expect(loved.kofi!.score).toBeLessThan(-SWITCH_SCORE);
    // The post's own reading, which Lumen's equals, is left out of the readings.
    expect(loved.lumen).toBeUndefined();
  });

  it('takes a title that names no brand as the switch’s words too', () => {
    const text = 'switched from Kofi to Lumen';
    const title = 'Best decision ever';
    const { lang, sentiment } = scorer.score({ title, text, langHint: 'en', ignore: IGNORE });
    const readings = reader.read({ title, text, lang, label: sentiment.label, score: sentiment.score }, ['kofi', 'lumen']);
    expect(sentiment.label).toBe('positive');
    expect(readings?.kofi?.label).toBe('negative');
    expect(readingOf(readings, 'lumen', sentiment).label).toBe('positive');
  });
});

describe('words say otherwise', () => {
  it.each([
    ['en', 'Switched from Kofi to Lumen and regret it'],
    ['en', 'Moved from Kofi to Lumen, big mistake'],
    ['cs', 'Přešel jsem z Kofi na Lumen a lituju toho'],
    ['cs', 'Přešla jsem z Kofi na Lumen, hrozná chyba'],
    // "velká" (big) read as praise and outweighed the mistake, until it became an intensifier.
    ['cs', 'Přešel jsem z Kofi na Lumen, velká chyba'],
    ['fa', 'از کوفی به لومن مهاجرت کردم و پشیمان هستم'],
    ['fa', 'از کوفی به لومن مهاجرت کردم، اشتباه بزرگی بود'],
    ['hi', 'मैंने कोफ़ी से लुमेन पर स्विच किया, बड़ी गलती थी'],
    ['hi', 'कोफ़ी से लुमेन पर स्विच किया और पछता रहा हूँ'],
  ])('%s: a switch whose words are negative reads as written: "%s"', (lang, text) => {
    // Lumen, the brand chosen, is not praised: the post regrets the move.
    expect(labels(text, lang)).toEqual({ kofi: 'negative', lumen: 'negative', post: 'negative' });
  });

  it.each([
    ['en', 'Left Kofi for Lumen, the queues were killing me'],
    ['en', 'Switched from Kofi to Lumen, the wait times were awful'],
    ['cs', 'Přešel jsem z Kofiho na Lumen, ty fronty byly hrozné'],
    ['fa', 'از کوفی به لومن مهاجرت کردم، صف‌ها افتضاح بود'],
  ])('%s: negative words that regret nothing are why the author left: "%s"', (lang, text) => {
    // Before, any negative word undid the switch and Lumen, the brand chosen, read negative too.
    expect(labels(text, lang)).toMatchObject({ kofi: 'negative', lumen: 'positive' });
  });

  it('"worse" after the move regrets it', () => {
    expect(labels('Moved from Kofi to Lumen, the coffee is worse', 'en')).toMatchObject({ kofi: 'negative', lumen: 'negative' });
    expect(labels('Switched from Kofi to Lumen and it\'s worse', 'en')).toMatchObject({ kofi: 'negative', lumen: 'negative' });
    expect(labels('Switched to Lumen and it\'s worse', 'en')).toMatchObject({ lumen: 'negative' });
    expect(labels('Přešel jsem z Kofi na Lumen a je to horší', 'cs')).toMatchObject({ kofi: 'negative', lumen: 'negative' });
    expect(labels('Me cambié de Kofi a Lumen y es peor', 'es')).toMatchObject({ kofi: 'negative', lumen: 'negative' });
    expect(labels('از کوفی به لومن مهاجرت کردم و بدتر شد', 'fa')).toMatchObject({ kofi: 'negative', lumen: 'negative' });
    // "After" in a clause of its own says when, not why.
    expect(labels("Switched from Kofi to Lumen and after a week it's worse", 'en')).toMatchObject({ kofi: 'negative', lumen: 'negative' });
  });

  it.each([
    ['en', 'Kofi got worse, so I switched to Lumen'],
    ['en', 'The coffee got worse, so I switched from Kofi to Lumen'],
    ['en', 'Worse coffee every week, so I switched from Kofi to Lumen'],
    ['en', 'Switched from Kofi to Lumen after Kofi got worse'],
    ['en', 'Moved from Kofi to Lumen since the service got worse'],
    ['cs', 'Káva byla čím dál horší, tak jsem přešel z Kofi na Lumen'],
    ['cs', 'Přešel jsem z Kofi na Lumen, protože káva byla čím dál horší'],
    ['es', 'El café era cada vez peor, así que me cambié de Kofi a Lumen'],
    ['es', 'Me cambié de Kofi a Lumen porque el café era cada vez peor'],
    ['pt', 'Mudei de Kofi para Lumen porque o café ficou pior'],
    ['de', 'Ich bin von Kofi zu Lumen gewechselt, weil der Kaffee schlechter wurde'],
    ['fr', 'Je suis passé de Kofi à Lumen parce que le café était pire'],
    ['fa', 'قهوه بدتر شد، برای همین از کوفی به لومن مهاجرت کردم'],
  ])('%s: "worse" said before the move or as its reason is why the author left: "%s"', (lang, text) => {
    // Before, "worse" anywhere in the switch's words took it back and Lumen, the brand chosen, read negative too.
    expect(labels(text, lang)).toMatchObject({ kofi: 'negative', lumen: 'positive' });
  });

  it.each([
    ['en', 'Went back to Kofi from Lumen'],
    ['en', 'Switched back to Kofi from Lumen'],
    ['en', 'Went back to Kofi after a month of Lumen'],
    ['cs', 'Vrátil jsem se z Lumenu ke Kofi'],
  ])('%s: going back is a switch to the brand gone back to: "%s"', (lang, text) => {
    expect(labels(text, lang)).toMatchObject({ kofi: 'positive', lumen: 'negative' });
  });

  it('a brand’s own clauses that read the other way decide its reading', () => {
    expect(labels('Switched from Kofi to Lumen. Lumen support is awful', 'en')).toMatchObject({ kofi: 'negative', lumen: 'negative' });
    expect(labels('Switched from Kofi to Lumen but honestly Kofi was better', 'en')).toMatchObject({ kofi: 'positive', lumen: 'positive' });
    // Clauses that agree with the switch only add to it.
    expect(labels('Switched from Kofi to Lumen, Kofi kept crashing', 'en')).toMatchObject({ kofi: 'negative', lumen: 'positive' });
  });
});

describe('not a switch', () => {
  it.each([
    ['en', 'Anyone switched from Kofi to Lumen?'],
    ['en', 'I never switched from Lumen to Kofi'],
    ["en", "Haven't moved from Kofi to Lumen yet"],
    ['en', 'Should I switch from Kofi to Lumen'],
    ['en', 'Kofi moved from Prague to Brno, Lumen too'],
    ['en', 'From Kofi to Lumen, every coffee chain raised prices'],
    ['hi', 'कोफ़ी से लुमेन पर स्विच नहीं किया'],
    ['fa', 'از کوفی به لومن مهاجرت نکردم'],
    ['cs', 'Nepřešel jsem z Kofi na Lumen'],
    ['es', '¿Alguien se cambió de Kofi a Lumen?'],
  ])('%s: "%s" reads as the post for both brands', (lang, text) => {
    const { kofi, lumen, post } = labels(text, lang);
    expect({ kofi, lumen }).toEqual({ kofi: post, lumen: post });
  });

  it('"X को छोड़कर" is "except X", not leaving it', () => {
    const { kofi, lumen, post } = labels('कोफ़ी को छोड़कर लुमेन भी आज बंद है', 'hi');
    expect({ kofi, lumen }).toEqual({ kofi: post, lumen: post });
  });
});

describe('the SWOT reads a switch as the stored readings do', () => {
  it('counts the chosen slot’s terms as praise for the brand chosen, and gives the brand left none of them', () => {
    // The oat milk is why the author chose Lumen: it stands in Lumen's slot (or after the switch,
    // where it is the switch's word, neither brand's). Before, Kofi was criticised for it too.
    const texts = ['Switched from Kofi to Lumen for the oat milk', 'Finally switched from Kofi to Lumen for their oat milk', 'Moved from Kofi to Lumen for the oat milk'];
    const mentions: ThemeMention[] = texts.map((text, i) => {
      const { sentiment } = scorer.score({ title: null, text, langHint: 'en', ignore: IGNORE });
      return { id: `m${i}`, brandIds: ['kofi', 'lumen'], title: null, text, lang: 'en', sentimentScore: sentiment.score, label: sentiment.label, occurredAt: new Date(Date.UTC(2026, 11, 1, i)) };
    });
    const themes = extractThemes({ mentions, previous: [], brands: BRANDS });
    const theme = (brand: string) => themes.find((b) => b.brandId === brand)!.themes.find((t) => t.theme === 'oat milk');
    expect(theme('kofi')).toBeUndefined();
    expect(theme('lumen')).toMatchObject({ mentions: 3, positive: 3, negative: 0 });
    // The same readings as ingest stores.
    for (const m of mentions) {
      const readings = reader.read({ title: null, text: m.text!, lang: 'en', label: m.label as 'neutral', score: m.sentimentScore! }, ['kofi', 'lumen']);
      expect(readingOf(readings, 'kofi', { label: m.label as 'neutral', score: m.sentimentScore! }).label).toBe('negative');
      expect(readingOf(readings, 'lumen', { label: m.label as 'neutral', score: m.sentimentScore! }).label).toBe('positive');
    }
  });
});

describe('cost', () => {
  it('reads a long post naming both brands, full of markers and no switch, in linear time', () => {
    const long = (repeats: number) => `Kofi ${'from to for with z na از به से पर '.repeat(repeats)} Lumen switched`;
    const read = (repeats: number) => reader.read({ title: null, text: long(repeats), lang: 'en', label: 'neutral', score: 0 }, ['kofi', 'lumen']);
    expect(read(2_500)).toBeNull();
    // 312 → 2,496 repeats: about 8 times longer when linear, 64 when quadratic.
    expect(growth(read, 312).ratio).toBeLessThan(20);
  });
});
