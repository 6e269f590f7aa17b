import { describe, expect, it } from 'vitest';
import { createScorer } from '../../../src/domain/scoring/scorer.js';
import { createBrandReader, readingOf, type ReadableBrand } from '../../../src/domain/themes/brand-readings.js';

// Comparison posts: a title or an opening that only names the brands ("Acme vs Globex:", "Globex or
// Acme?", "Acme, Globex, Initech:"), then a verdict on each. The names handed the opening's brands on
// to the next clause, which is about the first brand only, so the brand judged later read as both
// verdicts (the whole post): "Acme vs Globex: Acme is excellent, I love it, Globex is bad" gave
// Globex the post's positive label. Found by a multilingual audit of 1.6.3 (the Amul post below).
// Read as ingest reads a post: scored without the brands' naming terms, then read for each brand.

const scorer = createScorer();
const BRANDS: ReadableBrand[] = [
  { id: 'acme', name: 'Acme', query: 'acme OR एक्मे OR آکمه' },
  { id: 'globex', name: 'Globex', query: 'globex OR ग्लोबेक्स OR گلوبکس' },
  { id: 'initech', name: 'Initech', query: 'initech' },
];
const reader = createBrandReader(BRANDS, scorer);
const IGNORE = ['acme', 'एक्मे', 'آکمه', 'globex', 'ग्लोबेक्स', 'گلوبکس', 'initech'];

type Labels = Record<string, string>;
function read(post: { title?: string; text: string; lang: string }, brandIds: string[], reading = reader, ignore = IGNORE) {
  const title = post.title ?? null;
  const { lang, sentiment } = scorer.score({ title, text: post.text, langHint: post.lang, ignore });
  const whole = { label: sentiment.label, score: sentiment.score };
  const readings = reading.read({ title, text: post.text, lang, ...whole }, brandIds);
  return { whole, readings, labels: Object.fromEntries(brandIds.map((id) => [id, readingOf(readings, id, whole).label])) as Labels };
}
const labelsOf = (text: string, lang: string, brandIds = ['acme', 'globex']) => read({ text, lang }, brandIds).labels;

const BOTH = { acme: 'positive', globex: 'negative' };
const REVERSED = { acme: 'negative', globex: 'positive' };

describe('a comparison post whose opening only names the brands', () => {
  // Each post's whole reading is the other way from the brand judged second (or neutral), so that
  // brand reading as the whole post, as before, fails. So does every question below.
  it.each([
    ['en', 'Acme vs Globex: Acme is excellent, I love it, Globex is bad', BOTH],
    ['en', 'Acme vs Globex: Acme is terrible and slow, Globex is fine', REVERSED],
    ['cs', 'Acme vs Globex: Acme je skvělá, Globex je hrozný', BOTH],
    ['cs', 'Acme vs Globex: Acme je hrozná a pomalá, Globex je v pohodě', REVERSED],
    ['es', 'Acme vs Globex: Acme es horrible y lenta, Globex es buena', REVERSED],
    ['de', 'Acme vs Globex: Acme ist großartig, Globex ist schrecklich', BOTH],
    ['hi', 'Acme vs Globex: Acme बहुत अच्छा है, Globex बहुत खराब है।', BOTH],
    ['hi', 'एक्मे vs ग्लोबेक्स: एक्मे बहुत खराब और धीमा है, ग्लोबेक्स अच्छा है', REVERSED],
    ['ne', 'Acme vs Globex: Acme धेरै राम्रो छ, Globex एकदम नराम्रो छ।', BOTH],
    ['ne', 'Acme vs Globex: Acme एकदम नराम्रो छ, Globex राम्रो छ', REVERSED],
    ['fa', 'آکمه vs گلوبکس: آکمه افتضاح است، گلوبکس خوب است', REVERSED],
    ['gu', 'Acme vs Globex: Acme ખૂબ જ સરસ છે, મને ગમે છે, Globex ખરાબ છે.', BOTH],
    ['gu', 'Acme vs Globex: Acme ખૂબ ખરાબ છે, Globex સારું છે', REVERSED],
    ['ta', 'Acme vs Globex: Acme மிகவும் நல்லது, Globex மோசமானது.', BOTH],
    ['ta', 'Acme vs Globex: Acme மிகவும் மோசம், Globex நல்லது', REVERSED],
  ])('%s: %s', (lang, text, expected) => {
    expect(labelsOf(text, lang)).toEqual(expected);
  });

  it.each([
    ['en', 'Globex or Acme? Acme wins, Globex keeps crashing'],
    ['cs', 'Globex nebo Acme? Acme je skvělá, Globex pořád padá'],
    ['es', '¿Globex o Acme? Acme es excelente, Globex es horrible'],
    ['de', 'Globex oder Acme? Acme ist großartig, Globex ist schrecklich'],
    ['hi', 'Globex या Acme? Acme बहुत अच्छा है, Globex बहुत खराब है।'],
    ['fa', 'Globex یا Acme؟ Acme عالی است، خیلی دوستش دارم، Globex بد است.'],
  ])('a question naming both, then a verdict on each (%s)', (lang, text) => {
    expect(labelsOf(text, lang)).toEqual(BOTH);
  });

  it('a list of names, then a verdict on each', () => {
    expect(labelsOf('Acme, Globex, Initech: Acme is great, Globex keeps crashing, Initech is fine', 'en', ['acme', 'globex', 'initech']))
      .toEqual({ acme: 'positive', globex: 'negative', initech: 'positive' });
  });

  it('a title naming both, and a text judging each', () => {
    const { labels } = read({ title: 'Acme vs Globex', text: 'Acme is excellent, I love it. Globex is bad.', lang: 'en' }, ['acme', 'globex']);
    expect(labels).toEqual(BOTH);
  });

  it('the brand compared with, named again in "than", reads neutral as without the title', () => {
    // Before, Globex took the title's hand-on to "Acme is much better": positive.
    expect(labelsOf('Acme vs Globex: Acme is much better than Globex', 'en')).toEqual({ acme: 'positive', globex: 'neutral' });
  });

  it('the Hindi post of the audit: each brand’s reading is its own clause, not the whole post', () => {
    const brands = [
      { id: 'amul', name: 'Amul', query: 'amul OR अमूल' },
      { id: 'md', name: 'Mother Dairy', query: '"mother dairy" OR "मदर डेयरी"' },
    ];
    const text = 'अमूल vs Mother Dairy: अमूल बहुत अच्छा है but Mother Dairy is awful';
    const { whole, readings, labels } = read({ text, lang: 'hi' }, ['amul', 'md'], createBrandReader(brands, scorer), ['amul', 'अमूल', 'mother dairy']);
    expect(labels).toEqual({ amul: 'positive', md: 'negative' });
    // Before, Mother Dairy had every clause, so it read as the post (−0.34): right only by the "but".
    expect(readings?.md).toBeDefined();
    expect(readings!.md!.score).not.toBe(whole.score);
    expect(readings!.md!.score).toBeLessThan(whole.score);
  });
});

describe('what the names still hand on', () => {
  it('a brand named nowhere else takes the next clause, as before', () => {
    expect(labelsOf('Acme vs Globex: Acme is great', 'en')).toEqual({ acme: 'positive', globex: 'positive' });
  });

  it('a clause naming no brand is about both', () => {
    expect(labelsOf('Acme vs Globex: both are excellent', 'en')).toEqual({ acme: 'positive', globex: 'positive' });
  });

  it('names in the verdict’s own sentence share it ("Acme and Globex are great")', () => {
    // "Acme" is cut from its verb by "and": the sentence is about both, and Acme is named again later.
    expect(labelsOf('Acme and Globex are both excellent. Globex is great too', 'en')).toEqual({ acme: 'positive', globex: 'positive' });
    expect(labelsOf('Acme and Globex are both excellent, but Acme is slow and awful', 'en').globex).toBe('positive');
  });

  it('the same post with the brand’s tags at the end reads the same', () => {
    expect(labelsOf('Acme vs Globex: Acme is excellent, I love it, Globex is bad #acme #globex', 'en')).toEqual(BOTH);
  });
});
