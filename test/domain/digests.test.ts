import { createRequire } from 'node:module';
import { inflateSync } from 'node:zlib';
import { Parser } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { renderHtml, renderMarkdown, renderText, renderTrendSvg, safeUrl } from '../../src/domain/digests/index.js';
import { MENTIONS, digestDocument } from './digests/document.js';

const require = createRequire(import.meta.url);

/** Throws on the first XML well-formedness error. */
function parseXml(xml: string): string[] {
  const sax = require('sax') as { parser(strict: boolean): { onerror(e: Error): void; onopentag(t: { name: string }): void; write(s: string): { close(): void } } };
  const parser = sax.parser(true);
  const tags: string[] = [];
  parser.onerror = (error) => { throw error; };
  parser.onopentag = (tag) => tags.push(tag.name);
  parser.write(xml).close();
  return tags;
}

function attributes(html: string): Array<[string, string, string]> {
  const found: Array<[string, string, string]> = [];
  const parser = new Parser({ onopentag: (name, attrs) => { for (const [k, v] of Object.entries(attrs)) found.push([name, k, v]); } });
  parser.write(html);
  parser.end();
  return found;
}

const doc = digestDocument();
const mentionUrls = new Set(Object.values(MENTIONS).map((m) => safeUrl(m.url)).filter((u): u is string => u !== null));

describe('the HTML digest', () => {
  const html = renderHtml(doc, { chart: 'svg+png' });

  it('is a UTF-8 page of tables with inline CSS only', () => {
    expect(html).toMatch(/^<!DOCTYPE html>/u);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).not.toMatch(/<style|<link|<script|@import|url\(/iu);
    expect((html.match(/<table/gu) ?? []).length).toBeGreaterThanOrEqual(6);
    for (const [tag, name] of attributes(html)) expect([tag, name]).not.toEqual(expect.arrayContaining(['class']));
  });

  it('holds no URL but the mention links: no external image, font or namespace', () => {
    // URLs inside mention text are text; a URL in any attribute must be a mention link.
    for (const [tag, name, value] of attributes(html)) {
      // The chart's base64 may hold "//" by chance; the loop below checks it is a data: PNG.
      if (tag === 'img' && name === 'src' && value.startsWith('data:image/png;base64,')) continue;
      if (/https?:|\/\//u.test(value)) expect([tag, name, mentionUrls.has(value)], value).toEqual(['a', 'href', true]);
    }
    expect(html).not.toContain('http://www.w3.org');
    const sources = attributes(html).filter(([, name]) => name === 'src' || name === 'href');
    for (const [tag, name, value] of sources) {
      if (tag === 'img') expect(value.startsWith('data:image/png;base64,')).toBe(true);
      else expect([tag, name, mentionUrls.has(value)]).toEqual(['a', 'href', true]);
    }
  });

  it('escapes a hostile mention: no markup, no javascript link, no bidi override, long words breakable', () => {
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('javascript:');
    expect(html).not.toContain('\u202E');
    expect(html).toMatch(/A{30}<wbr>A{30}/u);
    expect(html).toContain('Beta &quot;delays&quot; &lt;b&gt;again&lt;/b&gt;');
    expect(html).toContain('href="https://news.example.test/post?a=1&amp;b=%22%3E%3Cscript%3E"');
    expect(html).toContain('Acme &lt;Marketing&gt; &amp; Co');
  });

  it('renders non-Latin text whole, each text cell taking its own direction', () => {
    expect(html).toContain('خدمات مشتری Acme عالی است! سفارش‌ها سریع رسید');
    expect(html).toContain('ग्राहक सेवा बहुत अच्छी है');
    expect(html).toContain('#تخفیف');
    const cells = attributes(html).filter(([tag, name]) => tag === 'td' && name === 'dir');
    expect(cells.length).toBeGreaterThan(10);
    expect(new Set(cells.map(([, , v]) => v))).toEqual(new Set(['auto']));
  });

  it('carries the brands, trend chart, mentions, trending terms, alerts and the SWOT', () => {
    for (const heading of ['Brands', 'Sentiment trend', 'Top positive mentions', 'Top negative mentions', 'Trending hashtags', 'Trending keywords', 'Alerts', 'SWOT']) {
      expect(html).toContain(`>${heading}</h2>`);
    }
    expect(html).toContain('<bdi>Beta</bdi> is criticised for &quot;<bdi>delivery delays</bdi>&quot;');
    expect(html).toContain('b-delay-12, b-delay-11, b-delay-10');
    expect(html).toMatch(/<td[^>]*>27\.8% \(\+14\.0\u00A0pts\)<\/td>/u); // Gamma's share of voice, and its change
  });

  it('embeds a well-formed SVG chart with one line per brand and panel, and the same chart as a PNG', () => {
    const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>') + 6);
    const tags = parseXml(svg);
    expect(tags[0]).toBe('svg');
    // Acme has a day without scores: its sentiment line breaks in two.
    expect(tags.filter((t) => t === 'polyline')).toHaveLength(3 + 4);
    const png = Buffer.from(/src="data:image\/png;base64,([^"]+)"/u.exec(html)![1]!, 'base64');
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    // Drawn at twice the size it is shown at (the <img>'s 600 × 220), to stay sharp on dense screens.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1200, 440]);
    expect(html).toContain('width="600" height="220"');
    const idat = png.indexOf('IDAT');
    const pixels = inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)));
    expect(pixels.length).toBe((1200 * 3 + 1) * 440);
    expect(pixels.includes(Buffer.from([0x00, 0x72, 0xb2]))).toBe(true); // the own brand's colour is drawn
  });

  it('puts the chart as SVG by default, as a data: PNG, or as a Content-ID reference for mail', () => {
    const svgOnly = renderHtml(doc);
    expect(svgOnly).toContain('<svg');
    expect(svgOnly).not.toContain('<img');
    const pngOnly = renderHtml(doc, { chart: 'png' });
    expect(pngOnly).not.toContain('<svg');
    expect(pngOnly).toContain('<img src="data:image/png;base64,');
    const cid = renderHtml(doc, { chart: { cid: 'trend@earshot' } });
    expect(cid).not.toContain('<svg');
    expect(cid).toContain('<img src="cid:trend@earshot" width="600" height="220"');
  });

  it('writes a standalone SVG with its namespace', () => {
    const svg = renderTrendSvg(doc, { standalone: true });
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(parseXml(svg)[0]).toBe('svg');
  });
});

describe('the Markdown digest', () => {
  const md = renderMarkdown(doc);

  it('has every section and table', () => {
    expect(md.startsWith('# Earshot digest: Acme &lt;Marketing&gt; &amp; Co\n')).toBe(true);
    for (const heading of ['## Brands', '## Sentiment trend', '## Top positive mentions', '## Top negative mentions', '## Trending hashtags', '## Trending keywords', '## Alerts', '## SWOT', '### Strengths', '### Threats']) {
      expect(md).toContain(`\n${heading}\n`);
    }
    expect(md).toContain('| Brand | Role | Mentions | Change | Share of voice | Net sentiment |');
    expect(md).toContain('| Gamma | competitor | 20 (was 8) | +150% | 27.8% (+14.0 pts) | 0.00 |');
  });

  it('neutralises markup, links and table breaks in a hostile mention', () => {
    expect(md).not.toMatch(/<script|<img|javascript:|\u202E/u);
    expect(md).toContain('&lt;script&gt;alert\\("x"\\)&lt;/script&gt;');
    expect(md).toContain('\\*\\*bold\\*\\* \\[link\\]\\(http\\://evil.test\\) \\| pipe');
    // A URL in mention text is not left for autolinking.
    expect(md).not.toContain('http://evil');
    // The hostile row stays one table row of three cells.
    const row = md.split('\n').find((line) => line.includes('onerror'))!;
    expect(row.split(/(?<!\\)\|/u)).toHaveLength(6);
  });

  it('links safe mention URLs only', () => {
    expect(md).toContain('](<https://social.example.test/@user/1>)');
    expect(md).toContain('](<https://news.example.test/post?a=1&b=%22%3E%3Cscript%3E>)');
  });
});

describe('the plain-text digest', () => {
  const text = renderText(doc);

  it('has every section, the numbers and the mention URLs on their own lines', () => {
    for (const heading of ['Brands', 'Top negative mentions', 'Trending keywords', 'Alerts', 'SWOT']) expect(text).toContain(`\n${heading}\n${'='.repeat(heading.length)}\n`);
    expect(text).toContain('Gamma (competitor): 20 mentions (was 8, +150%), share of voice 27.8% (+14.0 pts), net sentiment 0.00');
    expect(text).toContain('\n       https://social.example.test/@user/1\n');
    expect(text).toContain("Gamma's share of voice rose from 13.8% to 27.8%");
    expect(text).toContain('ग्राहक सेवा बहुत अच्छी है');
  });

  it('drops bidi overrides and unsafe links, and cuts a long mention at a grapheme boundary', () => {
    expect(text).not.toMatch(/\u202E|javascript:/u);
    const line = text.split('\n').find((l) => l.includes('onerror'))!;
    expect(line.endsWith('…')).toBe(true);
    expect(line.length).toBeLessThan(320);
  });
});

describe('the SWOT in a digest', () => {
  const sampled = { sampled: true, limit: 5, mentions: 5, of: 12, previousMentions: 3, previousOf: 3 };

  it('says when its themes came from the newest mentions only, in every format', () => {
    const note = 'SWOT themes come from the newest 5 of the 12 mentions in the period.';
    const withSample = { ...digestDocument(), swot: { ...doc.swot!, sample: sampled } };
    expect(renderText(withSample)).toContain(note);
    expect(renderMarkdown(withSample)).toContain(`_${note}_`);
    expect(renderHtml(withSample)).toContain(note);
    const before = { ...digestDocument(), swot: { ...doc.swot!, sample: { ...sampled, limit: 2, mentions: 2, previousMentions: 2 } } };
    expect(renderText(before)).toContain('SWOT themes come from the newest 2 of the 12 mentions in the period, and the newest 2 of the 3 mentions in the window before.');
    // Retention deleted the window before: themes have nothing to compare with there.
    const gone = { ...digestDocument(), swot: { ...doc.swot!, sample: { ...sampled, mentions: 12, previousMentions: 0, previousOf: 300 } } };
    expect(renderText(gone)).toContain('SWOT themes come from all 12 mentions in the period, and none of the 300 mentions in the window before.');
  });

  it('says nothing of a sample when every mention was read, or when the digest predates the sample', () => {
    const whole = { ...digestDocument(), swot: { ...doc.swot!, sample: { ...sampled, sampled: false, limit: 50_000, mentions: 12 } } };
    for (const d of [whole, doc]) for (const render of [renderText, renderMarkdown, renderHtml]) expect(render(d)).not.toContain('SWOT themes come from');
  });

  it('says how many of an item\'s mentions were scored when not all of them were', () => {
    const swot = doc.swot!;
    const [first, ...rest] = swot.opportunities;
    const partly = { ...digestDocument(), swot: { ...swot, opportunities: [{ ...first!, evidence: { ...first!.evidence, mentions: 12, scored: 10 } }, ...rest] } };
    expect(renderText(partly)).toContain('12 mentions (10 scored), net −1.00, Beta');
    // All scored: no note.
    expect(renderText(doc)).toContain('12 mentions, net −1.00, Beta');
  });
});

describe('a digest without enough data for a SWOT', () => {
  it('says so in every format', () => {
    const thin = { ...digestDocument(), swot: { ...doc.swot!, status: 'not_enough_data' as const, reason: 'Acme has 8 mentions in the period; at least 20 are needed', strengths: [], weaknesses: [], opportunities: [], threats: [] } };
    expect(renderHtml(thin)).toContain('Not enough data: <bdi>Acme</bdi> has 8 mentions in the period; at least 20 are needed');
    expect(renderText(thin)).toContain('Not enough data: Acme has 8 mentions');
    expect(renderMarkdown(thin)).toContain('_Not enough data: Acme has 8 mentions in the period; at least 20 are needed_');
  });
});

describe('an empty digest', () => {
  it('renders in every format, saying there is nothing rather than failing', () => {
    const empty = { ...doc, brands: [], sentimentTrend: [], topPositive: [], topNegative: [], trendingHashtags: [], trendingKeywords: [], alerts: [], swot: null };
    const html = renderHtml(empty);
    expect(html).toContain('No brands.');
    expect(html).toContain('No data.');
    expect(html).not.toContain('<svg');
    expect(renderMarkdown(empty)).toContain('_No own brand: no SWOT._');
    expect(renderText(empty)).toContain('No alerts fired.');
  });
});
