import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractTerms } from '../../src/domain/text/terms.js';
import { stopwordsFor } from '../../src/domain/text/stopwords/index.js';
import { WORD_CHAR, foldCase } from '../../src/domain/text/tokens.js';

const terms = (text: string, lang: string, exclude?: Set<string>) => extractTerms(text, { lang, exclude }).map((t) => t.term);
const keyOf = (text: string, lang: string) => extractTerms(text, { lang, maxN: 1 })[0]!.key;

describe('extractTerms', () => {
  it('makes n-grams up to three words that neither start nor end with a stopword', () => {
    expect(terms('The delivery of the parcel was late', 'en')).toEqual(['delivery', 'parcel', 'parcel was late', 'late']);
    const all = terms('waiting for the refund from customer service', 'en');
    expect(all).toContain('customer service');
    expect(all).toContain('refund');
    for (const term of all) {
      const words = term.split(' ');
      expect(stopwordsFor('en').has(words[0]!)).toBe(false);
      expect(stopwordsFor('en').has(words[words.length - 1]!)).toBe(false);
      expect(words.length).toBeLessThanOrEqual(3);
    }
  });

  it('never joins words across punctuation, URLs, handles, hashtags or numbers', () => {
    const found = terms('Great prices. Awful delivery, see https://example.test/x for @support #fail 2024 orders', 'en');
    expect(found).toEqual(['great', 'great prices', 'prices', 'awful', 'awful delivery', 'delivery', 'orders']);
  });

  it('drops numbers, URLs, handles and e-mail addresses as terms', () => {
    expect(terms('call 555 1234 or mail help@acme.test, www.acme.test @acme_help 12.5%', 'en')).toEqual(['call', 'mail']);
  });

  it('merges English inflections under one key, keeping each surface form', () => {
    const found = ['Delays again', 'It was delayed', 'One more delay'].map((t) => extractTerms(t, { lang: 'en', maxN: 1 }));
    expect(found.map((list) => list.map((t) => t.key))).toEqual([['delay'], ['delay'], ['delay']]);
    expect(found.map((list) => list[0]!.term)).toEqual(['delays', 'delayed', 'delay']);
  });

  it('merges Czech inflections of delay and delivery', () => {
    expect(new Set(['zpoždění', 'zpožděním', 'zpožděná'].map((w) => keyOf(w, 'cs'))).size).toBe(1);
    expect(new Set(['doprava', 'dopravy', 'dopravou'].map((w) => keyOf(w, 'cs'))).size).toBe(1);
    const a = extractTerms('Zpoždění doručení je hrozné.', { lang: 'cs' });
    const b = extractTerms('Se zpožděním doručení nikdo nepočítal', { lang: 'cs' });
    const key = (list: typeof a, term: string) => list.find((t) => t.term === term)?.key;
    expect(key(a, 'zpoždění doručení')).toBeDefined();
    expect(key(a, 'zpoždění doručení')).toBe(key(b, 'zpožděním doručení'));
  });

  it('keeps Hindi n-grams whole, matras and nukta included, and drops Hindi stopwords', () => {
    const found = terms('डिलीवरी में देरी बहुत ज़्यादा है। ग्राहक सेवा अच्छी है', 'hi');
    expect(found).toContain('डिलीवरी में देरी');
    expect(found).toContain('ग्राहक सेवा');
    expect(found).toContain('ज़्यादा');
    expect(found).not.toContain('में');
    expect(found).not.toContain('है');
    // The danda ends a sentence: no n-gram crosses it.
    expect(found.some((t) => t.includes('ज़्यादा ग्राहक'))).toBe(false);
  });

  it('keeps Tamil words whole (vowel signs and pulli stay on their letters)', () => {
    const found = terms('டெலிவரி தாமதம் மிகவும் மோசம். வாடிக்கையாளர் சேவை நல்லது', 'ta');
    expect(found).toContain('டெலிவரி தாமதம்');
    expect(found).toContain('வாடிக்கையாளர் சேவை');
    expect(found).not.toContain('மிகவும்');
    for (const term of found) expect(term.normalize('NFC')).toBe(term);
  });

  it('drops the Tamil copula and auxiliaries ("was", "will be"), which topped a Tamil brand\'s terms', () => {
    const found = terms('சாய் நன்றாக இருந்தது. சேவை மோசமாக இருக்கும் என்றார்', 'ta');
    for (const auxiliary of ['இருந்தது', 'இருக்கும்', 'என்றார்']) expect(found).not.toContain(auxiliary);
    expect(found).toContain('சாய்');
    expect(found).toContain('சேவை');
  });

  it('keeps Persian words joined by ZWNJ as one word and drops the copula', () => {
    const found = terms('تاخیر در تحویل سفارش‌ها زیاد است', 'fa');
    expect(found).toContain('تاخیر در تحویل');
    expect(found).toContain('سفارش‌ها');
    expect(found).not.toContain('سفارش');
    expect(found).not.toContain('است');
    expect(found).not.toContain('در');
  });

  it('uses stopword lists for every supported language', () => {
    const samples: Record<string, string> = { en: 'the', cs: 'jsem', fa: 'از', hi: 'में', ne: 'पनि', gu: 'છે', ta: 'ஒரு', es: 'para', de: 'und', fr: 'avec', pt: 'para', ar: 'في' };
    for (const [lang, word] of Object.entries(samples)) expect(stopwordsFor(lang).has(word), lang).toBe(true);
    // An unknown language gets all of them.
    expect(stopwordsFor(null).has('und') && stopwordsFor(undefined).has('में')).toBe(true);
  });

  it('drops "very", "again" and the copula in Czech and Persian, and "vs" in English, as it does "very" in Hindi and Tamil', () => {
    for (const [lang, word] of [['cs', 'velmi'], ['cs', 'opět'], ['fa', 'هستم'], ['fa', 'بسیار'], ['en', 'vs'], ['hi', 'बहुत'], ['ta', 'மிகவும்']] as const) {
      expect(stopwordsFor(lang).has(word), `${lang} ${word}`).toBe(true);
    }
    expect(terms('Doprava je velmi špatná, opět', 'cs')).toEqual(['doprava', 'špatná']);
    // "Today" dates a post; it is not what the post is about.
    for (const [lang, word] of [['ta', 'இன்று'], ['hi', 'आज'], ['ne', 'आज'], ['fa', 'امروز'], ['gu', 'આજે'], ['cs', 'včera']] as const) {
      expect(stopwordsFor(lang).has(word), `${lang} ${word}`).toBe(true);
    }
    expect(terms('از خرید راضی هستم', 'fa')).toEqual(['خرید', 'خرید راضی', 'راضی']);
  });

  it('removes French elisions and English possessives', () => {
    expect(terms("l'horreur des retards", 'fr')).toContain('horreur');
    expect(terms("the store's refund policy", 'en')).toContain('store refund policy');
  });

  it('leaves excluded words, phrases, prefixes, tags and handles out of every n-gram', () => {
    const exclude = new Set(['acme', 'acme corp', 'betamax*', '#gamma']);
    const found = terms('Acme Corp delivery. Betamaxx customer service. Gamma pricing', 'en', exclude);
    expect(found).toEqual(['delivery', 'customer', 'customer service', 'service', 'pricing']);
    expect(terms('corp delivery', 'en', exclude)).toContain('corp delivery');
  });

  it('lists each key once, in order of first appearance', () => {
    const found = extractTerms('Delays, delays and more delayed parcels', { lang: 'en', maxN: 1 });
    expect(found).toEqual([{ term: 'delays', key: 'delay' }, { term: 'parcels', key: 'parcel' }]);
  });
});

describe('extractTerms over the multilingual sentiment fixtures', () => {
  const dir = path.join(import.meta.dirname, '..', 'fixtures', 'sentiment');
  const texts = readdirSync(dir).filter((f) => f.endsWith('.tsv')).flatMap((file) =>
    readFileSync(path.join(dir, file), 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).map((l) => ({ lang: file.slice(0, 2), text: l.split('\t').slice(1).join(' ') })));

  it('covers all twelve languages', () => {
    expect(new Set(texts.map((t) => t.lang)).size).toBe(12);
  });

  it('only ever yields whole words of the text, with no stopword at either end', () => {
    const notWord = new RegExp(`[^${WORD_CHAR}'’\\-]`, 'u');
    const wordChar = new RegExp(`^[${WORD_CHAR}]$`, 'u');
    /** The code point that ends just before `at` (a surrogate pair whole), as a lookbehind reads it. */
    const before = (text: string, at: number) => {
      const pair = at >= 2 && /^[\uD800-\uDBFF][\uDC00-\uDFFF]$/.test(text.slice(at - 2, at));
      return text.slice(Math.max(0, at - (pair ? 2 : 1)), at);
    };
    const after = (text: string, at: number) => (at < text.length ? String.fromCodePoint(text.codePointAt(at)!) : '');
    /**
     * Whole word: found in the text with no word character (letter, mark, joiner) either side, as
     * `(?<![WORD_CHAR])word(?![WORD_CHAR])` says. Compiling that expression for each of the ten
     * thousand words took most of this test's time.
     */
    const occursWhole = (text: string, word: string) => {
      for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + 1)) {
        if (!wordChar.test(before(text, at)) && !wordChar.test(after(text, at + word.length))) return true;
      }
      return false;
    };
    for (const { lang, text } of texts) {
      const folded = foldCase(text);
      const stop = stopwordsFor(lang);
      for (const { term, key } of extractTerms(text, { lang })) {
        const words = term.split(' ');
        expect(words.length).toBeLessThanOrEqual(3);
        expect(key.split(' ')).toHaveLength(words.length);
        expect(stop.has(words[0]!) || stop.has(words[words.length - 1]!), `${lang}: ${term}`).toBe(false);
        for (const word of words) {
          expect(notWord.test(word), `${lang}: ${word}`).toBe(false);
          expect(occursWhole(folded, word), `${lang}: ${word} in ${folded}`).toBe(true);
        }
        expect(/^\p{M}/u.test(term), `${lang}: ${term} starts with a combining mark`).toBe(false);
      }
    }
  });
});
