import { z } from 'zod';
import { isUrlRefusal, type Connector } from '../../connectors/connector.types.js';
import { AppError } from '../errors.js';
import { SOURCE_TYPES, type SourceType } from '../items/item.types.js';
import { REQUIRED, fieldProblems, houseSentences as sentences, validationError, type FieldProblem } from '../validation.js';
import type { SourceDeps } from './sources.usecases.js';

// A source's request body, checked: the fields every type takes, the type's own config (parsed
// by its connector, then the checks every stored string must pass), its credentials, and every
// URL it will fetch.

const Common = z.object({
  intervalSeconds: z
    .number({ error: 'must be a number of seconds' })
    .int('must be a whole number of seconds')
    .min(60, 'must be at least 60')
    .max(604800, 'must be at most 604800 (a week)'),
  enabled: z.boolean({ error: 'must be true or false' }),
  credentials: z.record(z.string({ error: 'must be a string' }), z.string({ error: 'must be a string' }), { error: 'must be an object of strings' }),
});

export { REQUIRED };

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

export interface ParsedConfig {
  config?: Record<string, unknown>;
  problems: FieldProblem[];
  /** Set when every problem is a refused URL: those are the URL policy's to answer (`refuseUrls`). */
  refused?: { urls: RefusedUrl[]; problems: FieldProblem[] };
}

/** The type's config schema applied to `fields`, and then the checks every stored string must pass. */
export function parseConfig(connector: Connector<any>, fields: Record<string, unknown>): ParsedConfig {
  const given = trimmed(fields);
  const parsed = connector.config.safeParse(given, { error: sentences });
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
 * A URL field that does not parse is a malformed field (`validation.failed`), not a URL Earshot
 * refuses to fetch (`url_not_allowed` is for a scheme, credentials, an address).
 */
const NOT_A_URL = 'is not a valid URL';

/**
 * Answers a config whose only problems are refused URLs (an API's `baseUrl` of ftp://, a Mastodon
 * `instance` of file://) as a feed's `url` is answered: `sources.url_not_allowed` from the URL
 * policy, naming the field. Should the policy accept one after all, the connector's word stands.
 */
export async function refuseUrls(deps: SourceDeps, refused: NonNullable<ParsedConfig['refused']>): Promise<never> {
  const malformed = new Set(refused.urls.filter(({ url }) => !URL.canParse(url)).map(({ field }) => field));
  if (malformed.size) throw validationError(refused.problems.map((p) => (malformed.has(p.field) ? { field: p.field, message: NOT_A_URL } : p)));
  for (const { field, url } of refused.urls) await deps.checkUrl(url, field);
  throw validationError(refused.problems);
}

/** Stable JSON for comparing configs: jsonb does not keep key order. */
export const canonical = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );

export function connectorOf(deps: SourceDeps, type: unknown): Connector<any> {
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
export function parseFields(connector: Connector<any>, body: Record<string, unknown>, partial: boolean) {
  const { type: _type, intervalSeconds, enabled, credentials, ...own } = body;
  const common = (partial ? CommonPatch : Common).partial().safeParse(
    {
      ...(intervalSeconds !== undefined ? { intervalSeconds } : {}),
      ...(enabled !== undefined ? { enabled } : {}),
      ...(credentials !== undefined ? { credentials } : {}),
    },
    { error: sentences },
  );
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
      const parsed = connector.credentials.safeParse(credentials, { error: sentences });
      if (parsed.success) sealedCredentials = parsed.data;
      else problems.push(...fieldProblems(parsed.error, 'credentials', 'credentials'));
    }
  }
  // Credentials aimed where they must not go, refused before any address is looked up.
  if (config && sealedCredentials) problems.push(...(connector.credentialTargetProblems?.(config) ?? []));
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
export async function endpointOf(
  deps: SourceDeps,
  connector: Connector<any>,
  config: Record<string, unknown>,
  { credentialed = false }: { credentialed?: boolean } = {},
): Promise<{ host: string }> {
  // A connector building its URL from a field (a Mastodon instance with port 99999) may find it does not parse.
  let endpoint: string;
  try {
    endpoint = connector.endpoint(config, { credentialed });
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'ERR_INVALID_URL') throw err;
    throw validationError([{ field: endpointField(config), message: NOT_A_URL }]);
  }
  const fieldOf = requestUrls(endpoint, config);
  const malformed = [...fieldOf].filter(([url]) => !URL.canParse(url)).map(([, field]) => ({ field, message: NOT_A_URL }));
  if (malformed.length) throw validationError(malformed);
  for (const [url, field] of fieldOf) await deps.checkUrl(url, field);
  return { host: hostOf(endpoint) };
}

const hostOf = (endpoint: string) => new URL(endpoint).host.toLowerCase();

/**
 * The host a source loads (its politeness slot, `sources.host`): where its polls go, which
 * credentials can change (a Bluesky source with them reads through the account's service, not
 * the public AppView; a Reddit one through oauth.reddit.com, not www). For a config already checked by endpointOf.
 */
export function sourceHost(connector: Connector<any>, config: Record<string, unknown>, { credentialed = false }: { credentialed?: boolean } = {}): string {
  return hostOf(connector.endpoint(config, { credentialed }));
}

/**
 * The config field a parsed endpoint is blamed on: a URL field of the same origin, which it is
 * built from (Reddit's `oauthBaseUrl` for a source with credentials, not its `baseUrl`), else
 * endpointField's. Any field of that origin is refused for what the endpoint is (its scheme, its host).
 */
function builtFrom(endpoint: string, config: Record<string, unknown>): string {
  if (!URL.canParse(endpoint)) return endpointField(config);
  const origin = new URL(endpoint).origin;
  const from = Object.entries(config).find(([field, value]) => /url$/i.test(field) && typeof value === 'string' && URL.canParse(value) && new URL(value).origin === origin);
  return from?.[0] ?? endpointField(config);
}

/**
 * Every URL a source's requests go to, with the config field it is blamed on: its endpoint, and
 * any other base URL of its config (Reddit's `oauthBaseUrl`).
 */
function requestUrls(endpoint: string, config: Record<string, unknown>): Map<string, string> {
  const fieldOf = new Map([[endpoint, builtFrom(endpoint, config)]]);
  for (const [field, value] of Object.entries(config)) {
    if (/url$/i.test(field) && typeof value === 'string' && !fieldOf.has(value)) fieldOf.set(value, field);
  }
  return fieldOf;
}

/**
 * Refuses the places a source's credentials must not be sent, naming the field, whenever a source
 * with credentials is saved or re-pointed: where its connector says they must never go (Bluesky's
 * AppView), and any http:// URL. Credentials travel with a source's requests (a Bluesky app
 * password, a Reddit client secret): over plain http anyone on the path reads them, so http is
 * refused unless the operator allows private networks (an intranet API, the tests' servers on
 * 127.0.0.1), which is the only setting where Earshot fetches such hosts.
 */
export function refusePlainHttpCredentials(deps: Pick<SourceDeps, 'plainHttpCredentials'>, connector: Connector<any>, config: Record<string, unknown>): void {
  const problems = [...(connector.credentialTargetProblems?.(config) ?? [])];
  if (!deps.plainHttpCredentials) {
    const message = 'must be an https:// URL for a source with credentials: over http they would cross the network unencrypted';
    for (const field of plainHttpFields(connector, config)) if (!problems.some((p) => p.field === field)) problems.push({ field, message });
  }
  if (problems.length) throw validationError(problems);
}

/**
 * The config fields holding an http:// URL a source with credentials sends requests to (the
 * endpoint is built from its base URL: one field may hold both).
 */
export function plainHttpFields(connector: Connector<any>, config: Record<string, unknown>): string[] {
  const plain = [...requestUrls(connector.endpoint(config, { credentialed: true }), config)].filter(([url]) => URL.canParse(url) && new URL(url).protocol === 'http:');
  return [...new Set(plain.map(([, field]) => field))];
}

/**
 * The origins a source with credentials sends requests to (requestUrls), and those its
 * credentials go to though no config field names them (Reddit's default token host). Stored
 * credentials are sent there (a Bluesky session, a Reddit token), so they may only follow the
 * source to another origin when given again.
 */
export function requestOrigins(connector: Connector<any>, config: Record<string, unknown>): Set<string> {
  const urls = [...requestUrls(connector.endpoint(config, { credentialed: true }), config).keys(), ...(connector.credentialUrls?.(config) ?? [])];
  return new Set(urls.filter((url) => URL.canParse(url)).map((url) => new URL(url).origin));
}

export function sealWith(deps: SourceDeps, credentials: Record<string, string> | null | undefined): string | null | undefined {
  if (credentials === undefined || credentials === null) return credentials;
  if (!deps.seal) {
    const message = 'can only be stored when the server has SECRET_KEY set';
    throw new AppError('sources.credentials_unavailable', 400, `credentials: ${message}`, { fields: [{ field: 'credentials', message }] });
  }
  return deps.seal(credentials);
}
