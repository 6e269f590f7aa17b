import type { Kysely } from 'kysely';
import { SourceFetchError, type Connector } from '../../connectors/connector.types.js';
import type { DB } from '../../infra/db/schema.js';
import type { HttpClient } from '../../infra/http/index.js';
import { isDependencyDown } from '../../infra/dependency-errors.js';
import { AddressNotAllowedError, HttpError, LINK_LOCAL_RULE, PRIVATE_NETWORKS_RULE } from '../../infra/http/index.js';
import type { LiveEvent } from '../../infra/mention-events.js';
import type { Logger } from '../../logger.js';
import type { BrandSetCache } from '../brands/brand-sets.js';
import type { BrandRepository } from '../brands/brands.repository.js';
import { holdOffRematches } from '../brands/rematch.repository.js';
import { FeedParseError } from '../feeds/feed.types.js';
import { SecretBoxError } from '../../infra/secrets.js';
import type { SourceType } from '../items/item.types.js';
import type { IngestCompute } from '../mentions/compute.js';
import { storeMentions } from '../mentions/store.js';
import type { MentionRepository } from '../mentions/mentions.repository.js';
import type { RollupRepository } from '../analytics/rollups.repository.js';
import { toMentionFromPrepared } from '../mentions/mentions.usecases.js';
import { RETRY_AFTER_MAX_MS, RETRY_AFTER_MAX_TEXT, nextPollAfterFailure, nextPollAfterSuccess, upstreamWaitUntil } from './schedule.js';
import { plainHttpFields } from './sources.config.js';
import type { SourceRepository } from './sources.repository.js';

const DAY_MS = 86_400_000;

export interface PollDeps {
  db: Kysely<DB>;
  sourceRepository: SourceRepository;
  mentionRepository: MentionRepository;
  rollupRepository: RollupRepository;
  connectors: Partial<Record<SourceType, Connector<any>>>;
  http: HttpClient;
  /** Parsing, scoring and matching: CPU work, on the ingest pool's threads where there are any. */
  compute: IngestCompute;
  brandSets: BrandSetCache;
  brandRepository: Pick<BrandRepository, 'version'>;
  openCredentials: ((sealed: string) => Record<string, string>) | null;
  /** Whether credentials may go to an http:// URL: only with ALLOW_PRIVATE_NETWORKS (as when a source is saved). */
  plainHttpCredentials: boolean;
  /** Takes a politeness slot for the host; null when the host is busy. */
  acquireHost: (host: string) => Promise<(() => Promise<void>) | null>;
  /**
   * The workspace's fair share of fetch slots (src/infra/fetch-shares.ts): `acquire` refuses a
   * turn (null) while the workspace holds its share and another workspace waits; `forget` says a
   * skipped fetch no longer waits. Left out, a poll never waits for its workspace (a poll called
   * directly, not through the fetch queue).
   */
  workspaceShares?: {
    acquire: (workspaceId: string, sourceId: string) => Promise<(() => Promise<void>) | null>;
    forget: (workspaceId: string, sourceId: string) => Promise<void>;
  };
  publish: (workspaceId: string, events: LiveEvent[]) => Promise<void>;
  log: Logger;
}

export type PollOutcome =
  | { outcome: 'skipped'; reason: string }
  | { outcome: 'host_busy' }
  | { outcome: 'workspace_busy' }
  | { outcome: 'failed'; error: string; status: number | null; disabled: boolean; nextFetchAt: Date }
  | { outcome: 'polled'; items: number; inserted: number; matched: number; notModified: boolean; partialFailure?: string };

/**
 * Why a fetch went to no address Earshot may reach. Such a source was saved when the address was
 * allowed (or its name resolved elsewhere), so the message says what refused it now: the
 * operator's setting for private addresses, or the rule no setting lifts for link-local ones.
 */
function refusedAddress(err: AddressNotAllowedError): string {
  const at = err.redirectedFrom ? ` at a redirect from ${err.redirectedFrom}` : '';
  // What a name resolved to is not told, nor its kind (resolvedRefusal): both rules, then.
  if (err.byName) return `the fetch was refused${at}: ${err.refusal}; ${PRIVATE_NETWORKS_RULE}, and link-local ones never`;
  if (err.linkLocal) return `the fetch was refused${at}: ${err.refusal}; ${LINK_LOCAL_RULE}`;
  return `the fetch was refused as a private address${at}: ${err.refusal}; ${PRIVATE_NETWORKS_RULE}`;
}

/**
 * Failures that are the upstream's doing: recorded on the source and retried by the schedule.
 * `answered` is the status of the last answer the poll got: a body that could not be read is
 * recorded with it, so it does not read as a network failure; so is an HttpError that came after
 * an answer (a body too large or too slow), with the status of that answer.
 */
function describeFailure(err: unknown, answered: number | null): { message: string; status: number | null; retryAfterMs: number | null; permanent: boolean } | null {
  if (err instanceof SourceFetchError) {
    return { message: err.message, status: err.details.status, retryAfterMs: err.details.retryAfterMs ?? null, permanent: err.details.permanent ?? false };
  }
  if (err instanceof AddressNotAllowedError) return { message: refusedAddress(err), status: null, retryAfterMs: null, permanent: false };
  if (err instanceof HttpError) return { message: err.message, status: err.status, retryAfterMs: null, permanent: false };
  if (err instanceof FeedParseError) return { message: err.message, status: answered, retryAfterMs: null, permanent: false };
  if (err instanceof SecretBoxError) {
    // The operator's configuration, not the source's fault: once the SECRET_KEY they were sealed
    // with is back, the backed-off polls resume by themselves. Disabling here would leave every
    // credentialed source of every workspace off until each owner re-enabled it.
    return {
      message: `stored credentials cannot be opened: ${err.message}; polling resumes once the server has the SECRET_KEY they were sealed with, or set new credentials with PATCH`,
      status: null,
      retryAfterMs: null,
      permanent: false,
    };
  }
  return null;
}

type Failure = NonNullable<ReturnType<typeof describeFailure>>;

/**
 * The workspace's brands changed while the poll was matching its items. A rematch of the new
 * brands may already have passed the ids these mentions would get, and would never correct
 * them: the poll is redone (the job's retry) rather than stored.
 */
export class BrandsChangedError extends Error {
  constructor() {
    super("the workspace's brands changed while this poll matched its items; the poll is retried with the new ones");
    this.name = 'BrandsChangedError';
  }
}

/**
 * What a retry of the job can mend: Postgres or Redis away for a moment, a serialization
 * failure or deadlock (SQLSTATE 40…), the server short of resources (53…). Everything else
 * (a value Postgres refuses, a bug) would fail the same way on every retry and every tick: it
 * is the poll's failure, recorded on the source and backed off like an upstream's.
 */
function isTransient(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return err instanceof BrandsChangedError || isDependencyDown(err) || (typeof code === 'string' && /^(40|53)[0-9A-Z]{3}$/.test(code));
}

function unexpected(what: string, err: unknown, answered: number | null): Failure {
  const message = (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').slice(0, 300);
  return { message: `${what}: ${message}`, status: answered, retryAfterMs: null, permanent: false };
}

/** The client, noting the status of the last answer it got. */
function notingStatus(client: HttpClient): { http: HttpClient; lastStatus: () => number | null } {
  let last: number | null = null;
  const http: HttpClient = {
    async request(url, options) {
      const res = await client.request(url, options);
      last = res.status;
      return res;
    },
    close: () => client.close(),
  };
  return { http, lastStatus: () => last };
}

/** Records a failed poll on the source: its health, and the next poll backed off. */
async function recordFailure(
  deps: Pick<PollDeps, 'sourceRepository' | 'log'>,
  source: { id: string; consecutive_failures: number; interval_seconds: number; updated_at: Date },
  now: Date,
  failure: Failure,
): Promise<PollOutcome> {
  const failures = source.consecutive_failures + 1;
  const { retryAfterMs } = failure;
  const nextFetchAt = nextPollAfterFailure({ intervalSeconds: source.interval_seconds, consecutiveFailures: failures, retryAfterMs, now });
  // The health record says the wait applied, not only the one asked (a Retry-After of a year).
  const error =
    retryAfterMs != null && retryAfterMs > RETRY_AFTER_MAX_MS
      ? `${failure.message}; next poll in ${RETRY_AFTER_MAX_TEXT}, the longest Earshot waits`
      : failure.message;
  await deps.sourceRepository.recordFailure(source.id, {
    now,
    status: failure.status,
    error,
    nextFetchAt,
    upstreamWaitUntil: upstreamWaitUntil({ retryAfterMs, now }),
    disable: failure.permanent,
    readAt: source.updated_at,
  });
  deps.log.info({ sourceId: source.id, status: failure.status, error, failures, disabled: failure.permanent }, 'source poll failed');
  return { outcome: 'failed', error, status: failure.status, disabled: failure.permanent, nextFetchAt };
}

/**
 * One poll of one source, the fetch job's whole work: ask the connector for new items, score and
 * match them, and store them together with the source's new state and health in one transaction,
 * so a crash anywhere leaves either everything or nothing (the retry then finds the same items).
 */
export async function pollSource({
  sourceId,
  now,
  onlyIfDue = false,
  ...deps
}: PollDeps & { sourceId: string; now: Date; onlyIfDue?: boolean }): Promise<PollOutcome> {
  const source = await deps.sourceRepository.getForPoll(sourceId);
  // A deleted source's waiting mark, if the tick left one, lapses by itself (fetch-shares.ts).
  if (!source) return { outcome: 'skipped', reason: 'deleted' };
  const skip = async (reason: string): Promise<PollOutcome> => {
    // Not waiting any more: its workspace's share need not make room for it. Best effort: a mark
    // left behind lapses within two ticks.
    await deps.workspaceShares?.forget(source.workspace_id, source.id).catch(() => {});
    return { outcome: 'skipped', reason };
  };
  if (!source.enabled) return skip('disabled');
  // A tick that read the source as due just before its last poll finished enqueues it again:
  // that poll has moved next_fetch_at on, and a second fetch now would only hit the host twice.
  if (onlyIfDue && source.next_fetch_at > now) return skip('not due');
  // "Poll now" is refused while the upstream asks us to wait; a fetch queued before it asked is not sent either.
  if (source.upstream_wait_until && source.upstream_wait_until > now) return skip('the upstream asked to wait');
  const connector = deps.connectors[source.type as SourceType];
  if (!connector) return skip(`no connector for ${source.type}`);

  // Fairness between workspaces first: a fetch that gives way never holds its host's slot, even
  // for a moment; one whose host is busy gives its turn back at once (and no longer counts as
  // waiting: its workspace could not use a slot made for it).
  const releaseTurn = deps.workspaceShares ? await deps.workspaceShares.acquire(source.workspace_id, source.id) : null;
  if (deps.workspaceShares && !releaseTurn) return { outcome: 'workspace_busy' };
  try {
    return await pollInTurn({ ...deps, source, connector, sourceId, now });
  } finally {
    await releaseTurn?.().catch((err: unknown) =>
      deps.log.warn({ err: { message: (err as Error).message }, workspaceId: source.workspace_id }, "a fetch's turn in its workspace's share was not given back; its lease frees it"),
    );
  }
}

type PollableSource = NonNullable<Awaited<ReturnType<SourceRepository['getForPoll']>>>;

/** The poll itself, once its workspace's turn is taken: the host's slot, the request, the items stored. */
async function pollInTurn({
  source,
  connector,
  sourceId,
  now,
  ...deps
}: PollDeps & { source: PollableSource; connector: Connector<any>; sourceId: string; now: Date }): Promise<PollOutcome> {
  const release = await deps.acquireHost(source.host);
  if (!release) return { outcome: 'host_busy' };
  const { http, lastStatus } = notingStatus(deps.http);
  // A feed read with losses (bytes labelled UTF-8 that are not) is still polled; the log names it.
  const logWarning = (warning: string | undefined) => {
    if (warning) deps.log.warn({ sourceId, warning }, 'source feed read with replacement characters');
  };
  const parseFeed: PollDeps['compute']['parseFeed'] = async (body, opts) => {
    const parsed = await deps.compute.parseFeed(body, opts);
    logWarning(parsed.warning);
    return parsed;
  };
  let result;
  let batch;
  let brands;
  try {
    try {
      if (source.credentials && !deps.openCredentials) throw new SecretBoxError('the source has stored credentials but SECRET_KEY is not set');
      const credentials = source.credentials && deps.openCredentials ? deps.openCredentials(source.credentials) : null;
      // A source saved with credentials and an http:// URL before saving refused it: not sent.
      const plain = credentials && !deps.plainHttpCredentials ? plainHttpFields(connector, source.config as Record<string, unknown>) : [];
      if (plain.length) {
        throw new SourceFetchError(`the source's credentials are sent only over https: change ${plain.join(' and ')} to an https:// URL (nothing was sent)`, { status: null });
      }
      result = await connector.poll({ config: source.config, credentials, state: (source.state ?? null) as never, http, parseFeed, now });
    } finally {
      // The slot limits requests to the host; reading what came back is no business of the host's.
      // A release Redis cannot take (away for a moment) is left to the lease: the fetched items
      // are still worth storing, and Postgres may well be there.
      await release().catch((err: unknown) =>
        deps.log.warn({ err: { message: (err as Error).message }, host: source.host }, 'host slot not released; its lease frees it'),
      );
    }
    brands = await deps.brandSets.forWorkspace(source.workspace_id);
    // An item older than the workspace keeps mentions was expired, or would be within the hour.
    const keepSince = source.retention_days ? new Date(now.getTime() - source.retention_days * DAY_MS) : null;
    const common = { sourceType: source.type as SourceType, fetchedAt: now, isBacklog: source.first_polled_at === null, keepSince, brands };
    batch = await deps.compute.prepare(result.feed ? { ...common, feed: result.feed } : { ...common, items: result.items });
    logWarning(batch.warning);
  } catch (err) {
    if (isTransient(err)) throw err;
    const failure = describeFailure(err, lastStatus());
    if (!failure) deps.log.error({ err, sourceId }, 'source poll failed unexpectedly');
    return recordFailure(deps, source, now, failure ?? unexpected('the poll failed unexpectedly', err, lastStatus()));
  }

  let stored;
  try {
    stored = await deps.db.transaction().execute(async (trx) => {
      await holdOffRematches(trx, source.workspace_id);
      if ((await deps.brandRepository.version(source.workspace_id, trx)) !== brands.version) throw new BrandsChangedError();
      const written = await storeMentions({
        trx,
        workspaceId: source.workspace_id,
        sourceId: source.id,
        sourceType: source.type,
        batch,
        now,
        mentionRepository: deps.mentionRepository,
        rollupRepository: deps.rollupRepository,
      });
      // A part that failed while the rest was stored (PollResult.partialFailure) is the source's
      // lastError and lastStatus beside the success: the poll is on schedule, not backed off, and
      // the part is asked again at the next one.
      const partial = result.partialFailure;
      await deps.sourceRepository.recordSuccess(trx, source.id, {
        now,
        status: partial ? partial.status : result.status,
        error: partial?.message ?? null,
        counts: { read: batch.size, new: written.inserted, matched: written.matched.length },
        state: result.state,
        nextFetchAt: nextPollAfterSuccess({ intervalSeconds: source.interval_seconds, now }),
        readAt: source.updated_at,
      });
      // Last: it holds the workspace's live-event lock until commit.
      const seqs = await deps.mentionRepository.recordEvents(trx, source.workspace_id, written.matched.map((r) => r.id));
      return { ...written, seqs };
    });
  } catch (err) {
    if (isTransient(err)) throw err;
    // Deleted while its fetch was in flight: its rows' foreign key failed, and nothing is lost.
    if (!(await deps.sourceRepository.getForPoll(source.id))) return { outcome: 'skipped', reason: 'deleted' };
    deps.log.error({ err, sourceId }, "a poll's items could not be stored");
    return recordFailure(deps, source, now, unexpected("the poll's items could not be stored", err, lastStatus()));
  }
  const { inserted, matched, seqs } = stored;

  if (matched.length) {
    const sourceRef = { id: source.id, type: source.type as SourceType };
    const events = matched.map((r) => ({ seq: seqs.get(r.id)!, mention: toMentionFromPrepared(r.id, r.mention, sourceRef) }));
    await deps.publish(source.workspace_id, events).catch((err: unknown) =>
      deps.log.warn({ err: { message: (err as Error).message } }, 'live publish failed: connected live streams read these events from Postgres at a coming heartbeat'),
    );
  }
  return {
    outcome: 'polled',
    items: batch.size,
    inserted,
    matched: matched.length,
    notModified: result.notModified,
    ...(result.partialFailure ? { partialFailure: result.partialFailure.message } : {}),
  };
}
