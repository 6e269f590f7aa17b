import { originOf } from '../../infra/http/index.js';
import type { DigestDocument, DigestSources, DigestSourceState } from './digest.types.js';
import type { DigestRepository } from './digests.repository.js';

/** How many sources not read in full a digest lists; it counts them all. */
export const FAILING_LISTED = 10;
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

/**
 * The workspace's sources as a digest records them: how many, how many enabled, and those not
 * read in full, with their state and reason; the failing and disabled first, most failures in a
 * row first, then those partly failing.
 */
export async function digestSources({ workspaceId, digestRepository }: { workspaceId: string; digestRepository: DigestRepository }): Promise<DigestSources> {
  const rows = await digestRepository.sourceHealth(workspaceId);
  const troubled = rows
    .flatMap((row) => {
      const state = sourceState(row);
      return state ? [{ row, state }] : [];
    })
    .sort((a, b) => Number(a.state === 'partly_failing') - Number(b.state === 'partly_failing') || b.row.consecutive_failures - a.row.consecutive_failures);
  const count = (state: DigestSourceState) => troubled.filter((t) => t.state === state).length;
  const firstAddedAt = rows.reduce<Date | null>((first, r) => (first === null || r.created_at < first ? r.created_at : first), null);
  return {
    total: rows.length,
    enabled: rows.filter((r) => r.enabled).length,
    failing: troubled.length,
    disabled: count('disabled'),
    partlyFailing: count('partly_failing'),
    failingSources: troubled.slice(0, FAILING_LISTED).map(({ row: s, state }) => ({
      id: s.id,
      type: s.type,
      target: sourceTarget(s.type, s.config, s.host),
      state,
      consecutiveFailures: s.consecutive_failures,
      lastError: cut(s.last_error ?? s.disabled_reason),
      lastSucceededAt: s.last_succeeded_at?.toISOString() ?? null,
      enabled: s.enabled,
    })),
    firstAddedAt: firstAddedAt?.toISOString() ?? null,
  };
}
