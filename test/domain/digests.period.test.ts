import { describe, expect, it } from 'vitest';
import { digestSubject, renderHtml, renderMarkdown, renderText, type DigestDay, type DigestDocument } from '../../src/domain/digests/index.js';
import { digestDocument } from './digests/document.js';

/** A digest of [since, until) in `timeZone`, its one brand's days cut at the given local midnights. */
function periodDigest(timeZone: string, since: string, until: string, midnights: string[], dates: string[]): DigestDocument {
  const bounds = [since, ...midnights, until];
  const days: DigestDay[] = dates.map((date, i) => ({ date, since: bounds[i]!, until: bounds[i + 1]!, mentions: 1, netSentiment: null }));
  return { ...digestDocument(), period: { since, until, timeZone }, sentimentTrend: [{ brandId: 'acme', days }] };
}

const renderings = (doc: DigestDocument) => ({ markdown: renderMarkdown(doc), text: renderText(doc), html: renderHtml(doc), subject: digestSubject(doc) });

describe('the period a digest names in its header', () => {
  it('gives the local dates of its zone in every rendering and the e-mail subject, the days its "Days in" line cuts', () => {
    // Kolkata is UTC+05:30: the period runs from 12-05 05:30 to 12-07 01:30 local.
    const doc = periodDigest('Asia/Kolkata', '2026-12-05T00:00:00.000Z', '2026-12-06T20:00:00.000Z',
      ['2026-12-05T18:30:00.000Z', '2026-12-06T18:30:00.000Z'], ['2026-12-05', '2026-12-06', '2026-12-07']);
    for (const [format, rendered] of Object.entries(renderings(doc))) {
      expect(rendered, format).toContain('2026-12-05 – 2026-12-07 (Asia/Kolkata)');
    }
    for (const format of ['markdown', 'text', 'html'] as const) {
      expect(renderings(doc)[format], format).toContain('Days in Asia/Kolkata: 12-05 from 05:30, 12-07 until 01:30.');
    }
    expect(digestSubject(doc)).toBe('Earshot digest for Acme <Marketing> & Co: 2026-12-05 – 2026-12-07 (Asia/Kolkata)');
  });

  it('ends a week that stops at local midnight on its last whole day: Monday 00:00 to Monday 00:00 reads Monday – Sunday', () => {
    // Prague is UTC+01:00 in November: Monday 11-09 00:00 local is 11-08T23:00Z.
    const doc = periodDigest('Europe/Prague', '2026-11-08T23:00:00.000Z', '2026-11-15T23:00:00.000Z', [], ['2026-11-09']);
    for (const [format, rendered] of Object.entries(renderings(doc))) {
      expect(rendered, format).toContain('2026-11-09 – 2026-11-15 (Europe/Prague)');
    }
    // Whole days: the "Days in" line names no cut either.
    expect(renderText(doc)).toContain('Days in Europe/Prague.');
  });

  it('gives a zone west of UTC its own dates, and one date for a period of one local day', () => {
    // St. John's is UTC−02:30 in summer time: local midnight of 10-31 is 10-31T02:30Z.
    const day = periodDigest('America/St_Johns', '2026-10-31T02:30:00.000Z', '2026-11-01T02:30:00.000Z', [], ['2026-10-31']);
    for (const [format, rendered] of Object.entries(renderings(day))) {
      expect(rendered, format).toContain('2026-10-31 (America/St_Johns)');
      expect(rendered, format).not.toContain('2026-11-01');
    }
    const week = periodDigest('America/St_Johns', '2026-11-09T12:00:00.000Z', '2026-11-16T12:00:00.000Z', [], ['2026-11-09']);
    expect(digestSubject(week)).toContain(': 2026-11-09 – 2026-11-16 (America/St_Johns)');
  });

  it('reads a UTC digest on whole UTC days as the dates it covers', () => {
    const doc = periodDigest('UTC', '2026-11-09T00:00:00.000Z', '2026-11-16T00:00:00.000Z', [], ['2026-11-09']);
    expect(digestSubject(doc)).toContain(': 2026-11-09 – 2026-11-15 (UTC)');
  });
});
