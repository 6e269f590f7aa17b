import type { DigestDocument, DigestSwotItem } from '../../../src/domain/digests/index.js';
import type { DigestLanguage } from '../../../src/domain/i18n/languages.js';
import type { SwotSummaryFacts } from '../../../src/domain/i18n/swot.facts.js';
import { summaries, summaryIn } from '../../../src/domain/swot/swot.summaries.js';
import type { Swot, SwotItem } from '../../../src/domain/swot/index.js';
import { digestDocument } from './document.js';

// Documents that reach every sentence a digest can write: every SWOT sentence in its variants,
// sources of every kind, partial days, samples, an empty period; for the tests of the languages.

const side = (mentions: number, scored: number, net: number, positive = 0, negative = 0) => ({ mentions, scored, netSentiment: net, positive, negative });

/** One item per SWOT sentence and variant, its facts made by the SWOT module's summaries and its English sentence written from them, as buildSwot does. */
function everySentence(): Array<[keyof Pick<Swot, 'strengths' | 'weaknesses' | 'opportunities' | 'threats'>, Omit<SwotItem, 'evidence' | 'score'>]> {
  const item = (rule: SwotItem['rule'], theme: string, facts: SwotSummaryFacts) => ({ rule, theme, summary: summaryIn(facts), summaryFacts: facts });
  return [
    ['strengths', item('own_praised', 'customer service', summaries.ownPraised('customer service', 'Acme', side(10, 9, 0.8, 8), { mentions: 12, scored: 12, netSentiment: 0.1 }))],
    ['strengths', item('own_praised', 'espresso', summaries.ownPraised('espresso', 'Acme', side(6, 6, 0.5, 4)))],
    ['weaknesses', item('own_criticised', 'pricing', summaries.ownCriticised('pricing', 'Acme', side(8, 8, -1, 0, 8), { mentions: 7, scored: 2, netSentiment: null }))],
    ['weaknesses', item('own_worse_than_competitors', 'wifi', summaries.ownWorse('wifi', 'Acme', side(9, 9, -0.1), side(11, 11, 0.3)))],
    ['opportunities', item('competitors_criticised', 'delivery delays', summaries.competitorsCriticised('delivery delays', ['Beta'], side(12, 12, -1, 0, 12), 'Acme', undefined, { previous: 0 }))],
    ['opportunities', item('competitors_criticised', 'parking', summaries.competitorsCriticised('parking', ['Beta', 'Gamma'], side(7, 6, -0.5, 0, 4), 'Acme', { mentions: 5, scored: 5, netSentiment: 0.2 }))],
    ['opportunities', item('rising_without_own', 'oat milk', summaries.rising('oat milk', ['Beta', 'Gamma'], 9, 1, 'Acme'))],
    ['opportunities', item('competitor_criticised_share_gain', 'share of voice: Beta', summaries.shareGainCriticised({ name: 'Beta', previous: 0.2, current: 0.35, net: -0.4, side: { mentions: 22, scored: 20 } }, 'Acme'))],
    ['threats', item('competitors_praised', 'loyalty app', summaries.competitorsPraised('loyalty app', ['Gamma'], side(6, 6, 0.7, 5), 'Acme', { mentions: 4, scored: 4, netSentiment: null }))],
    ['threats', item('competitors_praised', 'terrace', summaries.competitorsPraised('terrace', ['Beta', 'Gamma'], side(8, 8, 0.6, 6), 'Acme'))],
    ['threats', item('competitor_share_gain', 'share of voice: Gamma', summaries.shareGain({ name: 'Gamma', previous: 0.138, current: 0.278, net: null, side: { mentions: 20, scored: 19 } }))],
    ['threats', item('competitor_share_gain', 'share of voice: Beta', summaries.shareGain({ name: 'Beta', previous: 0, current: 0.2, net: 0.1, side: { mentions: 20, scored: 20 } }))],
    ['threats', item('own_negative_momentum', 'net sentiment: Acme', summaries.momentum('Acme', 0.3, -0.1, { mentions: 40, scored: 35 }))],
  ];
}

/**
 * The test digest in `language`, its SWOT holding every sentence with its facts, and everything
 * else a digest of a period with mentions can say: sources not read in full of every kind (more of
 * them than it lists), a keywords sample, a SWOT sample, partial first and last days.
 */
export async function fullDocument(language: DigestLanguage): Promise<DigestDocument> {
  const base = digestDocument();
  const quadrants = { strengths: [] as SwotItem[], weaknesses: [] as SwotItem[], opportunities: [] as SwotItem[], threats: [] as SwotItem[] };
  for (const [quadrant, item] of everySentence()) {
    quadrants[quadrant].push({ ...item, score: 1, evidence: { mentions: 12, scored: 10, netSentiment: -0.5, brandIds: ['beta', 'gamma'], sampleMentionIds: ['h1'] } });
  }
  const swot = { ...base.swot!, ...quadrants, sample: { sampled: true, limit: 5, mentions: 5, of: 40, previousMentions: 0, previousOf: 12 } };
  const hour = 3_600_000;
  return {
    ...base,
    language,
    period: { since: '2026-11-09T17:30:00Z', until: '2026-11-16T17:30:00Z', timeZone: 'Asia/Kathmandu' },
    sentimentTrend: base.sentimentTrend.map((s) => ({
      ...s,
      days: s.days.map((d, i, all) => ({ ...d, since: i === 0 ? '2026-11-09T17:30:00Z' : undefined, until: i === all.length - 1 ? '2026-11-16T17:30:00Z' : undefined })),
    })),
    brands: base.brands.map((b) => ({ ...b, previousNetSentiment: 0.25, netSentimentChange: 0.1, previousMentions: b.mentions + 3, previousShare: b.share + 0.05 })),
    trendingKeywordsSample: 20_000,
    swot,
    swotSamples: [],
    sources: {
      total: 15, enabled: 13, failing: 12, disabled: 2, partlyFailing: 1, recovered: 1, firstAddedAt: '2026-01-01T00:00:00Z',
      failingSources: [
        { id: 's1', type: 'rss', target: 'https://feeds.example.test/…', state: 'failing', consecutiveFailures: 12, lastError: 'HTTP 503', lastSucceededAt: '2026-11-02T09:15:00Z', enabled: true, outages: [], outageCount: 0, hoursNotRead: 0 },
        { id: 's2', type: 'reddit', target: 'r/kava', state: 'partly_failing', consecutiveFailures: 0, lastError: 'HTTP 500', lastSucceededAt: '2026-11-14T09:15:00Z', enabled: true, outages: [{ from: '2026-11-10T10:00:00Z', until: '2026-11-12T14:00:00Z' }], outageCount: 3, hoursNotRead: 61.5 },
        { id: 's3', type: 'rss', target: 'https://kava.example.test/…', state: 'disabled', consecutiveFailures: 4, lastError: 'HTTP 410', lastSucceededAt: null, enabled: false },
        { id: 's4', type: 'rss', target: 'https://caj.example.test/…', state: 'disabled', consecutiveFailures: 0, lastError: null, lastSucceededAt: null, enabled: false },
        { id: 's5', type: 'rss', target: 'https://mleko.example.test/…', state: 'recovered', consecutiveFailures: 0, lastError: null, lastSucceededAt: '2026-11-15T09:15:00Z', enabled: true, outages: [{ from: '2026-11-10T10:00:00Z', until: new Date(Date.parse('2026-11-10T10:00:00Z') + 0.6 * hour).toISOString() }, { from: '2026-11-11T10:00:00Z', until: '2026-11-11T13:30:00Z' }], outageCount: 2, hoursNotRead: 4.1 },
      ],
    },
  };
}

/** Empty periods and SWOTs without items: the headline, the sources' lines, the e-mail note, the SWOT's reasons. */
export async function quietDocuments(language: DigestLanguage): Promise<DigestDocument[]> {
  const base = digestDocument();
  const empty = {
    ...base,
    language,
    brands: base.brands.map((b) => ({ ...b, mentions: 0, share: 0, netSentiment: null })),
    sentimentTrend: [], topPositive: [], topNegative: [], trendingHashtags: [], trendingKeywords: [], alerts: [], swot: null,
    email: { status: 'not_sent' as const, reason: 'nothing_to_report' as const },
  };
  const reason = (text: string, brands = base.brands): DigestDocument => ({
    ...base, language, brands, topPositive: [], topNegative: [], trendingHashtags: [], trendingKeywords: [], alerts: [],
    swot: { ...base.swot!, status: 'not_enough_data', reason: text, strengths: [], weaknesses: [], opportunities: [], threats: [] },
  });
  const few = base.brands.map((b) => ({ ...b, mentions: b.brandId === 'acme' ? 1 : 30 }));
  const fewCompetitors = base.brands.map((b) => ({ ...b, mentions: b.brandId === 'acme' ? 30 : 4 }));
  return [
    { ...empty, sources: { total: 3, enabled: 2, failing: 0, failingSources: [] } },
    { ...empty, sources: { total: 1, enabled: 1, failing: 0, failingSources: [] } },
    { ...empty, sources: { total: 0, enabled: 0, failing: 0, failingSources: [] } },
    { ...empty, sources: { total: 2, enabled: 0, failing: 0, failingSources: [] } },
    { ...empty, sources: { total: 2, enabled: 2, failing: 0, failingSources: [], firstAddedAt: '2027-01-01T00:00:00Z' } },
    { ...empty, sources: { total: 2, enabled: 2, failing: 1, failingSources: [{ id: 's1', type: 'rss', target: 'https://a.example.test/…', consecutiveFailures: 1, lastError: null, lastSucceededAt: null, enabled: true }] } },
    reason('Acme has 1 mention in the period; at least 20 are needed', few),
    reason('competitors have 8 mentions in the period; at least 20 are needed', fewCompetitors),
    { ...reason('the workspace has no competitor brands to compare with'), swot: { ...reason('').swot!, competitorIds: [], reason: 'the workspace has no competitor brands to compare with' } },
    { ...base, language, swot: null, topPositive: [], topNegative: [{ ...base.topNegative[0]!, title: null, text: null, url: null }], trendingHashtags: [], trendingKeywords: [], alerts: [] },
  ];
}

/** The SWOT items of a document, every quadrant. */
export const swotItems = (doc: DigestDocument): DigestSwotItem[] =>
  doc.swot ? [...doc.swot.strengths, ...doc.swot.weaknesses, ...doc.swot.opportunities, ...doc.swot.threats] : [];
