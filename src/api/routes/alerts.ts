import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { ALERT_TYPES, backtest, createRule, endPreviousRuleSecret, getRule, listAlerts, listRules, rotateRuleSecret, toRule, updateRule, type DeliveryOutcome as DeliveryOutcomeValue } from '../../domain/alerts/alerts.usecases.js';
import { notFound } from '../../domain/errors.js';
import { cursorBigintId, cursorCodec, invalidCursor, isUuid } from '../../domain/pagination/cursor.js';
import type { ApiDeps } from '../app.js';
import type { ApiEnv } from '../context.js';
import { BrandId, IsoTime, MentionFilterFields, WindowQuery, isoTimeToDate, parseWindow, windowExample } from '../filters.js';
import { IdParam, PageQuery, bearer, commonErrors, errors, json, jsonBody, once, oneOf, pageOf } from '../schemas.js';

const DeliveryOutcome = z.enum(['delivered', 'retry', 'failed', 'gone', 'refused']).openapi({ description: '`retry`: failed, another attempt follows; `failed`: the last attempt failed too.' });
const Sensitivity = z.enum(['low', 'medium', 'high']).openapi({ description: 'Per-evaluation false-alarm probability: high 1e-4, medium 1e-5 (default), low 1e-6. See docs/alerts.md.' });
const ruleFields = {
  brandId: BrandId,
  webhookUrl: z.string().url('expected an http(s) URL').max(2000),
  windowMinutes: z.number().int().min(5, 'must be at least 5').max(1440, 'must be at most 1440').openapi({ description: 'Default 60.' }),
  sensitivity: Sensitivity,
  minMentions: z.number().int().min(1).max(100000).openapi({ description: 'Fewer negatives than this in a window never alert. Default 5.' }),
  cooldownMinutes: z.number().int().min(0).max(10080).openapi({ description: 'After an incident resolves, no new one opens for this long. Default 60.' }),
};

const Rule = z
  .object({
    id: z.string(),
    brandId: z.string(),
    webhookUrl: z.string(),
    windowMinutes: z.number().int(),
    sensitivity: Sensitivity,
    minMentions: z.number().int(),
    cooldownMinutes: z.number().int(),
    enabled: z.boolean(),
    disabledReason: z.string().nullable().openapi({
      description: 'Why Earshot disabled the rule (a 410 from the webhook, and the open incident it closed); null while enabled or when its owner paused it.',
    }),
    openIncident: z
      .object({ eventId: z.string(), startedAt: z.string() })
      .nullable()
      .openapi({ description: 'The spike alerted and not yet resolved: its alert id and the start of its first window. Null while the rule is paused or disabled.' }),
    suppressedCount: z.number().int().openapi({
      description:
        'Evaluations whose window fired but opened no incident because the cooldown since the last resolution had not passed, counted since the rule\'s last alert ' +
        '(one per window judged; a spike held back for ten minutes at the default one-minute tick counts about ten). 0 again when the next alert opens.',
    }),
    lastSuppressedAt: z.string().nullable().openapi({
      description: 'When the cooldown last held a fire back: the answer to "why was there no alert?". Kept when the next alert opens; null if it never happened, or since the rule moved to another brand.',
    }),
    lastDelivery: z
      .object({
        outcome: DeliveryOutcome,
        status: z.number().int().nullable().openapi({ description: "The receiver's HTTP status; null when no answer came (or the address was refused)." }),
        error: z.string().nullable().openapi({ description: 'Why no answer came: a timeout, a connection error, an address Earshot must not call.' }),
        attemptedAt: z.string().openapi({ description: 'When the attempt started.' }),
      })
      .nullable()
      .openapi({
        description:
          "The rule's latest webhook attempt, of any of its alerts (GET /v1/alert-rules/{id}/deliveries lists them all); null before the first. " +
          '`refused`, `gone` or `failed` here means the webhook is not being delivered: a refused address is refused for every alert, until the URL is changed.',
      }),
    previousSecretExpiresAt: z.string().nullable().openapi({
      description:
        'Until when the secret replaced by the last rotation still signs deliveries beside the current one (POST /v1/alert-rules/{id}/rotate-secret); ' +
        'null when no previous secret signs now: never rotated, its 24 hours passed, or ended by DELETE /v1/alert-rules/{id}/previous-secret. The secret itself is never shown.',
    }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('AlertRule');
const CreatedRule = Rule.extend({ secret: z.string().openapi({ description: 'The Standard Webhooks signing secret (whsec_…). Shown once.' }) }).openapi('CreatedAlertRule');
const RotatedRule = CreatedRule.extend({
  previousSecretExpiresAt: z.string().openapi({ description: 'Until then every delivery is signed with the old secret too (a second `v1,` signature), so the receiver can switch over without missing one.' }),
}).openapi('RotatedAlertRule');

const Alert = z
  .object({
    id: z.string().openapi({ description: 'The webhook-id: deterministic from rule and incident start.' }),
    ruleId: z.string(),
    brandId: z.string(),
    type: z.enum(ALERT_TYPES),
    window: z.object({ start: z.string(), end: z.string() }),
    observed: z.number().int().openapi({ description: 'Negative mentions in the window. While the incident lasts, the alert moves to the window with the most; window, total, expected and score are always that window\'s.' }),
    total: z.number().int(),
    expected: z.number(),
    score: z.number().openapi({ description: '−log10 of the p-value.' }),
    reason: z.enum(['count', 'share']).nullable(),
    sampleMentionIds: z.array(z.string()),
    deliveryStatus: z.enum(['pending', 'delivered', 'failed', 'gone', 'refused', 'cancelled']).openapi({
      description:
        '`pending` until an attempt ends it: `delivered` (2xx), `failed` (every attempt failed), `gone` (410: the rule is disabled), `refused` ' +
        '(the address is one Earshot must not call), or `cancelled` (the rule was disabled or paused before the alert went out; it is never sent).',
    }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Alert');

const param = (name: string, description: string) => ({ param: { name, in: 'query' as const }, description });
const AlertListQuery = z.strictObject({
  rule: once(
    z
      .string()
      .min(1, { message: 'must not be empty', abort: true })
      .max(100, { abort: true })
      .refine(isUuid, 'takes an alert rule id: GET /v1/alert-rules lists your rules and their ids'),
  )
    .optional()
    .openapi(param('rule', "An alert rule's id (GET /v1/alert-rules lists them): only its alerts. Anything else is a 400; a rule of another workspace, or none, is a 404.")),
  brand: MentionFilterFields.brand.openapi(param('brand', "A brand id: only the alerts raised for it (an alert keeps the brand its rule watched when it fired). A brand of another workspace, or none, is a 404.")),
  type: once(oneOf(ALERT_TYPES))
    .optional()
    .openapi(param('type', '`alert.negative_spike` for the incidents opened, `alert.negative_spike.resolved` for their resolutions.')),
  since: WindowQuery.since.openapi(param('since', 'Only alerts raised (`createdAt`) at or after this time; UTC unless it carries an offset. Default: no bound.')),
  until: WindowQuery.until.openapi(param('until', 'Only alerts raised (`createdAt`) before this time; UTC unless it carries an offset. Default: no bound.')),
  ...PageQuery.shape,
});

const Delivery = z
  .object({
    id: z.string(),
    alertId: z.string(),
    attempt: z.number().int(),
    status: z.number().int().nullable(),
    outcome: DeliveryOutcome,
    latencyMs: z.number().int(),
    response: z.string().nullable().openapi({ description: 'The first 500 characters of the answer.' }),
    error: z.string().nullable(),
    attemptedAt: z.string().openapi({ description: 'When the attempt started.' }),
  })
  .openapi('AlertDelivery');

const BacktestResult = z
  .object({
    ruleId: z.string(),
    since: z.string(),
    until: z.string().openapi({
      description: "The end of the span replayed: the request's until, or the moment of the request when that was later (only hours that have ended are judged; a since not in the past is a 400).",
    }),
    evaluations: z.number().int(),
    windowHours: z.number().int().openapi({ description: 'Replays run on hourly rollups: the window rounded up to whole hours.' }),
    note: z
      .string()
      .optional()
      .openapi({
        description:
          'Why the replay judged nothing, or part of the span only: no mentions of the brand in the span and the 8 weeks before it (`evaluations` 0), ' +
          "or too little history for a baseline (at least 3 days of the brand's mentions before a window), so some or all evaluations could not fire. Absent when every evaluation could fire.",
        example: "nothing to evaluate: the brand has no mentions from 2026-09-06T00:00:00.000Z (the 8 weeks before since, its baseline's history) to until",
      }),
    alerts: z.array(
      z.object({
        type: z.string(),
        at: z.string(),
        eventId: z.string().nullable(),
        window: z.object({ start: z.string(), end: z.string() }),
        observed: z.number().int(),
        total: z.number().int(),
        expected: z.number(),
        score: z.number(),
        reason: z.string().nullable(),
      }),
    ),
  })
  .openapi('Backtest');

export function registerAlertRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  const { alertRepository, cursorKeys } = deps;
  const ruleDeps = { alertRepository, brandRepository: deps.brandRepository, checkUrl: deps.checkUrl, webhookSecrets: deps.webhookSecrets };
  const ws = (c: { get(k: 'principal'): { workspaceId: string } }) => c.get('principal').workspaceId;
  const urlErrors = { ...errors[400], description: 'Invalid fields, or `alert_rules.url_not_allowed` for a webhook URL Earshot must not call.' };

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/alert-rules',
      operationId: 'createAlertRule',
      tags: ['Alerts'],
      summary: "Alert on spikes of a brand's negative mentions",
      security: bearer,
      request: {
        body: jsonBody(
          z
            .strictObject({ ...ruleFields, windowMinutes: ruleFields.windowMinutes.optional(), sensitivity: ruleFields.sensitivity.optional(), minMentions: ruleFields.minMentions.optional(), cooldownMinutes: ruleFields.cooldownMinutes.optional() })
            .openapi('CreateAlertRule'),
        ),
      },
      responses: { 201: json(CreatedRule, 'Created; the signing secret is shown once'), 404: errors[404], ...commonErrors, 400: urlErrors },
    }),
    async (c) => c.json(await createRule({ ...ruleDeps, workspaceId: ws(c), input: c.req.valid('json') }), 201),
  );

  app.openapi(
    createRoute({ method: 'get', path: '/v1/alert-rules', operationId: 'listAlertRules', tags: ['Alerts'], summary: 'List alert rules', security: bearer, request: { query: PageQuery }, responses: { 200: json(pageOf(Rule, 'AlertRulePage'), 'A page of rules'), ...commonErrors } }),
    async (c) => c.json(await listRules({ workspaceId: ws(c), ...c.req.valid('query'), alertRepository, cursorKeys }), 200),
  );

  app.openapi(
    createRoute({ method: 'get', path: '/v1/alert-rules/{id}', operationId: 'getAlertRule', tags: ['Alerts'], summary: 'Get an alert rule', security: bearer, request: { params: IdParam }, responses: { 200: json(Rule, 'The rule'), 404: errors[404], ...commonErrors } }),
    async (c) => c.json(toRule(await getRule({ workspaceId: ws(c), id: c.req.valid('param').id, alertRepository })), 200),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/alert-rules/{id}',
      operationId: 'updateAlertRule',
      tags: ['Alerts'],
      summary: 'Change an alert rule (re-enable it after a 410 with enabled: true)',
      security: bearer,
      request: {
        params: IdParam,
        body: jsonBody(
          z
            .strictObject({ ...Object.fromEntries(Object.entries(ruleFields).map(([k, v]) => [k, v.optional()])), enabled: z.boolean().optional() } as {
              [K in keyof typeof ruleFields]: z.ZodOptional<(typeof ruleFields)[K]>;
            } & { enabled: z.ZodOptional<z.ZodBoolean> })
            // Only for a body with no fields at all: an unknown or invalid one has its own message.
            .refine((v) => Object.keys(v).length > 0, { message: 'give at least one field to change', when: (payload) => payload.issues.length === 0 })
            .openapi('UpdateAlertRule'),
        ),
      },
      responses: { 200: json(Rule, 'The changed rule'), 404: errors[404], ...commonErrors, 400: urlErrors },
    }),
    async (c) => c.json(await updateRule({ ...ruleDeps, workspaceId: ws(c), id: c.req.valid('param').id, patch: c.req.valid('json') }), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/alert-rules/{id}/rotate-secret',
      operationId: 'rotateAlertRuleSecret',
      tags: ['Alerts'],
      summary: "Replace the rule's signing secret",
      description:
        'Answers the new secret, shown once. For 24 hours deliveries carry two signatures in `webhook-signature`, the new secret\'s and the old one\'s ' +
        '(Standard Webhooks verifiers accept a message when any of them matches), so a receiver can switch at its own pace. ' +
        'Rotating again within that day ends the older secret at once: only the latest previous secret is kept. ' +
        'To end the old secret\'s day early (it leaked, or every receiver has switched), DELETE /v1/alert-rules/{id}/previous-secret.',
      security: bearer,
      request: { params: IdParam },
      responses: { 200: json(RotatedRule, 'The rule with its new secret, shown once'), 404: errors[404], ...commonErrors },
    }),
    async (c) => c.json(await rotateRuleSecret({ alertRepository, webhookSecrets: deps.webhookSecrets, workspaceId: ws(c), id: c.req.valid('param').id }), 200),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/alert-rules/{id}/previous-secret',
      operationId: 'endAlertRulePreviousSecret',
      tags: ['Alerts'],
      summary: 'Stop signing with the rotated-out secret now',
      description:
        'Ends the 24 hours after a rotation during which deliveries are signed with the previous secret too: every delivery attempt that starts after this answer ' +
        'carries only the current secret\'s signature. No new secret is made. ' +
        '404 `alert_rules.no_previous_secret` when the rule has no previous secret still signing (never rotated, its day passed, or ended already); ' +
        '404 `alert_rules.not_found` for a rule that is not there.',
      security: bearer,
      request: { params: IdParam },
      responses: { 204: { description: 'The previous secret signs no more' }, 404: errors[404], ...commonErrors },
    }),
    async (c) => {
      await endPreviousRuleSecret({ alertRepository, workspaceId: ws(c), id: c.req.valid('param').id });
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({ method: 'delete', path: '/v1/alert-rules/{id}', operationId: 'deleteAlertRule', tags: ['Alerts'], summary: 'Delete an alert rule and its alerts', security: bearer, request: { params: IdParam }, responses: { 204: { description: 'Deleted' }, 404: errors[404], ...commonErrors } }),
    async (c) => {
      if (!(await alertRepository.deleteRule(ws(c), c.req.valid('param').id))) throw notFound('alert_rules', 'alert rule');
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/alert-rules/{id}/deliveries',
      operationId: 'listAlertDeliveries',
      tags: ['Alerts'],
      summary: "Every webhook attempt of a rule's alerts, newest first",
      security: bearer,
      request: { params: IdParam, query: PageQuery },
      responses: { 200: json(pageOf(Delivery, 'AlertDeliveryPage'), 'A page of attempts'), 404: errors[404], ...commonErrors },
    }),
    async (c) => {
      const rule = await getRule({ workspaceId: ws(c), id: c.req.valid('param').id, alertRepository });
      const { limit, cursor } = c.req.valid('query');
      // A rule's attempts are its own list: another rule's cursor is refused.
      const codec = cursorCodec({ scope: `alert-deliveries:${rule.id}`, workspaceId: ws(c) }, await cursorKeys());
      let afterId: number | undefined;
      if (cursor) {
        // Attempts page by id alone; the sort key is always 0.
        const decoded = codec.decode(cursor);
        if (decoded.k !== 0) throw invalidCursor();
        afterId = cursorBigintId(decoded.id);
      }
      const rows = await alertRepository.listDeliveries(rule.id, { limit, afterId });
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      return c.json(
        {
          items: items.map((d) => ({
            id: String(d.id),
            alertId: d.alert_id,
            attempt: d.attempt,
            status: d.status,
            outcome: d.outcome as DeliveryOutcomeValue,
            latencyMs: d.latency_ms,
            response: d.response,
            error: d.error,
            attemptedAt: d.attempted_at.toISOString(),
          })),
          nextCursor: rows.length > limit && last ? codec.encode({ k: 0, id: String(last.id) }) : null,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/alert-rules/{id}/backtest',
      operationId: 'backtestAlertRule',
      tags: ['Alerts'],
      summary: 'The alerts this rule would have fired over stored history',
      security: bearer,
      description: 'The window defaults as everywhere in the API: `until` now, `since` 7 days before `until`.',
      request: {
        params: IdParam,
        body: jsonBody(
          z
            .strictObject({
              since: IsoTime.optional().openapi({ example: windowExample.since, description: 'Inclusive. Default: 7 days before `until`.' }),
              until: IsoTime.optional().openapi({ example: windowExample.until, description: 'Exclusive. Default: now.' }),
            })
            .openapi('BacktestRequest'),
        ),
      },
      responses: { 200: json(BacktestResult, 'Replayed hour by hour'), 404: errors[404], ...commonErrors },
    }),
    async (c) => {
      const window = parseWindow(c.req.valid('json'));
      return c.json(await backtest({ workspaceId: ws(c), id: c.req.valid('param').id, ...window, alertRepository }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/alerts',
      operationId: 'listAlerts',
      tags: ['Alerts'],
      summary: 'Fired alerts with their window, observed and expected counts, score and sample mentions',
      description:
        'Newest first (by `createdAt`, when the alert was raised), narrowed by any of `rule`, `brand`, `type`, `since` and `until`. ' +
        'A `nextCursor` is good only with the filters it was issued for: sent back with other filters it is a 400 naming `cursor`.',
      security: bearer,
      request: { query: AlertListQuery },
      responses: { 200: json(pageOf(Alert, 'AlertPage'), 'A page of alerts, newest first'), 404: errors[404], ...commonErrors },
    }),
    async (c) => {
      const { limit, cursor, since, until, rule, ...filters } = c.req.valid('query');
      return c.json(
        await listAlerts({
          workspaceId: ws(c),
          filters: { ...filters, ruleId: rule, since: since === undefined ? undefined : isoTimeToDate(since), until: until === undefined ? undefined : isoTimeToDate(until) },
          limit,
          cursor,
          alertRepository,
          brandRepository: deps.brandRepository,
          cursorKeys,
        }),
        200,
      );
    },
  );
}
