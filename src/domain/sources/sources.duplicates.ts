import type { Connector } from '../../connectors/connector.types.js';
import { AppError } from '../errors.js';
import type { SourceType } from '../items/item.types.js';
import { parseConfig } from './sources.config.js';
import { sourceIdentity } from './sources.identity.js';
import type { SourceDeps } from './sources.usecases.js';

// One source per target in a workspace: a second source of the same feed, search or timeline is
// refused with a 409 naming the first, checked before the write and held by a unique index.

const POLLS: Record<SourceType, string> = {
  rss: 'feed',
  hackernews: 'Hacker News search',
  reddit: 'Reddit search or subreddit',
  mastodon: 'Mastodon hashtag timeline',
  bluesky: 'Bluesky search',
  googlenews: 'Google News search',
  youtube: 'YouTube channel',
};

/** The 409 of a second source of one target: it would only poll the same thing twice as often. */
const duplicateSource = (type: SourceType, existingId: string) =>
  new AppError(
    'sources.duplicate',
    409,
    `source ${existingId} already polls this ${POLLS[type]} in this workspace; change or delete that source rather than polling it twice`,
    { existingId },
  );

/** A write the unique index (workspace_id, identity) refused: another source holds the identity. */
const identityTaken = (err: unknown) =>
  (err as { code?: string }).code === '23505' && (err as { constraint?: string }).constraint === 'sources_workspace_identity';

/**
 * What a stored source polls. Sources stored before identities whose identity the migration could
 * not compute in SQL, or that were already a second copy, have none: their config, read as it is
 * stored today, tells.
 */
export function storedIdentity(connector: Connector<any>, row: { identity: string | null; config: unknown }): string {
  if (row.identity !== null) return row.identity;
  const stored = row.config as Record<string, unknown>;
  return sourceIdentity(connector.type, parseConfig(connector, stored).config ?? stored);
}

/** The oldest other source of the workspace that polls `identity`. */
async function sourcePolling(
  deps: SourceDeps,
  connector: Connector<any>,
  target: { workspaceId: string; identity: string; exceptId?: string },
): Promise<string | undefined> {
  const { workspaceId, ...rest } = target;
  const rows = await deps.sourceRepository.sameTarget(workspaceId, { ...rest, type: connector.type });
  return rows.find((row) => storedIdentity(connector, row) === target.identity)?.id;
}

/**
 * `write`, unless another source of the workspace polls the same target: then a 409 naming it.
 * The index decides between requests that checked at the same time; the loser checks again to
 * name the winner (and writes after all if the winner was deleted in the meantime).
 */
export async function unlessDuplicate<T>(
  deps: SourceDeps,
  connector: Connector<any>,
  target: { workspaceId: string; identity: string; exceptId?: string },
  write: () => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const existing = await sourcePolling(deps, connector, target);
    if (existing) throw duplicateSource(connector.type, existing);
    try {
      return await write();
    } catch (err) {
      if (!identityTaken(err) || attempt === 3) throw err;
    }
  }
}
