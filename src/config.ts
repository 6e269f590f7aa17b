import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import addressparser from 'nodemailer/lib/addressparser';
import { z } from 'zod';
import { parseNetwork } from './infra/networks.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const url = (protocols: string[]) =>
  z.string().refine(
    (v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    { message: `expected a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );

// Digits only: Number() would also take 0x7ACD, 1e3 or an empty string for a number.
const int = (min: number, max: number) =>
  z
    .string({ message: 'expected a whole number' })
    .trim()
    .regex(/^\d+$/, 'expected a whole number')
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

/** One mailbox with an address (local part @ domain), as nodemailer's own parser reads the header. */
function isOneMailbox(value: string): boolean {
  const parsed = addressparser(value);
  const [only] = parsed;
  return parsed.length === 1 && only?.group === undefined && /^[^\s@]+@[^\s@]+$/.test(only?.address ?? '');
}

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: url(['postgres:', 'postgresql:']).default('postgres://postgres@127.0.0.1:5432/earshot'),
  DATABASE_POOL_SIZE: int(1, 200).default(10),
  /**
   * How long start-up waits for Postgres to accept connections (one started beside Earshot, or at
   * boot, may take a while), counted from the start of start-up; then start-up fails saying so.
   * Only "not up yet" is waited for (refused, starting up, host not resolved yet); a password or
   * role Postgres refuses fails at once (src/infra/db/postgres-wait.ts).
   */
  DATABASE_STARTUP_WAIT_MS: int(1_000, 3_600_000).default(30_000),
  REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  /**
   * How long start-up waits for Redis to answer (one started beside Earshot may take a while),
   * counted from the start of start-up, while Postgres is waited for and opened; then start-up
   * fails saying so.
   */
  REDIS_STARTUP_WAIT_MS: int(1_000, 3_600_000).default(10_000),
  /** Prefix of every BullMQ key, so several Earshot installations can share one Redis. */
  QUEUE_PREFIX: z.string().regex(/^[a-zA-Z0-9_-]{1,40}$/, 'expected 1–40 letters, digits, _ or -').default('earshot'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: int(0, 65535).default(3000),
  /**
   * Bearer token for admin calls (creating workspaces). Admin calls are refused while unset. An
   * Authorization header carries it only as visible ASCII without spaces: any other token could
   * never be presented, so it is refused here rather than at every admin call.
   */
  ADMIN_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters')
    .regex(/^[\x21-\x7e]*$/, 'must be visible ASCII characters only (A-Z, a-z, 0-9 and punctuation such as - _ . ~ + / =): no spaces, tabs, line breaks or characters outside ASCII (é, ß, 中), which an Authorization header cannot carry as written')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Lets Earshot fetch from private, loopback and link-local addresses. For operators and tests. */
  ALLOW_PRIVATE_NETWORKS: bool.default(false),
  /** Requests a key may make per minute; bursts up to a sixth of that are absorbed. */
  RATE_LIMIT_PER_MINUTE: int(1, 1_000_000).default(600),
  /**
   * Reverse proxies in front of the API (addresses or CIDR networks, comma-separated): a request
   * from one is counted, for failed authentications, as from the nearest X-Forwarded-For hop
   * that is not one of them (src/infra/networks.ts). Unset, the peer's address is the client's.
   */
  TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((entry) => entry.trim()).filter(Boolean))
    .superRefine((entries, ctx) => {
      for (const entry of entries.filter((e) => parseNetwork(e) === null)) {
        ctx.addIssue({ code: 'custom', message: `"${entry}" is not an IP address or CIDR network (expected e.g. 10.0.0.5, 10.0.0.0/8 or fd00::/8)` });
      }
    }),
  /**
   * Key for encrypting source credentials at rest (Reddit OAuth, Bluesky app passwords):
   * 32 bytes as 64 hex characters or base64. Sources with credentials are refused while unset.
   */
  SECRET_KEY: z
    .string()
    .refine((v) => /^[0-9a-fA-F]{64}$/.test(v) || Buffer.from(v, 'base64').length === 32, 'expected 32 bytes as 64 hex characters or base64')
    .optional(),
  /** Fetch jobs one worker process runs at once. */
  WORKER_CONCURRENCY: int(1, 256).default(8),
  /** Concurrent requests to one upstream host across the whole deployment (politeness). */
  HOST_CONCURRENCY: int(1, 100).default(2),
  /**
   * Worker threads that parse feeds and score and match items; 0 does that work on the event loop.
   * One core is left to the event loop (fetching, storing, the API) and Postgres: on 2 cores a
   * second thread bought ~10 % more warm throughput, cost ~70 MB and made a fresh process's first
   * burst slower, each thread compiling the same code (docs/benchmarks.md). The cores are those
   * the container's CPU quota allows (defaultIngestThreads).
   */
  INGEST_THREADS: int(0, 64).default(() => defaultIngestThreads({ parallelism: availableParallelism(), cpuLimit: readCpuLimit() })),
  /**
   * Each ingest thread runs synthetic polls in every language at start (~1.2 s of one core), so
   * V8 has compiled the ingest path before the first real poll (src/infra/ingest-pool/warm-up.ts).
   */
  INGEST_WARM_UP: bool.default(true),
  /**
   * A scheduler that starts with a newer sentiment model than stored mentions were scored with
   * queues their rescoring in the background (`earshot rescore` does it by hand).
   */
  AUTO_RESCORE: bool.default(true),
  /**
   * A scheduler that starts with a newer matcher (MATCHER_VERSION) than brands' history was
   * matched with queues those brands' rematch in the background, as a query edit does
   * (`earshot rematch` does it by hand).
   */
  AUTO_REMATCH: bool.default(true),
  /**
   * How long a worker's hold on a running job (its BullMQ lock) lasts unless renewed; it is
   * renewed every half of this. A job whose worker died without handing it back (SIGKILL, out of
   * memory, a machine lost) runs again on another worker once the lock has expired, found by a
   * check each worker runs this often: within about three times this. Lower it for a quicker
   * recovery; keep it well above any pause of a worker's event loop, or jobs still running are
   * taken for dead and run twice (`job stalled` in the log).
   */
  JOB_LOCK_MS: int(1_000, 600_000).default(30_000),
  /** How often the scheduler looks for due sources. */
  SCHEDULER_TICK_MS: int(1_000, 3_600_000).default(10_000),
  /** SMTP server for digest e-mail: smtp://user:pass@host:587 or smtps://…; while unset, digests are e-mailed to no one (`smtp_not_configured`). */
  SMTP_URL: url(['smtp:', 'smtps:']).optional(),
  /**
   * The From header of digest e-mail: `Name <address>` or a bare address. A name alone would send
   * mail with no From header and an empty envelope sender, which servers refuse or file as spam.
   */
  MAIL_FROM: z
    .string()
    .refine(isOneMailbox, 'expected one e-mail address, alone or as `Name <address@example.com>`')
    .default('Earshot <earshot@localhost>'),
  /**
   * How long a GET /v1/swot answer is served again from Redis (to every API process) for the same
   * brand, window and brands; mentions stored meanwhile are not in it. 0 computes every request.
   */
  SWOT_CACHE_SECONDS: int(0, 86_400).default(300),
  /** How often alert rules are evaluated. */
  ALERT_EVALUATION_MS: int(1_000, 3_600_000).default(60_000),
  /** Days that items matching no brand are kept, so new or changed brands find recent history; live events are kept as long. */
  RAW_RETENTION_DAYS: int(1, 365).default(30),
  /**
   * How often an idle live stream (/v1/mentions/live) sends a heartbeat comment and re-checks its
   * API key; lower it below a proxy's idle timeout.
   */
  LIVE_HEARTBEAT_MS: int(100, 300_000).default(15_000),
  /**
   * Live streams one workspace may hold open on one API process: each holds a subscription and a
   * queue of up to 10,000 events, so one tenant must not open thousands.
   */
  LIVE_STREAMS_PER_WORKSPACE: int(1, 10_000).default(20),
  /**
   * How long a graceful stop may take. Active jobs get until HAND_BACK_MARGIN_MS before it to
   * finish (src/runtime.ts): at the default, after the API's drain, longer than an ingest task's
   * 30 s deadline. Keep the orchestrator's grace period above it (docker-compose.yml: 45 s).
   */
  SHUTDOWN_TIMEOUT_MS: int(1_000, 600_000).default(40_000),
});

export type Config = Readonly<z.infer<typeof schema>>;

/**
 * The CPUs a cgroup v2 `cpu.max` allows ("200000 100000": a quota of 200 ms per 100 ms period is
 * 2), rounded up so a fractional CPU still counts; null for "max" (no limit) or text that is not
 * a quota.
 */
export function cpuLimitFromCpuMax(text: string | null): number | null {
  const [quota, period] = (text ?? '').trim().split(/\s+/);
  return quota === 'max' ? null : cpuLimit(quota, period);
}

/** The same from cgroup v1's `cpu.cfs_quota_us` ("-1": no limit) and `cpu.cfs_period_us`. */
export function cpuLimitFromCfs(quotaText: string | null, periodText: string | null): number | null {
  return cpuLimit(quotaText?.trim(), periodText?.trim());
}

function cpuLimit(quota: string | undefined, period: string | undefined): number | null {
  const q = Number(quota);
  const p = Number(period);
  return quota && period && q > 0 && p > 0 ? Math.ceil(q / p) : null;
}

const readOrNull = (path: string): string | null => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
};

/**
 * The process's CPU limit from its cgroup, null when it has none or it cannot be read. Node 20's
 * availableParallelism() counts the CPUs the process may run on (its affinity mask), not the
 * quota: libuv reads cgroups only from 1.49 on, and Node 20 ships 1.46.
 *
 * The process's cgroup is named in /proc/self/cgroup: "/" in a container with a cgroup namespace
 * of its own (Docker's and Kubernetes' default with cgroup v2), a path such as
 * /system.slice/earshot.service under systemd (CPUQuota=). A quota anywhere on the way down from
 * the hierarchy's root limits it, so the smallest one found there counts. The hierarchy is
 * mounted at /sys/fs/cgroup (v2, which holds cgroup.controllers), or its cpu controller at
 * /sys/fs/cgroup/cpu (v1). A path the mount does not show (a container without a namespace of
 * its own sees its cgroup mounted as the root) adds nothing: its root was read.
 * `root` is where the file system starts (a test's folder).
 */
export function readCpuLimit(root = '/'): number | null {
  const at = (...parts: string[]) => readOrNull(path.join(root, ...parts));
  // A line per hierarchy, "id:controllers:path"; v2's has no controllers ("0::/path").
  const memberships = (at('proc/self/cgroup') ?? '').split('\n').flatMap((line) => {
    const found = /^\d+:([^:]*):(.+)$/.exec(line);
    return found ? [{ controllers: found[1]!.split(',').filter(Boolean), cgroup: found[2]! }] : [];
  });
  const own = (of: (controllers: string[]) => boolean) => memberships.find((m) => of(m.controllers))?.cgroup ?? '/';
  const limits =
    at('sys/fs/cgroup/cgroup.controllers') !== null
      ? cgroupsFromRoot(own((controllers) => controllers.length === 0)).map((cgroup) => cpuLimitFromCpuMax(at('sys/fs/cgroup', cgroup, 'cpu.max')))
      : cgroupsFromRoot(own((controllers) => controllers.includes('cpu'))).map((cgroup) =>
          cpuLimitFromCfs(at('sys/fs/cgroup/cpu', cgroup, 'cpu.cfs_quota_us'), at('sys/fs/cgroup/cpu', cgroup, 'cpu.cfs_period_us')),
        );
  const set = limits.filter((limit) => limit !== null);
  return set.length ? Math.min(...set) : null;
}

/** "/a/b" → ["/", "/a", "/a/b"]. */
function cgroupsFromRoot(cgroup: string): string[] {
  const parts = cgroup.split('/').filter(Boolean);
  return ['/', ...parts.map((_, i) => `/${parts.slice(0, i + 1).join('/')}`)];
}

/** INGEST_THREADS unless set: one less than the CPUs usable (the event loop keeps one), at least 1. */
export function defaultIngestThreads({ parallelism, cpuLimit }: { parallelism: number; cpuLimit: number | null }): number {
  return Math.max(1, Math.min(parallelism, cpuLimit ?? parallelism) - 1);
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** A value as an error may show it: the password of any `user:password@` (a database, Redis or SMTP URL) masked. */
export const withoutPasswords = (value: string): string => value.replace(/([^\s:/@]*):[^\s/@]*@/g, '$1:***@');

/** Parses the environment once. Empty strings count as unset, as shells and compose files produce them. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const input = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? '?');
        const given = input[name];
        const shown = given === undefined || /TOKEN|PASSWORD|SECRET|KEY/.test(name) ? '' : ` (got ${JSON.stringify(withoutPasswords(given))})`;
        return `${name}: ${issue.message}${shown}`;
      }),
    );
  }
  return Object.freeze(parsed.data);
}
