import { describe, expect, it } from 'vitest';
import { renderHtml, renderMarkdown, renderText, renderTrendSvg } from '../../src/domain/digests/index.js';
import type { DigestDocument, DigestMention } from '../../src/domain/digests/index.js';
import { digestDocument } from './digests/document.js';

// What a marketer reading the digest needs from it: what a top mention says and when, how big a
// change is, a Persian post laid out right to left, an empty week without empty tables.

const RLI = '\u2067';
const FSI = '\u2068';
const RLM = '\u200F';

const withMentions = (doc: DigestDocument, topNegative: DigestMention[]): DigestDocument => ({ ...doc, topNegative });

describe('a top mention', () => {
  const doc = digestDocument();
  const complaint: DigestMention = {
    id: 'c1', brandId: 'beta', url: 'https://news.example.test/c1', title: 'Beta wifi',
    text: 'The wifi at Beta was down all afternoon and nobody could say when it would be back.', score: -0.7,
    // 23:30 UTC is the next day, 00:30, in Europe/Prague (the digest's zone).
    occurredAt: '2026-11-12T23:30:00Z', lang: 'en',
  };
  const one = withMentions(doc, [complaint]);

  it('shows its title and the start of its text, and when it was published in the digest\'s zone, in every format', () => {
    const words = 'Beta wifi — The wifi at Beta was down all afternoon';
    expect(renderText(one)).toContain(`−0.70  Beta, 2026-11-13 00:30: ${words}`);
    const md = renderMarkdown(one);
    expect(md).toContain('| Score | Brand | Published | Mention |');
    expect(md).toContain(`| −0.70 | Beta | 2026-11-13 00:30 | [${words}`);
    const html = renderHtml(one);
    expect(html).toContain('2026-11-13 00:30</span>');
    expect(html).toContain(`style="color:#0b57d0;text-decoration:underline;">${words}`);
  });

  it('shows a text that repeats its title once', () => {
    const repeated = { ...complaint, title: 'Beta wifi', text: 'Beta wifi is down again' };
    expect(renderText(withMentions(doc, [repeated]))).toContain(': Beta wifi is down again\n');
  });
});

describe('a post in a right-to-left language that starts with a Latin brand name', () => {
  const doc = digestDocument();
  const persian: DigestMention = {
    id: 'fa2', brandId: 'acme', url: 'https://social.example.test/@user/9', title: null,
    text: 'Acme عالی است: قهوه‌ی خوشمزه، ۱۰۰٪ راضی. نمره ۹/۱۰ — حتماً بروید!', score: 0.8, occurredAt: '2026-11-11T09:00:00Z', lang: 'fa',
  };
  const latin: DigestMention = { ...persian, id: 'en2', lang: 'en' };

  it('is laid out right to left, by its language: dir="rtl" in HTML, RLI in text, RLM in a Markdown cell', () => {
    const rtl = withMentions(doc, [persian]);
    expect(renderHtml(rtl)).toMatch(/<td dir="rtl"[^>]*><a href="https:\/\/social\.example\.test\/@user\/9"/u);
    expect(renderText(rtl)).toContain(`: ${RLI}Acme عالی است`);
    expect(renderMarkdown(rtl)).toContain(`| ${RLM}[Acme عالی است`);
  });

  it('takes its first strong character\'s direction when its language is not right to left', () => {
    const ltr = withMentions(doc, [latin]);
    expect(renderHtml(ltr)).toMatch(/<td dir="auto"[^>]*><a href="https:\/\/social\.example\.test\/@user\/9"/u);
    expect(renderText(ltr)).toContain(`: ${FSI}Acme عالی است`);
    expect(renderMarkdown(ltr)).not.toContain(RLM);
  });

  it('as a SWOT example too', () => {
    const sample = { ...persian, id: doc.swot!.strengths[0]!.evidence.sampleMentionIds[0]! };
    const html = renderHtml({ ...doc, swotSamples: [sample] });
    expect(html).toMatch(/<li dir="rtl"[^>]*><a href="https:\/\/social\.example\.test\/@user\/9"/u);
  });
});

describe('the brand table', () => {
  const doc = digestDocument();
  const tiny: DigestDocument = { ...doc, brands: doc.brands.map((b) => (b.brandId === 'gamma' ? { ...b, mentions: 28, previousMentions: 2 } : b)) };

  it('shows the count before beside the change, so a change on a tiny base reads as one', () => {
    expect(renderText(tiny)).toContain('Gamma (competitor): 28 mentions (was 2, +1300%)');
    expect(renderMarkdown(tiny)).toContain('| Gamma | competitor | 28 (was 2) | +1300% |');
    expect(renderHtml(tiny)).toContain('>28 (was\u00A02, +1300%)</td>');
  });

  it('shows the change of share of voice in points', () => {
    // Beta: 30.6% now, 34.5% before.
    expect(renderText(doc)).toContain('Beta (competitor): 22 mentions (was 20, +10%), share of voice 30.6% (−3.9 pts)');
    expect(renderMarkdown(doc)).toContain('| 30.6% (−3.9 pts) |');
    expect(renderHtml(doc)).toContain('>30.6% (−3.9\u00A0pts)</td>');
  });

  it('gives no change of share when the window before had no mention', () => {
    const fresh = { ...doc, brands: doc.brands.map((b) => ({ ...b, previousMentions: 0, previousShare: 0 })) };
    expect(renderText(fresh)).toContain('share of voice 30.6%, net');
  });

  it('says "1 mention", not "1 mentions"', () => {
    const single = { ...doc, brands: doc.brands.map((b) => (b.brandId === 'gamma' ? { ...b, mentions: 1, previousMentions: 1 } : b)) };
    expect(renderText(single)).toContain('Gamma (competitor): 1 mention (was 1, 0%)');
  });
});

describe('"1 mention" in the SWOT', () => {
  const doc = digestDocument();

  it('in the reason it has not enough data, in every format', () => {
    const thin = { ...doc, swot: { ...doc.swot!, status: 'not_enough_data' as const, reason: 'competitors have 1 mentions in the period; at least 20 are needed', strengths: [], weaknesses: [], opportunities: [], threats: [] } };
    for (const out of [renderText(thin), renderMarkdown(thin), renderHtml(thin)]) {
      expect(out).toContain('competitors have 1 mention in the period');
      expect(out).not.toContain('1 mentions');
    }
  });

  it('in an evidence line', () => {
    const swot = doc.swot!;
    const [first, ...rest] = swot.strengths;
    const one = { ...doc, swot: { ...swot, strengths: [{ ...first!, evidence: { ...first!.evidence, mentions: 1, scored: 1 } }, ...rest] } };
    expect(renderText(one)).toContain('\n    1 mention, net +1.00, Acme');
    expect(renderMarkdown(one)).toContain('  \n  1 mention, net +1.00, Acme');
  });
});

describe('a period without a single mention', () => {
  const doc = digestDocument();
  const empty: DigestDocument = {
    ...doc,
    brands: doc.brands.map((b) => ({ ...b, mentions: 0, share: 0, netSentiment: null })),
    sentimentTrend: doc.sentimentTrend.map((s) => ({ ...s, days: s.days.map((d) => ({ ...d, mentions: 0, netSentiment: null })) })),
    topPositive: [], topNegative: [], trendingHashtags: [], trendingKeywords: [], alerts: [],
    swot: { ...doc.swot!, status: 'not_enough_data', reason: 'Acme has 0 mentions in the period; at least 20 are needed', strengths: [], weaknesses: [], opportunities: [], threats: [] },
  };

  it('shows its brands, with what they had before and "–" for a share of nothing, and no empty section, table or chart', () => {
    const text = renderText(empty);
    expect(text).toContain('Acme (own): 0 mentions (was 30, −100%), share of voice –, net sentiment –');
    const html = renderHtml(empty);
    const md = renderMarkdown(empty);
    for (const out of [text, html, md]) {
      for (const heading of ['Sentiment trend', 'Top positive mentions', 'Top negative mentions', 'Trending hashtags', 'Trending keywords', 'Alerts', 'SWOT']) expect(out).not.toContain(heading);
      expect(out).not.toContain('0.0%');
    }
    expect(html).not.toContain('<svg');
    expect(html).not.toContain('<img');
    expect(md).toContain('| Acme | own | 0 (was 30) | −100% | – | – |');
  });
});

describe('the chart on a narrow screen', () => {
  const doc = digestDocument();

  it('the inline SVG shrinks to the page; the file keeps its size', () => {
    expect(renderHtml(doc)).toContain('<svg style="max-width:100%;height:auto;" width="600" height="220"');
    expect(renderTrendSvg(doc, { standalone: true })).not.toContain('max-width');
  });

  it('the e-mail image takes the page\'s width, not 600 px, with images blocked too', () => {
    expect(renderHtml(doc, { chart: { cid: 'trend' } })).toMatch(/<img src="cid:trend" width="600" height="220" [^>]*style="[^"]*width:100%;max-width:600px;height:auto;/u);
  });
});
