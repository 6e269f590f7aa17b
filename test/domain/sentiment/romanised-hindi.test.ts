import { describe, expect, it } from 'vitest';
import { createScorer } from '../../../src/domain/scoring/scorer.js';
import { createSentimentAnalyser } from '../../../src/domain/sentiment/sentiment.analyser.js';

// Romanised Hindi ("Hinglish") as social posts write it, from the multilingual audit of model 1.6.4:
// its negators did not negate ("app accha nahi hai" read as "accha"), and its words were read by no
// lexicon. Model 1.6.5 reads them with the English profile, with Hindi's negation (profile.hinglish.ts).
const scorer = createScorer();
const analyser = createSentimentAnalyser();
const label = (text: string) => scorer.score({ title: null, text }).sentiment.label;
const score = (text: string, lang: string) => analyser.analyse(text, lang)!.score;

describe('romanised Hindi negators follow the word they negate, as नहीं does', () => {
  it('"nahi", "nahin" and "nhi" negate the English or Hinglish word before them', () => {
    for (const text of ['app accha nahi hai', 'app accha nahin hai', 'app acha nhi hai', 'app good nahi hai', 'quality theek nahi thi']) {
      expect(label(text), text).toBe('negative');
    }
    // The same posts without the negator are praise.
    expect(label('app accha hai')).toBe('positive');
    expect(label('app good hai yaar')).toBe('positive');
  });

  it('negates a complaint too: "koi problem nahi" (no problem) is praise', () => {
    expect(label('koi problem nahi, accha hai')).toBe('positive');
    expect(score('koi problem nahi', 'en')).toBeGreaterThan(0);
  });

  it('a negator that has negated the word before it leaves the next one alone: "accha nahi, bekaar" without the comma', () => {
    expect(score('accha nahi bekaar hai', 'en')).toBeLessThan(score('accha nahi', 'en'));
    expect(score('accha nahi bekaar hai', 'en')).toBeLessThan(-0.5);
  });

  it('reads Hinglish intensifiers and complaints: "service bilkul bekaar", "bakwas", "ghatiya"', () => {
    expect(label('service bilkul bekaar')).toBe('negative');
    expect(score('service bilkul bekaar', 'en')).toBeLessThan(score('service bekaar', 'en'));
    expect(label('Acme ki delivery bilkul bekaar thi')).toBe('negative');
    expect(label('ekdam bakwas phone, paisa barbaad')).toBe('negative');
    expect(label('Acme ka phone bahut accha hai yaar')).toBe('positive');
    expect(label('paisa vasool')).toBe('positive');
    expect(label('kuch khaas nahi tha')).toBe('negative');
  });

  it('"mat" (don\'t) and "na" (not) are negators only in a post holding romanised Hindi', () => {
    expect(label('ye phone mat kharidna yaar')).toBe('negative');
    expect(score('pasand na aaye to wapas karo', 'en')).toBeLessThan(0);
    // "mat" reaches only the word before it: "Great yoga mat hai" is praise; without a Hindi word it is a mat.
    expect(label('Great yoga mat hai')).toBe('positive');
    expect(score('Great yoga mat', 'en')).toBe(score('Great yoga', 'en'));
    // "NA" (North America) in an English post.
    expect(score('Great prices in NA and EU', 'en')).toBe(score('Great prices in EU', 'en'));
  });

  it('"na?" closing a question asks for agreement and negates nothing, as "ना?" does', () => {
    expect(label('accha hai na?')).toBe('positive');
    expect(score('accha hai na?', 'en')).toBe(score('accha hai?', 'en'));
  });

  it('reads romanised Hindi inside a Devanagari post as नहीं would be read', () => {
    expect(score('यह phone accha nahi है', 'hi')).toBeLessThan(0);
    expect(score('यह phone good nahi है', 'hi')).toBeLessThan(0);
    expect(score('यह phone accha है', 'hi')).toBeGreaterThan(0);
  });

  it('leaves English posts as they were: no Hinglish word, no change', () => {
    expect(score('The yoga mat is great', 'en')).toBe(score('The yoga is great', 'en'));
    expect(score('na na na, great song', 'en')).toBe(score('great song', 'en'));
    expect(label('My back ache is killing me')).toBe('negative');
  });
});

describe('"theek hai, kuch khaas nahi" (it is okay, nothing special) is a lukewarm verdict', () => {
  const scoreOf = (text: string) => scorer.score({ title: null, text }).sentiment.score;

  it('reads mildly negative in every common spelling, romanised and in Devanagari, never as praise', () => {
    const texts = [
      'theek hai, kuch khaas nahi', 'thik hai, kuch khas nahi', 'theek hai, koi khaas nahi', 'theek hai kuchh khaas nahin',
      'theek hai, kuch bhi khaas nahi', 'theek hai yaar, kuch khaas nhi', 'phone theek hai, koi khaas baat nahi',
      'ठीक है, कुछ खास नहीं', 'ठीक है, कोई ख़ास नहीं', 'ठीक है, कुछ भी खास नहीं', 'फ़ोन ठीक है, कोई खास बात नहीं',
    ];
    for (const text of texts) {
      expect(label(text), text).toBe('negative');
      expect(scoreOf(text), text).toBeGreaterThan(-0.35);
    }
  });

  it('"nothing special" alone is the complaint, in each of its forms, as "kuch khaas nahi" was', () => {
    for (const text of ['koi khaas nahi', 'kuchh khaas nahi', 'kuch khaas nhi', 'kuch bhi khaas nahi', 'koi khaas baat nahi hai', 'कोई खास नहीं', 'कुछ भी ख़ास नहीं']) {
      expect(scoreOf(text), text).toBeCloseTo(scoreOf('kuch khaas nahi'), 6);
    }
  });

  it('"theek hai" alone is a mild okay, and "theek thaak" (so-so) is neutral', () => {
    expect(scoreOf('theek hai')).toBeGreaterThan(0);
    expect(scoreOf('theek hai')).toBeLessThanOrEqual(0.25);
    for (const text of ['theek thaak hai', 'camera thik thak hai', 'ठीक-ठाक है', 'कैमरा ठीक ठाक है']) expect(label(text), text).toBe('neutral');
    // Negated it is still a complaint.
    expect(label('quality theek nahi thi')).toBe('negative');
  });
});
