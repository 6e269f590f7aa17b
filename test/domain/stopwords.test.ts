import { describe, expect, it } from 'vitest';
import { extractTerms } from '../../src/domain/text/terms.js';
import { stopwordsFor } from '../../src/domain/text/stopwords/index.js';

// Function words the packaged lists missed, found as trending keywords and terms by the analytics
// audit: "again", "too", "very", "much", auxiliaries and the Persian plural written apart.
const MISSING: Array<[string, string[]]> = [
  ['fa', ['های', 'ها', 'هایی', 'باز', 'دوباره', 'هنوز', 'واقعا']],
  ['ta', ['மீண்டும்', 'அதிகம்', 'மறுபடியும்', 'இன்னும்']],
  ['hi', ['हूँ', 'हूं', 'जाता', 'जाती', 'दोबारा', 'मैं', 'मुझे']],
  ['ne', ['फेरि', 'अति', 'छु', 'हुँ']],
  ['cs', ['příliš', 'opravdu']],
  ['gu', ['એકદમ', 'હતો', 'વધારે']],
];

describe('stopwords', () => {
  for (const [lang, words] of MISSING) {
    it(`hold "again", "too", "very" and the auxiliaries in ${lang}`, () => {
      const stopwords = stopwordsFor(lang);
      for (const word of words) expect(stopwords.has(word), word).toBe(true);
    });
  }

  it('keep them out of the ends of phrases', () => {
    const terms = (text: string, lang: string) => extractTerms(text, { lang }).map((t) => t.term);
    expect(terms('باز هم تاخیر در تحویل سفارش های من', 'fa')).not.toEqual(expect.arrayContaining(['باز هم تاخیر']));
    for (const term of terms('باز هم تاخیر در تحویل سفارش های من', 'fa')) expect(term.split(' ')[0]).not.toBe('باز');
    expect(terms('டெலிவரி தாமதம் மீண்டும்', 'ta')).toEqual(['டெலிவரி', 'டெலிவரி தாமதம்', 'தாமதம்']);
    expect(terms('příliš vysoké ceny', 'cs')).toEqual(['vysoké', 'vysoké ceny', 'ceny']);
    expect(terms('मैं परेशान हूँ', 'hi')).toEqual(['परेशान']);
  });
});
