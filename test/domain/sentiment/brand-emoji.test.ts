import { describe, expect, it } from 'vitest';
import { createScorer } from '../../../src/domain/scoring/scorer.js';
import { createSentimentAnalyser } from '../../../src/domain/sentiment/sentiment.analyser.js';

// "Lumen Coffee 😍😍": the brand's name is left out of the post's scoring (scorer.ignore.ts), and
// what is left is the writer's reaction to the brand, in emoji or emoticons alone. Every lexicon
// values those alike, so the post is scored by them whatever its language, which stays null.

const scorer = createScorer();
const score = (text: string, ignore: string[] | null) => scorer.score({ title: null, text, ignore });

describe('a brand post whose only words are the brand’s name', () => {
  const posts: Array<[string, string[], 'positive' | 'negative']> = [
    ['Lumen Coffee 😍😍', ['lumen coffee'], 'positive'],
    ['Globex 👎👎', ['globex'], 'negative'],
    ['Lumen Coffee 😡😡😡', ['lumen coffee'], 'negative'],
    ['😍 Lumen Coffee 😍', ['lumen coffee'], 'positive'],
    // A tag spelling the name run together is the name (the matcher's keyword is the phrase), and so is a tag given as a keyword.
    ['😍😍 #LumenCoffee', ['lumen coffee'], 'positive'],
    ['😍😍 #LumenCoffee', ['#lumencoffee'], 'positive'],
    ['Lumen Coffee :)', ['lumen coffee'], 'positive'],
    ['Lumen Coffee :(', ['lumen coffee'], 'negative'],
    ['Lumen Coffee xD', ['lumen coffee'], 'positive'],
    ['Acme 😍😍😍', ['acme'], 'positive'],
    ['ज़ायका 😡😡', ['ज़ायका'], 'negative'],
    // Handles, a tag of two letters, punctuation and figures are no words a lexicon reads.
    ['Lumen Coffee 😍😍 @lumencoffee.bsky.social', ['lumen coffee'], 'positive'],
    ['Lumen Coffee 😍 #ad', ['lumen coffee'], 'positive'],
    ['Lumen Coffee!!! 😍', ['lumen coffee'], 'positive'],
    ['Lumen Coffee 10/10 😍', ['lumen coffee'], 'positive'],
    ['Lumen Coffee 👎 https://lumen.example/menu', ['lumen coffee'], 'negative'],
  ];
  for (const [text, ignore, label] of posts) {
    it(`scores "${text}" (${ignore.join(', ')} left out) ${label} by its emoji, its language left null`, () => {
      expect(score(text, ignore)).toMatchObject({ lang: null, langConfidence: 0, sentiment: { label, model: scorer.model } });
    });
  }

  it('gives the emoji the score they have beside a name that is not left out', () => {
    expect(score('Acme 😍😍😍', ['acme']).sentiment.score).toBeCloseTo(score('Acme 😍😍😍', null).sentiment.score, 12);
    expect(score('Globex 👎👎', ['globex']).sentiment.score).toBeCloseTo(score('Globex 👎👎', null).sentiment.score, 12);
  });

  it('reads a heart or a thumb written with its emoji selector or a skin tone as the bare one', () => {
    const pairs: Array<[string, string]> = [['Lumen Coffee ❤️', 'Lumen Coffee ❤'], ['Lumen Coffee 👍🏽', 'Lumen Coffee 👍'], ['Lumen Coffee ☹️', 'Lumen Coffee ☹']];
    for (const [text, bare] of pairs) {
      const read = score(text, ['lumen coffee']);
      expect(read.sentiment.label, text).not.toBe('unscored');
      expect(read.sentiment.score, text).toBe(score(bare, ['lumen coffee']).sentiment.score);
      expect(score(text, null).sentiment.score, text).toBe(score(bare, null).sentiment.score);
    }
    expect(score('Great coffee ❤️', null).sentiment.score).toBe(score('Great coffee ❤', null).sentiment.score);
  });

  it('scores the emoji alike in every language’s lexicon, so no language has to be chosen', () => {
    const analyser = createSentimentAnalyser();
    for (const text of ['  😍😍', ' 👎👎', ' :) ', '!!! 😍 ', ' 10/10 😡', '😍 👎', ' ❤️ 👍🏽']) {
      const scores = new Set(analyser.languages.map((lang) => analyser.analyse(text, lang)!.score));
      expect(scores.size, text).toBe(1);
    }
  });
});

describe('what stays as it was', () => {
  it('leaves a post of emoji alone unscored, with no brand’s name in it: nothing says what the reaction is to', () => {
    for (const text of ['😍😍😍', '😂😂😂', '👎', ':)']) expect(score(text, null), text).toMatchObject({ lang: null, sentiment: { label: 'unscored' } });
  });

  it('leaves a brand’s name with an emoji that says nothing unscored, as it is with the name read', () => {
    for (const text of ['Lumen Coffee ☕', 'Lumen Coffee ☕☕ #LumenCoffee', 'Lumen Coffee']) {
      expect(score(text, ['lumen coffee']), text).toMatchObject({ lang: null, sentiment: { label: 'unscored' } });
    }
    expect(score('Lumen Coffee ☕', null).sentiment.label).toBe('unscored');
  });

  it('does not let emoji outvote words no lexicon of the post can read', () => {
    for (const text of ['Lumen Coffee отлично 😍', 'Lumen Coffee 最悪 😍']) {
      expect(score(text, ['lumen coffee']), text).toMatchObject({ lang: null, sentiment: { label: 'unscored' } });
    }
  });

  it('scores a brand post with words and emoji by its words and emoji, as before', () => {
    const read = score('Lumen Coffee is great 😍', ['lumen coffee']);
    expect(read).toMatchObject({ lang: 'en', sentiment: { label: 'positive' } });
    expect(read.sentiment.score).toBeCloseTo(0.8402, 4);
    expect(score('Lumen Coffee 😍 #yum', ['lumen coffee']).sentiment.score).toBeCloseTo(0.5994, 4);
    expect(score('Acme 😍😍😍', null).sentiment.score).toBeCloseTo(0.9136, 4);
  });
});
