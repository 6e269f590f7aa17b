import { describe, expect, it } from 'vitest';
import { toMentionBatch } from '../../../src/domain/mentions/batch.js';
import { mention } from '../../support/seed.js';

// The rows travel as JSON that Postgres's json_to_recordset reads; the batch writes dates itself
// rather than leaving them to JSON.stringify, and must write them exactly as it would have.
const decode = (chunk: Uint8Array) => JSON.parse(new TextDecoder().decode(chunk)) as Array<Record<string, unknown>>;

describe('toMentionBatch', () => {
  it('writes dates as JSON.stringify would: ISO 8601 in UTC, null for none and for an invalid date', () => {
    const exact = mention({ at: '2026-03-04T05:06:07.089+02:00', brands: [] });
    const undated = { ...mention({ at: '2026-03-04T05:06:07Z', brands: ['b1'] }), publishedAt: null };
    const invalid = { ...mention({ at: '2026-03-04T05:06:07Z', brands: [] }), occurredAt: new Date(Number.NaN) };
    const mentions = [exact, undated, invalid];
    const rows = toMentionBatch(mentions).rows.flatMap(decode);
    expect(rows).toHaveLength(3);
    rows.forEach((row, i) => {
      const m = mentions[i]!;
      expect(row.published_at, `row ${i}`).toEqual(JSON.parse(JSON.stringify(m.publishedAt)));
      expect(row.fetched_at, `row ${i}`).toEqual(JSON.parse(JSON.stringify(m.fetchedAt)));
      expect(row.occurred_at, `row ${i}`).toEqual(JSON.parse(JSON.stringify(m.occurredAt)));
    });
    expect(rows.map((r) => r.published_at)).toEqual(['2026-03-04T03:06:07.089Z', null, '2026-03-04T05:06:07.000Z']);
    expect(rows[2]!.occurred_at).toBeNull();
  });

  it('splits a large poll into chunks of whole rows and returns the matched mentions whole', () => {
    const mentions = Array.from({ length: 2500 }, (_, i) => mention({ at: '2026-03-04T05:06:07Z', brands: i % 5 === 0 ? ['b1'] : [], text: `item ${i} – čeština, हिन्दी` }));
    const batch = toMentionBatch(mentions);
    const rows = batch.rows.flatMap(decode);
    expect(batch.rows.length).toBeGreaterThan(1);
    expect(batch.size).toBe(2500);
    expect(rows.map((r) => r.text)).toEqual(mentions.map((m) => m.text));
    expect(batch.matched).toEqual(mentions.filter((m) => m.brands.length > 0));
  });
});
