import { describe, expect, it } from 'vitest';
import { createScorer } from '../../../src/domain/scoring/scorer.js';
import { createSentimentAnalyser } from '../../../src/domain/sentiment/sentiment.analyser.js';

// Model 1.4.0: a line break ends a clause as a full stop does, a dash between words as a comma
// does, a hyphen inside a word ends nothing, and an intensifier stays in its clause.

const analyser = createSentimentAnalyser();
const score = (lang: string, text: string): number => analyser.analyse(text, lang)!.score;

interface Case {
  lang: string;
  /** A clause whose negator or intensifier would otherwise reach the next clause's word. */
  first: string;
  second: string;
  /** The language's full stop. */
  stop: string;
}

// A negator with nothing to negate in its own clause, then a complaint: the complaint stays negative.
const NEGATED: Case[] = [
  { lang: 'en', first: 'No refund', second: 'terrible service', stop: '.' },
  { lang: 'en', first: 'Not bad', second: 'Terrible service', stop: '.' },
  { lang: 'cs', first: 'Nic moc', second: 'hrozná obsluha', stop: '.' },
  { lang: 'hi', first: 'रिफंड नहीं मिला', second: 'बेकार सेवा', stop: '।' },
  { lang: 'gu', first: 'રિફંડ નથી મળ્યું', second: 'ખરાબ સેવા', stop: '.' },
  { lang: 'fa', first: 'هیچ تخفیفی', second: 'افتضاح است', stop: '.' },
  { lang: 'ta', first: 'பதில் இல்லை', second: 'மோசமான சேவை', stop: '.' },
];

// An intensifier that ends its clause (nothing after it in its clause to boost), then praise; and the
// same intensifier boosting a word of its own clause.
const BOOSTED: Array<Case & { without: string; within: [string, string] }> = [
  { lang: 'en', first: 'I waited so long', without: 'I waited long', second: 'Great food', stop: '.', within: ['so great', 'great'] },
  { lang: 'cs', first: 'Fronta byla fakt dlouhá', without: 'Fronta byla dlouhá', second: 'Skvělé jídlo', stop: '.', within: ['fakt skvělé', 'skvělé'] },
  { lang: 'hi', first: 'भीड़ बहुत थी', without: 'भीड़ थी', second: 'खाना अच्छा था', stop: '।', within: ['बहुत अच्छा', 'अच्छा'] },
  { lang: 'gu', first: 'ભીડ ખૂબ હતી', without: 'ભીડ હતી', second: 'જમવાનું સારું હતું', stop: '.', within: ['ખૂબ સારું', 'સારું'] },
  { lang: 'fa', first: 'صف خیلی طولانی بود', without: 'صف طولانی بود', second: 'عالی بود', stop: '.', within: ['خیلی عالی', 'عالی'] },
  { lang: 'ta', first: 'கூட்டம் ரொம்ப இருந்தது', without: 'கூட்டம் இருந்தது', second: 'சாப்பாடு நல்லா இருந்தது', stop: '.', within: ['ரொம்ப நல்லா', 'நல்லா'] },
];

const DASHES = { 'an em dash': ' — ', 'an en dash': ' – ', 'a spaced hyphen': ' - ' };

describe('a line break ends a clause wherever a full stop would', () => {
  for (const { lang, first, second, stop } of NEGATED) {
    it(`${lang}: the negator of "${first}" does not reach "${second}" on the next line`, () => {
      const text = `${first}\n${second}`;
      expect(score(lang, text)).toBeLessThan(0);
      expect(score(lang, text)).toBe(score(lang, `${first}${stop} ${second}`));
    });
  }

  it('en: CR LF, NEL and the Unicode line and paragraph separators are line breaks too', () => {
    const stopped = score('en', 'No refund. terrible service');
    for (const brk of ['\r\n', '\r', '\u0085', '\u2028', '\u2029']) expect(score('en', `No refund${brk}terrible service`), JSON.stringify(brk)).toBe(stopped);
  });

  it('en: a title\'s negator does not reach into the text, which the scorer puts on the next line', () => {
    const scored = createScorer({ analyser }).score({ title: 'Not bad', text: 'Terrible support though', langHint: 'en' });
    expect(scored.sentiment.score).toBe(score('en', 'Not bad. Terrible support though'));
  });
});

describe('a dash between words ends a clause as a comma does', () => {
  for (const [name, dash] of Object.entries(DASHES)) {
    for (const { lang, first, second } of NEGATED) {
      it(`${lang}: ${name} stops the negator of "${first}" before "${second}"`, () => {
        const text = `${first}${dash}${second}`;
        expect(score(lang, text)).toBeLessThan(0);
        expect(score(lang, text)).toBe(score(lang, `${first}, ${second}`));
      });
    }
  }

  it('en: an unspaced em dash and a typed double hyphen are dashes too', () => {
    const comma = score('en', 'not great, awful');
    expect(comma).toBeLessThan(0);
    for (const text of ['not great—awful', 'not great -- awful', 'not great--awful', 'not great ― awful']) expect(score('en', text), text).toBe(comma);
  });

  it('cs: "nic moc – hrozná obsluha" is a complaint', () => {
    expect(score('cs', 'nic moc – hrozná obsluha')).toBeLessThan(0);
  });
});

describe('a hyphen inside a word ends nothing and keeps its word whole', () => {
  it('en: a negator that is part of a hyphenated word negates only that word: "non-stop fun" is fun', () => {
    expect(score('en', 'non-stop fun')).toBeGreaterThan(0);
    expect(score('en', 'never-ending fun')).toBeGreaterThan(0);
    expect(score('en', 'non-toxic and great')).toBeGreaterThan(0);
    // A negator standing on its own still reaches into and across a hyphenated word.
    expect(score('en', 'not user-friendly')).toBeLessThan(0);
  });

  it('hi: "बिना-झंझट" (hassle-free) does not negate the praise after it; a hyphenated word does not stop नहीं', () => {
    expect(score('hi', 'बिना-झंझट बढ़िया सेवा')).toBeGreaterThan(0);
    expect(score('hi', 'बिना-रुके बढ़िया मनोरंजन')).toBeGreaterThan(0);
    expect(score('hi', 'खाना अच्छा-खासा नहीं था')).toBeLessThan(0);
  });

  it('gu: a hyphen inside a word does not end the clause of the negator after it; a spaced hyphen does', () => {
    expect(score('gu', 'સારું ચેક-ઇન નથી')).toBeLessThan(0);
    expect(score('gu', 'રિફંડ નથી મળ્યું - ખરાબ સેવા')).toBeLessThan(0);
  });
});

describe('an intensifier modifies only words of its own clause', () => {
  for (const { lang, first, without, second, stop, within } of BOOSTED) {
    const ends = { 'a full stop': `${stop} `, 'a line break': '\n', ...DASHES };
    for (const [name, end] of Object.entries(ends)) {
      it(`${lang}: the intensifier of "${first}" does not boost "${second}" after ${name}, only words of its own clause`, () => {
        expect(score(lang, `${first}${end}${second}`)).toBe(score(lang, `${without}${end}${second}`));
        expect(score(lang, within[0])).toBeGreaterThan(score(lang, within[1]));
      });
    }
  }

  it('en: an intensifier does not reach past a contrastive "but", which ends a negator\'s clause too', () => {
    expect(score('en', 'the wait was really long but great food')).toBe(score('en', 'the wait was long but great food'));
  });
});
