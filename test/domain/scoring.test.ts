import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { languagesOfScript } from '../../src/domain/language/language.detect.js';
import { createScorer, declaredLanguage, SENTIMENT_MODEL } from '../../src/domain/scoring/scorer.js';

describe('createScorer', () => {
  const scorer = createScorer();

  it('carries a name@version model on the scorer and on every result', () => {
    expect(scorer.model).toBe(SENTIMENT_MODEL);
    expect(scorer.model).toMatch(/^earshot-sentiment@\d+\.\d+\.\d+$/);
    expect(scorer.score({ title: null, text: 'great' }).sentiment.model).toBe(scorer.model);
  });

  it('labels a clearly positive English post positive and names the language', () => {
    const result = scorer.score({ title: null, text: 'I love this phone, the camera is great' });
    expect(result.lang).toBe('en');
    expect(result.langConfidence).toBeGreaterThan(0.35);
    expect(result.sentiment.label).toBe('positive');
    expect(result.sentiment.score).toBeGreaterThan(0);
  });

  it('reads the title together with the text', () => {
    const withTitle = scorer.score({ title: 'Awful support', text: 'the ticket is still open' });
    expect(withTitle.sentiment.label).toBe('negative');
    expect(scorer.score({ title: null, text: 'the ticket is still open' }).sentiment.label).toBe('neutral');
  });

  it('scores other supported languages in their own language', () => {
    expect(scorer.score({ title: null, text: 'Služba je hrozná, nikdy více' }).sentiment.label).toBe('negative');
    expect(scorer.score({ title: null, text: 'यह फ़ोन बहुत शानदार है' }).sentiment.label).toBe('positive');
    expect(scorer.score({ title: null, text: 'این گوشی خیلی عالی است' }).sentiment.label).toBe('positive');
  });

  it('scores Gujarati in its own language, detected by its script', () => {
    const praise = scorer.score({ title: null, text: 'નવો ફોન ખૂબ સરસ છે, બેટરી આખો દિવસ ચાલે છે' });
    expect(praise.lang).toBe('gu');
    expect(praise.sentiment).toMatchObject({ label: 'positive', model: scorer.model });
    expect(scorer.score({ title: null, text: 'જમવાનું સારું નથી, સેવા પણ ધીમી' }).sentiment.label).toBe('negative');
  });

  it('returns a null language and leaves the post unscored for gibberish or too little text', () => {
    for (const text of ['asdf qwer zxcv', 'ok', '😂😂😂', '']) {
      const result = scorer.score({ title: null, text });
      expect(result.lang).toBeNull();
      expect(result.sentiment.label).toBe('unscored');
      expect(result.sentiment.score).toBe(0);
    }
  });

  it('trusts a declared language over detection, folding region tags', () => {
    const result = scorer.score({ title: null, text: 'super', langHint: 'cs-CZ' });
    expect(result.lang).toBe('cs');
    expect(result.langConfidence).toBe(1);
    expect(result.sentiment.label).toBe('positive');
  });

  it('detects the language instead when the declared one is not a language code or not of the text\'s script', () => {
    // BCP 47 "undetermined", a made-up value, and an empty primary tag say nothing.
    for (const langHint of ['und', 'Klingon_Garbage<script>', 'x-unknown', '-']) {
      const result = scorer.score({ title: null, text: 'acme is absolutely wonderful, I love it so much', langHint });
      expect(result, langHint).toMatchObject({ lang: 'en', sentiment: { label: 'positive' } });
    }
    // A client's default language on a post written in Devanagari, Tamil or Persian.
    const hindi = scorer.score({ title: null, text: 'यह कॉफ़ी बहुत खराब है, मुझे acme बिल्कुल पसंद नहीं आया। सेवा भयानक थी।', langHint: 'en' });
    expect(hindi).toMatchObject({ lang: 'hi', sentiment: { label: 'negative' } });
    expect(scorer.score({ title: null, text: 'இந்த சேவை மிகவும் மோசமாக இருக்கிறது', langHint: 'en-US' }).lang).toBe('ta');
    expect(scorer.score({ title: null, text: 'این محصول عالی است و خیلی راضی هستم', langHint: 'cs' }).lang).toBe('fa');
    // A declared language of the text's script, or of no fixed script, still stands; so it does when the text says too little.
    expect(scorer.score({ title: null, text: 'This phone is great', langHint: 'cs' }).lang).toBe('cs');
    expect(scorer.score({ title: null, text: 'यह अच्छा है', langHint: 'ne' }).lang).toBe('ne');
    expect(scorer.score({ title: null, text: 'Привет', langHint: 'ru' }).lang).toBe('ru');
    expect(scorer.score({ title: null, text: '👍 10/10', langHint: 'en' }).lang).toBe('en');
    expect(declaredLanguage('und')).toBeNull();
    expect(declaredLanguage('pt-BR')).toEqual({ lang: 'pt', langConfidence: 1 });
  });

  it('with preload, builds every language up front and scores the same as lazily', () => {
    const eager = createScorer({ preload: true });
    const input = { title: null, text: 'Ten telefon je skvělý' };
    expect(eager.score(input)).toEqual(scorer.score(input));
  });

  it('a stricter detection threshold turns a weakly evidenced language into null', () => {
    const input = { title: null, text: 'super cena' };
    expect(createScorer({ minLangConfidence: 0.99 }).score(input).lang).toBeNull();
  });

  it('leaves a declared language it has no lexicon for unscored', () => {
    expect(scorer.score({ title: null, text: 'Привет', langHint: 'ru' }).sentiment.label).toBe('unscored');
  });

  it('handles prototype-named words in title and text', () => {
    const result = scorer.score({ title: '__proto__', text: 'constructor toString hasOwnProperty valueOf', langHint: 'en' });
    expect(result.sentiment).toEqual({ score: 0, label: 'neutral', model: scorer.model });
  });

  it('is reusable: scoring the same post twice gives the same result, and scores stay in −1..1', () => {
    const input = { title: null, text: 'WORST. SERVICE. EVER!!! 😡😡😡 never again' };
    const first = scorer.score(input);
    expect(scorer.score(input)).toEqual(first);
    expect(first.sentiment.score).toBeGreaterThanOrEqual(-1);
    expect(first.sentiment.score).toBeLessThan(-0.5);
  });

  it('never throws on arbitrary text, keeps scores in −1..1 and labels consistent with scores', () => {
    fc.assert(
      fc.property(fc.option(fc.string({ unit: 'grapheme' })), fc.string({ unit: 'grapheme', maxLength: 300 }), fc.option(fc.constantFrom('en', 'cs', 'hi', 'fa', 'ta', 'gu', 'xx')), (title, text, langHint) => {
        const { lang, langConfidence, sentiment } = scorer.score({ title, text, langHint });
        expect(langConfidence).toBeGreaterThanOrEqual(0);
        expect(langConfidence).toBeLessThanOrEqual(1);
        expect(Math.abs(sentiment.score)).toBeLessThanOrEqual(1);
        if (sentiment.label === 'unscored') expect(sentiment.score).toBe(0);
        if (sentiment.label === 'positive') expect(sentiment.score).toBeGreaterThanOrEqual(0.05);
        if (sentiment.label === 'negative') expect(sentiment.score).toBeLessThanOrEqual(-0.05);
        // Without a language, only the lexicon fallback scores: a script several languages share.
        if (lang === null && sentiment.label !== 'unscored') expect(languagesOfScript(title ? `${title}\n${text}` : text).length).toBeGreaterThan(1);
      }),
      { numRuns: 300 },
    );
  });
});
