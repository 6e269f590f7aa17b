import { z } from 'zod';
import type { Connector } from '../../connectors/connector.types.js';
import { AppError, notFound } from '../errors.js';
import { SOURCE_TYPES, type SourceType } from '../items/item.types.js';
import { pageByCreation, type Page } from '../pagination/cursor.js';
import { fieldProblems, validationError } from '../validation.js';
import type { SourceRepository, SourceRow } from './sources.repository.js';

export interface Source {
  id: string;
  type: SourceType;
  [field: string]: unknown;
  intervalSeconds: number;
  enabled: boolean;
  disabledReason: string | null;
  hasCredentials: boolean;
  lastFetchedAt: string | null;
  lastStatus: number | null;
  consecutiveFailures: number;
  nextFetchAt: string;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface SourceDeps {
  sourceRepository: SourceRepository;
  connectors: Partial<Record<SourceType, Connector<any>>>;
  /** Refuses URLs Earshot must not fetch (scheme, credentials, private addresses); throws with a reason. */
  checkUrl: (url: string) => Promise<void>;
  /** Seals credentials for storage; null when no SECRET_KEY is configured. */
  seal: ((credentials: Record<string, string>) => string) | null;
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
    lastStatus: row.last_status,
    consecutiveFailures: row.consecutive_failures,
    nextFetchAt: row.next_fetch_at.toISOString(),
    lastError: row.last_error,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

const Common = z.object({
  intervalSeconds: z.number().int('must be a whole number of seconds').min(60, 'must be at least 60').max(604800, 'must be at most 604800 (a week)'),
  enabled: z.boolean(),
  credentials: z.record(z.string(), z.string()),
});

function connectorOf(deps: SourceDeps, type: unknown): Connector<any> {
  const connector = typeof type === 'string' ? deps.connectors[type as SourceType] : undefined;
  if (!connector) {
    const known = SOURCE_TYPES.filter((t) => deps.connectors[t]);
    throw validationError([{ field: 'type', message: `expected one of ${known.join(', ')}` }]);
  }
  return connector;
}

/**
 * Splits a request body into the common fields and the type's own, each validated strictly.
 * `partial` (PATCH): the type's fields are returned as given, for the caller to merge and validate.
 */
function parseFields(connector: Connector<any>, body: Record<string, unknown>, partial: boolean) {
  const { type: _type, intervalSeconds, enabled, credentials, ...own } = body;
  const common = Common.partial().safeParse({
    ...(intervalSeconds !== undefined ? { intervalSeconds } : {}),
    ...(enabled !== undefined ? { enabled } : {}),
    ...(credentials !== undefined ? { credentials } : {}),
  });
  const problems = common.success ? [] : fieldProblems(common.error);
  // A PATCH's fields are validated after merging over the stored ones (by the caller), since
  // alone they may not make a whole config (a new hashtag without the instance).
  let config: Record<string, unknown> | undefined;
  if (partial) config = Object.keys(own).length > 0 ? own : undefined;
  else {
    const parsed = connector.config.safeParse(own);
    if (parsed.success) config = parsed.data as Record<string, unknown>;
    else problems.push(...fieldProblems(parsed.error));
  }
  let sealedCredentials: Record<string, string> | undefined;
  if (credentials !== undefined && common.success) {
    if (!connector.credentials) problems.push({ field: 'credentials', message: `${connector.type} sources take no credentials` });
    else {
      const parsed = connector.credentials.safeParse(credentials);
      if (parsed.success) sealedCredentials = parsed.data;
      else problems.push(...fieldProblems(parsed.error, 'credentials', 'credentials'));
    }
  }
  if (problems.length) throw validationError(problems);
  const minInterval = connector.minIntervalSeconds ?? 60;
  if (common.data?.intervalSeconds !== undefined && common.data.intervalSeconds < minInterval) {
    throw validationError([{ field: 'intervalSeconds', message: `${connector.type} sources are polled at most every ${minInterval} s` }]);
  }
  return { common: common.data ?? {}, config, credentials: sealedCredentials };
}

async function endpointOf(deps: SourceDeps, connector: Connector<any>, config: unknown): Promise<{ host: string }> {
  const endpoint = connector.endpoint(config);
  await deps.checkUrl(endpoint);
  return { host: new URL(endpoint).host.toLowerCase() };
}

function sealWith(deps: SourceDeps, credentials: Record<string, string> | undefined): string | null | undefined {
  if (credentials === undefined) return undefined;
  if (!deps.seal) {
    throw new AppError('sources.credentials_unavailable', 400, 'credentials can only be stored when the server has SECRET_KEY set');
  }
  return deps.seal(credentials);
}

export async function createSource({ workspaceId, body, ...deps }: SourceDeps & { workspaceId: string; body: Record<string, unknown> }): Promise<Source> {
  const connector = connectorOf(deps, body.type);
  const { common, config, credentials } = parseFields(connector, body, false);
  const { host } = await endpointOf(deps, connector, config);
  const row = await deps.sourceRepository.insert({
    workspaceId,
    type: connector.type,
    config: config!,
    credentials: sealWith(deps, credentials) ?? null,
    host,
    intervalSeconds: common.intervalSeconds ?? 900,
    enabled: common.enabled ?? true,
  });
  return toSource(row);
}

export async function updateSource({
  workspaceId,
  id,
  body,
  ...deps
}: SourceDeps & { workspaceId: string; id: string; body: Record<string, unknown> }): Promise<Source> {
  const before = await deps.sourceRepository.get(workspaceId, id);
  if (!before) throw notFound('sources', 'source');
  if (body.type !== undefined && body.type !== before.type) {
    throw validationError([{ field: 'type', message: 'a source cannot change type; create a new source instead' }]);
  }
  const connector = connectorOf(deps, before.type);
  const { common, config: ownFields, credentials } = parseFields(connector, body, true);
  // A partial change of the type's fields is merged over the stored ones, then validated whole.
  let config: Record<string, unknown> | undefined;
  let host: string | undefined;
  if (ownFields) {
    const merged = connector.config.safeParse({ ...(before.config as Record<string, unknown>), ...ownFields });
    if (!merged.success) throw validationError(fieldProblems(merged.error));
    config = merged.data as Record<string, unknown>;
    host = (await endpointOf(deps, connector, config)).host;
  }
  const sealed = sealWith(deps, credentials);
  const row = await deps.sourceRepository.update(workspaceId, id, {
    ...(config ? { config, host: host! } : {}),
    ...(sealed !== undefined ? { credentials: sealed } : {}),
    ...(common.intervalSeconds !== undefined ? { intervalSeconds: common.intervalSeconds } : {}),
    // Only a change: a client sending back the whole object must not wipe a failing source's count.
    ...(common.enabled !== undefined && common.enabled !== before.enabled ? { enabled: common.enabled } : {}),
    ...nextFetchAfterEdit(before, { reEnabled: common.enabled === true && !before.enabled, repointed: config !== undefined, intervalSeconds: common.intervalSeconds }),
  });
  if (!row) throw notFound('sources', 'source');
  return toSource(row);
}

/**
 * Re-enabling or re-pointing a source polls it soon rather than after its old backoff. A shorter
 * interval brings the next poll forward to the last one plus the new interval (a failing source
 * keeps its backoff).
 */
function nextFetchAfterEdit(
  before: { next_fetch_at: Date; last_fetched_at: Date | null; consecutive_failures: number },
  change: { reEnabled: boolean; repointed: boolean; intervalSeconds: number | undefined },
): { nextFetchAt?: Date } {
  const now = new Date();
  if (change.reEnabled || change.repointed) return { nextFetchAt: now };
  if (change.intervalSeconds === undefined || before.consecutive_failures > 0) return {};
  const sooner = new Date((before.last_fetched_at ?? now).getTime() + change.intervalSeconds * 1000);
  return sooner < before.next_fetch_at ? { nextFetchAt: sooner < now ? now : sooner } : {};
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
}: {
  workspaceId: string;
  limit: number;
  cursor?: string | undefined;
  sourceRepository: SourceRepository;
}): Promise<Page<Source>> {
  return pageByCreation({ scope: 'sources', limit, cursor, fetch: (page) => sourceRepository.list(workspaceId, page), toItem: toSource });
}

export async function deleteSource({ workspaceId, id, sourceRepository }: { workspaceId: string; id: string; sourceRepository: SourceRepository }) {
  if (!(await sourceRepository.delete(workspaceId, id))) throw notFound('sources', 'source');
}
