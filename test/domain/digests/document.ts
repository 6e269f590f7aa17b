import type { DigestDocument, DigestMention } from '../../../src/domain/digests/index.js';
import { buildSwot } from '../../../src/domain/swot/index.js';
import { extractThemes } from '../../../src/domain/themes/index.js';
import { BRANDS, PERIOD, currentWindow, previousWindow, sentimentWindow, shareOfVoice, shares } from '../swot/scenario.js';

export const HOSTILE_TEXT = '<script>alert("x")</script> <img src=x onerror=alert(1)> \u202Egnp.exe & **bold** [link](http://evil.test) | pipe '
  + `${'A'.repeat(500)} end`;

export const MENTIONS: Record<string, DigestMention> = {
  hostile: { id: 'h1', brandId: 'beta', url: 'javascript:alert(1)', title: null, text: HOSTILE_TEXT, score: -0.95, occurredAt: '2026-11-10T10:00:00Z' },
  quoted: { id: 'h2', brandId: 'beta', url: 'https://news.example.test/post?a=1&b="><script>', title: 'Beta "delays" <b>again</b>', text: null, score: -0.8, occurredAt: '2026-11-10T11:00:00Z' },
  persian: { id: 'fa1', brandId: 'acme', url: 'https://social.example.test/@user/1', title: null, text: 'خدمات مشتری Acme عالی است! سفارش‌ها سریع رسید', score: 0.9, occurredAt: '2026-11-11T09:00:00Z' },
  hindi: { id: 'hi1', brandId: 'acme', url: 'https://social.example.test/@user/2', title: null, text: 'ग्राहक सेवा बहुत अच्छी है', score: 0.85, occurredAt: '2026-11-11T10:00:00Z' },
};

const days = (base: number, step: number, net: Array<number | null>) => net.map((n, i) => ({ date: `2026-11-${String(9 + i).padStart(2, '0')}`, mentions: base + i * step, netSentiment: n }));

/** `names` renames brands by id (e.g. to a Persian name), in the SWOT's sentences too. */
export function digestDocument({ names = {} }: { names?: Record<string, string> } = {}): DigestDocument {
  const current = currentWindow();
  const previous = previousWindow();
  const brands = BRANDS.map((b) => ({ ...b, name: names[b.id] ?? b.name }));
  const swot = buildSwot({
    ownBrandId: 'acme',
    brands,
    themes: extractThemes({ mentions: current, previous, brands: BRANDS }),
    shareOfVoice: shareOfVoice(current, previous),
    sentimentTrend: Object.fromEntries(BRANDS.map((b) => [b.id, { current: sentimentWindow(current, b.id), previous: sentimentWindow(previous, b.id) }])),
    ...PERIOD,
  });
  const share = shares(current);
  const previousShare = shares(previous);
  return {
    workspace: { id: 'ws1', name: 'Acme <Marketing> & Co' },
    period: { since: PERIOD.since, until: PERIOD.until, timeZone: 'Europe/Prague' },
    generatedAt: '2026-11-16T08:00:00Z',
    brands: brands.map((b) => ({
      brandId: b.id, name: b.name, role: b.role,
      mentions: sentimentWindow(current, b.id).mentions, previousMentions: sentimentWindow(previous, b.id).mentions,
      share: share[b.id]!, previousShare: previousShare[b.id]!, netSentiment: sentimentWindow(current, b.id).netSentiment,
    })),
    sentimentTrend: [
      { brandId: 'acme', days: days(3, 1, [0.2, 0.1, null, 0.3, 0.05, 0.1, 0.2]) },
      { brandId: 'beta', days: days(2, 0, [-0.5, -0.6, -0.4, -0.7, -0.8, -0.6, -0.5]) },
      { brandId: 'gamma', days: days(1, 1, [0, 0.1, 0, -0.1, 0, 0.2, 0]) },
    ],
    topPositive: [MENTIONS.persian!, MENTIONS.hindi!],
    topNegative: [MENTIONS.hostile!, MENTIONS.quoted!],
    trendingHashtags: [{ term: 'تخفیف', mentions: 14, previous: 2, growth: 6 }, { term: 'blackfriday', mentions: 30, previous: 10, growth: 2 }],
    trendingKeywords: [{ term: 'delivery delays', mentions: 12, previous: 0, growth: 12 }],
    alerts: [{ id: 'al1', brandId: 'beta', firedAt: '2026-11-12T14:00:00Z', observed: 9, expected: 1.5, score: 4.2 }],
    swot,
  };
}

/** Persian names for the own brand and one competitor, in the documents below. */
export const PERSIAN_NAMES = { own: 'کافه آروما', beta: 'مکا' } as const;

/**
 * A digest whose own brand and one competitor have Persian names, in the SWOT's sentences too, and
 * whose first opportunity's evidence names the two Persian brands in a row (a list that must not
 * read backwards).
 */
export function persianDigestDocument(): DigestDocument {
  const doc = digestDocument({ names: { acme: PERSIAN_NAMES.own, beta: PERSIAN_NAMES.beta } });
  const swot = doc.swot!;
  const [first, ...rest] = swot.opportunities;
  return { ...doc, swot: { ...swot, opportunities: [{ ...first!, evidence: { ...first!.evidence, brandIds: ['beta', 'acme'] } }, ...rest] } };
}
