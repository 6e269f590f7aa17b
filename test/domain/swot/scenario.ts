import type { SentimentWindow } from '../../../src/domain/swot/index.js';
import type { ThemeBrand, ThemeMention } from '../../../src/domain/themes/index.js';

/**
 * The seeded week of issue 7: Beta is criticised for delivery delays, Acme (own) is praised for
 * its customer service and criticised for its pricing, Gamma's share of voice doubles.
 */
export const BRANDS: ThemeBrand[] = [
  { id: 'acme', name: 'Acme', role: 'own', query: 'acme OR "acme shop"' },
  { id: 'beta', name: 'Beta', role: 'competitor', query: '"beta store" OR beta' },
  { id: 'gamma', name: 'Gamma', role: 'competitor', query: 'gamma*' },
];

const SINCE = Date.parse('2026-11-09T00:00:00Z');
const pad = (i: number) => String(i).padStart(2, '0');
const at = (hours: number) => new Date(SINCE + hours * 3_600_000).toISOString();

function mention(id: string, brand: string, text: string, score: number, hour: number): ThemeMention {
  const label = score >= 0.05 ? 'positive' : score <= -0.05 ? 'negative' : 'neutral';
  return { id, brandIds: [brand], title: null, text, lang: 'en', sentimentScore: score, label, occurredAt: at(hour) };
}

// Words used once each, so filler never reaches a theme's minimum support.
const FILLER = [
  'umbrella', 'giraffe', 'lantern', 'pebble', 'violin', 'compass', 'meadow', 'saddle', 'harbor', 'quartz', 'walnut',
  'orchid', 'tundra', 'biscuit', 'falcon', 'glacier', 'hammock', 'igloo', 'jasmine', 'kettle', 'lobster', 'mosaic',
  'nectar', 'oyster', 'parrot', 'quiver', 'raven', 'sequoia', 'trellis', 'urchin', 'velvet', 'walrus', 'yonder',
  'zephyr', 'anchor', 'banjo', 'cactus', 'dolphin', 'ember', 'fjord',
];
let fillerAt = 0;
const filler = (id: string, brand: string, name: string, hour: number) =>
  mention(id, brand, `${name} ${FILLER[fillerAt++ % FILLER.length]} ${FILLER[fillerAt++ % FILLER.length]}`, 0, hour);

const DELAY_TEXTS = [
  'Beta delivery delays ruined my weekend',
  'Another week of delivery delays from Beta store',
  'Beta: delivery delayed yet again, parcel missing',
  'Delivery delays at Beta are unacceptable',
];
const SERVICE_TEXTS = [
  'Acme customer service was so helpful today',
  'Shout-out to the customer service team at Acme',
  'Acme customer service sorted my refund in minutes',
];
const PRICING_TEXTS = [
  'Acme pricing went up again',
  'The pricing at Acme is a rip-off',
  'Not happy with Acme pricing this month',
  'Acme shop pricing makes no sense',
];

/**
 * The n-th post of a kind: its text with a number of its own. Copies of one text count once in a
 * stored SWOT (themes.copies.ts); a number is no term, so the themes are the texts'.
 */
const nth = (texts: readonly string[], i: number) => `${texts[i % texts.length]!} ${i}`;

export function currentWindow(): ThemeMention[] {
  fillerAt = 0;
  const out: ThemeMention[] = [];
  // Scores fall with i, so b-delay-12 is the most negative and leads the samples.
  for (let i = 1; i <= 12; i++) out.push(mention(`b-delay-${pad(i)}`, 'beta', nth(DELAY_TEXTS, i), -0.5 - i * 0.03, i));
  for (let i = 1; i <= 10; i++) out.push(mention(`a-service-${pad(i)}`, 'acme', nth(SERVICE_TEXTS, i), 0.5 + i * 0.04, i));
  for (let i = 1; i <= 8; i++) out.push(mention(`a-pricing-${pad(i)}`, 'acme', nth(PRICING_TEXTS, i), -0.4 - i * 0.05, 20 + i));
  for (let i = 1; i <= 12; i++) out.push(filler(`a-other-${pad(i)}`, 'acme', 'Acme', 40 + i));
  for (let i = 1; i <= 10; i++) out.push(filler(`b-other-${pad(i)}`, 'beta', 'Beta', 60 + i));
  // Gamma: neutral-to-mixed customer service talk and filler; its volume doubles against last week.
  for (let i = 1; i <= 5; i++) {
    out.push(mention(`g-service-${pad(i)}`, 'gamma', `Gamma customer service line ${['was fine', 'answered', 'was slow', 'was friendly', 'called back'][i - 1]}`, [0, 0, -0.4, 0.4, 0][i - 1]!, 80 + i));
  }
  for (let i = 1; i <= 15; i++) out.push(filler(`g-other-${pad(i)}`, 'gamma', 'Gamma', 90 + i));
  return out;
}

export function previousWindow(): ThemeMention[] {
  fillerAt = 3;
  const out: ThemeMention[] = [];
  for (let i = 1; i <= 30; i++) out.push(filler(`p-acme-${pad(i)}`, 'acme', 'Acme', -100 + i));
  for (let i = 1; i <= 20; i++) out.push(filler(`p-beta-${pad(i)}`, 'beta', 'Beta', -100 + i));
  for (let i = 1; i <= 8; i++) out.push(filler(`p-gamma-${pad(i)}`, 'gamma', 'Gamma', -100 + i));
  return out;
}

export function sentimentWindow(mentions: readonly ThemeMention[], brandId: string): SentimentWindow {
  const own = mentions.filter((m) => m.brandIds.includes(brandId));
  const count = (label: string) => own.filter((m) => m.label === label).length;
  // Over the scored mentions, as share of voice computes it.
  const scored = count('positive') + count('neutral') + count('negative');
  return { mentions: own.length, scored, netSentiment: scored ? Math.round(((count('positive') - count('negative')) / scored) * 1e4) / 1e4 : null };
}

export function shares(mentions: readonly ThemeMention[]): Record<string, number> {
  return Object.fromEntries(BRANDS.map((b) => [b.id, mentions.filter((m) => m.brandIds.includes(b.id)).length / mentions.length]));
}

/** SwotInput's shareOfVoice for two windows of the scenario (a mention of it names one brand). */
export function shareOfVoice(current: readonly ThemeMention[], previous: readonly ThemeMention[]) {
  return { current: shares(current), previous: shares(previous), mentions: { current: current.length, previous: previous.length } };
}

export const PERIOD = { since: at(0), until: at(24 * 7) };
