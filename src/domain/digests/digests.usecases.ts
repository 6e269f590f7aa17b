import { CronExpressionParser } from 'cron-parser';
import type { HttpClient } from '../../infra/http/index.js';
import type { Mailer } from '../../infra/mail.js';
import type { AnalyticsRepository } from '../analytics/analytics.repository.js';
import type { BrandRepository } from '../brands/brands.repository.js';
import { AppError, notFound } from '../errors.js';
import { validationError } from '../validation.js';
import { deliverWebhook, MAX_ATTEMPTS, RETRY_DELAYS_MS, RETRY_JITTER, SEAL_BATCH, type WebhookSecrets } from '../webhooks/index.js';
import type { WorkspaceRepository } from '../workspaces/workspaces.repository.js';
import { languageOf, type DigestLanguage } from '../i18n/languages.js';
import { digestSubject } from './digest.format.js';
import { renderHtml } from './digest.html.js';
import { renderMarkdown } from './digest.markdown.js';
import { renderTrendPngBytes } from './digest.png.js';
import { renderText } from './digest.text.js';
import type { DigestDocument, DigestEmail } from './digest.types.js';
import { composeDigest } from './digests.compose.js';
import { nothingToReport } from './digests.sources.js';
import type { DigestRepository, ManualMailWait } from './digests.repository.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/**
 * The longest period a digest asked for may cover (docs/analytics.md): a ten-year digest was
 * 1.4 MB of JSON, with a line of 3,600 days per brand in every e-mail.
 */
export const MAX_DIGEST_DAYS = 366;
/** How many of its schedule's periods a scheduled digest covers at most, when runs were missed. */
const MAX_CATCH_UP = 4;
const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;
/**
 * The digest webhook's `type`, for every digest: scheduled on any cron or asked for. The name is
 * from when digests were weekly only, and receivers route on it, so it stays; `data.kind` says
 * whether a digest was scheduled or asked for, and `data.id` which digest it is.
 */
export const DIGEST_EVENT_TYPE = 'digest.weekly';
/**
 * RFC 3834: the digest is sent by a program, so out-of-office and other automatic replies do not
 * answer each one.
 */
export const DIGEST_MAIL_HEADERS = { 'Auto-Submitted': 'auto-generated' } as const;
/** The Content-ID of the e-mail's trend chart, which its HTML shows as `cid:`. */
const TREND_CID = 'earshot-trend';
/**
 * A workspace e-mails at most one digest asked for (`POST /v1/digests`) in this time: any key
 * holder may set the recipients, and the operator's SMTP account must not be their mailer.
 * Previews (no recipients), digests a server without SMTP_URL made (none either) and scheduled
 * digests are not counted, nor limited.
 */
export const MANUAL_MAIL_INTERVAL_MS = 10 * MINUTE;

function manualMailThrottled(wait: ManualMailWait): AppError {
  return new AppError(
    'digests.mail_throttled',
    429,
    `this workspace e-mailed a digest asked for less than ${MANUAL_MAIL_INTERVAL_MS / MINUTE} minutes ago; ` +
      `the next may be e-mailed from ${wait.nextAt.toISOString()} (in ${wait.seconds} s). A preview ("deliver": false) may be made at any time`,
    { retryAfterSeconds: wait.seconds },
  );
}

export interface DigestDeps {
  workspaceRepository: WorkspaceRepository;
  brandRepository: BrandRepository;
  analyticsRepository: AnalyticsRepository;
  digestRepository: DigestRepository;
}

type DigestRow = { id: string; kind: string; period_start: Date; period_end: Date; created_at: Date };

export const toDigestSummary = (row: DigestRow) => ({
  id: row.id,
  kind: row.kind as 'scheduled' | 'manual',
  since: row.period_start.toISOString(),
  until: row.period_end.toISOString(),
  createdAt: row.created_at.toISOString(),
});

async function workspaceOf(deps: DigestDeps, workspaceId: string) {
  const ws = await deps.workspaceRepository.getWorkspace(workspaceId);
  if (!ws) throw notFound('workspaces', 'workspace');
  return ws;
}

/**
 * The period a digest asked for reports: whole UTC hours (since rounds down, until up), ending at
 * the latest at the last whole hour before now, so that every figure, and every comparison with
 * the equal window before it, is about time that has passed. `until` is clamped to that first,
 * and the default `since` is a week before it: a future `until` alone asks for the last week. The
 * period asked for, from `since` to `until` (or now), is at most MAX_DIGEST_DAYS long.
 */
export function digestPeriod({ since, until, now }: { since?: Date | undefined; until?: Date | undefined; now: Date }): { since: Date; until: Date } {
  if (since && until && since >= until) throw validationError([{ field: 'since', message: 'must be before until' }]);
  if (since) {
    const asked = Math.min(until?.getTime() ?? Infinity, now.getTime()) - since.getTime();
    if (asked > MAX_DIGEST_DAYS * DAY) {
      throw validationError([{ field: 'since', message: `a digest covers at most ${MAX_DIGEST_DAYS} days; this period has ${Math.ceil(asked / DAY)}` }]);
    }
  }
  const lastHour = Math.floor(now.getTime() / HOUR) * HOUR;
  const end = new Date(Math.min(until ? Math.ceil(until.getTime() / HOUR) * HOUR : lastHour, lastHour));
  const start = since ? new Date(Math.floor(since.getTime() / HOUR) * HOUR) : new Date(end.getTime() - WEEK);
  if (start >= end) {
    throw validationError([{ field: 'since', message: `a digest covers whole hours that have passed; this period has none before ${end.toISOString()}` }]);
  }
  return { since: start, until: end };
}

/**
 * The period of a scheduled digest: it ends at its run, on the minute of the workspace's zone
 * that the cron schedule names (09:00 in Asia/Kolkata is 03:30 UTC, in Asia/Kathmandu 03:15), and
 * starts where the workspace's previous scheduled digest ended. Consecutive digests then tile
 * time, each mention in exactly one of them: across a DST change (Mondays at 09:00 are 167 or 169
 * hours apart then), a changed schedule, or a run that never came. The first one, and one whose
 * previous digest ended more than MAX_CATCH_UP periods ago, starts at the schedule's run before.
 */
export async function scheduledPeriod({
  workspaceId,
  scheduledAt,
  schedule,
  timeZone,
  digestRepository,
}: {
  workspaceId: string;
  scheduledAt: Date;
  schedule: string;
  timeZone: string;
  digestRepository: DigestRepository;
}): Promise<{ since: Date; until: Date }> {
  // A job may carry milliseconds past its run; cron runs are on whole minutes.
  const until = new Date(Math.floor(scheduledAt.getTime() / MINUTE) * MINUTE);
  const previousRun = CronExpressionParser.parse(schedule, { tz: timeZone, currentDate: until }).prev().toDate();
  // After missed runs the digest covers them too, up to MAX_CATCH_UP periods: a schedule switched
  // back on after months starts afresh rather than sending months in one digest.
  const earliest = until.getTime() - MAX_CATCH_UP * (until.getTime() - previousRun.getTime());
  const previousEnd = await digestRepository.lastScheduledEnd(workspaceId, until);
  const since = previousEnd && previousEnd.getTime() >= earliest ? previousEnd : previousRun;
  return { since, until };
}

/**
 * A digest asked for now, or one the workspace's schedule fired for its run at `scheduledAt`.
 * `deliver: false` makes a preview: stored and served, but neither e-mailed nor posted.
 */
export type DigestRequest =
  | { kind: 'manual'; since?: Date | undefined; until?: Date | undefined; now: Date; deliver?: boolean | undefined }
  | { kind: 'scheduled'; scheduledAt: Date };

/** One delivery of a digest: to the workspace's webhook, or by e-mail to one recipient. */
export type DigestDelivery = { channel: 'webhook' } | { channel: 'email'; to: string };

/** Why a digest is e-mailed to no one, null when it is e-mailed to the workspace's recipients. */
function notEmailedReason({ deliver, recipients, quiet, canMail }: { deliver: boolean; recipients: number; quiet: boolean; canMail: boolean }): DigestEmail['reason'] {
  if (!deliver) return 'preview';
  if (recipients === 0) return 'no_recipients';
  if (quiet) return 'nothing_to_report';
  if (!canMail) return 'smtp_not_configured';
  return null;
}

/**
 * Composes and stores one digest, with the recipients it is made for: the workspace's list now
 * (none for a preview, nor without a mailer: `mailer` null, SMTP_URL unset). A scheduled
 * digest's period is the same for every attempt and every scheduler (scheduledPeriod), and the
 * unique key keeps one digest per workspace and period: a
 * second attempt gets the digest the first one stored, `made: false`, with the recipients stored
 * then, so that it can still queue what that attempt failed to. `deliveries` are the deliveries
 * to queue. Null when the workspace is gone, or for a scheduled run when its schedule was
 * switched off after the run was queued. A scheduled digest with nothing to report is made for no
 * recipient (`document.email` says why), and so is one made without a mailer: nothing is queued
 * that could only fail, and it does not count against the throttle. A manual digest to be e-mailed
 * within MANUAL_MAIL_INTERVAL_MS of the workspace's last is refused (429 `digests.mail_throttled`).
 */
export async function makeDigest(request: DigestDeps & { workspaceId: string; mailer: Mailer | null } & DigestRequest) {
  const { workspaceId, brandRepository, analyticsRepository, digestRepository } = request;
  const ws = await workspaceOf(request, workspaceId);
  let period: { since: Date; until: Date };
  if (request.kind === 'scheduled') {
    if (ws.digest_schedule === null) return null;
    period = await scheduledPeriod({ workspaceId, scheduledAt: request.scheduledAt, schedule: ws.digest_schedule, timeZone: ws.digest_timezone, digestRepository });
  } else {
    period = digestPeriod(request);
  }
  const { since, until } = period;
  const deliver = request.kind === 'scheduled' || request.deliver !== false;
  const canMail = request.mailer !== null;
  const mailsManual = request.kind === 'manual' && deliver && canMail && ws.digest_recipients.length > 0;
  // Checked before composing, which costs far more than this read; the insert checks again.
  const wait = mailsManual ? await digestRepository.manualMailWait(workspaceId, MANUAL_MAIL_INTERVAL_MS) : null;
  if (wait) throw manualMailThrottled(wait);
  // A scheduled digest is composed as at its run, whenever the job gets to it.
  const now = request.kind === 'scheduled' ? until : request.now;
  const document = await composeDigest({
    workspace: { id: ws.id, name: ws.name },
    language: languageOf(ws.digest_language),
    since,
    until,
    timeZone: ws.digest_timezone,
    now,
    brandRepository,
    analyticsRepository,
    digestRepository,
  });
  // A scheduled digest with nothing to report is stored, so the history has no gap, and posted to
  // the webhook (a program may want to know the week was empty), but e-mails no one: a message
  // that says nothing, every period, teaches its readers to ignore the digest. One asked for is
  // delivered as asked.
  const quiet = request.kind === 'scheduled' && nothingToReport(document);
  const reason = notEmailedReason({ deliver, recipients: ws.digest_recipients.length, quiet, canMail });
  const recipients = reason === null ? ws.digest_recipients : [];
  document.email = reason === null ? { status: 'queued', reason: null } : { status: 'not_sent', reason };
  // What the digest owes, stored with it: what digests.redeliver queues again if Redis never got
  // a delivery's job, or lost it.
  const webhook = deliver && ws.digest_webhook_url !== null;
  let row;
  if (mailsManual) {
    const stored = await digestRepository.insertManualMail({ workspaceId, kind: 'manual', since, until, document, recipients, webhook }, MANUAL_MAIL_INTERVAL_MS);
    if (stored.wait) throw manualMailThrottled(stored.wait);
    row = stored.row;
  } else {
    row = await digestRepository.insert({ workspaceId, kind: request.kind, since, until, document, recipients, webhook });
  }
  if (row) return { ...toDigestSummary(row), document, recipients, deliveries: deliver ? deliveriesOf(ws, recipients) : [], made: true };
  const stored = await digestRepository.scheduledEndingAt(workspaceId, until);
  if (!stored) return null;
  const storedRecipients = stored.recipients ?? ws.digest_recipients;
  return { ...toDigestSummary(stored), document: stored.document as unknown as DigestDocument, recipients: storedRecipients, deliveries: deliveriesOf(ws, storedRecipients), made: false };
}

/**
 * Where a digest goes: the workspace's signed webhook, if it has one, and one e-mail to each of
 * the recipients the digest was made for.
 */
export function deliveriesOf(ws: { digest_webhook_url: string | null }, recipients: readonly string[]): DigestDelivery[] {
  return [...(ws.digest_webhook_url ? [{ channel: 'webhook' as const }] : []), ...recipients.map((to) => ({ channel: 'email' as const, to }))];
}

/**
 * The recipients of a digest's e-mail: those it was made for, or for a digest stored before they
 * were recorded, the workspace's of the moment. Empty when the digest or its workspace is gone.
 */
export async function digestRecipients({ digestId, digestRepository, workspaceRepository }: { digestId: string; digestRepository: DigestRepository; workspaceRepository: WorkspaceRepository }): Promise<string[]> {
  const digest = await digestRepository.byId(digestId);
  if (!digest) return [];
  return digest.recipients ?? (await workspaceRepository.getWorkspace(digest.workspace_id))?.digest_recipients ?? [];
}

/**
 * How far back digests.redeliver looks: past the whole retry schedule (about 28 hours, 32 with
 * jitter), with most of a day to spare for a queue that was away. A digest older than this is not
 * sent any more: it is old news.
 */
export const REDELIVER_WINDOW_MS = 2 * DAY;
/**
 * How long past its due time a delivery waits before it counts as lost: a job only late in a busy
 * queue is not the sweep's (queueing it again would be a no-op by its job id anyway).
 */
export const REDELIVER_GRACE_MS = MINUTE;
/** The owed deliveries one run queues again at most; the next run takes the rest. */
export const REDELIVER_BATCH = 500;

/**
 * The deliveries stored digests still owe whose job should have run by now: never queued (Redis
 * was away when the digest was stored) or lost with its retry (Redis came back empty). Postgres
 * says what a digest owes (its webhook, its recipients) and what was done (the deliveries log);
 * the last attempt's retry is due at most the schedule's delay, stretched by the jitter, after it.
 * `ended`: digests found owing nothing more, from now on passed by.
 */
export async function sweepDigestDeliveries({ digestRepository, now, limit = REDELIVER_BATCH }: { digestRepository: DigestRepository; now: Date; limit?: number }) {
  const { owed, ended } = await digestRepository.sweepDeliveries({
    since: new Date(now.getTime() - REDELIVER_WINDOW_MS),
    now,
    graceMs: REDELIVER_GRACE_MS,
    delaysMs: RETRY_DELAYS_MS,
    jitter: RETRY_JITTER,
    limit,
  });
  const deliveries = owed.map(({ digestId, channel, target }): { digestId: string; delivery: DigestDelivery } => ({
    digestId,
    delivery: channel === 'email' ? { channel, to: target! } : { channel },
  }));
  return { owed: deliveries, ended };
}

export type DigestFormat = 'json' | 'markdown' | 'html' | 'text';

/** A rendering of a stored digest, in the language it was composed in, or `lang`. */
export function renderDigest(document: DigestDocument, format: Exclude<DigestFormat, 'json'>, lang?: DigestLanguage): string {
  if (format === 'markdown') return renderMarkdown(document, { lang });
  if (format === 'text') return renderText(document, { lang });
  return renderHtml(document, { chart: 'svg', lang });
}

/**
 * Seals the digest webhook secrets still stored in plaintext (from before the server had a
 * SECRET_KEY), up to `limit` workspaces a call: the digests' reconcile calls it every run, so no
 * operator step is needed. Until then a plaintext secret still signs. Returns the secrets sealed.
 */
export async function sealPlaintextDigestSecrets({ digestRepository, webhookSecrets, limit = SEAL_BATCH }: { digestRepository: DigestRepository; webhookSecrets: WebhookSecrets; limit?: number }) {
  if (!webhookSecrets.sealing) return 0;
  const rows = await digestRepository.plaintextWebhookSecrets(limit);
  for (const row of rows) await digestRepository.sealWebhookSecret(row.id, row.secret, webhookSecrets.store(row.secret));
  return rows.length;
}

/**
 * One delivery attempt of a stored digest: to the workspace's webhook, or by e-mail to one
 * recipient. A failure leaves the digest stored and retrievable; the caller retries what can be
 * retried, and the last attempt that fails is recorded as `failed`, as alerts do.
 *
 * An e-mail goes to `to`, one of the recipients the digest was made for, on every attempt. A
 * recipient taken off the workspace's list since still gets it: the digest was made, and asked
 * for, while they were on it. One added since gets the next digest.
 */
export async function deliverDigest({
  digestId,
  attempt: jobAttempt,
  now,
  http,
  mailer,
  digestRepository,
  workspaceRepository,
  webhookSecrets,
  ...delivery
}: DigestDelivery & {
  digestId: string;
  /** The job's count (BullMQ's attemptsMade + 1); the deliveries log wins where it counts more. */
  attempt: number;
  now: Date;
  http: HttpClient;
  mailer: Mailer | null;
  digestRepository: DigestRepository;
  workspaceRepository: WorkspaceRepository;
  /** Opens the workspace's stored webhook secret to sign; without it only a plaintext one can. */
  webhookSecrets?: WebhookSecrets | undefined;
}): Promise<{ outcome: 'delivered' | 'retry' | 'failed' | 'skipped'; attempt?: number; status?: number | null; latencyMs?: number; error?: string }> {
  const digest = await digestRepository.byId(digestId);
  const ws = digest ? await workspaceRepository.getWorkspace(digest.workspace_id) : undefined;
  if (!digest || !ws) return { outcome: 'skipped' };
  const document = digest.document as unknown as DigestDocument;
  // A job added again by digests.redeliver can find the delivery ended in between (it read the
  // log just before this delivery's last job recorded it, and that job is gone): nothing is sent twice.
  if (await digestRepository.deliveryEnded(digestId, delivery.channel, delivery.channel === 'email' ? delivery.to : '')) return { outcome: 'skipped' };
  // A job made anew after Redis lost the first starts BullMQ's count over; the log keeps the true
  // one per target, and with it the cap on attempts.
  const attemptAt = async (target: string) => Math.max(jobAttempt, (await digestRepository.attemptsMade(digestId, delivery.channel, target)) + 1);

  if (delivery.channel === 'webhook') {
    const channel = 'webhook';
    if (!ws.digest_webhook_url || !ws.digest_webhook_secret) return { outcome: 'skipped' };
    const attempt = await attemptAt(ws.digest_webhook_url);
    const lastAttempt = attempt >= MAX_ATTEMPTS;
    const body = JSON.stringify({ type: DIGEST_EVENT_TYPE, timestamp: now.toISOString(), data: { id: digest.id, kind: digest.kind, ...document } });
    const result = await deliverWebhook({
      http,
      url: ws.digest_webhook_url,
      secret: ws.digest_webhook_secret,
      webhookSecrets,
      newSecretHint: 'set digestWebhookUrl to null and then back (PATCH /v1/workspace) for a new secret',
      id: `dgst_${digest.id}`,
      body,
      now,
      lastAttempt,
    });
    const outcome = result.outcome === 'retry' && lastAttempt ? 'failed' : result.outcome;
    const { status, latencyMs } = result;
    await digestRepository.recordAttempt({ digestId, channel, target: ws.digest_webhook_url, attempt, outcome, status, latencyMs, error: result.error });
    if (result.outcome === 'delivered') return { attempt, outcome: 'delivered', status, latencyMs };
    // 410: the receiver says the endpoint is gone for good; later digests do not call it again.
    if (result.outcome === 'gone') await workspaceRepository.disableDigestWebhook(ws.id, ws.digest_webhook_url);
    if (result.outcome === 'retry') return { attempt, outcome: lastAttempt ? 'failed' : 'retry', status, latencyMs, error: `HTTP ${result.status ?? result.error}` };
    // Nothing was sent: the secret cannot be opened; the reason is the error.
    if (result.outcome === 'failed') return { attempt, outcome: 'failed', status, latencyMs, error: result.error ?? 'failed' };
    return { attempt, outcome: 'failed', status, latencyMs, error: result.outcome };
  }

  const channel = 'email';
  const target = delivery.to;
  const attempt = await attemptAt(target);
  const lastAttempt = attempt >= MAX_ATTEMPTS;
  // A digest made without a mailer is made for no recipient (makeDigest); this one was made by a
  // process with SMTP_URL and taken by a worker without it, which must not pretend to have sent it.
  if (!mailer) {
    await digestRepository.recordAttempt({ digestId, channel, target, attempt, outcome: 'failed', status: null, latencyMs: null, error: 'SMTP_URL is not set' });
    return { attempt, outcome: 'failed', error: 'SMTP_URL is not set' };
  }
  const started = performance.now();
  const took = () => Math.round(performance.now() - started);
  try {
    const html = renderHtml(document, { chart: { cid: TREND_CID } });
    const sent = await mailer.send({
      to: target,
      subject: digestSubject(document),
      html,
      text: renderText(document),
      // Only when the HTML shows it (a period without mentions has no chart): an image no part
      // refers to is shown by mail clients as a stray attachment.
      attachments: html.includes(`cid:${TREND_CID}`) ? [{ filename: 'trend.png', content: renderTrendPngBytes(document), contentType: 'image/png', cid: TREND_CID }] : [],
      // The language the subject and both parts are written in (RFC 3282), for readers and filters.
      headers: { ...DIGEST_MAIL_HEADERS, 'Content-Language': languageOf(document.language) },
    });
    const latencyMs = took();
    await digestRepository.recordAttempt({ digestId, channel, target, attempt, outcome: 'delivered', status: sent.responseCode, latencyMs });
    return { attempt, outcome: 'delivered', status: sent.responseCode, latencyMs };
  } catch (err) {
    // A 5xx refusal of this recipient (or of the message) is final; a 4xx or a connection error
    // is tried again, up to the last attempt.
    const e = err as { permanent?: boolean; responseCode?: number };
    const outcome = e.permanent === true || lastAttempt ? 'failed' : 'retry';
    const message = err instanceof Error ? err.message : String(err);
    const latencyMs = took();
    const status = e.responseCode ?? null;
    await digestRepository.recordAttempt({ digestId, channel, target, attempt, outcome, status, latencyMs, error: message });
    return { attempt, outcome, status, latencyMs, error: message };
  }
}
