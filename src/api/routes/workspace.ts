import { domainToASCII } from 'node:url';
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { notFound } from '../../domain/errors.js';
import type { ApiDeps } from '../app.js';
import type { ApiEnv } from '../context.js';
import { bearer, commonErrors, json, jsonBody, oneOf } from '../schemas.js';
import { DEFAULT_DIGEST_LANGUAGE, DIGEST_LANGUAGES, languageOf } from '../../domain/i18n/languages.js';
import { updateWorkspaceSettings } from '../../domain/workspaces/settings.usecases.js';
import { Name } from '../../domain/workspaces/workspaces.usecases.js';
import { syncDigestSchedule } from '../../workers/digests.worker.js';
import { asciiAddress, splitMailbox } from '../../infra/mail.js';

const DIGEST_EMAIL = ['configured', 'not_configured'] as const;

const DIGEST_LANGUAGE_DESCRIPTION =
  `The language digests are written in: ${DIGEST_LANGUAGES.join(', ')} (English, Czech, Persian, Hindi, Nepali, Gujarati, Tamil); default ${DEFAULT_DIGEST_LANGUAGE}. ` +
  'Their Markdown, HTML and text renderings, the e-mail and its subject, and the SWOT sentences in them; numbers and dates as the language writes them. ' +
  'Persian digests are laid out right to left. Each digest keeps the language it was composed in (`document.language`); the JSON is data, the same in every language.';

const Workspace = z
  .object({
    id: z.string(),
    name: z.string(),
    retentionDays: z.number().int().nullable().openapi({ description: 'Mentions older than this are deleted hourly (rollups stay). Null keeps them.' }),
    digestSchedule: z
      .string()
      .nullable()
      .openapi({ description: 'Cron (5 fields) for the weekly digest, in digestTimeZone; at most hourly. Default Monday 08:00. Null: no scheduled digests.', example: '0 8 * * 1' }),
    digestTimeZone: z.string(),
    digestWebhookUrl: z.string().nullable().openapi({ description: 'Where digests are sent, signed (Standard Webhooks). Cleared when the receiver answers 410 Gone.' }),
    digestRecipients: z.array(z.string()),
    digestEmail: z.enum(DIGEST_EMAIL).openapi({
      description:
        'Read-only: whether this server can e-mail digests to digestRecipients. `not_configured`: its operator has not set SMTP_URL, so digests are stored and posted to ' +
        'digestWebhookUrl but e-mailed to no one (their `document.email` is `not_sent`, reason `smtp_not_configured`); recipients are still kept, for when it is set.',
      example: 'configured',
    }),
    digestLanguage: z.enum(DIGEST_LANGUAGES).openapi({ description: DIGEST_LANGUAGE_DESCRIPTION, example: 'cs' }),
    createdAt: z.string(),
  })
  .openapi('Workspace');
const UpdatedWorkspace = Workspace.extend({
  digestWebhookSecret: z.string().optional().openapi({ description: 'Shown once, when digestWebhookUrl is set or points somewhere new (the same URL spelled another way, with a host in capitals or a fragment, keeps the secret): verify digest webhooks with it (Standard Webhooks).' }),
}).openapi('UpdatedWorkspace');

/** zod's own check of an address's local part (its `z.email()`), which is ASCII. */
const LOCAL_PART = /^(?:[A-Za-z0-9_'+\-]+\.)*[A-Za-z0-9_'+\-]*[A-Za-z0-9_+-]$/;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** A top-level domain: letters, or the ASCII form of one in another script (`xn--h2brj9c`, भारत). */
const TOP_LABEL = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
const NOT_ASCII = /[^\u0000-\u007f]/;

const CONTROL = /\p{Cc}/u;
const MAX_NAME_CHARS = 100;
const NOT_AN_ADDRESS = 'expected an e-mail address, alone or as `Name <address@example.com>`';

/**
 * Why `recipient` is not one digests can be mailed to, or undefined when it is. It is a bare
 * address or `Name <address>` (splitMailbox): the name may be in any script (it is encoded in the
 * To header); the address is checked as a bare one is.
 */
function recipientProblem(recipient: string): string | undefined {
  const { name, address } = splitMailbox(recipient);
  if (name !== null && CONTROL.test(name)) return 'the name before <…> must not hold line breaks or other control characters';
  // `a@example.com, Jana <jana@example.cz>` is two recipients pasted into one.
  if (name !== null && /[<>@]/.test(name)) return 'the name before <…> must not hold <, > or @: give each recipient as an item of its own';
  if (name !== null && [...name].length > MAX_NAME_CHARS) return `the name before <…> must be at most ${MAX_NAME_CHARS} characters`;
  const at = address.lastIndexOf('@');
  const local = address.slice(0, Math.max(at, 0));
  // A name written without <…> around the address (`Jana Nováková jana@example.cz`) is no address,
  // whatever script it is in.
  if (/[\s<>]/.test(local)) return NOT_AN_ADDRESS;
  if (NOT_ASCII.test(local)) {
    return (
      `"${local}" before the @ is not ASCII: mail to such an address needs SMTPUTF8 of every server on its way, which Earshot does not use; ` +
      'give an ASCII address of the mailbox (the domain after the @ may be in any script)'
    );
  }
  // The domain may be written in any script (jan@příklad.cz): it is checked, and mailed, in its ASCII form.
  const domain = at > 0 ? domainToASCII(address.slice(at + 1)) : '';
  const labels = domain.split('.');
  const valid =
    LOCAL_PART.test(local) &&
    local.length <= 64 &&
    domain.length <= 253 &&
    labels.length >= 2 &&
    labels.every((label) => LABEL.test(label)) &&
    TOP_LABEL.test(labels[labels.length - 1]!);
  return valid ? undefined : NOT_AN_ADDRESS;
}

const Recipient = z.string({ error: 'must be an e-mail address' }).superRefine((address, ctx) => {
  const problem = recipientProblem(address);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** One mailbox however it is written: with or without a name, the local part and domain in any case, the domain in either form. */
const mailboxKey = (recipient: string) => asciiAddress(splitMailbox(recipient).address).toLowerCase();

const WorkspacePatch = z
  .strictObject({
    name: Name.optional(),
    retentionDays: z
      .number({ error: 'must be a whole number of days, or null to keep mentions' })
      .int('must be a whole number of days')
      .min(1, 'must be at least 1')
      .max(36500, 'must be at most 36500 (a hundred years)')
      .nullable()
      .optional(),
    digestSchedule: z
      .string({ error: 'must be a cron expression such as "0 8 * * 1", or null to stop scheduled digests' })
      .trim()
      .max(100, 'must be at most 100 characters')
      .nullable()
      .optional()
      .openapi({
        description: 'Cron (5 fields: minute hour day month weekday) for scheduled digests, in digestTimeZone; at most hourly. Null stops scheduled digests (POST /v1/digests still works).',
        example: '0 8 * * 1',
      }),
    digestTimeZone: z
      .string({ error: 'must be an IANA time zone such as Europe/Prague' })
      .max(64, 'must be at most 64 characters')
      .optional()
      .openapi({ description: 'IANA time zone name (e.g. Europe/Prague, Asia/Kolkata) of digestSchedule and of the days in a digest; not an offset.', example: 'Europe/Prague' }),
    digestWebhookUrl: z.string({ error: 'must be an http(s) URL, or null to remove it' }).url('expected an http(s) URL').max(2000, 'must be at most 2000 characters').nullable().optional(),
    // The same mailbox written twice (or in capitals) would get every digest twice.
    digestRecipients: z
      .array(Recipient, { error: 'must be a list of e-mail addresses' })
      .max(50, 'at most 50 recipients')
      .transform((list) => {
        const seen = new Set<string>();
        return list.filter((address) => !seen.has(mailboxKey(address)) && seen.add(mailboxKey(address)));
      })
      .optional()
      .openapi({
        description:
          'The e-mail addresses (at most 50, one per mailbox: the same address again, in any case or with another name, is dropped) that get each digest, each in a message of their own. A digest goes to the recipients of the moment it is made, retries included; [] stops e-mail. ' +
          'Each is a bare address or `Name <address>`, stored as written: the name, in any script (`Jana Nováková <jana@example.cz>`; in double quotes when it holds a comma), is shown in the To header, encoded when it is not ASCII. ' +
          'The domain may be in any script (jan@příklad.cz), mailed to in its ASCII form (xn--…); the part before the @ must be ASCII, as mail to a non-ASCII one needs SMTPUTF8, which Earshot does not use. ' +
          "Taken also on a server that cannot send e-mail (no SMTP_URL): the answer's `digestEmail` is then `not_configured`, and digests are e-mailed once the operator sets it.",
        example: ['ana@example.com', 'Jana Nováková <jana@example.cz>'],
      }),
    digestLanguage: oneOf(DIGEST_LANGUAGES).optional().openapi({ description: `${DIGEST_LANGUAGE_DESCRIPTION} Digests made before a change keep theirs.`, example: 'fa' }),
  })
  .refine((v) => Object.keys(v).length > 0, {
    message: 'give at least one of name, retentionDays, digestSchedule, digestTimeZone, digestWebhookUrl, digestRecipients, digestLanguage',
    when: (payload) => payload.issues.length === 0,
  })
  .openapi('UpdateWorkspace');

type WorkspaceRow = NonNullable<Awaited<ReturnType<ApiDeps['workspaceRepository']['getWorkspace']>>>;
const view = (row: WorkspaceRow, digestEmail: (typeof DIGEST_EMAIL)[number]) => ({
  id: row.id,
  name: row.name,
  retentionDays: row.retention_days,
  digestSchedule: row.digest_schedule,
  digestTimeZone: row.digest_timezone,
  digestWebhookUrl: row.digest_webhook_url,
  digestRecipients: row.digest_recipients,
  digestEmail,
  digestLanguage: languageOf(row.digest_language),
  createdAt: row.created_at.toISOString(),
});

/** The caller's own workspace and its settings. */
export function registerWorkspaceSettingsRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  const { workspaceRepository } = deps;
  // Told on every read and change of the recipients, rather than refusing them: the operator may set SMTP_URL later.
  const digestEmail = deps.mailer ? 'configured' : 'not_configured';
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/workspace',
      operationId: 'getWorkspaceSettings',
      tags: ['Workspaces'],
      summary: "The API key's workspace and its settings",
      security: bearer,
      responses: { 200: json(Workspace, 'The workspace'), ...commonErrors },
    }),
    async (c) => {
      const row = await workspaceRepository.getWorkspace(c.get('principal').workspaceId);
      if (!row) throw notFound('workspaces', 'workspace');
      return c.json(view(row, digestEmail), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/workspace',
      operationId: 'updateWorkspaceSettings',
      tags: ['Workspaces'],
      summary: 'Change the workspace settings',
      security: bearer,
      request: { body: jsonBody(WorkspacePatch) },
      responses: { 200: json(UpdatedWorkspace, 'The changed workspace'), ...commonErrors },
    }),
    async (c) => {
      const workspaceId = c.get('principal').workspaceId;
      const { row, secret } = await updateWorkspaceSettings({ workspaceId, patch: c.req.valid('json'), workspaceRepository, checkUrl: deps.checkUrl, webhookSecrets: deps.webhookSecrets });
      // Keep the digest schedule in step now; the periodic reconcile catches up if Redis is away.
      await syncDigestSchedule(deps.queues, row).catch((err: unknown) => c.get('log').warn({ err }, 'digest schedule not synced yet'));
      return c.json({ ...view(row, digestEmail), ...(secret ? { digestWebhookSecret: secret } : {}) }, 200);
    },
  );
}
