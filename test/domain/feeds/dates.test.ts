import { describe, expect, it } from 'vitest';
import { judgeDate, parseFeedDate } from '../../../src/domain/text/dates.js';

const readsAs = (cases: Array<[string, string]>) =>
  it.each(cases)('%s', (raw, iso) => {
    expect(parseFeedDate(raw)?.toISOString()).toBe(iso);
  });
const readsNothing = (cases: Array<[string]>) =>
  it.each(cases)('%j is not a date', (raw) => {
    expect(parseFeedDate(raw)).toBeNull();
  });

describe('parseFeedDate reads the dates feeds really write', () => {
  readsAs([
    ['Sun, 22 Nov 2026 10:00:00 +0000', '2026-11-22T10:00:00.000Z'],
    ['Sun, 22 Nov 2026 10:00:00 +0000 (UTC)', '2026-11-22T10:00:00.000Z'],
    ['Sun, 22 Nov 2026 10:00:00 GMT', '2026-11-22T10:00:00.000Z'],
    ['Sun, 22 Nov 2026 10:00:00 UT', '2026-11-22T10:00:00.000Z'],
    ['Sun, 22 Nov 2026 10:00:00 Z', '2026-11-22T10:00:00.000Z'],
    ['Sun, 22 Nov 2026 05:00:00 EST', '2026-11-22T10:00:00.000Z'],
    ['Sun, 22 Nov 2026 06:00:00 EDT', '2026-11-22T10:00:00.000Z'],
    ['Sun, 22 Nov 2026 04:00:00 CST', '2026-11-22T10:00:00.000Z'],
    ['Sun, 22 Nov 2026 03:00:00 PDT', '2026-11-22T10:00:00.000Z'],
    ['Sun, 22 Nov 2026 02:00:00 PST', '2026-11-22T10:00:00.000Z'],
    ['Sun, 22 Nov 2026 11:00:00 CET', '2026-11-22T10:00:00.000Z'],
    ['Sun, 22 Nov 2026 15:30:00 +0530', '2026-11-22T10:00:00.000Z'],
    ['Sun, 22 Nov 2026 15:30:00 +05:30', '2026-11-22T10:00:00.000Z'],
    ['Sun, 22 Nov 26 10:00:00 GMT', '2026-11-22T10:00:00.000Z'],
    ['Mon, 22 Nov 99 10:00:00 GMT', '1999-11-22T10:00:00.000Z'],
    ['22 Nov 2026 10:00 GMT', '2026-11-22T10:00:00.000Z'],
    ['22 Nov 2026 10:00:00', '2026-11-22T10:00:00.000Z'],
    ['Sun, 2 Nov 2026 9:05:07 GMT', '2026-11-02T09:05:07.000Z'],
    ['Sunday, 22-Nov-26 10:00:00 GMT', '2026-11-22T10:00:00.000Z'],
    ['Sun, 22 November 2026 10:00:00 GMT', '2026-11-22T10:00:00.000Z'],
    ['sun, 22 nov 2026 10:00:00 gmt', '2026-11-22T10:00:00.000Z'],
    ['Ne, 22 Nov 2026 11:00:00 +0100', '2026-11-22T10:00:00.000Z'],
    ['Út, 17 Nov 2026 11:00:00 +0100', '2026-11-17T10:00:00.000Z'],
    ['Mon, 22 Nov 2026 10:00:00 GMT', '2026-11-22T10:00:00.000Z'],
    ['Sun, 22 Nov 2026 10:00:00 +0000 GMT', '2026-11-22T10:00:00.000Z'],
    ['Sun Nov 22 2026 11:00:00 GMT+0100 (Central European Standard Time)', '2026-11-22T10:00:00.000Z'],
    ['Nov 22, 2026 10:00:00', '2026-11-22T10:00:00.000Z'],
    ['2026-11-22T10:00:00Z', '2026-11-22T10:00:00.000Z'],
    ['2026-11-22T10:00:00.123456Z', '2026-11-22T10:00:00.123Z'],
    ['2026-11-22T12:00:00+02:00', '2026-11-22T10:00:00.000Z'],
    ['2026-11-22T12:00:00+0200', '2026-11-22T10:00:00.000Z'],
    ['2026-11-22 10:00:00', '2026-11-22T10:00:00.000Z'],
    ['2026-11-22T10:00', '2026-11-22T10:00:00.000Z'],
    ['2026-11-22', '2026-11-22T00:00:00.000Z'],
    ['  2026-11-22T10:00:00Z\n', '2026-11-22T10:00:00.000Z'],
    ['Sun, 31 Dec 2026 23:59:60 GMT', '2026-12-31T23:59:59.000Z'],
  ]);

  readsNothing([
    [''], ['yesterday'], ['1'], ['2026'], ['Tue, 31 Feb 2026 10:00:00 GMT'], ['Sun, 22 Nov 2026 25:00:00 GMT'],
    ['Sun, 22 Foo 2026 10:00:00 GMT'], ['Sun, 22 Nov 2026 10:00:00 XYZ'], ['2026-13-01'], ['2026-11-22T10:00:00+25:00'],
    ['Sun, 22 Novxyz 2026 10:00:00 GMT'], ['x'.repeat(500)],
  ]);
});

describe('a time of day is read as written, or the date is unknown: never midnight, never a wrong instant', () => {
  readsAs([
    ['Sun, 22 Nov 2026 17.30 CET', '2026-11-22T16:30:00.000Z'],
    ['Sun, 22 Nov 2026 17.30.00 +0100', '2026-11-22T16:30:00.000Z'],
    ['Sun, 22 Nov 2026 - 17:30 GMT', '2026-11-22T17:30:00.000Z'],
    ['Sun, 22 Nov 2026 @ 17:30 GMT', '2026-11-22T17:30:00.000Z'],
    ['Nov 22, 2026 17.30 GMT', '2026-11-22T17:30:00.000Z'],
    ['Sun, 22 Nov 2026 10:00:00 -0500 EST', '2026-11-22T15:00:00.000Z'],
    ['Sun, 22 Nov 2026 10:00:00 CEST +0200', '2026-11-22T08:00:00.000Z'],
    ['Sun, 22 Nov 2026 10:00:00 GMT+2', '2026-11-22T08:00:00.000Z'],
    ['Sun, 22 Nov 2026 10:00:00 UTC-05:00', '2026-11-22T15:00:00.000Z'],
  ]);

  readsNothing([
    ['Sun, 22 Nov 2026 1730 GMT'], ['Sun, 22 Nov 2026 at 17:30 GMT'], ['Sun, 22 Nov 2026 17:30:0 GMT'],
    ['Sun, 22 Nov 2026 10:00:00 +0000 garbage'], ['Sun, 22 Nov 2026 10:00:00 GMT+0100 GMT+0200'],
    ['Sun, 22 Nov 2026 10:00:00 +2'], ['Sun, 22 Nov 2026 10:00:00 EST5EDT'], ['Sun, 22 Nov 2026 10:00:00 Europe/Paris'],
    ['Sun, 22 Nov 2026 10:00:00 GMT+14:45'], ['Sun, 22 Nov 2026 13:00 PM GMT'], ['Nov 22, 2026 17 30 GMT'],
  ]);
});

describe('parseFeedDate reads the other layouts feeds emit', () => {
  readsAs([
    ['Sun,22 Nov 2026 10:00:00 GMT', '2026-11-22T10:00:00.000Z'],
    ['2026-11-22 10:00:00 UTC', '2026-11-22T10:00:00.000Z'],
    ['Sun Nov 22 10:00:00 UTC 2026', '2026-11-22T10:00:00.000Z'],
    ['Sun Nov 22 11:00:00 CET 2026', '2026-11-22T10:00:00.000Z'],
    ['Sun Nov 22 10:00:00 2026', '2026-11-22T10:00:00.000Z'],
    ['Nov 22, 2026 10:00 PM', '2026-11-22T22:00:00.000Z'],
    ['Nov 22, 2026 12:05 AM', '2026-11-22T00:05:00.000Z'],
    ['Sunday, November 22, 2026 10:00 a.m.', '2026-11-22T10:00:00.000Z'],
    ['Sun, 22 Nov 2026 10:00:00 PM GMT', '2026-11-22T22:00:00.000Z'],
  ]);
});

describe('judgeDate never turns a bad date into "now"', () => {
  const fetchedAt = new Date('2026-11-22T12:00:00Z');

  it('no date is unknown, not the fetch time', () => {
    expect(judgeDate(null, fetchedAt)).toEqual({ publishedAt: null, dateQuality: 'unknown' });
  });

  it('a date before 1995 is clamped to 1995-01-01', () => {
    expect(judgeDate(new Date('1970-01-01T00:00:00Z'), fetchedAt)).toEqual({ publishedAt: new Date('1995-01-01T00:00:00Z'), dateQuality: 'clamped' });
  });

  it('a date more than a day after the fetch is clamped to the fetch time', () => {
    expect(judgeDate(new Date('2026-11-23T12:00:01Z'), fetchedAt)).toEqual({ publishedAt: fetchedAt, dateQuality: 'clamped' });
  });

  it('a date up to a day ahead (clock skew, zone mistakes) is kept', () => {
    const ahead = new Date('2026-11-23T12:00:00Z');
    expect(judgeDate(ahead, fetchedAt)).toEqual({ publishedAt: ahead, dateQuality: 'exact' });
  });
});
