import { originOf } from '../../infra/http/index.js';
import type { DigestDocument, DigestSources, DigestSourceState } from './digest.types.js';
import type { DigestRepository } from './digests.repository.js';

/** How many sources not read in full a digest lists; it counts them all. */
export const FAILING_LISTED = 10;
/** How many stretches of the period a listed source was not read the digest gives; it counts them all. */
export const OUTAGES_LISTED = 3;
const ERROR_LENGTH = 300;

/** No brand had a mention in the period (a workspace without brands has none either). */
export const noMentions = (doc: Pick<DigestDocument, 'brands'>) => doc.brands.every((b) => b.mentions === 0);

/**
 * Nothing to report: no brand had a mention in the period, nor in the window before. A period
 * that drops to nothing after one with mentions is news (a source may have broken), and is
 * reported once; the quiet periods after it are not.
 */
export const nothingToReport = (doc: Pick<DigestDocument, 'brands'>) => doc.brands.every((b) => b.mentions === 0 && b.previousMentions === 0);

const text = (config: Record<string, unknown>, field: string) => (typeof config[field] === 'string' && config[field] ? (config[field] as string) : null);

/**
 * What a source polls, in a few words, from its settings: a feed by its origin ("https://example.com/…":
 * a private feed's path or `?token=` is its key, and a digest is e-mailed, maybe outside the
 * organisation), a query, r/subreddit, #tag on an instance.
 */
export function sourceTarget(type: string, config: unknown, host: string): string {
  const c = (config && typeof config === 'object' ? config : {}) as Record<string, unknown>;
  const url = text(c, 'url');
  if (url) return feedTarget(url);
  const subreddit = text(c, 'subreddit');
  if (subreddit) return `r/${subreddit}`;
  const hashtag = text(c, 'hashtag');
  if (hashtag) return `#${hashtag}${text(c, 'instance') ? ` on ${text(c, 'instance')}` : ''}`;
  const query = text(c, 'query');
  if (query) return `"${query}"`;
  return text(c, 'channelId') ?? (host || type);
}

/** A feed's URL as a digest names it: its origin, and "/…" when the URL says more. */
function feedTarget(url: string): string {
  const origin = originOf(url);
  let rest = '';
  try {
    const parsed = new URL(url);
    rest = parsed.pathname !== '/' || parsed.search || parsed.hash ? '/…' : '';
  } catch {
    return origin;
  }
  return `${origin}${rest}`;
}

const cut = (error: string | null) => (error === null ? null : Array.from(error).slice(0, ERROR_LENGTH).join(''));

type SourceHealth = Awaited<ReturnType<DigestRepository['sourceHealth']>>[number];

/**
 * Why a source is not read in full, if it is not: its last poll failed (`failing`); it is switched
 * off after failing, by Earshot (HTTP 410, credentials refused: `disabled_reason`) or by hand
 * (`disabled`); or its last poll was a success that could not read everything it polls, one of a
 * subreddit's two listings (PollResult.partialFailure: an error beside the success, `partly_failing`).
 * A source switched off by hand while healthy is not failing, and one enabled again is not until
 * its next poll says so.
 */
export function sourceState(s: Pick<SourceHealth, 'enabled' | 'disabled_reason' | 'consecutive_failures' | 'last_error' | 'last_fetched_at' | 'last_succeeded_at'>): DigestSourceState | null {
  if (!s.enabled) return s.disabled_reason !== null || s.consecutive_failures > 0 ? 'disabled' : null;
  if (s.consecutive_failures > 0) return 'failing';
  const lastPollSucceeded = s.last_succeeded_at !== null && s.last_fetched_at?.getTime() === s.last_succeeded_at.getTime();
  return lastPollSucceeded && s.last_error !== null ? 'partly_failing' : null;
}

/** The order of the list: the failing and disabled first, then the partly failing, the recovered last. */
const RANK: Record<DigestSourceState, number> = { failing: 0, disabled: 0, partly_failing: 1, recovered: 2 };

/**
 * The workspace's sources as a digest of [since, until) records them: how many, how many enabled,
 * and those not read in full, with their state and reason, and the stretches of the period each
 * was not read: those failing, disabled or partly failing when it is made, and those that read
 * now but had an outage in the period (`recovered`). The failing and disabled first, most
 * failures in a row first, then the partly failing, then the recovered, most hours lost first.
 */
export async function digestSources({ workspaceId, since, until, digestRepository }: { workspaceId: string; since: Date; until: Date; digestRepository: DigestRepository }): Promise<DigestSources> {
  const [rows, outageRows] = await Promise.all([
    digestRepository.sourceHealth(workspaceId),
    digestRepository.outagesDuring({ workspaceId, since, until, listed: OUTAGES_LISTED }),
  ]);
  const outages = new Map(outageRows.map((o) => [o.source_id, o]));
  const troubled = rows
    .flatMap((row) => {
      const state = sourceState(row) ?? (outages.has(row.id) ? 'recovered' : null);
      return state ? [{ row, state, outage: outages.get(row.id) }] : [];
    })
    .sort((a, b) => RANK[a.state] - RANK[b.state] || b.row.consecutive_failures - a.row.consecutive_failures || (b.outage?.not_read_ms ?? 0) - (a.outage?.not_read_ms ?? 0));
  const count = (state: DigestSourceState) => troubled.filter((t) => t.state === state).length;
  const firstAddedAt = rows.reduce<Date | null>((first, r) => (first === null || r.created_at < first ? r.created_at : first), null);
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    total: rows.length,
    enabled: rows.filter((r) => r.enabled).length,
    failing: troubled.length,
    disabled: count('disabled'),
    partlyFailing: count('partly_failing'),
    recovered: count('recovered'),
    failingSources: troubled.slice(0, FAILING_LISTED).map(({ row: s, state, outage }) => ({
      id: s.id,
      type: s.type,
      target: sourceTarget(s.type, s.config, s.host),
      state,
      consecutiveFailures: s.consecutive_failures,
      lastError: cut(s.last_error ?? s.disabled_reason),
      lastSucceededAt: s.last_succeeded_at?.toISOString() ?? null,
      enabled: s.enabled,
      outages: (outage?.listed ?? []).map(([from, to]) => ({ from: iso(from), until: iso(to) })),
      outageCount: outage?.stretches ?? 0,
      hoursNotRead: Math.round((outage?.not_read_ms ?? 0) / 360_000) / 10,
    })),
    firstAddedAt: firstAddedAt?.toISOString() ?? null,
  };
}
