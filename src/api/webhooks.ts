import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { ALERT_EVENT_TYPE, ALERT_RESOLVED_EVENT_TYPE } from '../domain/alerts/incidents.js';
import { DIGEST_EVENT_TYPE } from '../domain/digests/digests.usecases.js';
import { DIGEST_LANGUAGES } from '../domain/i18n/languages.js';
import { ATTEMPT_TIMEOUT_MS, MAX_ATTEMPTS, MAX_SAMPLE_MENTIONS } from '../domain/webhooks/index.js';
import type { ApiEnv } from './context.js';
import { DigestSwot } from './routes/swot.js';
import { NET_SENTIMENT } from './schemas.js';

// What Earshot POSTs to alert and digest webhooks (OpenAPI 3.1 `webhooks`): the bodies are
// domain/webhooks/webhook.payload.ts (alerts; a resolution is the same body with its own type and
// text) and domain/digests (digest.types.ts, sent by deliverDigest); the headers are
// domain/webhooks/webhook.signature.ts.

const IsoTime = z.string().openapi({ format: 'date-time', description: 'ISO-8601 UTC.' });

// The body is JSON (`content-type: application/json`, which OpenAPI does not list as a header parameter).
const SIGNATURE_HEADERS = z.object({
  'webhook-id': z.string().openapi({
    description: 'The message id: the same on every attempt of one event, so a receiver can drop repeats. An alert\'s id (`evt_…`), or `dgst_<digest id>`.',
    example: 'evt_4fzyo7ogj3yeqbjsqaf4d6aa2a',
  }),
  'webhook-timestamp': z.string().regex(/^\d+$/).openapi({ description: 'Seconds since the epoch when this attempt was signed (fresh on every attempt).', example: '1767225600' }),
  'webhook-signature': z
    .string()
    .regex(/^v1,[A-Za-z0-9+/]+={0,2}$/)
    .openapi({
      description:
        'Standard Webhooks: `v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}`, keyed with the base64-decoded part of the ' +
        'secret after `whsec_` (the alert rule\'s `secret`, or the workspace\'s `digestWebhookSecret`).',
      example: 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=',
    }),
});

const SampleMention = z
  .object({
    id: z.string().optional().openapi({ description: "The mention's id: GET /v1/mentions/{id} (the alert's sampleMentionIds). Absent from alerts stored before it was sent." }),
    url: z.string().openapi({ description: "The mention's link ('' when it has none)." }),
    text: z.string().openapi({ description: 'Title and text, cut to 280 characters.' }),
    lang: z.string().nullable().optional().openapi({ description: 'ISO 639-1, null when unsure. Absent from alerts stored before it was sent.' }),
    sentiment: z.number().openapi({ description: "−1..1: the brand's reading of the post (docs/sentiment.md, \"One post, several brands\")." }),
  })
  .openapi('AlertSampleMention');

const AlertEventData = z
  .object({
    ruleId: z.string().optional().openapi({ description: 'The alert rule that raised it: GET /v1/alert-rules/{id}. Absent from alerts stored before it was sent.' }),
    brand: z.object({ id: z.string(), name: z.string() }),
    window: z.object({ start: IsoTime, end: IsoTime }).openapi({ description: 'The evaluation window that fired (or, on resolution, the last one evaluated).' }),
    observed: z.object({
      negative: z.number().int().openapi({ description: 'Negative mentions in the window.' }),
      total: z.number().int().openapi({ description: 'All mentions in the window.' }),
    }),
    expected: z.number().openapi({ description: 'Negative mentions the seasonal baseline expected, rounded to 2 decimals.' }),
    score: z.number().openapi({ description: 'How surprising the window is (−log10 of the tail probability), rounded to 2 decimals.' }),
    reason: z.enum(['count', 'share']).openapi({ description: 'Whether the number of negatives or their share of all mentions is unusual.' }),
    sampleMentions: z.array(SampleMention).max(MAX_SAMPLE_MENTIONS).openapi({
      description: `Up to ${MAX_SAMPLE_MENTIONS} negative mentions of the window, the most negative first, one copy of a repeated text, the languages taking turns.`,
    }),
  })
  .strict()
  .openapi('AlertEventData');

const ResolvedAlert = z
  .object({
    alertId: z.string().openapi({ description: 'The alert that opened the incident: its webhook-id, and its id in GET /v1/alerts.' }),
    startedAt: IsoTime.openapi({ description: 'The start of the first window that fired.' }),
    peak: z
      .object({
        window: z.object({ start: IsoTime, end: IsoTime }),
        observed: z.object({ negative: z.number().int(), total: z.number().int() }),
        expected: z.number(),
        score: z.number(),
        reason: z.enum(['count', 'share']).nullable(),
      })
      .strict()
      .nullable()
      .openapi({ description: "The window with the most negative mentions while the incident lasted, as GET /v1/alerts shows the opening alert; null if that alert is gone." }),
  })
  .strict()
  .openapi('AlertResolvedIncident', { description: 'The incident this resolution closes, so a receiver can close what its alert opened.' });

// A resolution is the last window evaluated, which fired no test: no reason and no samples.
const AlertResolvedEventData = AlertEventData.extend({
  reason: z.null().openapi({ description: 'Always null: the window is back to normal, so no test fired (GET /v1/alerts says the same).' }),
  sampleMentions: z.array(SampleMention).max(0).openapi({ description: 'Always empty on resolution.' }),
  resolves: ResolvedAlert.optional().openapi({ description: 'The incident it closes. Absent from resolutions stored before it was sent.' }),
})
  .strict()
  .openapi('AlertResolvedEventData');

const alertEvent = (type: string, name: string, description: string, data: typeof AlertEventData | typeof AlertResolvedEventData) =>
  z
    .object({
      type: z.literal(type),
      timestamp: IsoTime.openapi({ description: 'When the event was made (the same on every attempt).' }),
      text: z.string().openapi({ description: 'One line for Slack incoming webhooks and other chat tools (Slack markup, escaped).' }),
      data,
    })
    .strict()
    .openapi(name, { description });

const AlertEvent = alertEvent(ALERT_EVENT_TYPE, 'AlertNegativeSpikeEvent', "A spike of a brand's negative mentions opened an incident.", AlertEventData);
const AlertResolvedEvent = alertEvent(ALERT_RESOLVED_EVENT_TYPE, 'AlertNegativeSpikeResolvedEvent', 'The incident is over: negative mentions are back to normal.', AlertResolvedEventData);

const Term = z.object({ term: z.string(), mentions: z.number().int(), previous: z.number().int(), growth: z.number() }).strict();
const DigestMention = z
  .object({
    id: z.string(),
    brandId: z.string().openapi({ description: 'In topPositive/topNegative, the brand whose reading `score` is: a post naming two brands may be a row for each, with its own reading.' }),
    url: z.string().nullable(),
    title: z.string().nullable(),
    text: z.string().nullable(),
    score: z.number().openapi({ description: "Sentiment, −1..1: in topPositive/topNegative the brand's reading of the post (docs/sentiment.md), in swotSamples the post's." }),
    occurredAt: IsoTime,
    sourceType: z.string().optional(),
    lang: z.string().nullable().optional().openapi({ description: "The post's detected language, which sets the direction of its words in the renderings. Absent from digests made before it was kept." }),
  })
  .strict();

const DigestSources = z
  .object({
    total: z.number().int(),
    enabled: z.number().int(),
    failing: z.number().int().openapi({
      description: 'Sources not read in full: their last poll failed, they were switched off after failing, their last poll read only part of what they poll, or they read now but were not read for part of the period (an outage). In digests made before partly failing sources were counted: the first two; before outages were: not the last.',
    }),
    disabled: z.number().int().optional().openapi({ description: 'Of `failing`, those switched off. Absent from digests made before it was recorded.' }),
    partlyFailing: z.number().int().optional().openapi({ description: 'Of `failing`, those partly failing. Absent from digests made before it was recorded.' }),
    recovered: z.number().int().optional().openapi({ description: 'Of `failing`, those that read now but were not read for part of the period. Absent from digests made before it was recorded.' }),
    firstAddedAt: IsoTime.nullable()
      .optional()
      .openapi({ description: 'When the oldest of the sources was added; null without sources. A period that ended before it had no source watching it. Absent from digests made before it was recorded.' }),
    failingSources: z
      .array(
        z
          .object({
            id: z.string(),
            type: z.string(),
            target: z.string().openapi({ description: "What it polls, from its settings: the feed's URL, the query, r/subreddit, #tag on an instance." }),
            state: z.enum(['failing', 'disabled', 'partly_failing', 'recovered']).optional().openapi({
              description:
                "`failing`: its last poll failed; `disabled`: switched off after failing (by Earshot after an HTTP 410 or refused credentials, or by hand); `partly_failing`: its last poll read only part of what it polls (one of a subreddit's listings failed); `recovered`: it reads now, but was not read for part of the period (`outages`). Absent from digests made before it was recorded.",
            }),
            consecutiveFailures: z.number().int(),
            lastError: z.string().nullable().openapi({ description: 'The reason, in the poll’s words: the error, the part that failed, or why it was switched off. Cut to 300 characters.' }),
            lastSucceededAt: IsoTime.nullable(),
            enabled: z.boolean(),
            outages: z
              .array(z.object({ from: IsoTime, until: IsoTime }).strict())
              .optional()
              .openapi({
                description:
                  'The stretches of the period it was not read (from its first failed poll to its next success), cut to the period, oldest first, at most 3; empty when it had none. Absent from digests made before they were recorded.',
              }),
            outageCount: z.number().int().optional().openapi({ description: 'How many stretches of the period it was not read, listed or not. Absent where `outages` is.' }),
            hoursNotRead: z.number().optional().openapi({ description: 'Hours of the period it was not read, to a tenth. Absent where `outages` is.' }),
          })
          .strict(),
      )
      .openapi({ description: 'The sources not read in full, at most 10: the failing and disabled first, most consecutive failures first, then the partly failing, then the recovered, most hours not read first.' }),
  })
  .strict()
  .openapi('DigestSources');

const DigestEmail = z
  .object({
    status: z.enum(['queued', 'not_sent']).openapi({ description: '`queued`: e-mailed to `recipients`, each attempt in `deliveries`; `not_sent`: e-mailed to no one.' }),
    reason: z
      .enum(['nothing_to_report', 'preview', 'no_recipients', 'smtp_not_configured'])
      .nullable()
      .openapi({
        description:
          'Why not: `nothing_to_report`, a scheduled digest none of whose brands had a mention in its period or in the window before (it is still stored and posted to the digest webhook); ' +
          '`preview`, made with `"deliver": false`; `no_recipients`, the workspace had no digestRecipients; ' +
          "`smtp_not_configured`, the workspace had recipients but this server cannot send e-mail: its operator has not set SMTP_URL (the workspace's `digestEmail` says `not_configured`). " +
          'Such a digest is still stored and posted to the digest webhook; nothing is queued for its recipients, and it does not count against the limit on e-mailed digests. Null when queued.',
      }),
  })
  .strict()
  .openapi('DigestEmail', { description: 'Whether the digest is e-mailed, and if not, why. Absent from digests made before it was recorded.' });

export const DigestDocument = z
  .object({
    language: z
      .enum(DIGEST_LANGUAGES)
      .optional()
      .openapi({
        description:
          "The language the digest was composed in, the workspace's `digestLanguage` then: its Markdown, HTML and text renderings and its e-mail are written in it (GET /v1/digests/{id} takes `?lang=` for another). " +
          'The rest of the document is data, the same in every language. Absent from digests made before it was recorded, which are read in English.',
      }),
    workspace: z.object({ id: z.string(), name: z.string() }).strict(),
    period: z.object({ since: IsoTime, until: IsoTime, timeZone: z.string() }).strict(),
    generatedAt: IsoTime,
    brands: z.array(
      z
        .object({
          brandId: z.string(),
          name: z.string(),
          role: z.string().openapi({ description: '`own` or `competitor`.' }),
          mentions: z.number().int(),
          previousMentions: z.number().int().openapi({ description: 'In the period of the same length before.' }),
          share: z.number().openapi({ description: 'Share of voice in the period, 0..1.' }),
          previousShare: z.number(),
          netSentiment: z.number().nullable().openapi({ description: NET_SENTIMENT }),
          previousNetSentiment: z.number().nullable().optional().openapi({ description: 'The same in the period of the same length before; null when none was scored there. Absent from digests made before it was recorded.' }),
          netSentimentChange: z
            .number()
            .nullable()
            .optional()
            .openapi({ description: 'netSentiment − previousNetSentiment, in the same unit (+0.10 to +0.25 is 0.15); null when either is null. Absent where previousNetSentiment is.' }),
        })
        .strict(),
    ),
    sentimentTrend: z.array(
      z
        .object({
          brandId: z.string(),
          days: z.array(
            z
              .object({
                date: z.string().openapi({ description: 'YYYY-MM-DD in the workspace time zone.' }),
                since: IsoTime.optional().openapi({ description: 'The part of the day inside the period starts here (absent from digests made before it was recorded).' }),
                until: IsoTime.optional().openapi({ description: '…and ends here, exclusive.' }),
                mentions: z.number().int(),
                netSentiment: z.number().nullable().openapi({ description: NET_SENTIMENT }),
              })
              .strict(),
          ),
        })
        .strict(),
    ),
    topPositive: z.array(DigestMention),
    topNegative: z.array(DigestMention),
    trendingHashtags: z.array(Term),
    trendingKeywords: z.array(Term),
    trendingKeywordsSample: z
      .number()
      .int()
      .nullable()
      .optional()
      .openapi({ description: 'Null when keywords were counted in every mention of the period and the one before; else each was represented by this many of its newest mentions.' }),
    alerts: z.array(
      z.object({ id: z.string(), brandId: z.string(), firedAt: IsoTime, observed: z.number().int(), expected: z.number(), score: z.number() }).strict(),
    ),
    swot: DigestSwot.nullable().openapi({ description: 'Null when the workspace has no own brand.' }),
    swotSamples: z
      .array(DigestMention)
      .optional()
      .openapi({ description: "The SWOT evidence's sample mentions (`sampleMentionIds`) still stored when the digest was made, with their words and links. Absent from digests made before they were kept." }),
    sources: DigestSources.optional().openapi({
      description:
        "The workspace's sources when the digest was made, so a reader can tell a brand nobody mentioned from a source that could not be read. Absent from digests made before it was recorded, and from those of a period with mentions made before sources not read in full were listed in every digest.",
    }),
    email: DigestEmail.optional(),
  })
  .strict()
  .openapi('DigestDocument', { description: 'Everything a digest says: what GET /v1/digests/{id} returns as `document`, and a digest webhook as `data`.' });

const DigestEvent = z
  .object({
    type: z.literal(DIGEST_EVENT_TYPE),
    timestamp: IsoTime.openapi({ description: 'When this attempt was made.' }),
    data: DigestDocument.extend({
      id: z.string().openapi({ description: 'The digest: GET /v1/digests/{id} (the `webhook-id` header is `dgst_` and this id).' }),
      kind: z.enum(['scheduled', 'manual']).openapi({ description: '`scheduled` by the workspace\'s `digestSchedule`, or `manual`: made with POST /v1/digests.' }),
    }).strict(),
  })
  .strict()
  .openapi('DigestWeeklyEvent', {
    description:
      'A digest, scheduled or made with POST /v1/digests. `type` is `digest.weekly` for every digest, whatever its schedule (the name is from when ' +
      'digests were weekly only, and stays so that receivers routing on it keep working); `data.kind` says how it was made.',
  });

const receiverAnswers = (onGone: string) => ({
  200: {
    description:
      `Any 2xx: delivered; only the status counts, not the answer's body. Anything else (a 3xx is never followed), or no complete answer ` +
      `within ${ATTEMPT_TIMEOUT_MS / 1000} s of the attempt's start, is retried with the same \`webhook-id\` and body, ` +
      `after about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h (±15 %): ${MAX_ATTEMPTS} attempts over about 28 hours.`,
  },
  410: { description: `Gone: no retry, and ${onGone}` },
});

export function registerWebhooks(app: OpenAPIHono<ApiEnv>): void {
  const alert = (name: string, schema: z.ZodType, summary: string) =>
    app.openAPIRegistry.registerWebhook({
      method: 'post',
      path: name,
      operationId: name === ALERT_EVENT_TYPE ? 'alertNegativeSpikeWebhook' : 'alertNegativeSpikeResolvedWebhook',
      tags: ['Alerts'],
      summary,
      description: "Sent to an alert rule's `webhookUrl`, signed with its `secret` (Standard Webhooks). See docs/alerts.md.",
      request: { headers: SIGNATURE_HEADERS, body: { required: true, content: { 'application/json': { schema } } } },
      responses: receiverAnswers('the alert rule is disabled.'),
    });
  alert(ALERT_EVENT_TYPE, AlertEvent, 'A negative spike opened an incident');
  alert(ALERT_RESOLVED_EVENT_TYPE, AlertResolvedEvent, 'A negative-spike incident resolved');
  app.openAPIRegistry.registerWebhook({
    method: 'post',
    path: DIGEST_EVENT_TYPE,
    operationId: 'digestWebhook',
    tags: ['Digests'],
    summary: 'A digest',
    description: "Sent to the workspace's `digestWebhookUrl`, signed with its `digestWebhookSecret` (Standard Webhooks).",
    request: { headers: SIGNATURE_HEADERS, body: { required: true, content: { 'application/json': { schema: DigestEvent } } } },
    responses: receiverAnswers("the workspace's digestWebhookUrl is cleared."),
  });
}
