export {
  buildAlertPayload,
  closedText,
  expectedText,
  MAX_SAMPLE_MENTIONS,
  resolvedAlert,
  resolvedText,
  sampleText,
  type AlertPayload,
  type ResolvedAlert,
  type SampleMention,
} from './webhook.payload.js';
export { ATTEMPT_TIMEOUT_MS, deliverWebhook, RESPONSE_SNIPPET_CHARS, type DeliveryAttempt, type DeliveryOutcome } from './webhook.delivery.js';
export { delayFromLog, DeliveryRetry, MAX_ATTEMPTS, nextAttemptDelay, retryBackoff, RETRY_DELAYS_MS, RETRY_JITTER } from './webhook.retry.js';
export { generateSecret, SECRET_PREFIX, sign, signedHeaders, unixSeconds, type WebhookHeaders } from './webhook.signature.js';
export { createWebhookSecrets, isSealedSecret, PLAINTEXT_WEBHOOK_SECRETS, SEAL_BATCH, WebhookSecretError, type WebhookSecrets } from './webhook.secrets.js';
