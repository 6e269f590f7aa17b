import { describe, expect, it } from 'vitest';
import { createSentimentAnalyser } from '../../../src/domain/sentiment/sentiment.analyser.js';

const analyser = createSentimentAnalyser();
const score = (lang: string, text: string): number => analyser.analyse(text, lang)!.score;

describe('a negator before its word stops at the end of its clause', () => {
  it('en: "no" and "not" do not reach past a comma, a full stop, a semicolon or a colon', () => {
    expect(score('en', 'no hassle, easy return')).toBeGreaterThan(0);
    expect(score('en', 'not bad, actually great')).toBeGreaterThan(0);
    expect(score('en', 'No. Great product')).toBeGreaterThan(0);
    expect(score('en', 'Not cheap; great quality though')).toBeGreaterThan(0);
    expect(score('en', 'nothing broke: great packaging')).toBeGreaterThan(0);
  });

  it('en: "no" and "not" still negate within their clause', () => {
    expect(score('en', 'not good')).toBeLessThan(0);
    expect(score('en', 'The food was not good, sadly')).toBeLessThan(0);
    expect(score('en', 'no good')).toBeLessThan(0);
  });

  it('en: a negator does not reach past a contrastive "but"', () => {
    expect(score('en', 'not bad but great')).toBeGreaterThan(0);
  });

  it('en: a set phrase with a negator lies within one clause: "No, wait" is not "can\'t wait"', () => {
    expect(score('en', 'No, wait, the update broke it')).toBeLessThan(0);
    expect(score('en', "can't wait")).toBeGreaterThan(0);
  });

  it('cs: "žádné", "bez" and "ne" do not reach past a comma', () => {
    expect(score('cs', 'žádné problémy, skvělý produkt')).toBeGreaterThan(0);
    expect(score('cs', 'bez problémů, skvělý produkt')).toBeGreaterThan(0);
    expect(score('cs', 'Ne, je to skvělé')).toBeGreaterThan(0);
    expect(score('cs', 'To není dobré')).toBeLessThan(0);
  });

  it('es: "no" and "sin" do not reach past a comma', () => {
    expect(score('es', 'No, es genial')).toBeGreaterThan(0);
    expect(score('es', 'sin problemas, excelente')).toBeGreaterThan(0);
    expect(score('es', 'No es bueno')).toBeLessThan(0);
  });

  it('hi: "नहीं" and "ना" do not reach past a comma or a danda', () => {
    expect(score('hi', 'नहीं, बहुत अच्छा है')).toBeGreaterThan(0);
    expect(score('hi', 'खाना बढ़िया था। ना कोई शिकायत')).toBeGreaterThan(0);
    expect(score('hi', 'यह अच्छा नहीं है')).toBeLessThan(0);
  });

  it('fa: "نه" and "نیست" do not reach past the Arabic comma', () => {
    expect(score('fa', 'نه، خیلی خوب است')).toBeGreaterThan(0);
    expect(score('fa', 'گران نیست، کیفیتش عالی است')).toBeGreaterThan(0);
    expect(score('fa', 'این گوشی خوب نیست')).toBeLessThan(0);
  });

  it('ne: "न" after a comma negates what follows it, not the praise before', () => {
    expect(score('ne', 'खाना मिठो, न महँगो न ढिलो')).toBeGreaterThan(0);
  });
});

describe('a negator after its word does not reach back across a clause boundary', () => {
  it('hi: "नहीं" after a comma or a danda leaves the praise before it alone', () => {
    expect(score('hi', 'डिज़ाइन पसंद आया, नहीं चाहिए कोई बदलाव')).toBeGreaterThan(0);
    expect(score('hi', 'सब अच्छा था। नहीं पता कब फिर आऊँगा')).toBeGreaterThan(0);
    expect(score('hi', 'मुझे डिज़ाइन पसंद नहीं आया')).toBeLessThan(0);
  });

  it('fa: "نه" after the Arabic comma or semicolon leaves the praise before it alone', () => {
    expect(score('fa', 'خوب است، نه؟')).toBeGreaterThan(0);
    expect(score('fa', 'عالی بود؛ نه گران')).toBeGreaterThan(0);
  });

  it('de: "nicht" after a comma or a full stop leaves the word before it alone', () => {
    expect(score('de', 'Gut, nicht wahr?')).toBeGreaterThan(0);
    expect(score('de', 'Toll. Nicht teuer')).toBeGreaterThan(0);
    expect(score('de', 'Das Design gefällt mir nicht')).toBeLessThan(0);
  });
});

describe('a sentence-final tag asks for agreement and negates nothing', () => {
  it('hi: "ना" and "न" closing a question are tags: "अच्छा है ना?" is praise', () => {
    expect(score('hi', 'अच्छा है ना?')).toBeGreaterThan(0);
    expect(score('hi', 'बढ़िया है न?')).toBeGreaterThan(0);
    expect(score('hi', 'अच्छा है ना??')).toBeGreaterThan(0);
    expect(score('hi', 'अच्छा है ना ?')).toBeGreaterThan(0);
    expect(score('hi', 'अच्छा है ना? मुझे तो बहुत पसंद आया')).toBeGreaterThan(0);
  });

  it('hi: a negation before the tag still negates, and "ना" inside a question still negates', () => {
    expect(score('hi', 'अच्छा नहीं है ना?')).toBeLessThan(0);
    expect(score('hi', 'पसंद ना आए तो?')).toBeLessThan(0);
  });

  it('ne: "न" closing a question is a tag, and "नि" never negated', () => {
    expect(score('ne', 'राम्रो छ न?')).toBeGreaterThan(0);
    expect(score('ne', 'राम्रो छ नि?')).toBeGreaterThan(0);
    expect(score('ne', 'राम्रो छैन न?')).toBeLessThan(0);
  });

  it('ta: spoken "இல்ல" closing a question is a tag, written "இல்லை" still negates', () => {
    expect(score('ta', 'படம் நல்லா இருக்கு இல்ல?')).toBeGreaterThan(0);
    expect(score('ta', 'இது நல்லது இல்லை?')).toBeLessThan(0);
    expect(score('ta', 'படம் நல்லா இல்ல')).toBeLessThan(0);
  });

  it('fa: "نه" closing a question is a tag ("خوبه نه؟", good, isn\'t it?)', () => {
    expect(score('fa', 'خوب است نه؟')).toBeGreaterThan(0);
    expect(score('fa', 'خوب نیست نه؟')).toBeLessThan(0);
  });
});

describe('clause boundaries inside hashtags and emoticons', () => {
  it('en: a segmented hashtag keeps the comma after it', () => {
    expect(score('en', '#notgood, great service')).toBeGreaterThan(0);
  });

  it('en: the colon of an emoticon is no clause boundary', () => {
    expect(score('en', 'not :) good')).toBeLessThan(score('en', ':) good'));
  });
});

describe('an emoji or emoticon is never negated', () => {
  it('en: "nobody told us 😠" and "not happy :(" are complaints', () => {
    expect(score('en', 'nobody told us 😠')).toBeLessThan(0);
    expect(score('en', 'not happy :(')).toBeLessThan(score('en', 'not happy'));
  });

  it('hi, ne, ta: a negated verb leaves the emoji after it alone', () => {
    expect(score('hi', 'किसी ने नहीं बताया 😠')).toBeLessThan(0);
    expect(score('ne', 'कसैले भनेन 😠')).toBeLessThan(0);
    expect(score('ta', 'யாரும் சொல்லவில்லை 😠')).toBeLessThan(0);
  });
});
