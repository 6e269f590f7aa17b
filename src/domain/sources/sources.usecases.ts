import { z } from 'zod';
import { isUrlRefusal, type Connector } from '../../connectors/connector.types.js';
import { AppError, notFound } from '../errors.js';
import { SOURCE_TYPES, type SourceType } from '../items/item.types.js';
import { pageByCreation, type Page } from '../pagination/cursor.js';
import { fieldProblems, validationError, type FieldProblem } from '../validation.js';
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
  /**
   * Refuses URLs Earshot must not fetch (scheme, credentials, private addresses, names that do
   * not exist); throws `sources.url_not_allowed` naming `field`, the config field that holds it.
   */
  checkUrl: (url: string, field?: string) => Promise<void>;
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

/** The fields every source type takes besides its own (its `credentials` only if its connector takes any). */
export const SourceCommonFields = Common;

/** A PATCH may also remove stored credentials with `null`. */
const CommonPatch = Common.extend({ credentials: Common.shape.credentials.nullable() });

// Postgres refuses NUL and unpaired surrogates in jsonb (a 500 if they got there); no URL, query
// or tag means a control character, and a URL parser silently drops tabs and newlines inside one.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Every string of a validated config that cannot be stored as given, by field. */
function unstorableStrings(value: unknown, path: string[] = []): FieldProblem[] {
  if (typeof value === 'string') {
    if (CONTROL.test(value)) return [{ field: path.join('.'), message: 'must not contain control characters' }];
    if (LONE_SURROGATE.test(value)) return [{ field: path.join('.'), message: 'must be valid Unicode text' }];
    return [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => unstorableStrings(v, [...path, String(i)]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => unstorableStrings(v, [...path, k]));
  return [];
}

/** Leading and trailing whitespace is never part of a type field (a URL pasted with a newline). */
const trimmed = (fields: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, typeof v === 'string' ? v.trim() : v]));

/** A URL-holding field whose value the connector refused as a URL (`URL_REFUSAL`), as given. */
interface RefusedUrl {
  field: string;
  url: string;
}

interface ParsedConfig {
  config?: Record<string, unknown>;
  problems: FieldProblem[];
  /** Set when every problem is a refused URL: those are the URL policy's to answer (`refuseUrls`). */
  refused?: { urls: RefusedUrl[]; problems: FieldProblem[] };
}

/** The type's config schema applied to `fields`, and then the checks every stored string must pass. */
function parseConfig(connector: Connector<any>, fields: Record<string, unknown>): ParsedConfig {
  const given = trimmed(fields);
  const parsed = connector.config.safeParse(given);
  if (!parsed.success) {
    const problems = fieldProblems(parsed.error);
    const { issues } = parsed.error;
    if (!issues.every(isUrlRefusal)) return { problems };
    const urls = issues.map((issue) => ({ field: String(issue.path[0]), url: String(given[String(issue.path[0])]) }));
    return { problems, refused: { urls, problems } };
  }
  const config = parsed.data as Record<string, unknown>;
  const problems = unstorableStrings(config);
  return problems.length ? { problems } : { config, problems };
}

/**
 * Answers a config whose only problems are refused URLs (an API's `baseUrl` of ftp://, a Mastodon
 * `instance` of file://) as a feed's `url` is answered: `sources.url_not_allowed` from the URL
 * policy, naming the field. Should the policy accept one after all, the connector's word stands.
 */
async function refuseUrls(deps: SourceDeps, refused: NonNullable<ParsedConfig['refused']>): Promise<never> {
  for (const { field, url } of refused.urls) await deps.checkUrl(url, field);
  throw validationError(refused.problems);
}

/** Stable JSON for comparing configs: jsonb does not keep key order. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );

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
 * `partial` (PATCH): the type's fields are returned as given, for the caller to merge and validate;
 * `credentials: null` asks for the stored ones to be removed.
 */
function parseFields(connector: Connector<any>, body: Record<string, unknown>, partial: boolean) {
  const { type: _type, intervalSeconds, enabled, credentials, ...own } = body;
  const common = (partial ? CommonPatch : Common).partial().safeParse({
    ...(intervalSeconds !== undefined ? { intervalSeconds } : {}),
    ...(enabled !== undefined ? { enabled } : {}),
    ...(credentials !== undefined ? { credentials } : {}),
  });
  const problems = common.success ? [] : fieldProblems(common.error);
  // A PATCH's fields are validated after merging over the stored ones (by the caller), since
  // alone they may not make a whole config (a new hashtag without the instance).
  let config: Record<string, unknown> | undefined;
  let refused: ParsedConfig['refused'];
  if (partial) config = Object.keys(own).length > 0 ? own : undefined;
  else {
    const parsed = parseConfig(connector, own);
    config = parsed.config;
    problems.push(...parsed.problems);
    refused = parsed.refused;
  }
  let sealedCredentials: Record<string, string> | null | undefined;
  if (credentials === null && common.success) sealedCredentials = null;
  else if (credentials !== undefined && common.success) {
    if (!connector.credentials) problems.push({ field: 'credentials', message: `${connector.type} sources take no credentials` });
    else {
      const parsed = connector.credentials.safeParse(credentials);
      if (parsed.success) sealedCredentials = parsed.data;
      else problems.push(...fieldProblems(parsed.error, 'credentials', 'credentials'));
    }
  }
  // Refused URLs alone are the URL policy's to answer (the caller does); with other problems, all are one 400.
  if (problems.length && problems.length !== refused?.problems.length) throw validationError(problems);
  const minInterval = connector.minIntervalSeconds ?? 60;
  if (common.data?.intervalSeconds !== undefined && common.data.intervalSeconds < minInterval) {
    throw validationError([{ field: 'intervalSeconds', message: `${connector.type} sources are polled at most every ${minInterval} s` }]);
  }
  return { common: common.data ?? {}, config, credentials: sealedCredentials, refused };
}

/**
 * The config field a refused endpoint is blamed on: the one it is built from (a feed's `url`, an
 * API's `baseUrl`, a Mastodon `instance`), else `baseUrl`, which overrides the public service.
 */
function endpointField(config: Record<string, unknown>): string {
  return ['url', 'baseUrl', 'instance'].find((field) => typeof config[field] === 'string') ?? 'baseUrl';
}

/**
 * Checks every URL the source will fetch: its endpoint and any other base URL of its config
 * (Reddit's `oauthBaseUrl`), so a private address is refused at save time wherever it hides.
 * A refusal names the field that holds the URL.
 */
async function endpointOf(deps: SourceDeps, connector: Connector<any>, config: Record<string, unknown>): Promise<{ host: string }> {
  const endpoint = connector.endpoint(config);
  const fieldOf = new Map([[endpoint, endpointField(config)]]);
  for (const [field, value] of Object.entries(config)) {
    if (/url$/i.test(field) && typeof value === 'string' && !fieldOf.has(value)) fieldOf.set(value, field);
  }
  for (const [url, field] of fieldOf) await deps.checkUrl(url, field);
  return { host: new URL(endpoint).host.toLowerCase() };
}

function sealWith(deps: SourceDeps, credentials: Record<string, string> | null | undefined): string | null | undefined {
  if (credentials === undefined || credentials === null) return credentials;
  if (!deps.seal) {
    throw new AppError('sources.credentials_unavailable', 400, 'credentials can only be stored when the server has SECRET_KEY set');
  }
  return deps.seal(credentials);
}

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
function storedIdentity(connector: Connector<any>, row: { identity: string | null; config: unknown }): string {
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
async function unlessDuplicate<T>(
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

export async function createSource({ workspaceId, body, ...deps }: SourceDeps & { workspaceId: string; body: Record<string, unknown> }): Promise<Source> {
  const connector = connectorOf(deps, body.type);
  const { common, config, credentials, refused } = parseFields(connector, body, false);
  if (refused) await refuseUrls(deps, refused);
  const { host } = await endpointOf(deps, connector, config!);
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
  // JSON merge patch), then validated whole. Only a real change re-points the source: sending
  // back the stored URL must not throw away its validators or bring its next poll forward.
  let config: Record<string, unknown> | undefined;
  let host: string | undefined;
  if (ownFields) {
    // A removed field stays as undefined, so the strict schema still refuses an unknown one.
    const merged: Record<string, unknown> = { ...(before.config as Record<string, unknown>) };
    for (const [field, value] of Object.entries(ownFields)) merged[field] = value === null ? undefined : value;
    const parsed = parseConfig(connector, merged);
    if (parsed.refused) await refuseUrls(deps, parsed.refused);
    if (!parsed.config) {
      const removed = (p: FieldProblem) => ownFields[p.field] === null && /received undefined/.test(p.message);
      throw validationError(parsed.problems.map((p) => (removed(p) ? { field: p.field, message: 'is required and cannot be removed' } : p)));
    }
    if (canonical(parsed.config) !== canonical(before.config)) {
      config = parsed.config;
      host = (await endpointOf(deps, connector, config)).host;
    }
  }
  const sealed = credentials === null && before.credentials === null ? undefined : sealWith(deps, credentials);
  const intervalSeconds = common.intervalSeconds !== undefined && common.intervalSeconds !== before.interval_seconds ? common.intervalSeconds : undefined;
  const repointed = config !== undefined;
  // New or removed credentials: the failures so far were the old ones' (a 401 that disabled it).
  const newCredentials = sealed !== undefined;
  // Earshot stops a source (HTTP 410, refused credentials) for what it pointed at and how it
  // signed in: a new target or new credentials are polled again. A source its owner disabled, or
  // an edit that says `enabled: false`, stays off.
  const restarted = (repointed || newCredentials) && !before.enabled && before.disabled_reason !== null && common.enabled === undefined;
  // Only a change: a client sending back the whole object must not wipe a failing source's count.
  const enabled = common.enabled !== undefined && common.enabled !== before.enabled ? common.enabled : restarted ? true : undefined;
  // A new config is written with what it polls. Only a new target is checked against the other
  // sources: the same one spelled another way (a host in capitals) makes no second copy, and a
  // copy stored before identities (null) stays one.
  const identity = config ? sourceIdentity(connector.type, config) : undefined;
  const retargeted = identity !== undefined && identity !== storedIdentity(connector, before);
  const target = config ? { config, identity: retargeted ? identity! : before.identity } : undefined;
  const patch = {
    // A new URL or query (or new credentials) starts with no failures, status, error or backoff:
    // the old health says nothing about the new one (and would back its first failure off as an
    // Nth). Only a new target's first poll is backlog again.
    ...(target ? { target, host: host!, newTarget: true as const } : {}),
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
  const row = retargeted ? await unlessDuplicate(deps, connector, { workspaceId, identity: identity!, exceptId: id }, write) : await write();
  if (row) return toSource(row);
  if (await deps.sourceRepository.get(workspaceId, id)) return EDITED_MEANWHILE;
  throw notFound('sources', 'source');
}

/**
 * Re-enabling or re-pointing a source (or giving it new credentials) polls it soon rather than after its old backoff. A shorter
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
