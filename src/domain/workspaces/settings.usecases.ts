import { CronExpressionParser } from 'cron-parser';
import { assertTimeZone } from '../analytics/analytics.usecases.js';
import { AppError, notFound } from '../errors.js';
import { validationError } from '../validation.js';
import { generateSecret } from '../webhooks/index.js';
import type { WorkspacePatch, WorkspaceRepository } from './workspaces.repository.js';

/**
 * Changes workspace settings after checking each: a cron that parses in its time zone, a webhook
 * URL Earshot may call. Setting or changing the digest webhook URL makes a new signing secret,
 * returned once.
 */
export async function updateWorkspaceSettings({
  workspaceId,
  patch,
  workspaceRepository,
  checkUrl,
}: {
  workspaceId: string;
  patch: Omit<WorkspacePatch, 'digestWebhookSecret'>;
  workspaceRepository: WorkspaceRepository;
  checkUrl: (url: string) => Promise<void>;
}) {
  const before = await workspaceRepository.getWorkspace(workspaceId);
  if (!before) throw notFound('workspaces', 'workspace');
  const tz = patch.digestTimeZone !== undefined ? assertTimeZone(patch.digestTimeZone) : before.digest_timezone;
  const schedule = patch.digestSchedule ?? before.digest_schedule;
  try {
    if (schedule.trim().split(/\s+/).length !== 5) throw new Error('expected five fields: minute hour day-of-month month day-of-week');
    CronExpressionParser.parse(schedule, { tz });
  } catch (err) {
    throw validationError([{ field: 'digestSchedule', message: `not a valid cron expression: ${(err as Error).message}` }]);
  }
  let secret: string | undefined;
  if (patch.digestWebhookUrl) {
    try {
      await checkUrl(patch.digestWebhookUrl);
    } catch (err) {
      if (err instanceof AppError) throw new AppError('workspaces.url_not_allowed', 400, err.message.replace(/^url:/, 'digestWebhookUrl:'));
      throw err;
    }
    if (patch.digestWebhookUrl !== before.digest_webhook_url) secret = generateSecret();
  }
  const row = await workspaceRepository.updateWorkspace(workspaceId, {
    ...patch,
    ...(patch.digestTimeZone !== undefined ? { digestTimeZone: tz } : {}),
    ...(secret ? { digestWebhookSecret: secret } : {}),
    ...(patch.digestWebhookUrl === null ? { digestWebhookSecret: null } : {}),
  });
  if (!row) throw notFound('workspaces', 'workspace');
  return { row, secret };
}
