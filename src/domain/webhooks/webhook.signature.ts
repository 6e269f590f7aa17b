import { createHmac, randomBytes } from 'node:crypto';

// Standard Webhooks (standardwebhooks.com): the secret is `whsec_` + base64 key bytes, and the
// signature is `v1,` + base64 HMAC-SHA256 of "{id}.{timestamp}.{body}" keyed with those bytes.

export const SECRET_PREFIX = 'whsec_';
const SECRET_BYTES = 32;

export function generateSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString('base64')}`;
}

function secretKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const key = Buffer.from(encoded, 'base64');
  if (key.length === 0) throw new Error('webhook secret is empty');
  return key;
}

/** Seconds since the epoch, as the webhook-timestamp header carries it. */
export const unixSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);

export function sign({ secret, id, timestamp, body }: { secret: string; id: string; timestamp: number; body: string }): string {
  const mac = createHmac('sha256', secretKey(secret)).update(`${id}.${timestamp}.${body}`).digest('base64');
  return `v1,${mac}`;
}

export type WebhookHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

/**
 * The three headers for one attempt: a fresh timestamp and signature, the message's own id. While
 * a rotated-out secret is still honoured (`previousSecret`), it signs too, after the current one,
 * space-separated as Standard Webhooks allows: a receiver holding either secret verifies.
 */
export function signedHeaders({ secret, previousSecret, id, body, now }: { secret: string; previousSecret?: string | null | undefined; id: string; body: string; now: Date }): WebhookHeaders {
  const timestamp = unixSeconds(now);
  const signatures = [secret, ...(previousSecret ? [previousSecret] : [])].map((key) => sign({ secret: key, id, timestamp, body }));
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signatures.join(' '),
  };
}
