import { describe, expect, it } from 'vitest';
import { renderHtml, renderMarkdown, renderText, type DigestBrand, type DigestDocument, type DigestFailingSource } from '../../src/domain/digests/index.js';
import { sourceState, sourceTarget } from '../../src/domain/digests/digests.sources.js';
import { digestDocument } from './digests/document.js';

// Each brand's net sentiment beside the window before's and its change in points, as its mentions
// and share of voice are, in every rendering; never a change from a window with nothing scored.

const base = digestDocument();

/** The digest with Acme's net sentiment now and before (null: none scored). */
function acme(now: number | null, before: number | null | undefined): DigestDocument {
  return {
    ...base,
    brands: base.brands.map((b): DigestBrand => {
      if (b.brandId !== 'acme') return b;
      const { previousNetSentiment: _p, netSentimentChange: _c, ...rest } = b;
      if (before === undefined) return { ...rest, netSentiment: now };
      return { ...rest, netSentiment: now, previousNetSentiment: before, netSentimentChange: now === null || before === null ? null : Math.round((now - before) * 1e4) / 1e4 };
    }),
  };
}

const textLine = (doc: DigestDocument) => renderText(doc).split('\n').find((l) => l.startsWith('Acme (own)'))!;
const markdownRow = (doc: DigestDocument) => renderMarkdown(doc).split('\n').find((l) => l.startsWith('| Acme |'))!;
const htmlCell = (doc: DigestDocument) => {
  const html = renderHtml(doc);
  const row = html.slice(html.indexOf('>Acme<br>'), html.indexOf('</tr>', html.indexOf('>Acme<br>')));
  return [...row.matchAll(/<td[^>]*>([^<]*)<\/td>/gu)].map((m) => m[1]).at(-1);
};

describe("a brand's net sentiment against the window before", () => {
  it('gives both and the change in points, in text, Markdown and HTML', () => {
    const doc = acme(0.4, -0.2);
    expect(textLine(doc)).toMatch(/, net sentiment \+0\.40 \(was −0\.20, \+0\.60\)$/u);
    expect(markdownRow(doc)).toMatch(/\| \+0\.40 \(was −0\.20, \+0\.60\) \|$/u);
    // A figure and its word stay together when the cell wraps on a phone.
    expect(htmlCell(doc)).toBe('+0.40 (was\u00A0−0.20, +0.60)');
  });

  it('rounds the change to whole points, as the figures have two decimals, and says ±0 for none', () => {
    expect(textLine(acme(0.1234, 0.2468))).toContain('net sentiment +0.12 (was +0.25, −0.12)');
    expect(textLine(acme(-0.5, -0.5))).toContain('net sentiment −0.50 (was −0.50, ±0.00)');
  });

  it('gives no change when one window had nothing scored', () => {
    expect(textLine(acme(0.4, null))).toContain('net sentiment +0.40 (was –)');
    expect(textLine(acme(null, 0.2))).toContain('net sentiment – (was +0.20)');
    expect(markdownRow(acme(null, 0.2))).toMatch(/\| – \(was \+0\.20\) \|$/u);
    expect(htmlCell(acme(0.4, null))).toBe('+0.40 (was\u00A0–)');
    // Nothing scored in either: nothing to compare.
    expect(textLine(acme(null, null))).toMatch(/net sentiment –$/u);
  });

  it('shows the figure alone in a digest made before the window before was recorded', () => {
    expect(textLine(acme(0.4, undefined))).toMatch(/net sentiment \+0\.40$/u);
    expect(htmlCell(acme(0.4, undefined))).toBe('+0.40');
  });
});

describe('a digest of a period without a single mention', () => {
  const empty = (extra: Partial<DigestDocument>): DigestDocument => ({
    ...base,
    brands: base.brands.map((b) => ({ ...b, mentions: 0, previousMentions: 0, share: 0, previousShare: 0, netSentiment: null })),
    sentimentTrend: [], topPositive: [], topNegative: [], trendingHashtags: [], trendingKeywords: [], alerts: [], swot: null,
    ...extra,
  });
  const failing = (n: number, target: string, lastError: string | null) => ({
    id: `s${n}`, type: 'rss', target, consecutiveFailures: n, lastError, lastSucceededAt: null, enabled: n < 20,
  });

  it('says which sources fail, their words isolated and escaped, and how many more there are', () => {
    const doc = empty({
      sources: {
        total: 14, enabled: 13, failing: 12,
        failingSources: [failing(21, 'https://feeds.example.test/کافه.xml', '<b>HTTP 410</b> \u202Egone'), ...Array.from({ length: 9 }, (_, i) => failing(i + 1, `https://f${i}.example.test/`, null))],
      },
      email: { status: 'not_sent', reason: 'nothing_to_report' },
    });
    const text = renderText(doc);
    expect(text).toContain("\n12 of the workspace's 14 sources are failing:\n  - rss \u2068https://feeds.example.test/کافه.xml\u2069: switched off after 21 failures in a row (<b>HTTP 410</b> gone)\n");
    expect(text).toContain('\n  - and 2 more\n');
    expect(text).toContain('\nNot e-mailed: nothing to report');
    const html = renderHtml(doc);
    expect(html).toContain('(<bdi>&lt;b&gt;HTTP 410&lt;/b&gt; gone</bdi>)');
    expect(html).not.toContain('\u202E');
    expect(html).toContain('>and 2 more</li>');
    expect(renderMarkdown(doc)).toContain('\n- and 2 more\n');
  });

  it('says when the sources are fine, so a quiet week is told from a broken feed', () => {
    const quiet = empty({ sources: { total: 3, enabled: 2, failing: 0, failingSources: [] }, email: { status: 'queued', reason: null } });
    const text = renderText(quiet);
    expect(text).toContain("The workspace's 2 enabled sources fetch without errors: nothing fetched named a brand.");
    expect(text).not.toContain('Not e-mailed');
    expect(renderText(empty({ sources: { total: 0, enabled: 0, failing: 0, failingSources: [] } }))).toContain('The workspace has no sources: nothing was fetched.');
    expect(renderText(empty({ sources: { total: 2, enabled: 0, failing: 0, failingSources: [] } }))).toContain("None of the workspace's 2 sources is enabled: nothing was fetched.");
  });

  it('says nothing of sources or e-mail in a digest made before they were recorded', () => {
    for (const out of [renderText(empty({})), renderMarkdown(empty({})), renderHtml(empty({}))]) {
      expect(out).not.toMatch(/sources? (is|are) failing|fetch without errors|Not e-mailed/u);
    }
  });
});

describe('a failing feed as a digest names it', () => {
  it('gives its origin only: a private feed’s path or token is its key, and digests are e-mailed', () => {
    const target = sourceTarget('rss', { url: 'https://feeds.example.com/feeds/SECRETPATH.rss?token=SECRETTOKEN' }, 'feeds.example.com');
    expect(target).toBe('https://feeds.example.com/…');
    expect(sourceTarget('rss', { url: 'https://zprávy.example.cz/' }, 'xn--zprvy-zqa.example.cz')).toBe('https://zprávy.example.cz');
    expect(sourceTarget('reddit', { subreddit: 'espresso' }, 'www.reddit.com')).toBe('r/espresso');
  });
});

describe('which sources a digest says are not read in full', () => {
  const at = (iso: string) => new Date(iso);
  const healthy = { enabled: true, disabled_reason: null, consecutive_failures: 0, last_error: null, last_fetched_at: at('2026-12-07T10:00:00Z'), last_succeeded_at: at('2026-12-07T10:00:00Z') };

  it('tells failing, switched off and partly failing sources from those read in full', () => {
    expect(sourceState(healthy)).toBeNull();
    expect(sourceState({ ...healthy, consecutive_failures: 2, last_error: 'HTTP 503', last_fetched_at: at('2026-12-07T11:00:00Z') })).toBe('failing');
    expect(sourceState({ ...healthy, enabled: false, consecutive_failures: 1, disabled_reason: 'the source is gone (HTTP 410)' })).toBe('disabled');
    // Its last poll a success with an error beside it (PollResult.partialFailure).
    expect(sourceState({ ...healthy, last_error: 'comments listing: HTTP 500; the posts listing was read' })).toBe('partly_failing');
  });

  it('lists neither a source switched off by hand while healthy nor one enabled again until its next poll says how it fares', () => {
    expect(sourceState({ ...healthy, enabled: false })).toBeNull();
    // Enabling clears the failures but not the last error, which came from a failed poll.
    expect(sourceState({ ...healthy, last_error: 'HTTP 503', last_fetched_at: at('2026-12-07T11:00:00Z') })).toBeNull();
    expect(sourceState({ ...healthy, last_error: 'HTTP 503', last_succeeded_at: null })).toBeNull();
  });
});

describe('a source not read for part of the period', () => {
  const source = { id: 's1', type: 'reddit', target: 'r/espresso', consecutiveFailures: 0, lastSucceededAt: '2026-11-16T07:00:00Z', enabled: true };
  // The period's zone is UTC here: the stretches read as stored.
  const doc = (failingSources: DigestFailingSource[], counts: { partlyFailing?: number; recovered?: number }): DigestDocument => ({
    ...digestDocument(),
    period: { ...digestDocument().period, timeZone: 'UTC' },
    sources: { total: 3, enabled: 3, failing: failingSources.length, disabled: 0, partlyFailing: 0, recovered: 0, ...counts, failingSources },
  });

  it('reads in part now: its line gives the stretches it was not read as well', () => {
    const text = renderText(doc([{
      ...source, state: 'partly_failing', lastError: 'comments listing: HTTP 500',
      outages: [{ from: '2026-11-12T10:00:00.000Z', until: '2026-11-12T10:40:00.000Z' }], outageCount: 1, hoursNotRead: 0.7,
    }], { partlyFailing: 1 }));
    expect(text).toContain("\n1 of the workspace's 3 sources is partly failing, so this digest may miss mentions from it:\n");
    expect(text).toContain('\n  - reddit r/espresso: read in part at its last poll (comments listing: HTTP 500); was not read from 2026-11-12 10:00 to 2026-11-12 10:40 (40 min)\n');
  });

  it('reads again: one line with its stretches, beside the kinds of the others', () => {
    const text = renderText(doc([
      { ...source, id: 's2', target: 'r/tea', state: 'failing', consecutiveFailures: 3, lastError: 'HTTP 503', outages: [], outageCount: 0, hoursNotRead: 0 },
      { ...source, state: 'recovered', lastError: null, outages: [{ from: '2026-11-12T10:00:00.000Z', until: '2026-11-12T11:30:00.000Z' }], outageCount: 1, hoursNotRead: 1.5 },
    ], { recovered: 1 }));
    expect(text).toContain("\n2 of the workspace's 3 sources are not read in full (1 failing, 1 not read for part of the period), so this digest may miss mentions from them:\n");
    expect(text).toContain('\n  - reddit r/espresso: was not read from 2026-11-12 10:00 to 2026-11-12 11:30 (1.5 h)\n');
  });
});
