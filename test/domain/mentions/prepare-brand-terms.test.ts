import { describe, expect, it } from 'vitest';
import type { SourceItem } from '../../../src/connectors/connector.types.js';
import { prepareMentions } from '../../../src/domain/mentions/ingest.js';
import { compileWorkspace } from '../../../src/domain/query/index.js';
import { createScorer } from '../../../src/domain/scoring/scorer.js';
import { createBrandReader, type ReadableBrand } from '../../../src/domain/themes/brand-readings.js';
import { sourceItem } from '../../support/seed.js';

// A poll end to end: the brands are matched, and the terms they were matched on are left out of
// the stored language and sentiment, and of each brand's own reading of a post naming several.

const scorer = createScorer();

async function prepare(brands: ReadableBrand[], texts: string[]) {
  const items: SourceItem[] = texts.map((text, i) => sourceItem({ itemKey: `item-${i}`, url: `https://social.example/${i}`, title: null, text }));
  const matcher = compileWorkspace(brands.map(({ id, query }) => ({ id, query: query! })));
  const reader = createBrandReader(brands, scorer);
  const names = new Map(brands.map((b) => [b.id, b.name]));
  return prepareMentions({ items, sourceType: 'rss', fetchedAt: new Date(), isBacklog: false, scorer, matcher, reader, names });
}

describe('a poll of posts naming brands whose names are sentiment words', () => {
  it('stores each post’s language and sentiment without the terms it was matched on', async () => {
    const brands = [
      { id: 'best-buy', name: 'Best Buy', query: '"best buy" OR #bestbuy' },
      { id: 'happy-cow', name: 'Happy Cow', query: '"happy cow" OR #happycow' },
      // Not German: the words leave the filter to decide, so matching detects the language with the name in it.
      { id: 'spoon', name: 'Zlatá Lžička', query: '"zlata lzicka" -lang:de' },
      { id: 'sweets', name: 'आनंद स्वीट्स', query: '"आनंद स्वीट्स"' },
    ];
    const [bestBuy, bestPrices, happyCow, hashtag, spoon, sweets] = await prepare(brands, [
      'Best Buy support was useless',
      'Best Buy has the best prices',
      'Happy Cow ice cream melted and tasted awful',
      '#HappyCow ice cream melted',
      'Zlatá Lžička price too high, expensive.',
      'आनंद स्वीट्स की मिठाई बासी और बेकार थी',
    ]);
    expect(bestBuy).toMatchObject({ brands: [{ brandId: 'best-buy', keywords: ['best buy'] }], lang: 'en', sentiment: { label: 'negative', model: scorer.model } });
    expect(bestPrices).toMatchObject({ lang: 'en', sentiment: { label: 'positive' } });
    expect(happyCow).toMatchObject({ brands: [{ brandId: 'happy-cow' }], sentiment: { label: 'negative' } });
    expect(hashtag).toMatchObject({ brands: [{ brandId: 'happy-cow', keywords: ['#happycow'] }], sentiment: { label: 'neutral' } });
    expect(spoon!.brands).toEqual([{ brandId: 'spoon', keywords: ['zlata lzicka'] }]);
    expect(spoon!.lang).not.toBe('cs');
    expect(spoon!.sentiment.label).toBe('negative');
    expect(sweets).toMatchObject({ brands: [{ brandId: 'sweets' }], lang: 'hi', sentiment: { label: 'negative' } });
  });

  it('reads each brand of a post naming two without either brand’s name', async () => {
    const brands = [
      { id: 'kofi', name: 'Kofi', query: 'kofi' },
      { id: 'happy-cow', name: 'Happy Cow', query: '"happy cow"' },
    ];
    const [post] = await prepare(brands, ['Kofi is excellent but the Happy Cow cone melted']);
    expect(post!.brands.map((b) => b.brandId)).toEqual(['kofi', 'happy-cow']);
    expect(post!.sentiment.label).toBe('positive');
    // "but the Happy Cow cone melted" says nothing good of Happy Cow.
    expect(post!.brandSentiments?.['happy-cow']).toEqual({ label: 'neutral', score: 0 });
  });

  it('scores the query’s other terms: only the terms naming the brand are left out', async () => {
    const brands = [
      { id: 'acme', name: 'Acme', query: 'acme AND (refund OR scam)' },
      { id: 'best-buy', name: 'Best Buy', query: '"best buy" NEAR/3 (broken OR love)' },
      { id: 'spoon', name: 'Zlatá Lžička', query: '#zlatalzicka AND (hrozná OR skvělá)' },
    ];
    const [acme, broken, love, spoon] = await prepare(brands, [
      'Acme refund was a scam',
      'Best Buy screen arrived broken',
      'I love Best Buy',
      '#ZlatáLžička káva je hrozná',
    ]);
    expect(acme).toMatchObject({ brands: [{ brandId: 'acme', keywords: ['acme', 'refund', 'scam'] }], sentiment: { label: 'negative' } });
    expect(broken).toMatchObject({ brands: [{ brandId: 'best-buy' }], sentiment: { label: 'negative' } });
    expect(love).toMatchObject({ brands: [{ brandId: 'best-buy' }], sentiment: { label: 'positive' } });
    expect(spoon).toMatchObject({ brands: [{ brandId: 'spoon', keywords: ['#zlatalzicka', 'hrozná'] }], sentiment: { label: 'negative' } });
  });
});
