import { describe, expect, it } from 'vitest';
import { brandExclusions, extractThemes, extractThemesAsync, termsOfMention, type ThemeMention } from '../../src/domain/themes/index.js';
import { isVerdictTerm } from '../../src/domain/themes/themes.extract.js';
import { BRANDS, currentWindow, previousWindow } from './swot/scenario.js';

let seq = 0;
function m(brandIds: string[], text: string, score: number | null = 0, extra: Partial<ThemeMention> = {}): ThemeMention {
  const label = score === null ? 'unscored' : score > 0 ? 'positive' : score < 0 ? 'negative' : 'neutral';
  seq++;
  return { id: `m${String(seq).padStart(3, '0')}`, brandIds, text, lang: 'en', sentimentScore: score, label, occurredAt: new Date(Date.UTC(2026, 10, 10, seq)), ...extra };
}

describe('extractThemes', () => {
  const result = extractThemes({ mentions: currentWindow(), previous: previousWindow(), brands: BRANDS });
  const themesOf = (id: string) => result.find((b) => b.brandId === id)!.themes;

  it('gives each brand its themes with counts, net sentiment and samples', () => {
    expect(result.map((b) => [b.brandId, b.mentions, b.previousMentions])).toEqual([['acme', 30, 30], ['beta', 22, 20], ['gamma', 20, 8]]);
    expect(themesOf('beta')[0]).toMatchObject({
      theme: 'delivery delays', key: 'en:deliveri delay', mentions: 12, positive: 0, negative: 12, netSentiment: -1,
      previousMentions: 0, change: 12, growth: 13,
    });
    expect(themesOf('beta')[0]!.meanScore).toBeCloseTo(-0.5 - 0.03 * 6.5, 6);
  });

  it('displays the most frequent surface form of inflections merged under one key', () => {
    // 9 × "delivery delays", 3 × "delivery delayed".
    const beta = currentWindow().filter((x) => x.brandIds.includes('beta') && x.text!.toLowerCase().includes('delivery delayed'));
    expect(beta).toHaveLength(3);
    expect(themesOf('beta').filter((t) => t.key === 'en:deliveri delay').map((t) => t.theme)).toEqual(['delivery delays']);
  });

  it('never makes a theme of a brand name or query term, for any brand', () => {
    for (const brand of result) {
      for (const theme of brand.themes) expect(theme.theme.split(' ').some((w) => ['acme', 'beta', 'gamma', 'store', 'shop'].includes(w)), theme.theme).toBe(false);
    }
  });

  it('drops a shorter n-gram a longer one covers, but keeps what two brands share', () => {
    expect(themesOf('beta').map((t) => t.theme)).not.toContain('delivery');
    expect(themesOf('acme').map((t) => t.theme)).not.toContain('customer');
    // Gamma only ever says "customer service line", yet keeps "customer service" to compare with Acme.
    expect(themesOf('gamma').map((t) => t.theme)).toEqual(expect.arrayContaining(['customer service', 'customer service line']));
  });

  it('requires the minimum support', () => {
    for (const brand of result) for (const theme of brand.themes) expect(theme.mentions).toBeGreaterThanOrEqual(3);
    const few = extractThemes({ mentions: [m(['x'], 'refund policy'), m(['x'], 'refund policy')], previous: [], brands: [{ id: 'x', name: 'X', role: 'own' }] });
    expect(few[0]!.themes).toEqual([]);
  });

  it('computes net sentiment as (positive − negative) / mentions and change against the previous window', () => {
    const mentions = [m(['x'], 'refund policy', 0.8), m(['x'], 'refund policy', -0.6), m(['x'], 'refund policy', null), m(['x'], 'refund policy', 0.5)];
    const previous = [m(['x'], 'refund policy', 0), m(['x'], 'unrelated words here', 0)];
    const [x] = extractThemes({ mentions, previous, brands: [{ id: 'x', name: 'X', role: 'own' }] });
    expect(x!.themes.find((t) => t.theme === 'refund policy')).toMatchObject({
      mentions: 4, positive: 2, negative: 1, netSentiment: 0.25, meanScore: 0.2333, previousMentions: 1, change: 3, growth: 2.5,
    });
    // Unscored mentions are counted but come last among samples.
    expect(x!.themes[0]!.sampleMentionIds[3]).toBe(mentions[2]!.id);
    expect(x!.themes[0]!.sampleMentionIds.slice(0, 3)).toEqual([mentions[0]!.id, mentions[3]!.id, mentions[1]!.id]);
  });

  it('counts a mention once per brand it matched, and title and text once together', () => {
    const both = [0, 1, 2].map(() => m(['x', 'y'], 'fast checkout', 0.5, { title: 'Fast checkout' }));
    const out = extractThemes({ mentions: both, previous: [], brands: [{ id: 'x', name: 'X', role: 'own' }, { id: 'y', name: 'Y', role: 'competitor' }] });
    expect(out.map((b) => b.themes.find((t) => t.theme === 'fast checkout')?.mentions)).toEqual([3, 3]);
  });

  it('never makes a theme across the title and the text, in any script, while each keeps its single words', () => {
    const cases = [
      { lang: 'en', title: 'Aroma Coffee queue complaints', text: 'The queue at Aroma Coffee was long again', across: 'complaints the queue' },
      { lang: 'cs', title: 'Hrozný čaj, nikdy více', text: 'Hrozný čaj, nikdy více #cajovna', across: 'nikdy více hrozný' },
      { lang: 'ta', title: 'டெலிவரி தாமதம்', text: 'வாடிக்கையாளர் சேவை மோசம்', across: 'தாமதம் வாடிக்கையாளர்' },
    ];
    const brands = [{ id: 'x', name: 'Aroma Coffee', role: 'own' }];
    const mentions = cases.flatMap((c) => [1, 2, 3].map(() => m(['x'], c.text, -0.5, { title: c.title, lang: c.lang })));
    const themes = extractThemes({ mentions, previous: [], brands, options: { subsumeShare: 2 } })[0]!.themes.map((t) => t.theme);
    for (const c of cases) {
      expect(themes, c.lang).not.toContain(c.across);
      expect(termsOfMention(c, { exclude: brandExclusions(brands) }).map((t) => t.term), c.lang).not.toContain(c.across);
    }
    expect(themes).toEqual(expect.arrayContaining(['complaints', 'queue', 'nikdy', 'hrozný čaj', 'தாமதம்', 'வாடிக்கையாளர் சேவை']));
  });

  it('finds themes in mentions of other scripts with their language', () => {
    const mentions = [1, 2, 3].map((i) => m(['x'], `डिलीवरी में देरी ${['आज', 'फिर', 'कल'][i - 1]}`, -0.5, { lang: 'hi' }));
    const [x] = extractThemes({ mentions, previous: [], brands: [{ id: 'x', name: 'X', role: 'own' }] });
    expect(x!.themes.map((t) => t.theme)).toContain('डिलीवरी में देरी');
  });

  it('samples the brand’s most positive and most negative mentions', () => {
    const acme = result.find((b) => b.brandId === 'acme')!;
    expect(acme.positiveSampleIds[0]).toBe('a-service-10');
    expect(acme.negativeSampleIds[0]).toBe('a-pricing-08');
  });
});

describe('extractThemesAsync', () => {
  it('gives the same themes as extractThemes while letting the event loop run in between', async () => {
    const current = Array.from({ length: 12 }, () => currentWindow()).flat().map((x, i) => ({ ...x, id: `${x.id}#${i}` }));
    let turns = 0;
    let running = true;
    const tick = () => { if (running) { turns++; setImmediate(tick); } };
    setImmediate(tick);
    const result = await extractThemesAsync({ mentions: current, previous: previousWindow(), brands: BRANDS }, { sliceMs: 0 });
    running = false;
    expect(result).toEqual(extractThemes({ mentions: current, previous: previousWindow(), brands: BRANDS }));
    // 864 + 58 mentions in steps of 256: the loop got a turn at every step.
    expect(turns).toBeGreaterThanOrEqual(3);
  });
});

describe('a word whose mentions were detected in a language and not', () => {
  // English words are keyed by their stems ("outage" → outag); a short post whose language was not
  // detected keeps them as written. Tallied apart, "outage" was two themes of 8 and 4 mentions.
  it('is one theme, with one count in each window', () => {
    const unknown = (text: string) => m(['beta'], text, -0.5, { lang: null });
    const mentions = [
      ...Array.from({ length: 8 }, () => unknown('Beta cloud outage hits customers')),
      ...Array.from({ length: 4 }, () => m(['beta'], 'The Beta outage is the worst thing this year', -0.5)),
    ];
    const previous = [unknown('Beta outage again'), unknown('Beta outage again'), m(['beta'], 'another outage at Beta', -0.4)];
    const [beta] = extractThemes({ mentions, previous, brands: [{ id: 'beta', name: 'Beta', role: 'competitor', query: 'beta' }] });
    expect(beta!.themes.filter((t) => t.theme === 'outage').map((t) => [t.key, t.mentions, t.negative, t.previousMentions])).toEqual([['en:outag', 12, 12, 3]]);
  });

  it('keeps the key a post without a language gives it when no mention in a stemmed language has the word', () => {
    const mentions = Array.from({ length: 3 }, () => m(['beta'], 'Beta outages everywhere', -0.5, { lang: null }));
    const [beta] = extractThemes({ mentions, previous: [], brands: [{ id: 'beta', name: 'Beta', role: 'competitor', query: 'beta' }] });
    expect(beta!.themes.map((t) => [t.key, t.mentions])).toEqual([[':outages everywhere', 3]]);
  });
});

describe('words that only restate the label', () => {
  it("are no theme on their own in any language, while the phrases holding them and signed topics stay", () => {
    const posts: Array<[string, string]> = [
      ['cs', 'X zákaznická podpora skvělá'],
      ['cs', 'X rychlá výborná obsluha'],
      ['en', 'X support team excellent'],
      ['fa', 'X پشتیبانی سریع'],
      ['ta', 'X சேவை அருமையாக இருந்தது'],
      ['en', 'X delivery delay again'],
    ];
    const mentions = posts.flatMap(([lang, text]) => [1, 2, 3].map(() => m(['x'], text, 0.6, { lang })));
    const [x] = extractThemes({ mentions, previous: [], brands: [{ id: 'x', name: 'X', role: 'own' }], options: { subsumeShare: 2 } });
    const themes = x!.themes.map((t) => t.theme);
    for (const verdict of ['skvělá', 'rychlá', 'výborná', 'excellent', 'سریع', 'அருமையாக']) expect(themes, verdict).not.toContain(verdict);
    expect(themes).toEqual(expect.arrayContaining(['podpora skvělá', 'team excellent', 'پشتیبانی سریع', 'சேவை அருமையாக', 'delay']));
  });

  it('nor are phrases of verdicts alone, or two words joined by "and" of which one is a verdict', () => {
    const posts: Array<[string, string]> = [
      ['cs', 'X vynikající a jemný'],
      ['cs', 'X drahé a zklamání'],
      ['fa', 'X خوشمزه و عالی'],
      ['fa', 'X خوشمزه عالی'],
      ['en', 'X smooth and perfect'],
      ['en', 'X rewards are amazing'],
      ['en', 'X coffee and pastries'],
    ];
    const mentions = posts.flatMap(([lang, text]) => [1, 2, 3].map(() => m(['x'], text, 0.6, { lang })));
    const [x] = extractThemes({ mentions, previous: [], brands: [{ id: 'x', name: 'X', role: 'own' }], options: { subsumeShare: 2 } });
    const themes = x!.themes.map((t) => t.theme);
    for (const verdict of ['vynikající a jemný', 'drahé a zklamání', 'خوشمزه و عالی', 'خوشمزه عالی', 'smooth and perfect']) expect(themes, verdict).not.toContain(verdict);
    expect(themes).toEqual(expect.arrayContaining(['rewards are amazing', 'coffee and pastries', 'jemný', 'drahé']));
  });
});

describe('samples', () => {
  const brands = [{ id: 'x', name: 'X', role: 'own' }];

  it('take each language in turn, so a theme said in posts of a known and an unknown language shows both', () => {
    const mentions = [
      ...[0.9, 0.8, 0.7, 0.6, 0.5].map((score) => m(['x'], 'X loyalty program', score, { lang: 'en' })),
      ...[0.4, 0.3, 0.2, 0.1, 0.1].map((score) => m(['x'], 'X loyalty program', score, { lang: null })),
    ];
    const [x] = extractThemes({ mentions, previous: [], brands });
    const program = x!.themes.find((t) => t.key === 'en:loyalti program')!;
    expect(program.mentions).toBe(10);
    const langOf = new Map(mentions.map((mention) => [mention.id, mention.lang]));
    expect(program.sampleMentionIds.map((id) => langOf.get(id))).toEqual(['en', null, 'en', null, 'en']);
    expect(program.sampleMentionIds[0]).toBe(mentions[0]!.id);
  });

  it('are per language: a word two languages stem alike is a theme in each, labelled in its own words', () => {
    // English "minutes" and Czech "minut" are both stemmed `minut`: one theme, it was labelled
    // "minut" for English posts (audit of the SWOT, finding 5).
    const mentions = [
      ...['25 minutes', '20 minutes', '30 minutes'].map((text) => m(['x'], `Waited ${text} at X`, -0.6, { lang: 'en' })),
      ...['25 minut', '20 minut', '40 minut'].map((text) => m(['x'], `Čekal jsem ${text} v X`, -0.6, { lang: 'cs' })),
    ];
    const [x] = extractThemes({ mentions, previous: [], brands });
    const minutes = x!.themes.filter((t) => t.key.endsWith(':minut'));
    expect(minutes.map((t) => [t.key, t.theme, t.mentions])).toEqual([['cs:minut', 'minut', 3], ['en:minut', 'minutes', 3]]);
  });

  it('of praise and of criticism hold only mentions with that label, never padded with the other', () => {
    const mentions = [
      ...[-0.7, -0.6, -0.5].map((score) => m(['x'], 'X refund policy', score)),
      ...[0.4, 0.3].map((score) => m(['x'], 'X refund policy', score)),
    ];
    const [x] = extractThemes({ mentions, previous: [], brands });
    const refund = x!.themes.find((t) => t.theme === 'refund policy')!;
    expect(refund.negativeSampleIds).toEqual(mentions.slice(0, 3).map((mention) => mention.id));
    expect(refund.positiveSampleIds).toEqual(mentions.slice(3).map((mention) => mention.id));
    expect(refund.sampleMentionIds).toHaveLength(5);
  });
});

describe('verdict terms in English', () => {
  it('"good" and "nice" are verdicts, the signed topics just below them are not', () => {
    for (const word of ['good', 'nice', 'great', 'helpful', 'recommend']) expect(isVerdictTerm(word, ['en']), word).toBe(true);
    for (const word of ['complaints', 'error', 'crash', 'delay', 'expensive', 'refund', 'support']) expect(isVerdictTerm(word, ['en']), word).toBe(false);
    // Other languages keep valence 2: a delay (−1.8 in their lists) is a topic.
    expect(isVerdictTerm('zpoždění', ['cs'])).toBe(false);
    expect(isVerdictTerm('good value', ['en'])).toBe(false);
  });
});
