import type { Connector } from '../../connectors/connector.types.js';
import { AppError, notFound } from '../errors.js';
import type { SourceType } from '../items/item.types.js';
import { pageByCreation, type CursorKeys, type Page } from '../pagination/cursor.js';
import { validationError, type FieldProblem } from '../validation.js';
import { REQUIRED, canonical, connectorOf, endpointOf, parseConfig, parseFields, refusePlainHttpCredentials, refuseUrls, requestOrigins, sealWith, sourceHost } from './sources.config.js';
import { storedIdentity, unlessDuplicate } from './sources.duplicates.js';
import { sourceIdentity } from './sources.identity.js';
import type { SourceRepository, SourceRow } from './sources.repository.js';

export interface Source {
  id: string;
  type: SourceType;
  [field: string]: unknown;
  intervalSeconds: number;
  enabled: boolean;
  disabledReason: string | null;
  hasCredentials: boolean;
  /** The last poll, whether it succeeded or not. */
  lastFetchedAt: string | null;
  lastSucceededAt: string | null;
  lastStatus: number | null;
  consecutiveFailures: number;
  /** When the next scheduled poll is due; null while the source is disabled (none is). */
  nextFetchAt: string | null;
  lastError: string | null;
  /** What the last successful poll read; null before one (or since the source's target changed). */
  lastPoll: { items: number; newItems: number; matched: number } | null;
  createdAt: string;
  updatedAt: string;
}

export interface SourceDeps {
  sourceRepository: SourceRepository;
  connectors: Partial<Record<SourceType, Connector<any>>>;
  /**
   * Refuses URLs Earshot must not fetch (scheme, credentials, private addresses, names that do
   * not exist); throws `sources.url_not_allowed` naming `field`, the config field that holds it.
   */
  checkUrl: (url: string, field?: string) => Promise<void>;
  /** Seals credentials for storage; null when no SECRET_KEY is configured. */
  seal: ((credentials: Record<string, string>) => string) | null;
  /** Whether credentials may go to an http:// URL: only with ALLOW_PRIVATE_NETWORKS (refusePlainHttpCredentials). */
  plainHttpCredentials: boolean;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toSource(row: SourceRow): Source {
  return {
    id: row.id,
    type: row.type as SourceType,
    ...(row.config as Record<string, unknown>),
    intervalSeconds: row.interval_seconds,
    enabled: row.enabled,
    disabledReason: row.disabled_reason,
    hasCredentials: row.credentials !== null,
    lastFetchedAt: iso(row.last_fetched_at),
    lastSucceededAt: iso(row.last_succeeded_at),
    lastStatus: row.last_status,
    consecutiveFailures: row.consecutive_failures,
    nextFetchAt: row.enabled ? row.next_fetch_at.toISOString() : null,
    lastError: row.last_error,
    lastPoll:
      row.last_items_read === null ? null : { items: row.last_items_read, newItems: row.last_items_new ?? 0, matched: row.last_items_matched ?? 0 },
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function createSource({ workspaceId, body, ...deps }: SourceDeps & { workspaceId: string; body: Record<string, unknown> }): Promise<Source> {
  const connector = connectorOf(deps, body.type);
  const { common, config, credentials, refused } = parseFields(connector, body, false);
  if (refused) await refuseUrls(deps, refused);
  // A source with credentials may poll another host (Bluesky: the account's service; Reddit: its OAuth host): the one it loads.
  const { host } = await endpointOf(deps, connector, config!, { credentialed: credentials != null });
  if (credentials) refusePlainHttpCredentials(deps, connector, config!);
  const sealed = sealWith(deps, credentials) ?? null;
  // The repository stores the same identity with the row (and the index holds it to be unique).
  const identity = sourceIdentity(connector.type, config!);
  const row = await unlessDuplicate(deps, connector, { workspaceId, identity }, () =>
    deps.sourceRepository.insert({
      workspaceId,
      type: connector.type,
      config: config!,
      credentials: sealed,
      host,
      intervalSeconds: common.intervalSeconds ?? 900,
      enabled: common.enabled ?? true,
    }),
  );
  return toSource(row);
}

/** An edit computed from a row that another edit changed before it was written. */
const EDITED_MEANWHILE = Symbol('edited meanwhile');
const EDIT_ATTEMPTS = 3;

/**
 * PATCH: the type's fields merged over the stored ones, then checked whole. Two edits at once
 * would each merge over the row as it was and the second would undo the first's fields, so an
 * edit is written only over the row it was computed from, and computed again when that changed.
 */
export async function updateSource(args: SourceDeps & { workspaceId: string; id: string; body: Record<string, unknown> }): Promise<Source> {
  for (let attempt = 1; attempt <= EDIT_ATTEMPTS; attempt++) {
    const updated = await updateSourceOnce(args);
    if (updated !== EDITED_MEANWHILE) return updated;
  }
  throw new AppError('sources.conflict', 409, 'the source kept changing while this edit was applied; send the edit again');
}

async function updateSourceOnce({
  workspaceId,
  id,
  body,
  ...deps
}: SourceDeps & { workspaceId: string; id: string; body: Record<string, unknown> }): Promise<Source | typeof EDITED_MEANWHILE> {
  const before = await deps.sourceRepository.get(workspaceId, id);
  if (!before) throw notFound('sources', 'source');
  if (body.type !== undefined && body.type !== before.type) {
    throw validationError([{ field: 'type', message: 'a source cannot change type; create a new source instead' }]);
  }
  const connector = connectorOf(deps, before.type);
  const { common, config: ownFields, credentials } = parseFields(connector, body, true);
  // The type's fields are merged over the stored ones (null removes an optional one, as in a
  // JSON merge patch), then validated whole. Only a new target re-points the source: sending back
  // the stored URL, or spelling it another way (a host in capitals, a fragment), must not throw
  // away its validators, health or backoff, nor bring its next poll forward.
  let config: Record<string, unknown> | undefined;
  let host: string | undefined;
  // Whether the source has credentials after this edit (new ones, or the stored ones kept).
  const keepsCredentials = credentials ? true : credentials === undefined && before.credentials !== null;
  if (ownFields) {
    // A removed field stays as undefined, so the strict schema still refuses an unknown one.
    const merged: Record<string, unknown> = { ...(before.config as Record<string, unknown>) };
    for (const [field, value] of Object.entries(ownFields)) merged[field] = value === null ? undefined : value;
    const parsed = parseConfig(connector, merged);
    if (parsed.refused) await refuseUrls(deps, parsed.refused);
    if (!parsed.config) {
      const removed = (p: FieldProblem) => ownFields[p.field] === null && p.message === REQUIRED;
      throw validationError(parsed.problems.map((p) => (removed(p) ? { field: p.field, message: 'is required and cannot be removed' } : p)));
    }
    if (canonical(parsed.config) !== canonical(before.config)) {
      config = parsed.config;
      host = (await endpointOf(deps, connector, config, { credentialed: keepsCredentials })).host;
      if (before.credentials !== null && credentials === undefined) refuseMovingCredentials(connector, before.config as Record<string, unknown>, config);
    }
  }
  // Credentials given or removed can move the host the source loads (a Bluesky source with them
  // reads through the account's service, a Reddit one through its OAuth host), with the same config.
  if (!config && keepsCredentials !== (before.credentials !== null)) {
    const moved = sourceHost(connector, before.config as Record<string, unknown>, { credentialed: keepsCredentials });
    if (moved !== before.host) host = moved;
  }
  // A new target or new credentials: those credentials, or the stored ones, go to the new target.
  if (keepsCredentials && (config || credentials)) refusePlainHttpCredentials(deps, connector, config ?? (before.config as Record<string, unknown>));
  const sealed = credentials === null && before.credentials === null ? undefined : sealWith(deps, credentials);
  const intervalSeconds = common.intervalSeconds !== undefined && common.intervalSeconds !== before.interval_seconds ? common.intervalSeconds : undefined;
  // A new config is written with what it polls. Only a new target is checked against the other
  // sources: the same one spelled another way makes no second copy, and a copy stored before
  // identities (null) stays one.
  const identity = config ? sourceIdentity(connector.type, config) : undefined;
  const repointed = identity !== undefined && identity !== storedIdentity(connector, before);
  // New or removed credentials: the failures so far were the old ones' (a 401 that disabled it).
  const newCredentials = sealed !== undefined;
  // Earshot stops a source (HTTP 410, refused credentials) for what it pointed at and how it
  // signed in: a new target or new credentials are polled again. A source its owner disabled, or
  // an edit that says `enabled: false`, stays off.
  const restarted = (repointed || newCredentials) && !before.enabled && before.disabled_reason !== null && common.enabled === undefined;
  // Only a change: a client sending back the whole object must not wipe a failing source's count.
  const enabled = common.enabled !== undefined && common.enabled !== before.enabled ? common.enabled : restarted ? true : undefined;
  const target = config ? { config, identity: repointed ? identity! : before.identity } : undefined;
  const patch = {
    // A new URL or query (or new credentials) starts with no failures, status, error or backoff:
    // the old health says nothing about the new one (and would back its first failure off as an
    // Nth). Only a new target's first poll is backlog again, and only it drops the validators.
    ...(target ? { target, host: host! } : host !== undefined ? { host } : {}),
    ...(repointed ? { newTarget: true as const } : {}),
    ...(repointed || newCredentials ? { resetHealth: true as const } : {}),
    ...(sealed !== undefined ? { credentials: sealed } : {}),
    ...(intervalSeconds !== undefined ? { intervalSeconds } : {}),
    ...(enabled !== undefined ? { enabled } : {}),
  };
  // Nothing to change, nothing written: updated_at stays, so a poll in flight still records its result.
  if (Object.keys(patch).length === 0) return toSource(before);
  const write = () =>
    deps.sourceRepository.update(
      workspaceId,
      id,
      { ...patch, ...nextFetchAfterEdit(before, { reEnabled: enabled === true, repointed: repointed || newCredentials, intervalSeconds }) },
      { readAt: before.updated_at },
    );
  const row = repointed ? await unlessDuplicate(deps, connector, { workspaceId, identity: identity!, exceptId: id }, write) : await write();
  if (row) return toSource(row);
  if (await deps.sourceRepository.get(workspaceId, id)) return EDITED_MEANWHILE;
  throw notFound('sources', 'source');
}

/**
 * Stored credentials are sent where the source's requests go: an edit that points it at another
 * origin without giving them again (or `null` to drop them) would hand them to that server,
 * though the API never shows them to anyone. Another path on the same origin is fine.
 */
function refuseMovingCredentials(connector: Connector<any>, stored: Record<string, unknown>, edited: Record<string, unknown>): void {
  const before = requestOrigins(connector, stored);
  const moved = [...requestOrigins(connector, edited)].filter((origin) => !before.has(origin));
  if (moved.length === 0) return;
  throw validationError([
    {
      field: 'credentials',
      message:
        `must be given again in the same request (or null to remove them) to point this source at ${moved.join(' and ')}: ` +
        `the stored credentials were given for ${[...before].join(' and ')}, and are never sent anywhere else`,
    },
  ]);
}

/**
 * Re-enabling or re-pointing a source (or giving it new credentials) polls it soon rather than after its old backoff. A new
 * interval moves the next poll to the last one plus that interval, forward or back (someone
 * lengthening it because the upstream asked them to poll less means it from now on); a failing
 * source keeps its backoff, and a source never polled keeps its first poll. A wait the upstream
 * asked for holds until a new target or new credentials.
 */
function nextFetchAfterEdit(
  before: { next_fetch_at: Date; last_fetched_at: Date | null; consecutive_failures: number; upstream_wait_until: Date | null },
  change: { reEnabled: boolean; repointed: boolean; intervalSeconds: number | undefined },
): { nextFetchAt?: Date } {
  const now = new Date();
  if (change.repointed) return { nextFetchAt: now };
  if (change.reEnabled) return { nextFetchAt: before.upstream_wait_until && before.upstream_wait_until > now ? before.upstream_wait_until : now };
  if (change.intervalSeconds === undefined || before.consecutive_failures > 0 || before.last_fetched_at === null) return {};
  const due = new Date(before.last_fetched_at.getTime() + change.intervalSeconds * 1000);
  const waited = before.upstream_wait_until && before.upstream_wait_until > due ? before.upstream_wait_until : due;
  return { nextFetchAt: waited < now ? now : waited };
}

/**
 * Why "poll now" must not queue a poll of `source` at `now`, or null when it may: a disabled source
 * is never polled, and while the upstream asks Earshot to wait (Retry-After, a rate-limit reset) a
 * request would only be refused again and lengthen the wait. Earshot's own backoff never refuses it.
 */
export function fetchNowRefusal(
  source: Pick<SourceRow, 'enabled' | 'disabled_reason' | 'upstream_wait_until' | 'last_error' | 'last_status' | 'next_fetch_at'>,
  now: Date,
): { error: AppError; retryAfterSeconds?: number } | null {
  // The fetch job skips disabled sources: queueing one would answer 202 for a poll that never runs.
  if (!source.enabled) {
    return { error: new AppError('sources.disabled', 409, `the source is disabled${source.disabled_reason ? ` (${source.disabled_reason})` : ''}; enable it to poll it`) };
  }
  const until = source.upstream_wait_until;
  if (!until || until <= now) return null;
  const retryAfterSeconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  const answer = source.last_error ?? (source.last_status !== null ? `HTTP ${source.last_status}` : 'a rate limit');
  return {
    retryAfterSeconds,
    error: new AppError(
      'sources.rate_limited',
      409,
      `the upstream asked Earshot to wait until ${until.toISOString()} (its last answer: ${answer}); ` +
        `a poll sooner would only be refused and lengthen the wait. Poll now is accepted from then; the schedule polls it next at ${source.next_fetch_at.toISOString()}`,
    ),
  };
}

export async function getSource({ workspaceId, id, sourceRepository }: { workspaceId: string; id: string; sourceRepository: SourceRepository }) {
  const row = await sourceRepository.get(workspaceId, id);
  if (!row) throw notFound('sources', 'source');
  return toSource(row);
}

export async function listSources({
  workspaceId,
  limit,
  cursor,
  sourceRepository,
  cursorKeys,
}: {
  workspaceId: string;
  limit: number;
  cursor?: string | undefined;
  sourceRepository: SourceRepository;
  cursorKeys: CursorKeys;
}): Promise<Page<Source>> {
  return pageByCreation({ scope: 'sources', workspaceId, cursorKeys, limit, cursor, fetch: (page) => sourceRepository.list(workspaceId, page), toItem: toSource });
}

export async function deleteSource({ workspaceId, id, sourceRepository }: { workspaceId: string; id: string; sourceRepository: SourceRepository }) {
  if (!(await sourceRepository.delete(workspaceId, id))) throw notFound('sources', 'source');
}
