import { CronExpressionParser } from 'cron-parser';
import { assertTimeZone, zoneName } from '../analytics/analytics.usecases.js';
import { AppError, notFound } from '../errors.js';
import { validationError } from '../validation.js';
import { generateSecret, type WebhookSecrets } from '../webhooks/index.js';
import type { WorkspacePatch, WorkspaceRepository } from './workspaces.repository.js';

const HOUR_MS = 3_600_000;

/**
 * Two runs of a digest schedule less than an hour apart, looking a year ahead (as local times),
 * or null. A year covers every pattern a 5-field cron can make (`0,5 9 29 2 *` included, once a
 * leap year is near enough; a schedule that rare sends no flood anyway).
 */
function closestRuns(cron: ReturnType<typeof CronExpressionParser.parse>): [string, string] | null {
  let previous = cron.next().toDate();
  for (let i = 0; i < 400 && previous.getTime() - Date.now() < 366 * 24 * HOUR_MS; i++) {
    const next = cron.next().toDate();
    if (next.getTime() - previous.getTime() < HOUR_MS) return [previous, next].map((d) => d.toISOString()) as [string, string];
    previous = next;
  }
  return null;
}

/** A digest schedule must be a 5-field cron that parses in its time zone and runs at most hourly. */
function checkSchedule(schedule: string, tz: string): void {
  let cron;
  try {
    if (schedule.trim().split(/\s+/).length !== 5) throw new Error('expected five fields: minute hour day-of-month month day-of-week');
    cron = CronExpressionParser.parse(schedule, { tz });
  } catch (err) {
    throw validationError([{ field: 'digestSchedule', message: `not a valid cron expression: ${(err as Error).message}` }]);
  }
  const tooSoon = closestRuns(cron);
  if (tooSoon) {
    throw validationError([
      {
        field: 'digestSchedule',
        message: `runs more often than once an hour (at ${tooSoon.join(' and ')}); a digest covers the time since the one before, so schedule it hourly at most`,
      },
    ]);
  }
}

/**
 * Where a webhook URL posts: the same for spellings that differ only in the case of the scheme or
 * host, a default port or a fragment, which a receiver never sees. Re-spelling the URL keeps the
 * signing secret; only a new target gets a new one.
 */
function webhookTarget(url: string): string {
  const parsed = new URL(url);
  parsed.hash = '';
  return parsed.href;
}

/**
 * Changes workspace settings after checking each: a cron that parses in its time zone, a webhook
 * URL Earshot may call. Setting the digest webhook URL, or pointing it elsewhere, makes a new
 * signing secret, returned once and stored sealed when the server has a SECRET_KEY.
 */
export async function updateWorkspaceSettings({
  workspaceId,
  patch,
  workspaceRepository,
  checkUrl,
  webhookSecrets,
}: {
  workspaceId: string;
  patch: Omit<WorkspacePatch, 'digestWebhookSecret'>;
  workspaceRepository: WorkspaceRepository;
  checkUrl: (url: string, field?: string) => Promise<void>;
  webhookSecrets: WebhookSecrets;
}) {
  const before = await workspaceRepository.getWorkspace(workspaceId);
  if (!before) throw notFound('workspaces', 'workspace');
  // Stored as the caller named it (Asia/Kolkata, not ICU's alias Asia/Calcutta); every use resolves it again.
  const tz = patch.digestTimeZone !== undefined ? zoneName(patch.digestTimeZone, assertTimeZone(patch.digestTimeZone, 'digestTimeZone')) : before.digest_timezone;
  // Null switches scheduled digests off; a time zone can still be set for manual ones.
  const schedule = patch.digestSchedule !== undefined ? patch.digestSchedule : before.digest_schedule;
  if (schedule !== null) checkSchedule(schedule, tz);
  let secret: string | undefined;
  if (patch.digestWebhookUrl) {
    try {
      await checkUrl(patch.digestWebhookUrl, 'digestWebhookUrl');
    } catch (err) {
      // The policy's reason, under this module's code, naming the field as `fields` does everywhere.
      if (err instanceof AppError) throw new AppError('workspaces.url_not_allowed', 400, err.message, err.details);
      throw err;
    }
    if (!before.digest_webhook_url || webhookTarget(patch.digestWebhookUrl) !== webhookTarget(before.digest_webhook_url)) secret = generateSecret();
  }
  const row = await workspaceRepository.updateWorkspace(workspaceId, {
    ...patch,
    ...(patch.digestTimeZone !== undefined ? { digestTimeZone: tz } : {}),
    ...(secret ? { digestWebhookSecret: webhookSecrets.store(secret) } : {}),
    ...(patch.digestWebhookUrl === null ? { digestWebhookSecret: null } : {}),
  });
  if (!row) throw notFound('workspaces', 'workspace');
  return { row, secret };
}
