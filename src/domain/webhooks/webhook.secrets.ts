import { SEALED_PREFIX, SecretBoxError, type SecretBox } from '../../infra/secrets.js';

/**
 * Webhook signing secrets at rest (alert_rules.secret and previous_secret,
 * workspaces.digest_webhook_secret). With a SECRET_KEY they are stored sealed, as source
 * credentials are, and opened only to sign a delivery; without one they are stored as they are.
 *
 * A stored value is sealed when it starts with `v1.`. A plaintext one never does: secrets are
 * `whsec_` + base64 (generateSecret), and the base64 alphabet has no `.`, so no plaintext secret
 * stored now or by an older version can be taken for a sealed one, nor the reverse.
 */
export interface WebhookSecrets {
  /** Whether new secrets are sealed (the server has a SECRET_KEY). */
  readonly sealing: boolean;
  /** The form a secret is stored in: sealed with the SECRET_KEY, or as it is without one. */
  store(secret: string): string;
  /** The secret a stored value holds, to sign with; throws WebhookSecretError when it is sealed and cannot be opened. */
  open(stored: string): string;
}

/** A stored secret that cannot be opened: sealed under another SECRET_KEY, or none is set. Says nothing of the secret. */
export class WebhookSecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookSecretError';
  }
}

/**
 * How many rows one sweep of plaintext secrets seals at most (sealPlaintextRuleSecrets,
 * sealPlaintextDigestSecrets): a deployment upgraded with thousands is done in a few runs.
 */
export const SEAL_BATCH = 500;

export const isSealedSecret = (stored: string): boolean => stored.startsWith(SEALED_PREFIX);

/** The webhook secrets of a server with this secret box, or of one without a SECRET_KEY (null). */
export function createWebhookSecrets(box: Pick<SecretBox, 'sealWebhookSecret' | 'openWebhookSecret'> | null): WebhookSecrets {
  return {
    sealing: box !== null,
    store: (secret) => (box ? box.sealWebhookSecret(secret) : secret),
    open(stored) {
      if (!isSealedSecret(stored)) return stored;
      if (!box) throw new WebhookSecretError('it is sealed and the server has no SECRET_KEY');
      try {
        return box.openWebhookSecret(stored);
      } catch (err) {
        if (err instanceof SecretBoxError) throw new WebhookSecretError(err.message);
        throw err;
      }
    },
  };
}

/** A server without a SECRET_KEY: secrets stored as they are, and a sealed one cannot be opened. */
export const PLAINTEXT_WEBHOOK_SECRETS = createWebhookSecrets(null);
