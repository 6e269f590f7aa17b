import type { Redis } from 'ioredis';
import type { Config } from './config.js';
import { connectors } from './connectors/index.js';
import { createBrandRepository } from './domain/brands/brands.repository.js';
import { createBrandSetCache } from './domain/brands/brand-sets.js';
import { createLocalCompute } from './domain/mentions/compute.js';
import { AppError } from './domain/errors.js';
import { createLinkRepository } from './domain/mentions/links.repository.js';
import { createRollupRepository } from './domain/analytics/rollups.repository.js';
import { createAnalyticsRepository } from './domain/analytics/analytics.repository.js';
import { createAlertRepository } from './domain/alerts/alerts.repository.js';
import { createDigestRepository } from './domain/digests/digests.repository.js';
import { createMailer } from './infra/mail.js';
import { createMentionRepository } from './domain/mentions/mentions.repository.js';
import { createScorer } from './domain/scoring/scorer.js';
import { createSourceRepository } from './domain/sources/sources.repository.js';
import { createWorkspaceRepository } from './domain/workspaces/workspaces.repository.js';
import { createWebhookSecrets } from './domain/webhooks/webhook.secrets.js';
import type { Database } from './infra/db/database.js';
import { createHostSlots, HOST_SLOT_LEASE_MS } from './infra/host-slots.js';
import { assertUrlAllowed, createHttpClient, hostnameOf, HttpError, savedAddressRule, UrlNotAllowedError, type LookupFunction } from './infra/http/index.js';
import { defaultLookup } from './infra/http/safe.connector.js';
import { createIngestPool } from './infra/ingest-pool/index.js';
import { createMentionPublisher } from './infra/mention-events.js';
import { createSecretBox, parseSecretKey } from './infra/secrets.js';
import { createCursorKeys } from './domain/pagination/cursor-key.js';
import { createInstallationSecretRepository } from './domain/pagination/installation-secrets.repository.js';
import type { Logger } from './logger.js';
import { catalogue } from './workers/catalogue.js';
import { createQueues } from './workers/runtime.js';

/**
 * Everything the API and the workers share, built once per process from its connections.
 * This is the composition root: nothing else decides which implementation a use-case gets.
 */
export function createServices({ config, db, redis, log }: { config: Config; db: Database; redis: Redis; log: Logger }) {
  const secretBox = config.SECRET_KEY ? createSecretBox(config.SECRET_KEY) : null;
  const http = createHttpClient({ allowPrivateNetworks: config.ALLOW_PRIVATE_NETWORKS });
  const brandRepository = createBrandRepository({ db });
  const queues = createQueues({ catalogue, connection: redis, prefix: config.QUEUE_PREFIX, log });
  const mailer = config.SMTP_URL ? createMailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM }) : null;
  const scorer = createScorer();
  const compute = config.INGEST_THREADS > 0 ? createIngestPool({ threads: config.INGEST_THREADS, warmUp: config.INGEST_WARM_UP, log }) : createLocalCompute({ scorer });
  return {
    config,
    db,
    redis,
    log,
    http,
    queues,
    connectors,
    secretBox,
    /** Webhook signing secrets: sealed at rest with SECRET_KEY when it is set, opened only to sign. */
    webhookSecrets: createWebhookSecrets(secretBox),
    /** The key list cursors are signed with: from SECRET_KEY, or made once and kept in Postgres. */
    cursorKeys: createCursorKeys({ secretKey: config.SECRET_KEY ? parseSecretKey(config.SECRET_KEY) : null, secrets: createInstallationSecretRepository({ db }) }),
    brandRepository,
    workspaceRepository: createWorkspaceRepository({ db }),
    sourceRepository: createSourceRepository({ db }),
    mentionRepository: createMentionRepository({ db }),
    linkRepository: createLinkRepository({ db }),
    rollupRepository: createRollupRepository(),
    analyticsRepository: createAnalyticsRepository({ db }),
    alertRepository: createAlertRepository({ db }),
    digestRepository: createDigestRepository({ db }),
    mailer,
    brandSets: createBrandSetCache({ brandRepository }),
    scorer,
    compute,
    publisher: createMentionPublisher({ redis, prefix: config.QUEUE_PREFIX }),
    hostSlots: createHostSlots({ redis, prefix: config.QUEUE_PREFIX, perHost: config.HOST_CONCURRENCY, leaseMs: HOST_SLOT_LEASE_MS, log }),
    /**
     * One rematch or unlink job per workspace at a time across the deployment: its batches take
     * the workspace's advisory lock anyway, and a job waiting on it would hold a maintenance slot
     * that another workspace's job could use (workspaceSlotHandlers).
     */
    workspaceSlots: createHostSlots({ redis, prefix: `${config.QUEUE_PREFIX}:maintenance`, perHost: 1, leaseMs: 60_000, log }),
    /**
     * Save-time URL check: the same rules the client applies when it connects. A refusal names
     * `field` (the body field holding the URL) in its message and in `fields`. A name the resolver
     * cannot look up right now (EAI_AGAIN, a server failure) is accepted: that is no fault of the
     * URL, and the connect-time check judges every address again at each fetch. A name that does
     * not exist (ENOTFOUND, no addresses) is refused.
     */
    async checkUrl(url: string, field = 'url'): Promise<void> {
      let lookupFailed: { host: string; code: string } | undefined;
      const lookup: LookupFunction = (hostname, options, callback) =>
        defaultLookup(hostname, options, (err, address, family) => {
          if (err && err.code !== 'ENOTFOUND' && err.code !== 'ENODATA') lookupFailed = { host: hostname, code: err.code ?? 'unknown' };
          callback(err, address, family);
        });
      try {
        await assertUrlAllowed(url, { allowPrivateNetworks: config.ALLOW_PRIVATE_NETWORKS, lookup });
      } catch (err) {
        if (err instanceof UrlNotAllowedError && err.reason === 'unresolvable' && lookupFailed) {
          // The host only: a webhook URL can carry its token in the path (Slack-style).
          log.warn({ ...lookupFailed, field }, 'host name could not be looked up at save time; accepted, checked at connect time');
          return;
        }
        // An address refused: the message also says what would allow it (the operator's setting), or that nothing would.
        const rule =
          err instanceof UrlNotAllowedError && err.reason === 'address'
            ? `; ${savedAddressRule({ host: hostnameOf(new URL(url)), allowPrivateNetworks: config.ALLOW_PRIVATE_NETWORKS })}`
            : '';
        if (err instanceof HttpError) throw new AppError('sources.url_not_allowed', 400, `${field}: ${err.message}${rule}`, { fields: [{ field, message: err.message }] });
        throw err;
      }
    },
    async close(): Promise<void> {
      await queues.close();
      await http.close();
      await compute.close();
      mailer?.close();
    },
  };
}

export type Services = ReturnType<typeof createServices>;
