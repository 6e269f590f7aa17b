import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CHART, PALETTE } from '../../src/domain/digests/digest.chart.js';
import { renderHtml, renderMarkdown, renderText, renderTrendPngBytes, renderTrendSvg } from '../../src/domain/digests/index.js';
import { PNG_SCALE } from '../../src/domain/digests/digest.png.js';
import type { DigestDocument } from '../../src/domain/digests/index.js';
import { digestDocument, PERSIAN_NAMES, persianDigestDocument } from './digests/document.js';

const FSI = '\u2068';
const PDI = '\u2069';
const LRM = '\u200E';
const OWN = PERSIAN_NAMES.own;
const BETA = PERSIAN_NAMES.beta;


/** A period cut at both ends: from 18:30 on the first day, until 02:00 on the last. */
function partialDocument(): DigestDocument {
  const doc = digestDocument();
  const sentimentTrend = doc.sentimentTrend.map((s) => ({
    ...s,
    days: s.days.map((d, i) => ({
      ...d,
      since: i === 0 ? `${d.date}T17:30:00Z` : `${d.date}T00:00:00+01:00`,
      until: i === s.days.length - 1 ? `${d.date}T01:00:00Z` : `${s.days[i + 1]!.date}T00:00:00+01:00`,
    })),
  }));
  return { ...doc, sentimentTrend };
}

/** The colour of the PNG at (x, y) in chart units (CHART), the image being drawn at PNG_SCALE. */
function pngPixel(png: Buffer, x: number, y: number): string {
  const idat = png.indexOf('IDAT');
  const rows = inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)));
  const width = png.readUInt32BE(16);
  const at = Math.round(y * PNG_SCALE) * (width * 3 + 1) + 1 + Math.round(x * PNG_SCALE) * 3; // filter type 0 on every row
  return `#${[...rows.subarray(at, at + 3)].map((b) => b.toString(16).padStart(2, '0')).join('')}`.toUpperCase();
}

describe('right-to-left names inside the English sentences of a digest', () => {
  const doc = persianDigestDocument();

  it('HTML: SWOT sentences are dir="ltr", with every brand name and theme in <bdi>', () => {
    const html = renderHtml(doc);
    const swot = html.slice(html.indexOf('>SWOT</h2>'));
    const items = swot.match(/<li[^>]*>/gu) ?? [];
    expect(items.length).toBeGreaterThan(0);
    for (const li of items) expect(li).toContain('dir="ltr"');
    expect(swot).toContain(`<bdi>${OWN}</bdi> is praised for &quot;<bdi>customer service</bdi>&quot;`);
    expect(swot).toContain(`; <bdi>${OWN}</bdi> has fewer than 3 mentions on it.`);
    // The evidence line: both names isolated, each on its own.
    expect(swot).toMatch(new RegExp(`12 mentions, net −1\\.00, <bdi>${BETA}</bdi>, <bdi>${OWN}</bdi>; sample mentions b-delay-12`, 'u'));
    // A cell holding only a name or a mention's text still takes its own direction.
    expect(html).toMatch(new RegExp(`<td dir="auto"[^>]*>${OWN}<br>`, 'u'));
    expect(html).toContain(`<h1 dir="ltr" style="font-family:Arial,Helvetica,sans-serif;font-size:22px;margin:0 0 4px;color:#111;">Earshot digest: <bdi>Acme &lt;Marketing&gt; &amp; Co</bdi></h1>`);
  });

  it('plain text: a right-to-left name is isolated (FSI…PDI) and its line starts left to right (LRM)', () => {
    const text = renderText(doc);
    expect(text).toContain(`\n  * ${LRM}${FSI}${OWN}${PDI} is praised for "customer service": net sentiment +1.00`);
    expect(text).toContain(`\n    12 mentions, net −1.00, ${FSI}${BETA}${PDI}, ${FSI}${OWN}${PDI}; sample mentions b-delay-12`);
    expect(text).toContain(`\n${LRM}${FSI}${OWN}${PDI} (own): 30 mentions (was 30, 0%)`);
    expect(text).toContain(`\n${LRM}${FSI}#تخفیف${PDI}: 14 (previously 2, +600%)`);
    // Every isolate is closed on its own line.
    for (const line of text.split('\n')) expect(line.split(FSI).length).toBe(line.split(PDI).length);
  });

  it('Markdown: list items get the same marks as plain text; table cells, holding one name each, none', () => {
    const md = renderMarkdown(doc);
    expect(md).toContain(`\n- ${LRM}${FSI}${OWN}${PDI} is praised for "customer service": net sentiment +1.00 across 10 mentions \\(10 positive\\)`);
    expect(md).toContain(`  \n  12 mentions, net −1.00, ${FSI}${BETA}${PDI}, ${FSI}${OWN}${PDI}; sample mentions b-delay-12`);
    expect(md).toContain(`\n- ${LRM}${FSI}${OWN}${PDI}: 11-09 3 (+0.20)`);
    expect(md).toContain(`\n| ${OWN} | own | 30 (was 30) | 0% | 41.7% (−10.1 pts) | +0.07 |\n`);
  });

  it('a digest without right-to-left text gets no invisible marks at all', () => {
    const doc = digestDocument();
    const latin = { ...doc, topPositive: doc.topPositive.filter((m) => m.id !== 'fa1'), trendingHashtags: doc.trendingHashtags.filter((t) => t.term === 'blackfriday') };
    for (const out of [renderText(latin), renderMarkdown(latin)]) expect(out).not.toMatch(/[\u200E\u2068\u2069]/u);
  });
});

describe('the trend chart in an e-mail (a cid: PNG with figures and dates, no names)', () => {
  it('has a legend naming each brand by its line colour, as drawn in the PNG', () => {
    const doc = digestDocument({ names: { beta: 'Beta <b>"x"</b>' } });
    const html = renderHtml(doc, { chart: { cid: 'trend@earshot' } });
    const trend = html.slice(html.indexOf('>Sentiment trend</h2>'), html.indexOf('>Top positive mentions</h2>'));
    const legend = [...trend.matchAll(/color:(#[0-9A-F]{6});[^>]*>&#9632;<\/span>&nbsp;<bdi>([^<]*)<\/bdi>/gu)].map((m) => [m[1], m[2]]);
    expect(legend.slice(0, 3)).toEqual([[PALETTE[0], 'Acme'], [PALETTE[1], 'Beta &lt;b&gt;&quot;x&quot;&lt;/b&gt;'], [PALETTE[2], 'Gamma']]);
    const png = renderTrendPngBytes(doc);
    // The PNG's legend squares, left to right, in the same colours.
    legend.slice(0, 3).forEach(([color], n) => expect(pngPixel(png, CHART.left + n * 120 + 4, CHART.height - 9)).toBe(color));
  });

  it('gives the scale and each day\'s figures per brand in HTML', () => {
    const html = renderHtml(digestDocument(), { chart: { cid: 'trend@earshot' } });
    expect(html).toContain('Top: mentions per day, on a scale of 0 to 10 (the most in a day: 9). Bottom: net sentiment per day, −1 to +1. Left to right: 2026-11-09 to 2026-11-15');
    const rows = [...html.matchAll(/<tr><td[^>]*>(\d\d-\d\d)[^<]*<\/td>((?:<td[^>]*>[^<]*<\/td>)+)<\/tr>/gu)]
      .map((m) => [m[1], ...[...m[2]!.matchAll(/>([^<]*)<\/td>/gu)].map((c) => c[1])]);
    expect(rows).toHaveLength(7);
    expect(rows[0]).toEqual(['11-09', '3 (+0.20)', '2 (−0.50)', '1 (0.00)']);
    expect(rows[2]).toEqual(['11-11', '5 (–)', '2 (−0.40)', '3 (0.00)']);
    expect(rows[6]).toEqual(['11-15', '9 (+0.20)', '2 (−0.50)', '7 (0.00)']);
  });

  it('marks the partial first and last days in the table, the note and the charts', () => {
    const doc = partialDocument();
    const html = renderHtml(doc, { chart: { cid: 'trend@earshot' } });
    expect(html).toContain('>11-09* (from 18:30)</td>');
    expect(html).toContain('>11-15* (until 02:00)</td>');
    expect(html).toContain('>11-10</td>');
    expect(html).toContain('Partial days (*), shaded in the chart: 11-09 from 18:30, 11-15 until 02:00. They cover only part of a day');
    // The PNG and the SVG shade those days; whole days stay white.
    const png = renderTrendPngBytes(doc);
    expect(pngPixel(png, CHART.left + 2, CHART.top + 2)).toBe('#EEEEEE');
    expect(pngPixel(png, CHART.width - CHART.right - 2, CHART.top + 2)).toBe('#EEEEEE');
    expect(pngPixel(png, CHART.width / 2, CHART.top + 2)).toBe('#FFFFFF');
    expect(renderTrendSvg(doc).match(/fill="#EEEEEE"/gu)).toHaveLength(2);
    expect(renderHtml(doc)).toContain('Partial days, shaded in the chart: 11-09 from 18:30, 11-15 until 02:00.');
    // Whole days: no note, no shade.
    expect(renderHtml(digestDocument(), { chart: { cid: 'x' } })).not.toContain('Partial days');
    expect(renderTrendSvg(digestDocument())).not.toContain('#EEEEEE');
  });
});

describe("the SWOT evidence's sample mentions, by their words and links", () => {
  const base = digestDocument();
  const opportunity = base.swot!.opportunities[0]!;
  const [lead, missing, persian, fourth, fifth] = opportunity.evidence.sampleMentionIds;
  const sample = (id: string, text: string, url: string | null) => ({ id, brandId: 'beta', url, title: null, text, score: -0.8, occurredAt: '2026-11-10T10:00:00Z' });
  // The second sample was deleted before the digest was made; the fifth is past the three shown.
  const doc: DigestDocument = {
    ...base,
    swotSamples: [
      sample(lead!, 'Beta delivery took three weeks', 'https://news.example.test/b-delay-12'),
      sample(persian!, 'ارسال بتا دوباره دیر شد', null),
      sample(fourth!, '<b>Beta</b> delays | again', 'javascript:alert(1)'),
      sample(fifth!, 'Beta never again', 'https://news.example.test/b-delay-8'),
    ],
  };
  void missing;

  it('HTML: each example links to its mention, takes its own direction, and is escaped; no ids', () => {
    const html = renderHtml(doc);
    const item = html.slice(html.indexOf('>Opportunities</h3>'), html.indexOf('>Threats</h3>'));
    expect(item).toContain('<a href="https://news.example.test/b-delay-12" style="color:#0b57d0;text-decoration:underline;">Beta delivery took three weeks</a>');
    expect(item).toMatch(/<li dir="auto"[^>]*>ارسال بتا دوباره دیر شد<\/li>/u);
    expect(item).toContain('&lt;b&gt;Beta&lt;/b&gt; delays | again');
    expect(item).not.toContain('javascript:');
    expect(item).not.toContain('b-delay-8');
    expect(item).not.toContain('sample mentions');
  });

  it('plain text and Markdown: the words, then the link', () => {
    const text = renderText(doc);
    expect(text).toContain('\n      - Beta delivery took three weeks\n        https://news.example.test/b-delay-12');
    expect(text).toContain(`\n      - ${LRM}${FSI}ارسال بتا دوباره دیر شد${PDI}\n`);
    expect(text).not.toContain('sample mentions');
    const md = renderMarkdown(doc);
    expect(md).toContain('\n  - [Beta delivery took three weeks](<https://news.example.test/b-delay-12>)');
    expect(md).toContain('\n  - &lt;b&gt;Beta&lt;/b&gt; delays \\| again');
    expect(md).not.toContain('b-delay-8');
  });

  it('a digest made before the samples were kept still names their ids', () => {
    expect(renderText(base)).toContain(`; sample mentions ${lead}`);
  });
});

describe('a mention URL holding a pipe, in the Markdown table', () => {
  it('is percent-encoded, so the row keeps its four cells', () => {
    const doc = digestDocument();
    const piped = { ...doc.topPositive[0]!, title: 'Pipe URL item', text: null, url: 'http://example.com/a|b|c' };
    const md = renderMarkdown({ ...doc, topPositive: [piped] });
    const row = md.split('\n').find((line) => line.includes('Pipe URL item'))!;
    expect(row).toContain('[Pipe URL item](<http://example.com/a%7Cb%7Cc>)');
    expect(row.split(/(?<!\\)\|/u)).toHaveLength(6);
  });
});

describe('a period without a single mention', () => {
  const doc = digestDocument();
  const empty: DigestDocument = {
    ...doc,
    brands: doc.brands.map((b) => ({ ...b, mentions: 0, share: 0, netSentiment: null })),
    sentimentTrend: doc.sentimentTrend.map((s) => ({ ...s, days: s.days.map((d) => ({ ...d, mentions: 0, netSentiment: null })) })),
    topPositive: [], topNegative: [], trendingHashtags: [], trendingKeywords: [], alerts: [],
  };
  const HEADLINE = 'No mentions of any brand in this period.';

  it('says so in one line near the top, in every format', () => {
    for (const [out, brands] of [[renderHtml(empty), '>Brands</h2>'], [renderText(empty), '\nBrands\n'], [renderMarkdown(empty), '\n## Brands\n']] as const) {
      expect(out).toContain(HEADLINE);
      expect(out.indexOf(HEADLINE)).toBeLessThan(out.indexOf(brands));
    }
    expect(renderText(empty).split('\n').slice(0, 4)).toEqual(['Earshot digest: Acme <Marketing> & Co', '2026-11-09 – 2026-11-16 (Europe/Prague)', '', HEADLINE]);
  });

  it('says nothing of the kind when there are mentions', () => {
    for (const out of [renderHtml(doc), renderText(doc), renderMarkdown(doc)]) expect(out).not.toContain(HEADLINE);
  });
});
