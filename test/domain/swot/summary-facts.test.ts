import { describe, expect, it } from 'vitest';
import { messagesOf } from '../../../src/domain/i18n/messages.js';
import { buildSwot, reasonIn, summaryIn, swotIn, type SwotInput } from '../../../src/domain/swot/index.js';
import { summaries } from '../../../src/domain/swot/swot.summaries.js';
import { extractThemes, type BrandThemes, type Theme, type ThemeCounts } from '../../../src/domain/themes/index.js';
import { BRANDS, PERIOD, currentWindow, previousWindow, sentimentWindow, shareOfVoice } from './scenario.js';

// A SWOT item's sentence as explicit facts: the summaries build the facts, the item carries them
// beside its English sentence, and any language writes the same facts (GET /v1/swot?lang=, digests).

function seededSwot() {
  const current = currentWindow();
  const previous = previousWindow();
  return buildSwot({
    ownBrandId: 'acme',
    brands: BRANDS,
    themes: extractThemes({ mentions: current, previous, brands: BRANDS }),
    shareOfVoice: shareOfVoice(current, previous),
    sentimentTrend: Object.fromEntries(BRANDS.map((b) => [b.id, { current: sentimentWindow(current, b.id), previous: sentimentWindow(previous, b.id) }])),
    ...PERIOD,
  });
}

const itemsOf = (swot: ReturnType<typeof seededSwot>) => [...swot.strengths, ...swot.weaknesses, ...swot.opportunities, ...swot.threats];

describe('the summaries', () => {
  it('return the sentence as facts: which sentence, the names, the theme and the raw figures', () => {
    const facts = summaries.ownPraised('kávovar', 'Kavárna Šťastný', { mentions: 10, scored: 9, netSentiment: 0.7777, positive: 8, negative: 1 }, { mentions: 12, scored: 12, netSentiment: 0.1 });
    expect(facts).toEqual({
      sentence: 'own_praised',
      theme: 'kávovar',
      own: 'Kavárna Šťastný',
      side: { mentions: 10, scored: 9, net: 0.7777, positive: 8 },
      competitors: { mentions: 12, scored: 12, net: 0.1 },
      fewerThan: 3,
    });
    expect(summaryIn(facts)).toBe('Kavárna Šťastný is praised for "kávovar": net sentiment +0.78 across 10 mentions (9 scored, 8 positive), against +0.10 for competitors.');
    expect(summaries.shareGain({ name: 'Beta', previous: 0.1, current: 0.25, net: null, side: { mentions: 20, scored: 19 } }))
      .toEqual({ sentence: 'share_gain', name: 'Beta', previousShare: 0.1, share: 0.25, net: null, side: { mentions: 20, scored: 19 } });
  });
});

describe('every item buildSwot makes', () => {
  const swot = seededSwot();

  it('carries its facts, and its English summary is the one its facts write', () => {
    const items = itemsOf(swot);
    expect(items.length).toBeGreaterThanOrEqual(4);
    for (const item of items) {
      expect(item.summaryFacts, item.theme).toBeDefined();
      expect(item.summary).toBe(summaryIn(item.summaryFacts));
    }
    const delays = swot.opportunities.find((i) => i.theme === 'delivery delays')!;
    expect(delays.summaryFacts).toEqual({
      sentence: 'competitors_criticised', theme: 'delivery delays', names: ['Beta'], side: { mentions: 12, scored: 12, net: -1, negative: 12 },
      own: 'Acme', ownSide: null, fewerThan: 3, risingFrom: 0,
    });
  });

  it('with too little data, the reason carries its facts too', () => {
    const lonely = buildSwot({ ownBrandId: 'acme', brands: BRANDS.slice(0, 1), themes: [], shareOfVoice: { current: {}, previous: {}, mentions: { current: 0, previous: 0 } }, sentimentTrend: {}, ...PERIOD });
    expect(lonely).toMatchObject({ status: 'not_enough_data', reason: 'the workspace has no competitor brands to compare with', reasonFacts: { reason: 'no_competitors' } });
    const few = buildSwot({
      ownBrandId: 'acme', brands: BRANDS, themes: [], shareOfVoice: { current: {}, previous: {}, mentions: { current: 0, previous: 0 } },
      sentimentTrend: { acme: { current: { mentions: 1, scored: 1, netSentiment: 1 }, previous: { mentions: 0, scored: 0, netSentiment: null } } }, ...PERIOD,
    });
    expect(few.reasonFacts).toEqual({ reason: 'own_too_few', own: 'Acme', mentions: 1, needed: 20 });
    expect(few.reason).toBe('Acme has 1 mention in the period; at least 20 are needed');
    expect(reasonIn(few.reasonFacts!, 'cs')).toBe(messagesOf('cs').swot.reason(few.reasonFacts!));
  });
});

describe('two candidates whose English sentences coincide', () => {
  // Acme is praised for "service" in two languages' keys on the same figures; competitors' net
  // sentiment is the same on both (the sentence shows it alone), over 12 mentions on one key and
  // 20 on the other. Both sentences read alike; each item's facts must be its own side's.
  const counts = (mentions: number, positive: number, negative = 0): ThemeCounts => ({ mentions, positive, neutral: mentions - positive - negative, negative, previousMentions: 0 });
  const theme = (key: string, c: ThemeCounts, ids: string[]): Theme => ({
    ...c, theme: 'service', key, netSentiment: (c.positive - c.negative) / c.mentions, meanScore: 0.5, change: c.mentions, growth: c.mentions + 1,
    sampleMentionIds: ids, positiveSampleIds: ids, negativeSampleIds: [],
  } as Theme);
  const brandThemes = (brandId: string, themes: Theme[], all: Array<[string, ThemeCounts]>): BrandThemes => ({
    brandId, mentions: 40, previousMentions: 40, themes, counts: new Map(all), positiveSampleIds: [], negativeSampleIds: [],
  });
  const own = counts(10, 8);
  const input: SwotInput = {
    ownBrandId: 'acme',
    brands: BRANDS.slice(0, 2),
    themes: [
      brandThemes('acme', [theme('en:servic', own, ['e1']), theme('cs:servic', own, ['c1'])], [['en:servic', own], ['cs:servic', own]]),
      // Net +0.10 on both: 2 − 1 of 10 scored, and 3 − 1 of 20.
      brandThemes('beta', [], [['en:servic', { ...counts(12, 2, 1), neutral: 7 }], ['cs:servic', counts(20, 3, 1)]]),
    ],
    shareOfVoice: { current: { acme: 0.5, beta: 0.5 }, previous: { acme: 0.5, beta: 0.5 }, mentions: { current: 80, previous: 80 } },
    sentimentTrend: {
      acme: { current: { mentions: 40, scored: 40, netSentiment: 0.5 }, previous: { mentions: 40, scored: 40, netSentiment: 0.5 } },
      beta: { current: { mentions: 40, scored: 40, netSentiment: 0 }, previous: { mentions: 40, scored: 40, netSentiment: 0 } },
    },
    ...PERIOD,
  };

  it('each item carries its own facts, not those of the other sentence', () => {
    // Both candidates, as each would be the item of its own SWOT.
    const english = summaryIn(summaries.ownPraised('service', 'Acme', { mentions: 10, scored: 10, netSentiment: 0.8, positive: 8, negative: 0 }, { mentions: 12, scored: 10, netSentiment: 0.1 }));
    const [en, cs] = (['en:servic', 'cs:servic'] as const).map((key) => {
      const alone = { ...input, themes: input.themes.map((b) => ({ ...b, themes: b.themes.filter((t) => t.key === key) })) };
      return buildSwot(alone).strengths[0]!;
    });
    expect(en!.summary).toBe(english);
    expect(cs!.summary).toBe(english);
    expect(en!.summaryFacts).toMatchObject({ competitors: { mentions: 12, scored: 10, net: 0.1 } });
    expect(cs!.summaryFacts).toMatchObject({ competitors: { mentions: 20, scored: 20, net: 0.1 } });

    // Together, one theme text keeps one item (the first of equal score): the one of the English key, with its facts.
    const both = buildSwot(input);
    expect(both.strengths).toHaveLength(1);
    expect(both.strengths[0]!.evidence.sampleMentionIds).toEqual(['e1']);
    expect(both.strengths[0]!.summaryFacts).toEqual(en!.summaryFacts);
  });
});

describe('swotIn', () => {
  const swot = seededSwot();

  it('writes every summary in the language from its facts; the facts and figures stay as they are', () => {
    const czech = swotIn(swot, 'cs');
    const before = itemsOf(swot);
    const after = itemsOf(czech);
    expect(after.map((i) => i.summaryFacts)).toEqual(before.map((i) => i.summaryFacts));
    expect(after.map((i) => i.evidence)).toEqual(before.map((i) => i.evidence));
    for (const [i, item] of after.entries()) {
      expect(item.summary).not.toBe(before[i]!.summary);
      expect(item.summary).toBe(messagesOf('cs').swot[item.summaryFacts.sentence](item.summaryFacts as never));
    }
    expect(czech.opportunities.find((i) => i.theme === 'delivery delays')!.summary).toBe(
      'Značka Beta čelí kritice kvůli „delivery delays“, téma přitom sílí (0 → 12 zmínek): čistý sentiment -1,00 (12 zmínek; negativní: 12); značka Acme má k tématu méně než 3 zmínky.',
    );
    expect(swotIn(swot, 'en')).toBe(swot);
  });

  it('isolates names and themes (U+2068 … U+2069) in a sentence written right to left', () => {
    const persian = itemsOf(swotIn(swot, 'fa'));
    const delays = persian.find((i) => i.theme === 'delivery delays')!;
    expect(delays.summary).toContain('\u2068Beta\u2069');
    expect(delays.summary).toContain('«\u2068delivery delays\u2069»');
    expect(delays.summaryFacts).toMatchObject({ theme: 'delivery delays', names: ['Beta'] });
  });

  it('keeps the stored sentence of an item without facts', () => {
    const item = swot.strengths[0]!;
    const { summaryFacts: _facts, ...old } = item;
    const stored = { ...swot, strengths: [old] };
    expect(swotIn(stored, 'hi').strengths[0]!.summary).toBe(item.summary);
  });
});
