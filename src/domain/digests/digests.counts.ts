import type { AnalyticsRepository, Counts } from '../analytics/analytics.repository.js';
import { assertTimeZone, hourWindow, sentimentTrend } from '../analytics/analytics.usecases.js';
import type { DigestRepository } from './digests.repository.js';

// The rollup figures of a period that need not start or end on a UTC hour: a scheduled digest
// ends at its run, 09:00 in Asia/Kolkata being 03:30 UTC. The hourly rollups are read for the
// whole hours holding the period, and the mentions of its first and last hour that lie outside
// it are read from the mention links and taken back out: under an hour on each side, none for a
// period on whole hours. Mentions retention has deleted cannot be taken out (as the API's
// trend, a period that old counts more from rollups than from mentions).

/** The parts of the whole UTC hours holding [since, until) that lie outside it. */
export function outsideParts(since: Date, until: Date): Array<{ since: Date; until: Date }> {
  const hours = hourWindow(since, until);
  return [
    { since: hours.since, until: since },
    { since: until, until: hours.until },
  ].filter((part) => part.since < part.until);
}

type Deps = { analyticsRepository: AnalyticsRepository; digestRepository: DigestRepository };

const LABELS = ['mentions', 'positive', 'neutral', 'negative', 'unscored'] as const;
/** A day of the trend has its mean score, not the sum: the digest reads neither. */
export type DayCounts = Pick<Counts, (typeof LABELS)[number]>;

function takeOut(from: DayCounts, part: DayCounts): void {
  for (const label of LABELS) from[label] -= part[label];
}

/** Each brand's counts in exactly [since, until), as `totalsByBrand` gives them for whole hours. */
export async function periodTotals({ workspaceId, since, until, analyticsRepository, digestRepository }: Deps & { workspaceId: string; since: Date; until: Date }) {
  const hours = hourWindow(since, until);
  const [totals, outside] = await Promise.all([
    analyticsRepository.totalsByBrand(workspaceId, hours.since, hours.until),
    digestRepository.linkCounts({ workspaceId, ranges: outsideParts(since, until), timeZone: 'UTC' }),
  ]);
  const byBrand = new Map(totals.map((t) => [t.brandId, t]));
  for (const part of outside) {
    const total = byBrand.get(part.brandId);
    if (!total) continue;
    takeOut(total, part);
    total.scoreSum -= part.scoreSum;
  }
  return totals;
}

export interface PeriodDay {
  /** Local midnight the day starts at: before `since` for a first day the period cuts. */
  start: Date;
  /** The part of the day inside the period. */
  since: Date;
  until: Date;
  counts: DayCounts;
}

/** Each brand's counts per local day of `timeZone`, the days the period's bounds cut counting only their part in it. */
export async function periodDays({
  workspaceId,
  since,
  until,
  timeZone,
  now,
  analyticsRepository,
  digestRepository,
}: Deps & { workspaceId: string; since: Date; until: Date; timeZone: string; now: Date }): Promise<Array<{ brandId: string; days: PeriodDay[] }>> {
  // sentimentTrend reads the whole hours holding the period, its local days placed as in the API.
  const [trend, outside] = await Promise.all([
    sentimentTrend({ workspaceId, interval: 'day', tz: timeZone, since, until, now, analyticsRepository }),
    digestRepository.linkCounts({ workspaceId, ranges: outsideParts(since, until), timeZone: assertTimeZone(timeZone) }),
  ]);
  return trend.series.map((series) => {
    const days = series.buckets.map((b, i) => {
      const start = new Date(b.start);
      const next = series.buckets[i + 1];
      const end = next ? new Date(next.start) : until;
      const counts: DayCounts = { mentions: b.mentions, positive: b.positive, neutral: b.neutral, negative: b.negative, unscored: b.unscored };
      return { start, since: start < since ? since : start, until: end > until ? until : end, counts };
    });
    for (const part of outside) {
      if (part.brandId !== series.brandId) continue;
      const day = days.findLast((d) => d.start <= part.at);
      if (day) takeOut(day.counts, part);
    }
    // A day wholly outside the period (its hours only held the outside parts) is no day of it.
    return { brandId: series.brandId, days: days.filter((d) => d.since < d.until) };
  });
}
