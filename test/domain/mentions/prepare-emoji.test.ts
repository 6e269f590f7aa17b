import { describe, expect, it } from 'vitest';
import { createMatcherCompiler } from '../../../src/domain/mentions/compute.js';
import { prepareMentions } from '../../../src/domain/mentions/ingest.js';
import { createScorer } from '../../../src/domain/scoring/scorer.js';
import { readingOf } from '../../../src/domain/themes/brand-readings.js';
import { sourceItem } from '../../support/seed.js';

// A poll of short social posts that name a brand and react to it in emoji: the brand's name is
// left out of the scoring, and the emoji that are left are what the post says of the brand. Its
// label is what the brand's link, rollups, trends, alerts and SWOT count.

const scorer = createScorer();
const toolsFor = createMatcherCompiler({ scorer });
const brands = {
  workspaceId: 'ws',
  version: '1',
  brands: [
    { id: 'lumen', name: 'Lumen Coffee', query: '"lumen coffee" OR #lumencoffee' },
    { id: 'globex', name: 'Globex', query: 'globex' },
  ],
};

async function prepare(texts: string[]) {
  const items = texts.map((text, i) => sourceItem({ itemKey: `post-${i}`, url: `https://social.example/${i}`, title: null, text }));
  return prepareMentions({ items, sourceType: 'rss', fetchedAt: new Date(), isBacklog: false, scorer, ...toolsFor(brands) });
}

describe('a poll of brand posts whose only sentiment is their emoji', () => {
  it('stores each scored by its emoji, with a null language, and gives the brand that label', async () => {
    const posts: Array<[string, string, 'positive' | 'negative']> = [
      ['Lumen Coffee 😍😍', 'lumen', 'positive'],
      ['Globex 👎👎', 'globex', 'negative'],
      ['Lumen Coffee 😡😡😡', 'lumen', 'negative'],
      ['😍 Lumen Coffee 😍', 'lumen', 'positive'],
      ['😍😍 #LumenCoffee', 'lumen', 'positive'],
      ['Lumen Coffee :)', 'lumen', 'positive'],
      ['Lumen Coffee ❤️', 'lumen', 'positive'],
    ];
    const prepared = await prepare(posts.map(([text]) => text));
    for (const [i, [text, brandId, label]] of posts.entries()) {
      const mention = prepared[i]!;
      expect(mention, text).toMatchObject({ brands: [{ brandId }], lang: null, sentiment: { label, model: scorer.model } });
      expect(readingOf(mention.brandSentiments, brandId, mention.sentiment).label, text).toBe(label);
    }
  });

  it('reads each brand of a post naming two by the emoji of its own clause', async () => {
    const [post] = await prepare(['Lumen Coffee 😍😍, Globex 👎👎']);
    expect(post!.brands.map((b) => b.brandId)).toEqual(['lumen', 'globex']);
    expect(post!.sentiment.label).not.toBe('unscored');
    expect(readingOf(post!.brandSentiments, 'lumen', post!.sentiment).label).toBe('positive');
    expect(readingOf(post!.brandSentiments, 'globex', post!.sentiment).label).toBe('negative');
  });

  it('leaves a post whose emoji say nothing unscored, and reads words beside emoji as before', async () => {
    const [coffee, words] = await prepare(['Lumen Coffee ☕', 'Lumen Coffee is great 😍']);
    expect(coffee).toMatchObject({ brands: [{ brandId: 'lumen' }], lang: null, sentiment: { label: 'unscored', model: scorer.model } });
    expect(words).toMatchObject({ brands: [{ brandId: 'lumen' }], lang: 'en', sentiment: { label: 'positive' } });
    expect(words!.sentiment.score).toBeCloseTo(0.8402, 4);
  });
});
