import { performance } from 'node:perf_hooks';
import { credentialsSentWith, DEFAULT_TOTAL_TIMEOUT_MS, redactSecrets, type HttpClient } from '../../infra/http/index.js';
import { HttpError } from '../../infra/http/http.errors.js';
import { webhookDeliveries } from '../../infra/metrics.js';
import { PLAINTEXT_WEBHOOK_SECRETS, WebhookSecretError, type WebhookSecrets } from './webhook.secrets.js';
import { signedHeaders } from './webhook.signature.js';

export const RESPONSE_SNIPPET_CHARS = 500;
/**
 * Receivers answer with a few bytes; a bigger answer is read only this far and the rest dropped:
 * the status decides the outcome, so a 2xx with a huge body is delivered, not sent again.
 */
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * How long one attempt may take, connecting (at most 5 s of it) through the last byte of the
 * answer: the safe HTTP client's default deadline, which the services' client keeps. Stated for
 * the receivers' docs.
 */
export const ATTEMPT_TIMEOUT_MS = DEFAULT_TOTAL_TIMEOUT_MS;

/** `failed`: nothing was sent and no attempt can do better (the signing secret cannot be opened). */
export type DeliveryOutcome = 'delivered' | 'retry' | 'gone' | 'refused' | 'failed';

export type DeliveryAttempt = {
  outcome: DeliveryOutcome;
  status: number | null;
  latencyMs: number;
  responseSnippet: string;
  error?: string;
};

function outcomeOf(status: number): DeliveryOutcome {
  if (status >= 200 && status < 300) return 'delivered';
  // 410 is the receiver saying the endpoint is gone for good: the caller disables it.
  if (status === 410) return 'gone';
  // 3xx included: a redirect is never followed, so it is a failed attempt like any other.
  return 'retry';
}

/** What a webhook-id is the id of: alert events are `evt_…`, digests `dgst_…`. */
const kindOf = (id: string): string => (id.startsWith('evt_') ? 'alert' : id.startsWith('dgst_') ? 'digest' : 'other');

/**
 * One attempt at one webhook. The caller keeps `id` for every attempt of the same event and
 * passes the attempt's own `now`, so the timestamp and signature are fresh each time. The
 * client must be the safe one: an address refused when dialling comes back as `refused`.
 * The secrets come as stored, sealed or not, and are opened here, for the signature only; one
 * that cannot be opened sends nothing (never an unsigned request) and comes back as `failed`.
 * Each attempt is counted in earshot_webhook_deliveries_total by kind and outcome, a `retry` of
 * the `lastAttempt` as `failed` (the outcome returned stays `retry`: the caller ends it).
 */
export async function deliverWebhook(args: Parameters<typeof attemptWebhook>[0] & { lastAttempt?: boolean | undefined }): Promise<DeliveryAttempt> {
  const result = await attemptWebhook(args);
  webhookDeliveries.inc({ kind: kindOf(args.id), outcome: result.outcome === 'retry' && args.lastAttempt ? 'failed' : result.outcome });
  return result;
}

/**
 * A rotated-out secret that cannot be opened is left out: the current one still signs, and
 * rotating (the way out of a lost key) must not be held up a day by the secret it replaced.
 */
function openPrevious(secrets: WebhookSecrets, stored: string | null | undefined): string | null {
  if (!stored) return null;
  try {
    return secrets.open(stored);
  } catch (err) {
    if (err instanceof WebhookSecretError) return null;
    throw err;
  }
}

async function attemptWebhook({
  http,
  url,
  secret,
  previousSecret,
  webhookSecrets,
  newSecretHint,
  id,
  body,
  now,
}: {
  http: HttpClient;
  url: string;
  /** The signing secret as stored: sealed, or plaintext (no SECRET_KEY, or stored before one was set). */
  secret: string;
  /** A rotated-out secret still within its grace period, as stored: it signs beside `secret`. */
  previousSecret?: string | null | undefined;
  /** Opens stored secrets; without it, only plaintext ones can sign. */
  webhookSecrets?: WebhookSecrets | undefined;
  /** What else mends a secret that cannot be opened (rotating it), after "start with the SECRET_KEY it was sealed with". */
  newSecretHint?: string | undefined;
  id: string;
  body: string;
  now: Date;
}): Promise<DeliveryAttempt> {
  const secrets = webhookSecrets ?? PLAINTEXT_WEBHOOK_SECRETS;
  let signing: { secret: string; previousSecret: string | null };
  try {
    signing = { secret: secrets.open(secret), previousSecret: openPrevious(secrets, previousSecret) };
  } catch (err) {
    if (!(err instanceof WebhookSecretError)) throw err;
    // The operator's configuration, not the receiver's: no later attempt of this message would
    // do better until the key is back, and an unsigned request is never sent instead.
    const error = `not sent: the signing secret cannot be opened (${err.message}); start the server with the SECRET_KEY it was sealed with${newSecretHint ? `, or ${newSecretHint}` : ''}`;
    return { outcome: 'failed', status: null, latencyMs: 0, responseSnippet: '', error };
  }
  const headers = { 'content-type': 'application/json', ...signedHeaders({ ...signing, id, body, now }) };
  const started = performance.now();
  try {
    const response = await http.request(url, { method: 'POST', headers, body, followRedirects: false, maxBytes: MAX_RESPONSE_BYTES, truncateBody: true });
    return {
      outcome: outcomeOf(response.status),
      status: response.status,
      latencyMs: Math.round(performance.now() - started),
      // A receiver's 404 page may echo the path, which for a Slack-style URL is the secret.
      responseSnippet: redactSecrets(response.body.subarray(0, 4 * RESPONSE_SNIPPET_CHARS).toString('utf8'), credentialsSentWith(response)).slice(0, RESPONSE_SNIPPET_CHARS),
    };
  } catch (err) {
    const latencyMs = Math.round(performance.now() - started);
    const refused = err instanceof HttpError && (err.kind === 'address_not_allowed' || err.kind === 'url_not_allowed');
    // The safe client's errors name the URL by its origin only: this text is stored, logged and
    // kept with the failed job in Redis, and the rest of a webhook URL is often its secret.
    const error = err instanceof Error ? err.message : String(err);
    return { outcome: refused ? 'refused' : 'retry', status: null, latencyMs, responseSnippet: '', error };
  }
}
