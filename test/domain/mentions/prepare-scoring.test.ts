import { describe, expect, it } from 'vitest';
import type { SourceItem } from '../../../src/connectors/connector.types.js';
import { prepareMentions } from '../../../src/domain/mentions/ingest.js';
import { compileWorkspace } from '../../../src/domain/query/index.js';
import { createScorer, NOT_SCORED, type Scorer } from '../../../src/domain/scoring/scorer.js';
import { sourceItem } from '../../support/seed.js';

// Most of a feed matches no brand, and no one sees those items until a brand links them: a poll
// scores the items that matched and stores the rest unscored (the rematch that links one scores
// it). The language comes first only where a brand's `lang:` filter needs it.

const item = (itemKey: string, title: string, text: string, langHint: string | null = null): SourceItem =>
  sourceItem({ itemKey, url: `https://news.example.com/${itemKey}`, title, text, langHint });

const ITEMS = [
  item('en-match', 'Acme is wonderful', 'I love the new roast from Acme, truly excellent and delicious.'),
  item('cs-match', 'Káva od Acme', 'Acme: nejlepší káva ve městě, opravdu skvělá a výborná chuť.'),
  item('en-raw', 'Weather', 'The weather in Prague is terrible today, awful rain and cold wind.'),
  item('cs-raw', 'Počasí', 'V Praze je dnes hrozné počasí, celý den prší a fouká studený vítr.'),
  item('de-declared', 'Wetter', 'Das Wetter in Berlin ist heute schrecklich, es regnet den ganzen Tag.', 'de-AT'),
];

/** The real scorer, counting what it is asked. */
function countingScorer() {
  const scorer = createScorer();
  const calls = { detect: 0, score: 0 };
  const counted: Scorer = {
    model: scorer.model,
    detect: (input) => (calls.detect++, scorer.detect(input)),
    score: (input, detected) => (calls.score++, scorer.score(input, detected)),
  };
  return { scorer: counted, calls };
}

async function prepare(queries: string[], scorer: Scorer) {
  const matcher = compileWorkspace(queries.map((query, i) => ({ id: `brand-${i}`, query })));
  const prepared = await prepareMentions({ items: ITEMS, sourceType: 'rss', fetchedAt: new Date(), isBacklog: false, scorer, matcher });
  return Object.fromEntries(prepared.map((m) => [m.itemKey, m]));
}

describe('scoring a poll', () => {
  it('scores the items a brand matched and stores the others unscored, without detecting their language', async () => {
    const { scorer, calls } = countingScorer();
    const byKey = await prepare(['acme'], scorer);
    const reference = createScorer();
    for (const key of ['en-match', 'cs-match']) {
      const { title, text } = ITEMS.find((i) => i.itemKey === key)!;
      expect(byKey[key], key).toMatchObject({ brands: [{ brandId: 'brand-0' }], ...reference.score({ title, text }) });
    }
    expect(byKey['en-match']).toMatchObject({ lang: 'en', sentiment: { label: 'positive', model: reference.model } });
    expect(byKey['cs-match']).toMatchObject({ lang: 'cs', sentiment: { label: 'positive' } });
    for (const key of ['en-raw', 'cs-raw']) {
      expect(byKey[key], key).toMatchObject({ brands: [], lang: null, langConfidence: 0, sentiment: { score: 0, label: 'unscored', model: NOT_SCORED } });
    }
    // A language the source declares costs nothing and is kept.
    expect(byKey['de-declared']).toMatchObject({ brands: [], lang: 'de', langConfidence: 1, sentiment: { model: NOT_SCORED } });
    expect(calls).toEqual({ detect: 0, score: 2 });
  });

  it('detects every item’s language first when a brand filters on it, and still scores only the matched ones', async () => {
    const { scorer, calls } = countingScorer();
    const byKey = await prepare(['acme', 'prague lang:cs OR praze lang:cs'], scorer);
    expect(byKey['cs-raw']).toMatchObject({ brands: [{ brandId: 'brand-1' }], lang: 'cs', sentiment: { label: 'negative', model: scorer.model } });
    // Prague in English is not what the Czech filter wants: its language was detected, its sentiment left.
    expect(byKey['en-raw']).toMatchObject({ brands: [], lang: 'en', sentiment: { label: 'unscored', model: NOT_SCORED } });
    expect(byKey['en-raw']!.langConfidence).toBeGreaterThan(0);
    expect(calls).toEqual({ detect: ITEMS.length, score: 3 });
  });
});

describe('whether a workspace’s brands need each item’s language to match', () => {
  it.each([
    [['acme'], false],
    [['"acme coffee" OR #acme -@globex', 'tesla NEAR/4 recall', 'site:example.com acme'], false],
    [['acme', 'lang:cs'], true],
    [['acme -lang:en'], true],
    [['(acme OR globex) AND (lang:hi OR lang:ne)'], true],
  ])('%j → %s', (queries, expected) => {
    expect(compileWorkspace(queries.map((query, i) => ({ id: String(i), query }))).needsLanguage).toBe(expected);
  });
});
