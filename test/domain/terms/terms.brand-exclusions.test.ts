import { describe, expect, it } from 'vitest';
import { matchQuery, queryTerms } from '../../../src/domain/query/index.js';
import { brandExclusions } from '../../../src/domain/themes/index.js';
import { extractTerms } from '../../../src/domain/text/terms.js';

// The audit: docs say brand names and query terms are left out of keywords and themes, and advise
// writing queries without diacritics (`skoda` finds Škoda), yet `skodovk*` did not leave out
// "škodovka": the exclusion compared words with their diacritics, where the query matcher also
// compares them without.

const terms = (text: string, lang: string, exclude: Iterable<string>, maxN = 3) =>
  extractTerms(text, { lang, maxN, exclude: new Set(exclude) }).map((t) => t.term);

const item = (text: string, lang: string | null) => ({ title: null, text, url: null, author: null, lang, sourceType: 'rss' as const, hashtags: [], handles: [] });

describe('brand exclusions compare words as the brand query does', () => {
  it('a query written without diacritics leaves out the words it finds with them ("Škodovka" for skodovk*)', () => {
    const text = 'Moje nová Škodovka je super a Škoda Octavia taky.';
    expect(terms(text, 'cs', ['skodovk*', 'skoda'])).toEqual(['nová', 'super', 'octavia']);
    expect(terms(text, 'cs', ['škodovk*', 'škoda'])).toEqual(['nová', 'super', 'octavia']);
  });

  it('a query written with diacritics finds, and so leaves out, only that spelling', () => {
    expect(matchQuery('škoda', item('nová skoda', 'cs'))).toBeNull();
    expect(terms('nová skoda', 'cs', ['škoda'], 1)).toEqual(['nová', 'skoda']);
    expect(terms('nová škoda', 'cs', ['škoda'], 1)).toEqual(['nová']);
    expect(terms('nová škodovka', 'cs', ['škodo*'], 1)).toEqual(['nová']);
    expect(terms('nová skodovka', 'cs', ['škodo*'], 1)).toEqual(['nová', 'skodovka']);
  });

  it('phrases, a phrase ending in a prefix and hashtags are left out as the query finds them', () => {
    expect(terms('Škoda Auto recall notice', 'en', queryTerms('"skoda auto"'))).toEqual(['recall', 'recall notice', 'notice']);
    expect(terms('Škoda Octavia recall', 'en', queryTerms('"skoda oct*"'))).toEqual(['recall']);
    // The matcher finds a phrase across punctuation, not across another word.
    expect(matchQuery('"skoda oct*"', item('Škoda, Octavia recall', 'en'))).not.toBeNull();
    expect(terms('Škoda, Octavia recall', 'en', queryTerms('"skoda oct*"'))).toEqual(['recall']);
    expect(matchQuery('"skoda oct*"', item('Škoda recall, Octavia', 'en'))).toBeNull();
    expect(terms('Škoda recall, Octavia', 'en', queryTerms('"skoda oct*"'))).toEqual(['škoda', 'škoda recall', 'recall', 'octavia']);
    expect(terms('ŠkodaAuto recall', 'en', queryTerms('#skodaauto'))).toEqual(['recall']);
  });

  it('a brand written with a hyphen, an apostrophe or a number is left out as the matcher cuts it', () => {
    expect(terms('Coca Cola and Coca-Cola taste', 'en', queryTerms('coca-cola'))).toEqual(['taste']);
    expect(terms('L’Oréal serum', 'en', queryTerms("l'oreal"))).toEqual(['serum']);
    expect(terms('McDonald’s fries', 'en', queryTerms("mcdonald's"))).toEqual(['fries']);
    expect(terms('iPhone 15 battery drains', 'en', queryTerms('"iphone 15"'))).toEqual(['battery', 'battery drains', 'drains']);
  });

  it('the names and query terms of every brand are left out however they are written (the SWOT, /v1/terms and trending keywords share them)', () => {
    const exclude = brandExclusions([{ name: 'Škoda Auto', query: 'skoda OR skodovk* OR "skoda auto"' }, { name: 'Citroën', query: 'citroen' }]);
    expect(terms('Škodovka a Citroën: pomalý servis', 'cs', exclude)).toEqual(['pomalý', 'pomalý servis', 'servis']);
  });

  // Word by word: a one-word text (no stopword) is left out exactly when the brand query finds it.
  const cases: Array<[query: string, text: string, lang: string]> = [
    ['skoda', 'Škoda', 'cs'], ['škoda', 'Skoda', 'cs'], ['škoda', 'ŠKODA', 'cs'], ['skodovk*', 'Škodovkou', 'cs'],
    ['skodovk*', 'škodovky', 'cs'], ['škodovk*', 'skodovky', 'cs'], ['cafe', 'Café', 'fr'], ['café', 'cafe', 'fr'],
    ['lodz', 'Łódź', 'pl'], ['zabka', 'Żabka', 'pl'], ['Nguyen', 'Nguyễn', 'vi'], ['bmw', 'BMW', 'de'], ['muller', 'Müller', 'de'],
    ['l\'oreal', 'L’Oréal', 'en'], ['oreal', 'l’Oréal', 'fr'], ['acme', 'Acme-powered', 'en'], ['t-mobile', 'T-Mobile', 'en'], ['citroen', 'Citroën', 'fr'], ['citroën', 'Citroen', 'fr'],
    ['ашан', 'Ашан', 'ru'], ['ашан', 'ашaн', 'ru'], ['йога', 'иога', 'ru'], ['σκοντα', 'Σκόντα', 'el'],
    ['टाटा', 'टाटा', 'hi'], ['टट', 'टाटा', 'hi'], ['टाट*', 'टाटा', 'hi'], ['ديجيكالا', 'دیجی‌کالا', 'fa'], ['دیجی*', 'ديجيكالا', 'fa'],
    ['#skodaauto', 'ŠkodaAuto', 'cs'],
  ];
  it.each(cases)('%s against "%s" (%s): left out exactly when the query finds the word', (query, text, lang) => {
    const found = matchQuery(query, { ...item(text, lang), hashtags: query.startsWith('#') ? [text.toLowerCase()] : [] }) !== null;
    const kept = terms(text, lang, queryTerms(query), 1);
    expect(kept, `${query} ${found ? 'finds' : 'does not find'} ${text}`).toEqual(found ? [] : [text.toLowerCase()]);
  });
});
