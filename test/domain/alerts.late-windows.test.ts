import { describe, expect, it } from 'vitest';
import type { HourlyCounts } from '../../src/domain/alerts/alerts.types.js';
import { detectSpike } from '../../src/domain/alerts/detection.js';
import { judgeWindows, LATE_WINDOW_MINUTES, type MinuteCounts } from '../../src/domain/alerts/late-windows.js';

// An evaluation judges the window ending now and, again, the recent windows that got mentions
// stored since the last evaluation (published before they were stored), each by publication time.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const windowEnd = new Date('2026-12-07T12:50:00Z');
/** Two weeks of a quiet brand: ten mentions an hour, one of them negative. */
const history: HourlyCounts[] = Array.from({ length: 14 * 24 }, (_, i) => ({ start: new Date(Date.parse('2026-12-07T12:00:00Z') - (14 * 24 - i) * HOUR), total: 10, negative: 1 }));

/** `count` negatives published one a minute from `minutesAgo` before windowEnd on, stored since the last evaluation or not. */
const negatives = (minutesAgo: number, count: number, storedSince: boolean): MinuteCounts[] =>
  Array.from({ length: count }, (_, i) => ({ minute: new Date(windowEnd.getTime() - (minutesAgo - i) * MINUTE), negative: 3, total: 3, storedSince }));

const judge = (minutes: MinuteCounts[], lateAfter: Date | null = new Date(0), windowMinutes = 5) =>
  judgeWindows({ minutes, history, windowEnd, windowMinutes, sensitivity: 'medium', minMentions: 5, lateAfter });

describe('windows judged again with mentions stored late', () => {
  it('a spike published before the window ending now, and stored since the last evaluation, fires in the window that holds it', () => {
    // Twelve negatives published 10 to 7 minutes ago, stored by a poll since the last evaluation.
    const { detection, current } = judge(negatives(10, 4, true));
    expect(current.fired).toBe(false);
    expect(detection.fired).toBe(true);
    expect(detection.observed.negative).toBe(12);
    expect(detection.window.end.getTime()).toBeLessThan(windowEnd.getTime());
    expect(detection.window.end.getTime() - detection.window.start.getTime()).toBe(5 * MINUTE);
    // Judged as a window whose mentions were all in when it was judged: the same verdict.
    const whole = detectSpike({ observed: detection.observed, history, windowStart: detection.window.start, windowMinutes: 5, sensitivity: 'medium', minMentions: 5 });
    expect(detection).toEqual(whole);
  });

  it('windows whose mentions were all seen before are not judged again, and none are for a rule judging for the first time', () => {
    expect(judge(negatives(10, 4, false)).detection.fired).toBe(false);
    expect(judge(negatives(10, 4, true), null).detection.fired).toBe(false);
  });

  it('judges again only windows ending after lateAfter and at most LATE_WINDOW_MINUTES ago', () => {
    expect(judge(negatives(10, 4, true), new Date(windowEnd.getTime() - 2 * MINUTE)).detection.fired).toBe(false);
    expect(judge(negatives(10, 4, true), new Date(windowEnd.getTime() - 5 * MINUTE)).detection.fired).toBe(true);
    expect(judge(negatives(LATE_WINDOW_MINUTES + 20, 4, true)).detection.fired).toBe(false);
    expect(judge(negatives(LATE_WINDOW_MINUTES - 20, 4, true)).detection.fired).toBe(true);
  });

  it('of several windows that fire, goes by the most surprising one', () => {
    const { detection } = judge([...negatives(40, 2, true), ...negatives(20, 4, true)]);
    expect(detection.observed.negative).toBe(12);
    expect(detection.window.start.getTime()).toBe(windowEnd.getTime() - 20 * MINUTE);
  });

  it('the window ending now goes first when it fires as surely', () => {
    const minutes = [...negatives(30, 4, true), ...negatives(4, 4, true)];
    const { detection, current } = judge(minutes);
    expect(current.fired).toBe(true);
    expect(detection).toBe(current);
  });
});
