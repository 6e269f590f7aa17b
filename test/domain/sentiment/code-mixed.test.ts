import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../../src/domain/language/language.detect.js';
import { createScorer } from '../../../src/domain/scoring/scorer.js';
import { createSentimentAnalyser } from '../../../src/domain/sentiment/sentiment.analyser.js';
import { createBrandReader, readingOf } from '../../../src/domain/themes/brand-readings.js';

// Posts from the multilingual audit of model 1.6.3 (2026), each one it read wrongly, and their kin:
// English words inside Hindi, Persian and Czech posts, Persian negation scope and spoken forms, and
// a brand's announcements read as complaints. Scored as ingest scores a feed item (language detected).
const scorer = createScorer();
const analyser = createSentimentAnalyser();
const read = (text: string, langHint?: string) => scorer.score({ title: null, text, langHint });
const score = (text: string, lang: string) => analyser.analyse(text, lang)!.score;

describe('English words in a post in another language', () => {
  it('reads the English sentiment words of a Hindi post with the English lexicon', () => {
    // 1.6.3: neutral (0), the Latin words ignored.
    const post = read('अमूल का दूध बहुत bad है, totally disappointed');
    expect(post.lang).toBe('hi');
    expect(post.sentiment.label).toBe('negative');
    expect(score('यह फोन really great है', 'hi')).toBeGreaterThan(0.3);
  });

  it('weighs an English "but" in a Hindi post as a contrast, so the post reads as its last clause', () => {
    // 1.6.3: positive (+0.64), "but … awful" unread.
    const post = read('अमूल vs Mother Dairy: अमूल बहुत अच्छा है but Mother Dairy is awful');
    expect(post.lang).toBe('hi');
    expect(post.sentiment.label).toBe('negative');
  });

  it('gives Mother Dairy a negative reading and Amul a positive one in that post', () => {
    const brands = [
      { id: 'amul', name: 'Amul', query: 'amul OR अमूल' },
      { id: 'md', name: 'Mother Dairy', query: '"mother dairy" OR "मदर डेयरी"' },
    ];
    const reader = createBrandReader(brands, scorer);
    const text = 'अमूल vs Mother Dairy: अमूल बहुत अच्छा है but Mother Dairy is awful';
    const { lang, sentiment } = scorer.score({ title: null, text, ignore: ['amul', 'अमूल', 'mother dairy'] });
    const post = { label: sentiment.label, score: sentiment.score };
    const readings = reader.read({ title: null, text, lang, ...post }, ['amul', 'md']);
    expect(readingOf(readings, 'md', post).label).toBe('negative');
    expect(readingOf(readings, 'amul', post).label).toBe('positive');
  });

  it('lets an English negator reach only ahead, as in English, and a Hindi one after its word', () => {
    // "not" after "bad" in a Hindi post does not negate it (Hindi negators follow their word; English ones do not).
    expect(score('service bad है, not recommended', 'hi')).toBeLessThan(-0.3);
    expect(score('quality not good है', 'hi')).toBeLessThan(0);
    // नहीं after an English word negates it as it would a Hindi one: "not bad".
    expect(score('quality bad नहीं है', 'hi')).toBeGreaterThan(0);
  });

  it('reads English words in Persian and Czech posts, counting each word once', () => {
    expect(read('سفارشم دیر رسید، really disappointed').sentiment.label).toBe('negative');
    expect(score('Objednávka dorazila pozdě, totally disappointed', 'cs')).toBeLessThan(-0.3);
    // "super" is Czech too: read once, by the Czech lexicon.
    expect(analyser.analyse('Aplikace je super', 'cs')!.hits).toBe(1);
  });

  it('leaves a language’s own words that English would misread alone', () => {
    // Czech "po" (after) is VADER's "pissed off"; "no" (well) an English negator; Finglish "sad" a hundred.
    expect(score('Přišlo to po týdnu', 'cs')).toBe(0);
    expect(score('No, přišlo to včas', 'cs')).toBe(0);
    expect(score('sad', 'fa')).toBe(0);
    expect(score('bad', 'fa')).toBeLessThan(0);
    // Czech "ty" (you, those) is VADER's "ty", thank you (+1.6): 1.6.4 read "ty ceny" (those prices) as praise.
    expect(score('Ty ceny', 'cs')).toBe(0);
    expect(score('Ty jo, zase nefunguje', 'cs')).toBeLessThan(0);
    // A department, not care taken.
    expect(score('customer care', 'en')).toBe(0);
    expect(read('Acme ka customer care accha nahi hai').sentiment.label).not.toBe('positive');
  });
});

describe('Persian negation and spoken forms', () => {
  it('"بدون" (without) negates the noun after it, not the verb further on', () => {
    // "Digikala cancelled my order without notice, I'm very upset": 1.6.3 +0.357.
    const post = read('دیجی‌کالا سفارشم را بدون اطلاع لغو کرد، خیلی ناراحتم.');
    expect(post.lang).toBe('fa');
    expect(post.sentiment.label).toBe('negative');
    expect(score('سفارشم را بدون اطلاع لغو کرد', 'fa')).toBeLessThan(0);
    // It still negates what it governs: "without any problem", "without trouble".
    expect(score('بدون مشکل رسید', 'fa')).toBeGreaterThan(0);
  });

  it('reads a sentiment word with a spoken copula ending as the word: ناراحتم, عالیه, خوبه, راضی‌ام', () => {
    expect(score('ناراحتم', 'fa')).toBe(score('ناراحت', 'fa'));
    expect(score('خیلی ناراحتم', 'fa')).toBeLessThan(-0.4);
    expect(score('عالیه', 'fa')).toBe(score('عالی', 'fa'));
    expect(score('خوبه', 'fa')).toBeGreaterThan(0);
    expect(score('راضی‌ام', 'fa')).toBeGreaterThan(0);
    expect(score('ناراحتیم', 'fa')).toBeLessThan(0);
  });

  it('reads "has never disappointed me, it\'s great" as praise', () => {
    // 1.6.3: neutral (0).
    expect(read('هیچ‌وقت ناامیدم نکرده، عالیه').sentiment.label).toBe('positive');
  });

  it('does not take a word for a listed word with a copula ending: دقیقه (minute) is not دقیق (precise)', () => {
    expect(score('چهل دقیقه', 'fa')).toBe(0);
    expect(score('فوریه', 'fa')).toBe(0);
    // A verb's person ending is no copula: خریدم (I bought).
    expect(score('دیروز خریدم', 'fa')).toBe(0);
  });

  it('does not detect a short Persian post as Arabic for "من" (I; Arabic "from"), and scores it in Persian', () => {
    expect(detectLanguage('من ناراحتم').lang).not.toBe('ar');
    expect(read('من ناراحتم').sentiment.label).toBe('negative');
    expect(detectLanguage('أنا من مصر').lang).toBe('ar');
  });
});

describe('a brand’s announcements carry no sentiment', () => {
  it('fa: "آغاز" (start; −2 in the package) and shares', () => {
    // "Digikala started its Yalda sale today": 1.6.3 negative.
    expect(read('دیجی‌کالا حراج یلدا را امروز آغاز کرد').sentiment.label).toBe('neutral');
    expect(score('سهام', 'fa')).toBe(0);
  });

  it('in the other languages: launched, discounts, offers, shares, delivery', () => {
    expect(read('Acme के शेयर आज दो प्रतिशत चढ़े').sentiment.label).toBe('neutral');
    for (const [lang, word] of [['ar', 'أطلقت'], ['ar', 'تخفيضات'], ['ar', 'تحديث'], ['ta', 'தள்ளுபடி'], ['ta', 'பங்கு'], ['cs', 'nabídka'], ['cs', 'akcie'], ['es', 'entrega'], ['en', 'launched']] as const) {
      expect(score(word, lang), `${lang} ${word}`).toBe(0);
    }
  });
});

describe('German "besser" (better)', () => {
  it('reads as praise, as "better" does in English, and "schlechter" stays a complaint', () => {
    // 1.6.3: neutral (0): the package's lexicon loses "besser" to its stopword list.
    expect(read('Der neue Service ist besser.').sentiment.label).toBe('positive');
    expect(read('Der neue Service ist viel besser als der alte.').sentiment.label).toBe('positive');
    expect(read('Das ist schlechter als früher.').sentiment.label).toBe('negative');
  });
});
