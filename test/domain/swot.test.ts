import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors.js';
import { buildSwot, type SwotInput } from '../../src/domain/swot/index.js';
import { extractThemes, type ThemeMention } from '../../src/domain/themes/index.js';
import { BRANDS, PERIOD, currentWindow, previousWindow, sentimentWindow, shareOfVoice, shares } from './swot/scenario.js';

function swotInput(current: ThemeMention[], previous: ThemeMention[], brands = BRANDS): SwotInput {
  return {
    ownBrandId: 'acme',
    brands,
    themes: extractThemes({ mentions: current, previous, brands }),
    shareOfVoice: shareOfVoice(current, previous),
    sentimentTrend: Object.fromEntries(brands.map((b) => [b.id, { current: sentimentWindow(current, b.id), previous: sentimentWindow(previous, b.id) }])),
    ...PERIOD,
  };
}

const ids = (prefix: string, numbers: number[]) => numbers.map((n) => `${prefix}-${String(n).padStart(2, '0')}`);

describe('the seeded competitor week', () => {
  const swot = buildSwot(swotInput(currentWindow(), previousWindow()));

  it('is built for the own brand against both competitors', () => {
    expect(swot).toMatchObject({ status: 'ok', brandId: 'acme', competitorIds: ['beta', 'gamma'], ...PERIOD });
    expect(swot.reason).toBeUndefined();
  });

  it('Beta heavily criticised for delivery delays is an opportunity, its most negative mentions first', () => {
    const item = swot.opportunities.find((i) => i.theme === 'delivery delays');
    expect(item).toMatchObject({ rule: 'competitors_criticised', evidence: { mentions: 12, netSentiment: -1, brandIds: ['beta'] } });
    expect(item!.evidence.sampleMentionIds).toEqual(ids('b-delay', [12, 11, 10, 9, 8]));
    // New this week (none before): the one item says it is rising too.
    expect(item!.summary).toBe('Beta is criticised for "delivery delays", which is rising (0 → 12 mentions): net sentiment −1.00 across 12 mentions (12 negative); Acme has fewer than 3 mentions on it.');
    expect(swot.opportunities[0]).toBe(item);
  });

  it('Acme praised for customer service is a strength, better than Gamma on the same theme', () => {
    const item = swot.strengths.find((i) => i.theme === 'customer service');
    expect(item).toMatchObject({ rule: 'own_praised', evidence: { mentions: 10, netSentiment: 1, brandIds: ['acme'] } });
    expect(item!.evidence.sampleMentionIds).toEqual(ids('a-service', [10, 9, 8, 7, 6]));
    expect(item!.summary).toContain('against 0.00 for competitors');
  });

  it("Gamma's doubled share of voice is a threat evidenced by Gamma's own mentions", () => {
    const item = swot.threats.find((i) => i.rule === 'competitor_share_gain');
    expect(item).toMatchObject({ theme: 'share of voice: Gamma', evidence: { mentions: 20, brandIds: ['gamma'] } });
    expect(item!.summary).toBe("Gamma's share of voice rose from 13.8% to 27.8% (2.0×) against the previous period, with net sentiment 0.00 across 20 mentions.");
    expect(item!.evidence.sampleMentionIds.length).toBeGreaterThanOrEqual(3);
    for (const id of item!.evidence.sampleMentionIds) expect(id).toMatch(/^g-/);
    // Beta's share fell; it is no threat.
    expect(swot.threats.filter((i) => i.evidence.brandIds.includes('beta'))).toEqual([]);
  });

  it("Acme's negative pricing theme is a weakness with its pricing complaints as samples", () => {
    expect(swot.weaknesses.map((i) => i.theme)).toEqual(['pricing']);
    expect(swot.weaknesses[0]).toMatchObject({ rule: 'own_criticised', evidence: { mentions: 8, netSentiment: -1, brandIds: ['acme'] } });
    expect(swot.weaknesses[0]!.evidence.sampleMentionIds).toEqual(ids('a-pricing', [8, 7, 6, 5, 4]));
  });

  it('invents nothing: every sample is a mention of one of the evidence brands', () => {
    const byId = new Map(currentWindow().map((m) => [m.id, m]));
    for (const item of [...swot.strengths, ...swot.weaknesses, ...swot.opportunities, ...swot.threats]) {
      for (const id of item.evidence.sampleMentionIds) {
        expect(item.evidence.brandIds.some((b) => byId.get(id)!.brandIds.includes(b))).toBe(true);
      }
    }
  });

  it('gives the same SWOT for the same data in any order', () => {
    const shuffled = (list: ThemeMention[]) => list.map((m, i) => [(i * 7919) % 101, m] as const).sort((a, b) => a[0] - b[0]).map(([, m]) => m);
    expect(buildSwot(swotInput(shuffled(currentWindow()), shuffled(previousWindow())))).toEqual(swot);
  });

  it('orders each quadrant by score, highest first', () => {
    for (const list of [swot.strengths, swot.weaknesses, swot.opportunities, swot.threats]) {
      expect(list.map((i) => i.score)).toEqual([...list.map((i) => i.score)].sort((a, b) => b - a));
    }
  });
});

describe('negative momentum and rising themes', () => {
  it("a drop in the own brand's net sentiment is a threat", () => {
    const input = swotInput(currentWindow(), previousWindow());
    input.sentimentTrend.acme = { previous: { mentions: 40, scored: 40, netSentiment: 0.5 }, current: { mentions: 30, scored: 30, netSentiment: 0.07 } };
    const threat = buildSwot(input).threats.find((i) => i.rule === 'own_negative_momentum');
    expect(threat?.summary).toBe("Acme's net sentiment fell from +0.50 to +0.07 against the previous period, across 30 mentions.");
    expect(threat?.evidence.sampleMentionIds).toEqual(ids('a-pricing', [8, 7, 6, 5, 4]));
  });

  it('a theme rising for competitors that the own brand never mentions is an opportunity', () => {
    const current = currentWindow();
    for (let i = 1; i <= 7; i++) {
      current.push({ id: `b-app-${i}`, brandIds: ['beta'], text: `${['Tried', 'Downloaded', 'Installed', 'Reviewed', 'Opened', 'Tested', 'Deleted'][i - 1]} the Beta loyalty app`, lang: 'en', sentimentScore: 0, label: 'neutral', occurredAt: PERIOD.since });
    }
    const item = buildSwot(swotInput(current, previousWindow())).opportunities.find((i) => i.rule === 'rising_without_own');
    expect(item).toMatchObject({ theme: 'loyalty app', evidence: { mentions: 7, brandIds: ['beta'] } });
    expect(item!.summary).toBe('"loyalty app" is rising for Beta (0 → 7 mentions) and Acme has fewer than 3 mentions on it.');
  });
});

describe('too little data', () => {
  it('answers not_enough_data with the reason and no items when the own brand has few mentions', () => {
    const current = currentWindow().filter((m) => !m.brandIds.includes('acme') || m.id.startsWith('a-pricing'));
    const swot = buildSwot(swotInput(current, previousWindow()));
    expect(swot).toMatchObject({ status: 'not_enough_data', strengths: [], weaknesses: [], opportunities: [], threats: [] });
    expect(swot.reason).toBe('Acme has 8 mentions in the period; at least 20 are needed');
  });

  it('answers not_enough_data when competitors are barely mentioned', () => {
    const current = currentWindow().filter((m) => m.brandIds.includes('acme') || m.id.startsWith('g-service'));
    expect(buildSwot(swotInput(current, previousWindow())).reason).toBe('competitors have 5 mentions in the period; at least 20 are needed');
    const one = currentWindow().filter((m) => m.brandIds.includes('acme') || m.id === current.find((c) => !c.brandIds.includes('acme'))!.id);
    expect(buildSwot(swotInput(one, previousWindow())).reason).toBe('competitors have 1 mention in the period; at least 20 are needed');
  });

  it('answers not_enough_data when there is no competitor at all', () => {
    const swot = buildSwot(swotInput(currentWindow(), previousWindow(), BRANDS.filter((b) => b.role === 'own')));
    expect(swot).toMatchObject({ status: 'not_enough_data', competitorIds: [] });
  });

  it('refuses a brand that is not the own brand', () => {
    const input = { ...swotInput(currentWindow(), previousWindow()), ownBrandId: 'beta' };
    expect(() => buildSwot(input)).toThrow(AppError);
    try { buildSwot(input); } catch (error) { expect(error).toMatchObject({ code: 'swot.not_own_brand', status: 400 }); }
  });
});

describe('unscored mentions (languages without a lexicon)', () => {
  /** Words used once each, so they never make a theme of their own. */
  let wordAt = 0;
  const word = () => `zq${String.fromCharCode(97 + (wordAt % 26))}${String.fromCharCode(97 + Math.floor(wordAt++ / 26) % 26)}v`;
  const post = (id: string, brand: string, text: string, score: number | null): ThemeMention => ({
    id, brandIds: [brand], text: `${text} ${word()}`, lang: score === null ? 'gu' : 'en', sentimentScore: score,
    label: score === null ? 'unscored' : score > 0 ? 'positive' : score < 0 ? 'negative' : 'neutral', occurredAt: PERIOD.since,
  });
  const all = (swot: ReturnType<typeof buildSwot>) => [...swot.strengths, ...swot.weaknesses, ...swot.opportunities, ...swot.threats];

  it('a theme is judged on its scored mentions: net sentiment over them, and the sentence says how many were scored', () => {
    const current = currentWindow();
    // No longer phrase repeats, so the theme is "parcel locker" alone (a longer one would stand for it).
    for (let i = 1; i <= 6; i++) current.push(post(`b-locker-${i}`, 'beta', 'Beta parcel locker', -0.6));
    for (let i = 1; i <= 4; i++) current.push(post(`b-locker-gu-${i}`, 'beta', 'Beta parcel locker ખૂબ', null));
    const item = all(buildSwot(swotInput(current, previousWindow()))).find((i) => i.theme === 'parcel locker');
    expect(item).toMatchObject({ rule: 'competitors_criticised', evidence: { mentions: 10, scored: 6, netSentiment: -1, brandIds: ['beta'] } });
    expect(item!.summary).toBe('Beta is criticised for "parcel locker", which is rising (0 → 10 mentions): net sentiment −1.00 across 10 mentions (6 scored, 6 negative); Acme has fewer than 3 mentions on it.');
  });

  it('a theme with fewer scored mentions than a theme needs is not judged praised or criticised', () => {
    const current = currentWindow();
    // 2 positive of 8: over every mention +0.25 (past the 0.2 polarity); over the scored ones +1.00 from only 2.
    for (let i = 1; i <= 2; i++) current.push(post(`a-wrap-${i}`, 'acme', 'Acme gift card', 0.7));
    for (let i = 1; i <= 6; i++) current.push(post(`a-wrap-gu-${i}`, 'acme', 'Acme gift card સરસ', null));
    const themes = extractThemes({ mentions: current, previous: previousWindow(), brands: BRANDS });
    expect(themes.find((b) => b.brandId === 'acme')!.themes.find((t) => t.theme === 'gift card')).toMatchObject({ mentions: 8, positive: 2 });
    expect(all(buildSwot(swotInput(current, previousWindow()))).filter((i) => i.theme === 'gift card')).toEqual([]);
  });

  it('a fall in net sentiment is momentum only when the window before had enough scored mentions', () => {
    const input = swotInput(currentWindow(), previousWindow());
    input.sentimentTrend.acme = { previous: { mentions: 40, scored: 15, netSentiment: 0.5 }, current: { mentions: 30, scored: 30, netSentiment: 0.07 } };
    expect(buildSwot(input).threats.filter((i) => i.rule === 'own_negative_momentum')).toEqual([]);
    input.sentimentTrend.acme = { previous: { mentions: 40, scored: 25, netSentiment: 0.5 }, current: { mentions: 30, scored: 24, netSentiment: 0.07 } };
    const threat = buildSwot(input).threats.find((i) => i.rule === 'own_negative_momentum');
    expect(threat?.evidence).toMatchObject({ mentions: 30, scored: 24, netSentiment: 0.07 });
    expect(threat?.summary).toBe("Acme's net sentiment fell from +0.50 to +0.07 against the previous period, across 30 mentions (24 scored).");
  });
});

describe('what the sentences and samples claim', () => {
  const post = (id: string, brand: string, text: string, score: number): ThemeMention => ({
    id, brandIds: [brand], text, lang: 'en', sentimentScore: score, label: score > 0 ? 'positive' : 'negative', occurredAt: PERIOD.since,
  });
  const all = (swot: ReturnType<typeof buildSwot>) => [...swot.strengths, ...swot.weaknesses, ...swot.opportunities, ...swot.threats];

  it('states the own brand\'s real count on a theme it has too few mentions of to judge', () => {
    const current = currentWindow();
    for (let i = 1; i <= 3; i++) current.push(post(`a-delay-${i}`, 'acme', `Acme delivery delays ${['again', 'today', 'as usual'][i - 1]}`, -0.5));
    const item = buildSwot(swotInput(current, previousWindow())).opportunities.find((i) => i.theme === 'delivery delays');
    expect(item!.summary).toBe('Beta is criticised for "delivery delays": net sentiment −1.00 across 12 mentions (12 negative); Acme has 3 mentions on it: too few to compare.');
  });

  it('evidences praise and criticism with mentions of that label only, the own brand\'s or pooled competitors\'', () => {
    const current = currentWindow();
    [-0.7, -0.6, -0.5, -0.45, 0.4, 0.3].forEach((score, i) => current.push(post(`a-refund-${i}`, 'acme', 'Acme refund policy', score)));
    [-0.7, -0.6, -0.5, -0.45, -0.4, -0.3].forEach((score, i) => current.push(post(`b-card-${i}`, 'beta', 'Beta gift card', score)));
    [0.9, 0.8, -0.2].forEach((score, i) => current.push(post(`g-card-${i}`, 'gamma', 'Gamma gift card', score)));
    // Talked about the week before too: not a rising theme, which would take its place in the quadrant.
    const previous = [...previousWindow(), ...[1, 2, 3, 4, 5].map((i) => post(`p-card-${i}`, 'beta', 'Beta gift card', -0.5))];
    const items = all(buildSwot(swotInput(current, previous)));
    const refund = items.find((i) => i.theme === 'refund policy');
    expect(refund).toMatchObject({ rule: 'own_criticised', evidence: { mentions: 6, netSentiment: -0.3333 } });
    expect(refund!.evidence.sampleMentionIds).toEqual(['a-refund-0', 'a-refund-1', 'a-refund-2', 'a-refund-3']);
    const card = items.find((i) => i.theme === 'gift card');
    expect(card).toMatchObject({ rule: 'competitors_criticised', evidence: { mentions: 9, brandIds: ['beta', 'gamma'] } });
    expect(card!.evidence.sampleMentionIds).toEqual(['b-card-0', 'g-card-2', 'b-card-1', 'b-card-2', 'b-card-3']);
  });
});
