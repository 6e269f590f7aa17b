import type { HttpClient } from '../../infra/http/index.js';
import type { Mailer } from '../../infra/mail.js';
import type { AnalyticsRepository } from '../analytics/analytics.repository.js';
import type { BrandRepository } from '../brands/brands.repository.js';
import { notFound } from '../errors.js';
import { validationError } from '../validation.js';
import { deliverWebhook } from '../webhooks/index.js';
import type { WorkspaceRepository } from '../workspaces/workspaces.repository.js';
import { digestSubject } from './digest.format.js';
import { renderHtml } from './digest.html.js';
import { renderMarkdown } from './digest.markdown.js';
import { renderTrendPngBytes } from './digest.png.js';
import { renderText } from './digest.text.js';
import type { DigestDocument } from './digest.types.js';
import { composeDigest } from './digests.compose.js';
import type { DigestRepository } from './digests.repository.js';

const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;
export const DIGEST_EVENT_TYPE = 'digest.weekly';

export interface DigestDeps {
  workspaceRepository: WorkspaceRepository;
  brandRepository: BrandRepository;
  analyticsRepository: AnalyticsRepository;
  digestRepository: DigestRepository;
}

type DigestRow = NonNullable<Awaited<ReturnType<DigestRepository['insert']>>>;

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
 * The period a digest reports: whole UTC hours (since rounds down, until up), as the hourly
 * rollups count them, ending at the latest at the last whole hour before now, so that every
 * figure, and every comparison with the equal window before it, is about time that has passed.
 * The default is the week ending at the last whole hour.
 */
export function digestPeriod({ since, until, now }: { since?: Date | undefined; until?: Date | undefined; now: Date }): { since: Date; until: Date } {
  const lastHour = Math.floor(now.getTime() / HOUR) * HOUR;
  const end = new Date(Math.min(until ? Math.ceil(until.getTime() / HOUR) * HOUR : lastHour, lastHour));
  const start = since ? new Date(Math.floor(since.getTime() / HOUR) * HOUR) : new Date(end.getTime() - WEEK);
  if (start >= end) {
    throw validationError([{ field: 'since', message: `a digest covers whole hours that have passed; this period has none before ${end.toISOString()}` }]);
  }
  return { since: start, until: end };
}

/**
 * Composes and stores one digest. A scheduled digest's period ends at its scheduled time (on
 * the hour), so every attempt and every scheduler computes the same period, and the unique key
 * keeps one digest per workspace and period: a duplicate returns null.
 */
export async function makeDigest({
  workspaceId,
  kind,
  since,
  until,
  now,
  ...deps
}: DigestDeps & { workspaceId: string; kind: 'scheduled' | 'manual'; since?: Date | undefined; until?: Date | undefined; now: Date }) {
  const ws = await workspaceOf(deps, workspaceId);
  const { since: start, until: end } = digestPeriod({ since, until, now });
  const document = await composeDigest({ ...deps, workspace: { id: ws.id, name: ws.name }, since: start, until: end, timeZone: ws.digest_timezone, now });
  const row = await deps.digestRepository.insert({ workspaceId, kind, since: start, until: end, document });
  return row ? { ...toDigestSummary(row), document, channels: channelsOf(ws) } : null;
}

/** Where a workspace's digests go: its signed webhook and/or its e-mail recipients. */
export function channelsOf(ws: { digest_webhook_url: string | null; digest_recipients: string[] }): Array<'webhook' | 'email'> {
  return [...(ws.digest_webhook_url ? (['webhook'] as const) : []), ...(ws.digest_recipients.length ? (['email'] as const) : [])];
}

export type DigestFormat = 'json' | 'markdown' | 'html' | 'text';

export function renderDigest(document: DigestDocument, format: Exclude<DigestFormat, 'json'>): string {
  if (format === 'markdown') return renderMarkdown(document);
  if (format === 'text') return renderText(document);
  return renderHtml(document, { chart: 'svg' });
}

/**
 * One delivery attempt of a stored digest on one channel. A failure leaves the digest stored and
 * retrievable; the caller retries what can be retried.
 */
export async function deliverDigest({
  digestId,
  channel,
  attempt,
  now,
  http,
  mailer,
  digestRepository,
  workspaceRepository,
}: {
  digestId: string;
  channel: 'webhook' | 'email';
  attempt: number;
  now: Date;
  http: HttpClient;
  mailer: Mailer | null;
  digestRepository: DigestRepository;
  workspaceRepository: WorkspaceRepository;
}): Promise<{ outcome: 'delivered' | 'retry' | 'failed' | 'skipped'; error?: string }> {
  const digest = await digestRepository.byId(digestId);
  const ws = digest ? await workspaceRepository.getWorkspace(digest.workspace_id) : undefined;
  if (!digest || !ws) return { outcome: 'skipped' };
  const document = digest.document as unknown as DigestDocument;

  if (channel === 'webhook') {
    if (!ws.digest_webhook_url || !ws.digest_webhook_secret) return { outcome: 'skipped' };
    const body = JSON.stringify({ type: DIGEST_EVENT_TYPE, timestamp: now.toISOString(), data: document });
    const result = await deliverWebhook({ http, url: ws.digest_webhook_url, secret: ws.digest_webhook_secret, id: `dgst_${digest.id}`, body, now });
    await digestRepository.recordAttempt({ digestId, channel, target: ws.digest_webhook_url, attempt, outcome: result.outcome, status: result.status, error: result.error });
    if (result.outcome === 'delivered') return { outcome: 'delivered' };
    // 410: the receiver says the endpoint is gone for good; later digests do not call it again.
    if (result.outcome === 'gone') await workspaceRepository.disableDigestWebhook(ws.id, ws.digest_webhook_url);
    return result.outcome === 'retry' ? { outcome: 'retry', error: `HTTP ${result.status ?? result.error}` } : { outcome: 'failed', error: result.outcome };
  }

  if (!ws.digest_recipients.length) return { outcome: 'skipped' };
  const target = ws.digest_recipients.join(', ');
  if (!mailer) {
    await digestRepository.recordAttempt({ digestId, channel, target, attempt, outcome: 'failed', status: null, error: 'SMTP_URL is not set' });
    return { outcome: 'failed', error: 'SMTP_URL is not set' };
  }
  try {
    await mailer.send({
      to: ws.digest_recipients,
      subject: digestSubject(document),
      html: renderHtml(document, { chart: { cid: 'earshot-trend' } }),
      text: renderText(document),
      attachments: [{ filename: 'trend.png', content: renderTrendPngBytes(document), contentType: 'image/png', cid: 'earshot-trend' }],
    });
    await digestRepository.recordAttempt({ digestId, channel, target, attempt, outcome: 'delivered', status: null });
    return { outcome: 'delivered' };
  } catch (err) {
    const permanent = (err as { permanent?: boolean }).permanent === true;
    const message = err instanceof Error ? err.message : String(err);
    await digestRepository.recordAttempt({ digestId, channel, target, attempt, outcome: permanent ? 'failed' : 'retry', status: null, error: message });
    return { outcome: permanent ? 'failed' : 'retry', error: message };
  }
}
