import { describe, expect, it } from 'vitest';
import { createSentimentAnalyser } from '../../src/domain/sentiment/sentiment.analyser.js';
import { labelFor, NEUTRAL_BAND } from '../../src/domain/sentiment/sentiment.label.js';
import { createTokeniser } from '../../src/domain/sentiment/sentiment.tokens.js';

const analyser = createSentimentAnalyser();
const en = (text: string): number => analyser.analyse(text, 'en')!.score;

describe('English rules', () => {
  it('a negator within three words flips and damps the sentiment word', () => {
    expect(en('The food was good')).toBeGreaterThan(0);
    expect(en('The food was not good')).toBeLessThan(0);
    expect(en("The food wasn't good")).toBeLessThan(0);
    expect(en('I never said the food was good at all, the end')).toBeGreaterThan(0);
  });

  it('"not bad" reads as mildly positive', () => {
    expect(en('not bad')).toBeGreaterThan(0);
  });

  it('"no" negates the next two words and only scores on its own when it negates nothing', () => {
    expect(en('no good')).toBeLessThan(0);
    expect(en('no regrets')).toBeGreaterThan(0);
    expect(en('no longer works after the update')).toBeLessThan(0);
    expect(en('there is no plot')).toBeLessThan(0);
    expect(en('no, I would say it was really good')).toBeGreaterThan(0);
  });

  it('lukewarm verdicts: "could be better" is a complaint, "couldn\'t have been better" praise', () => {
    expect(en('could be better')).toBeLessThan(0);
    expect(en('the app could have been better')).toBeLessThan(0);
    expect(en("couldn't have been better")).toBeGreaterThan(0);
    expect(en("couldn't be worse")).toBeLessThan(0);
    expect(en('nothing special')).toBeLessThan(0);
  });

  it('intensifiers raise and diminishers lower the next sentiment word', () => {
    expect(en('The food was very good')).toBeGreaterThan(en('The food was good'));
    expect(en('The food was slightly good')).toBeLessThan(en('The food was good'));
  });

  it('a word in capitals among lowercase words is emphasised, an all-capitals text is not', () => {
    expect(en('The food was GOOD')).toBeGreaterThan(en('The food was good'));
    expect(en('THE FOOD WAS GOOD')).toBeCloseTo(en('the food was good'), 10);
  });

  it('exclamation marks add emphasis, up to four', () => {
    expect(en('The food was good!')).toBeGreaterThan(en('The food was good'));
    expect(en('The food was good!!!')).toBeGreaterThan(en('The food was good!'));
    expect(en('The food was good!!!!!!!!')).toBeCloseTo(en('The food was good!!!!'), 10);
  });

  it('after a contrastive "but" the second clause outweighs the first', () => {
    expect(en('The food was great but the service was bad')).toBeLessThan(0);
    expect(en('The food was bad but the service was great')).toBeGreaterThan(0);
  });

  it('emoji and emoticons carry sentiment', () => {
    expect(en('new phone 😍')).toBeGreaterThan(0);
    expect(en('new phone 😡')).toBeLessThan(0);
    expect(en('new phone :)')).toBeGreaterThan(0);
    expect(en('new phone :(')).toBeLessThan(0);
    expect(en('new phone <3')).toBeGreaterThan(0);
  });

  it('an emoticon-like run inside a link or a list number is not an emoticon', () => {
    expect(en('see https://example.com/phone')).toBe(0);
    expect(en('(item 8)')).toBe(0);
  });

  it('slang and initialisms are scored', () => {
    expect(en('new update lol')).toBeGreaterThan(0);
    expect(en('another outage fml')).toBeLessThan(0);
    expect(en('wtf is this update')).toBeLessThan(0);
  });

  it('hashtags are split into words, camel-cased or not, and negation works inside them', () => {
    expect(en('#BestDayEver')).toBeGreaterThan(0);
    expect(en('#bestdayever')).toBeGreaterThan(0);
    expect(en('#notgood')).toBeLessThan(0);
    expect(en('#fail')).toBeLessThan(0);
  });

  it('a pathologically long hashtag is looked up whole instead of segmented', () => {
    const started = performance.now();
    expect(en(`#${'great'.repeat(2000)}`)).toBe(0);
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('set phrases beat their words: "to die for" is praise, "won\'t go back" is a complaint', () => {
    expect(en('The tiramisu is to die for')).toBeGreaterThan(0);
    expect(en('We will not go back')).toBeLessThan(0);
    expect(en('Could not be happier')).toBeGreaterThan(0);
    expect(en('no problems so far')).toBeGreaterThan(0);
  });

  it('"as well" (also) is neutral: its "well" is no praise', () => {
    expect(en('Kofi has a new app as well')).toBe(0);
    expect(en('Kofi raised prices as well')).toBe(en('Kofi raised prices'));
    // "well" on its own still is.
    expect(en('the app works well')).toBeGreaterThan(0);
    expect(en('well done')).toBeGreaterThan(0);
  });

  it('"like" after a form of "be" is a comparison, not liking', () => {
    expect(en('the potatoes were like rubber')).toBe(0);
    expect(en('I like the potatoes')).toBeGreaterThan(0);
  });

  it('texts made of object-prototype names score without throwing', () => {
    for (const text of ['constructor', '__proto__', 'toString hasOwnProperty valueOf', '#constructor', 'prototype __defineGetter__']) {
      const result = analyser.analyse(text, 'en')!;
      expect(result.score).toBe(0);
    }
  });

  it('scores stay within −1..1 however much sentiment piles up', () => {
    const score = en('GREAT '.repeat(200) + 'good!!!!!');
    expect(score).toBeLessThanOrEqual(1);
    expect(score).toBeGreaterThan(0.99);
  });
});

describe('labels', () => {
  it(`scores within ±${NEUTRAL_BAND} are neutral and the band edges belong to the polar labels`, () => {
    expect(labelFor(0)).toBe('neutral');
    expect(labelFor(NEUTRAL_BAND - 0.001)).toBe('neutral');
    expect(labelFor(-NEUTRAL_BAND + 0.001)).toBe('neutral');
    expect(labelFor(NEUTRAL_BAND)).toBe('positive');
    expect(labelFor(-NEUTRAL_BAND)).toBe('negative');
  });
});

describe('tokeniser', () => {
  const tokenise = createTokeniser();

  it('keeps Devanagari matras, Tamil vowel signs and Persian ZWNJ inside their words', () => {
    expect(tokenise('बहुत अच्छा है').tokens.map((t) => t.norm)).toEqual(['बहुत', 'अच्छा', 'है']);
    expect(tokenise('மிகவும் அருமை').tokens.map((t) => t.norm)).toEqual(['மிகவும்', 'அருமை']);
    expect(tokenise('نمی‌خواهم این را').tokens.map((t) => t.norm)).toEqual(['نمی‌خواهم', 'این', 'را']);
  });

  it('keeps an emoji with its skin tone and ZWJ sequence as one token', () => {
    // The skin tone is read as the bare emoji (since model 1.6.6), which the lexicon lists.
    expect(tokenise('ok 👍🏽 👨‍👩‍👧').tokens.map((t) => t.norm)).toEqual(['ok', '👍', '👨‍👩‍👧']);
  });

  it('counts exclamation and question marks', () => {
    const { exclamations, questions } = tokenise('really?? yes!!!');
    expect({ exclamations, questions }).toEqual({ exclamations: 3, questions: 2 });
  });
});
