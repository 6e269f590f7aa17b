import { describe, expect, it } from 'vitest';
import { renderHtml, renderMarkdown, renderText, type DigestDocument, type DigestTrendingTerm } from '../../src/domain/digests/index.js';
import { digestDocument } from './digests/document.js';

// `growth` is (now − before) / max(before, 1): a change, not a ratio of now to before.
const term = (name: string, mentions: number, previous: number): DigestTrendingTerm => ({
  term: name, mentions, previous, growth: (mentions - previous) / Math.max(previous, 1),
});

const doc: DigestDocument = {
  ...digestDocument(),
  trendingHashtags: [term('quadrupled', 4, 1), term('halfmore', 3, 2), term('fewer', 3, 4)],
  trendingKeywords: [term('from nothing', 12, 0)],
};

describe('the growth of a trending term in a digest', () => {
  it('is a signed percentage of the count before, in Markdown', () => {
    const md = renderMarkdown(doc);
    expect(md).toContain('| Term | Mentions | Previous | Growth |');
    expect(md).toContain('| \\#quadrupled | 4 | 1 | +300% |');
    expect(md).toContain('| \\#halfmore | 3 | 2 | +50% |');
    expect(md).toContain('| \\#fewer | 3 | 4 | −25% |');
    expect(md).toContain('| from nothing | 12 | 0 | new |');
  });

  it('is a signed percentage of the count before, in plain text', () => {
    const text = renderText(doc);
    expect(text).toContain('#quadrupled: 4 (previously 1, +300%)');
    expect(text).toContain('#halfmore: 3 (previously 2, +50%)');
    expect(text).toContain('#fewer: 3 (previously 4, −25%)');
    expect(text).toContain('from nothing: 12 (previously 0, new)');
  });

  it('is a signed percentage of the count before, in HTML', () => {
    const html = renderHtml(doc);
    const growthCell = (text: string) => new RegExp(`>${text}</td></tr>`, 'u');
    for (const growth of ['\\+300%', '\\+50%', '−25%', 'new']) expect(html).toMatch(growthCell(growth));
  });

  it('is never written as a multiple, which the digest keeps for plain ratios such as share of voice', () => {
    for (const [format, rendered] of Object.entries({ markdown: renderMarkdown(doc), text: renderText(doc), html: renderHtml(doc) })) {
      const trending = rendered.slice(rendered.indexOf('Trending hashtags'), rendered.indexOf('Alerts'));
      expect(trending, format).toContain('+300%');
      expect(trending, format).not.toContain('×');
      expect(rendered, format).toContain('2.0×'); // the SWOT's share of voice, 13.8% → 27.8%
    }
  });
});
