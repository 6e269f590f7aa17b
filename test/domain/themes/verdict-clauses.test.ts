import { describe, expect, it } from 'vitest';
import { createScorer } from '../../../src/domain/scoring/scorer.js';
import { createBrandReader, readingOf, type ReadableBrand } from '../../../src/domain/themes/brand-readings.js';
import { brandExclusions, termsOfMention } from '../../../src/domain/themes/index.js';
import { attributeClauses, brandNamer } from '../../../src/domain/themes/themes.clauses.js';

// A clause whose words, besides the brand's name, are stopwords and a verdict: German "gut",
// "schlecht" and Czech "dobrý" are in the stopword lists, so "Globex ist gut" had no term of its
// own; its brand was handed on and read as the clause before it ("Acme ist schrecklich, Globex ist
// wirklich gut" read Globex negative). A clause holding a word the scorer reads as sentiment now has
// words of its own; its stopwords stay out of the keywords. Read as ingest reads a post (see
// comparison-posts.test.ts): scored without the brands' naming terms, then read for each brand.

const scorer = createScorer();
const BRANDS: ReadableBrand[] = [
  { id: 'acme', name: 'Acme', query: 'acme OR آکمه' },
  { id: 'globex', name: 'Globex', query: 'globex OR گلوبکس' },
];
const reader = createBrandReader(BRANDS, scorer);
const IGNORE = ['acme', 'آکمه', 'globex', 'گلوبکس'];

function labelsOf(post: { title?: string; text: string; lang: string | null }, reading = reader, ignore = IGNORE): Record<string, string> {
  const title = post.title ?? null;
  const { lang, sentiment } = scorer.score({ title, text: post.text, langHint: post.lang, ignore });
  const whole = { label: sentiment.label, score: sentiment.score };
  const ids = ['acme', 'globex'];
  const readings = reading.read({ title, text: post.text, lang: post.lang === null ? null : lang, ...whole }, ids);
  return Object.fromEntries(ids.map((id) => [id, readingOf(readings, id, whole).label]));
}

const BOTH = { acme: 'positive', globex: 'negative' };
const REVERSED = { acme: 'negative', globex: 'positive' };

describe('a short verdict clause reads as its own brand’s, in every language scored', () => {
  // de and cs failed before (the verdict is a stopword); the others hold it in every language.
  it.each([
    ['en', 'Acme is awful, Globex is good', REVERSED],
    ['cs', 'Acme je hrozný, Globex je dobrý', REVERSED],
    ['cs', 'Acme je dobrý, Globex je špatný', BOTH],
    ['de', 'Acme ist schrecklich, Globex ist wirklich gut', REVERSED],
    ['de', 'Acme ist schrecklich, Globex ist gut', REVERSED],
    ['de', 'Acme ist gut, Globex ist schlecht', BOTH],
    ['es', 'Acme es excelente, Globex es malo', BOTH],
    ['es', 'Acme es malo, Globex es bueno', REVERSED],
    ['fr', 'Acme est nul, Globex est bon', REVERSED],
    ['pt', 'Acme é ruim, Globex é bom', REVERSED],
    ['fa', 'آکمه افتضاح است، گلوبکس خوب است', REVERSED],
    ['ar', 'Acme سيء، Globex جيد', REVERSED],
    ['hi', 'Acme बुरा है, Globex अच्छा है', REVERSED],
    ['hi', 'Acme अच्छा है, Globex बुरा है', BOTH],
    ['ne', 'Acme नराम्रो छ, Globex राम्रो छ', REVERSED],
    ['gu', 'Acme ખરાબ છે, Globex સારું છે', REVERSED],
    ['ta', 'Acme மோசம், Globex நல்லது', REVERSED],
  ])('%s: %s', (lang, text, expected) => {
    expect(labelsOf({ text, lang })).toEqual(expected);
  });

  it('after names that open the post, and under a title naming both', () => {
    expect(labelsOf({ text: 'Acme vs Globex: Acme ist schrecklich, Globex ist gut', lang: 'de' })).toEqual(REVERSED);
    expect(labelsOf({ title: 'Acme vs Globex', text: 'Acme ist schrecklich, Globex ist gut', lang: 'de' })).toEqual(REVERSED);
    expect(labelsOf({ title: 'Acme vs Globex', text: 'Acme je hrozná. Globex je dobrý.', lang: 'cs' })).toEqual(REVERSED);
  });

  it('in a post of no language, read by the lexicons of its marker words', () => {
    expect(labelsOf({ text: 'Acme je hrozný, Globex je dobrý', lang: null })).toEqual(REVERSED);
    expect(labelsOf({ text: 'Acme ist schrecklich, Globex ist gut', lang: null })).toEqual(REVERSED);
  });

  it('the short Spanish comparison, posted with no language, is scored and read for each brand', () => {
    // Its only marker word, "es", is German and French too: it was no language, and unscored.
    const text = 'Acme vs Globex: Acme es excelente, Globex es horrible';
    const { lang, sentiment } = scorer.score({ title: null, text, langHint: null, ignore: IGNORE });
    expect(lang).toBe('es');
    expect(sentiment.label).not.toBe('unscored');
    expect(labelsOf({ text, lang: 'es' })).toEqual(BOTH);
  });

  it('an emoji is a verdict too', () => {
    expect(labelsOf({ text: 'Acme is great but Globex 😡', lang: 'en' })).toEqual(BOTH);
  });
});

describe('what still hands a brand on', () => {
  it('fillers the English lexicon scores ("as well", "lol", "honestly") say nothing of the brand on their own', () => {
    expect(labelsOf({ text: 'Acme is down, and Globex as well', lang: 'en' })).toEqual({ acme: 'negative', globex: 'negative' });
    const fillers = labelsOf({ text: 'Acme keeps crashing. Globex too honestly', lang: 'en' });
    expect(fillers.globex).toBe(fillers.acme);
  });

  it('a brand’s name holding a sentiment word is no verdict: "Happy Cow and Globex are great" is about both', () => {
    const brands = [
      { id: 'acme', name: 'Happy Cow', query: '"happy cow"' },
      { id: 'globex', name: 'Globex', query: 'globex' },
    ];
    expect(labelsOf({ text: 'Happy Cow and Globex are great', lang: 'en' }, createBrandReader(brands, scorer), ['happy cow', 'globex']))
      .toEqual({ acme: 'positive', globex: 'positive' });
  });
});

describe('keywords and themes', () => {
  it('the verdict clause is its brand’s, and its stopwords are still no term', () => {
    const themeBrands = BRANDS.map((brand) => ({ ...brand, role: 'own' as const }));
    const exclude = brandExclusions(themeBrands);
    const mention = { title: null, text: 'Acme ist schrecklich, Globex ist gut', lang: 'de' };
    const [acme, globex] = attributeClauses(mention, [0, 1], themeBrands.map(brandNamer), (clause) => termsOfMention({ text: clause, lang: 'de' }, { exclude }));
    expect(acme!.clauses).toEqual(['Acme ist schrecklich']);
    expect(acme!.terms.map((t) => t.term)).toEqual(['schrecklich']);
    expect(globex!.clauses).toEqual(['Globex ist gut']);
    expect(globex!.terms).toEqual([]);
  });
});
