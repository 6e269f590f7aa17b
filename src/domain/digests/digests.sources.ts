import { originOf } from '../../infra/http/index.js';
import type { DigestDocument, DigestSources } from './digest.types.js';
import type { DigestRepository } from './digests.repository.js';

/** How many failing sources a digest lists; it counts them all. */
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

/** The workspace's sources as a digest records them. */
export async function digestSources({ workspaceId, digestRepository }: { workspaceId: string; digestRepository: DigestRepository }): Promise<DigestSources> {
  const health = await digestRepository.sourceHealth(workspaceId, FAILING_LISTED);
  return {
    total: health.total,
    enabled: health.enabled,
    failing: health.failing,
    failingSources: health.failingSources.map((s) => ({
      id: s.id,
      type: s.type,
      target: sourceTarget(s.type, s.config, s.host),
      consecutiveFailures: s.consecutive_failures,
      lastError: cut(s.last_error ?? s.disabled_reason),
      lastSucceededAt: s.last_succeeded_at?.toISOString() ?? null,
      enabled: s.enabled,
    })),
    firstAddedAt: health.firstAddedAt?.toISOString() ?? null,
  };
}
