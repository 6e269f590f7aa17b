import { describe, expect, it } from 'vitest';
import { scoreStored } from '../../../src/domain/mentions/rescore.usecases.js';
import { createScorer } from '../../../src/domain/scoring/scorer.js';
import { blankTerms, namingTerms } from '../../../src/domain/scoring/scorer.ignore.js';

// A brand's name is no opinion of it: "Best Buy", "Happy Cow", "Zlatá Lžička" (golden spoon),
// "شیرین عسل" (sweet honey), "आनंद स्वीट्स" (joy sweets), "நல்ல கீரை" (good greens) hold sentiment
// words, and the terms a post was matched on are left out of its language and sentiment.
const scorer = createScorer();
const score = (text: string, ignore?: string[]) => scorer.score({ title: null, text, ignore });

describe('the terms a post was matched on', () => {
  // The post, the terms it was matched on, its language, its label with the name read as words, and without.
  const posts: Array<[string, string[], string, string, 'negative' | 'neutral']> = [
    ['Best Buy support was useless', ['best buy'], 'en', 'positive', 'negative'],
    ['Happy Cow ice cream melted and tasted awful', ['happy cow'], 'en', 'positive', 'negative'],
    ['Zlatá Lžička: káva byla studená', ['zlatá lžička'], 'cs', 'positive', 'neutral'],
    ['کیک شیرین عسل بد بود', ['شیرین عسل'], 'fa', 'neutral', 'negative'],
    ['आनंद स्वीट्स की मिठाई बासी और बेकार थी', ['आनंद स्वीट्स'], 'hi', 'positive', 'negative'],
    ['நல்ல கீரை டெலிவரி தாமதம்', ['நல்ல கீரை'], 'ta', 'positive', 'negative'],
  ];
  for (const [text, ignore, lang, before, after] of posts) {
    it(`leave the name out of "${text}" (${lang}): ${before} → ${after}`, () => {
      expect(score(text).sentiment.label).toBe(before);
      expect(score(text, ignore)).toMatchObject({ lang, sentiment: { label: after } });
    });
  }

  it('do not decide the language: "Zlatá Lžička price too high, expensive." is not Czech, and negative', () => {
    const text = 'Zlatá Lžička price too high, expensive.';
    expect(score(text)).toMatchObject({ lang: 'cs', sentiment: { label: 'positive' } });
    const masked = score(text, ['zlatá lžička']);
    expect(masked.lang).not.toBe('cs');
    expect(masked.sentiment.label).toBe('negative');
    expect(scorer.detect({ title: null, text, ignore: ['zlatá lžička'] }).lang).not.toBe('cs');
  });

  it('are found as the matcher finds them: a query word without Latin marks finds the word with them', () => {
    expect(score('Zlatá Lžička price too high, expensive.', ['zlata lzicka']).sentiment.label).toBe('negative');
  });

  it('are left out as phrases: "Best Buy has the best prices" still counts its second "best"', () => {
    const masked = score('Best Buy has the best prices', ['best buy']);
    expect(masked.sentiment).toEqual(score('has the best prices').sentiment);
    expect(masked.sentiment.label).toBe('positive');
  });

  it('leave a name that is the whole post unscored, as any post without an opinion in a known language', () => {
    expect(score('Best Buy').sentiment.label).toBe('positive');
    expect(score('Best Buy', ['best buy']).sentiment.label).toBe('unscored');
  });

  it('take the hashtags and handles they name, and a tag spelling a term run together', () => {
    expect(score('#BestBuy support was useless').sentiment.label).toBe('positive');
    expect(score('#BestBuy support was useless', ['#bestbuy']).sentiment.label).toBe('negative');
    expect(score('#BestBuy support was useless, says Best Buy', ['best buy']).sentiment.label).toBe('negative');
    expect(score('@happy_cow the ice cream melted').sentiment.label).toBe('positive');
    expect(score('@happy_cow the ice cream melted', ['@happy_cow']).sentiment.label).toBe('neutral');
  });

  it('leave "I love Chaiwala Express masala chai" English praise, with the name or without it', () => {
    expect(score('I love Chaiwala Express masala chai')).toMatchObject({ lang: 'en', sentiment: { label: 'positive' } });
    expect(score('I love Chaiwala Express masala chai', ['chaiwala express'])).toMatchObject({ lang: 'en', sentiment: { label: 'positive' } });
  });

  it('are found in the title and the text, never as one phrase across them', () => {
    expect(scorer.score({ title: 'Good Morning America', text: 'a boring segment', ignore: ['good morning america'] }).sentiment.label).toBe('negative');
    const apart = { title: 'Good', text: 'Morning America' };
    expect(scorer.score({ ...apart, ignore: ['good morning america'] })).toEqual(scorer.score(apart));
    expect(scorer.score(apart).sentiment.label).toBe('positive');
  });

  it('make a detection made without them count only when none of them occurs', () => {
    const text = 'Zlatá Lžička price too high, expensive.';
    const unmasked = scorer.detect({ title: null, text });
    expect(unmasked.lang).toBe('cs');
    expect(scorer.score({ title: null, text, ignore: ['zlatá lžička'] }, unmasked).lang).not.toBe('cs');
    // Nothing to leave out: the detection handed over is the answer.
    expect(scorer.score({ title: null, text, ignore: ['acme'] }, { lang: 'de', langConfidence: 0.9 }).lang).toBe('de');
  });

  it('are left out when a stored mention is rescored (mentions.keywords)', () => {
    const row = { title: null, text: 'Happy Cow ice cream melted and tasted awful', lang: 'en', lang_confidence: 0.9 };
    expect(scoreStored(scorer, row).sentiment.label).toBe('positive');
    expect(scoreStored(scorer, { ...row, keywords: ['happy cow'] }).sentiment.label).toBe('negative');
  });
});

describe('blankTerms', () => {
  const blank = (text: string, keywords: string[]) => blankTerms(text, keywords);

  it('returns the very same string when no term occurs', () => {
    const text = 'Acme is great';
    expect(blank(text, ['best buy', '#bestbuy', '@bestbuy'])).toBe(text);
  });

  it('blanks a phrase where it stands, keeping every other character in place', () => {
    expect(blank('Best Buy has the best prices', ['best buy'])).toBe('         has the best prices');
    expect(blank('I asked T-Mobile, useless.', ['t-mobile'])).toBe('I asked         , useless.');
  });

  it('blanks the whole word a prefix term starts, and no word the term is only inside', () => {
    expect(blank('AcmeCoffee is good', ['acme*'])).toBe('           is good');
    expect(blank('the bestbuyer is happy', ['best buy'])).toBe('the bestbuyer is happy');
  });

  it('reads Arabic-keyboard letters, ZWNJ and the Devanagari nukta as the matcher does', () => {
    // ي and ك for ی and ک; a query without the ZWNJ finds the word written with it, and the other way round.
    expect(blank('شکلات شيرين عسل بد بود', ['شیرین عسل']).trim()).toBe('شکلات           بد بود'.trim());
    expect(blank('خوب‌کالا دیر رسید', ['خوبکالا'])).toBe('         دیر رسید');
    expect(blank('خوبکالا دیر رسید', ['خوب‌کالا'])).toBe('        دیر رسید');
    expect(blank('कॉफ़ी हाउस बेकार है', ['कॉफी हाउस'])).toBe(`${' '.repeat('कॉफ़ी हाउस'.length)} बेकार है`);
  });

  it('blanks Tamil and Devanagari words whole, with their vowel signs and viramas', () => {
    expect(blank('நல்ல கீரை டெலிவரி தாமதம்', ['நல்ல கீரை'])).toBe(`${' '.repeat('நல்ல கீரை'.length)} டெலிவரி தாமதம்`);
    expect(blank('मुझे आनंद स्वीट्स पसंद नहीं', ['आनंद स्वीट्स'])).toBe(`मुझे ${' '.repeat('आनंद स्वीट्स'.length)} पसंद नहीं`);
  });

  it('blanks a tag or handle with its sign, and a Mastodon handle on any instance', () => {
    expect(blank('love it #HappyCow, #happycowfan', ['#happycow'])).toBe('love it          , #happycowfan');
    expect(blank('ask @happy_cow@mastodon.social now', ['@happy_cow'])).toBe(`ask ${' '.repeat('@happy_cow@mastodon.social'.length)} now`);
    expect(blank('mail me@happy_cow.com', ['@happy_cow'])).toBe('mail me@happy_cow.com');
  });
});

describe('namingTerms', () => {
  it('keeps the terms that name a brand and leaves the query’s other terms to be scored', () => {
    const keywords = ['best buy', 'broken', '#bestbuydeals', '@zlatalzicka', 'zlata lzicka', 'acme*', 'love', '#fail', 'کیک شیرین', 'شیرین', 'बेकार'];
    expect(namingTerms(keywords, ['Best Buy', 'Zlatá Lžička', 'Acme', 'کیک شیرین عسل'])).toEqual([
      'best buy',
      '#bestbuydeals',
      '@zlatalzicka',
      'zlata lzicka',
      'acme*',
      'کیک شیرین',
      'شیرین',
    ]);
    expect(namingTerms(keywords, [])).toEqual([]);
  });
});
