import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { Logger } from '../../logger.js';

/** How long start-up waits for Postgres to accept connections unless told otherwise (DATABASE_STARTUP_WAIT_MS). */
export const DATABASE_STARTUP_WAIT_MS = 30_000;

/** pg's connect timeout for each try: a server that accepts and never answers is not waited for again. */
const CONNECT_TIMEOUT_MS = 5_000;

/** The pause between two tries: Postgres logs each one it refuses while starting, so not too often. */
const WAIT_PAUSE_MS = 500;

/**
 * How long a host name may fail to resolve before the operator is told to check it: a compose
 * service's name resolves once its container starts, in a second or two; a typo never does.
 */
export const UNRESOLVED_HOST_WARNING_MS = 3_000;

/** How long to wait for Postgres, counted from `startedAt` (the start of start-up), and what to tell while waiting. */
export interface StartupWait {
  startedAt: number;
  waitMs: number;
  /** Aborted to stop waiting (a stop during start-up, or Redis's own wait run out). */
  signal?: AbortSignal;
  log?: Logger;
}

/**
 * Failures that mean Postgres is not up yet, so a later try may get in: nothing listens there
 * (ECONNREFUSED, or ENOENT for a Unix socket not made yet), the server says it is starting up, in
 * recovery or shutting down (57P03), its host name does not resolve yet (ENOTFOUND, EAI_AGAIN:
 * a container not started, DNS not up while the machine boots) or cannot be routed to yet
 * (EHOSTUNREACH, ENETUNREACH). A Postgres that answered and refused (a password, a role, a
 * database, SSL) is never waited for, nor an address that accepted the connection and then closed
 * it or said nothing: something other than a starting Postgres is there.
 */
export function isNotUpYet(err: unknown): boolean {
  const { code, syscall } = (err ?? {}) as { code?: unknown; syscall?: unknown };
  if (code === '57P03') return true;
  if (code === 'ENOENT') return syscall === 'connect';
  return typeof code === 'string' && ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code);
}

/** The name lookup of Postgres's host failed (it does not exist, or DNS did not answer). */
function isUnresolved(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ENOTFOUND' || code === 'EAI_AGAIN';
}

/**
 * Why `host` can never resolve, whatever DNS says later: an empty label, or a character no host
 * name has (DNS names and container names are letters, digits, `-`, `_` and dots; letters of any
 * script, as internationalised names are); null for a name that may resolve.
 */
export function impossibleHostName(host: string): string | null {
  if (host.startsWith('.') || host.includes('..')) return 'it has an empty label (two dots in a row, or a dot first)';
  const odd = /[^\p{L}\p{M}\p{N}._-]/u.exec(host)?.[0];
  if (odd === undefined) return null;
  const codePoint = `U+${odd.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  return `it has ${JSON.stringify(odd)} (${codePoint}), which no host name has`;
}

/** What a failed connection said: its message, else (an AggregateError of several addresses) its parts', else its code. */
function reasonOf(err: unknown): string {
  const e = err as { message?: string; code?: string; errors?: Array<{ message?: string }> };
  return e?.message || e?.errors?.map((part) => part.message).filter(Boolean).join('; ') || e?.code || String(err);
}

/** Postgres did not accept a connection within DATABASE_STARTUP_WAIT_MS; `reason` and `code` are what the last try met. */
export class PostgresUnreachableError extends Error {
  readonly reason: string;
  readonly lastCode: string | undefined;
  readonly waitedMs: number;
  constructor({ reason, lastCode, waitedMs }: { reason: string; lastCode: string | undefined; waitedMs: number }, options?: ErrorOptions) {
    super(`Postgres did not accept a connection in ${waitedMs} ms: ${reason}`, options);
    this.name = 'PostgresUnreachableError';
    this.reason = reason;
    this.lastCode = lastCode;
    this.waitedMs = waitedMs;
  }
}

/** Postgres's host name can never resolve (impossibleHostName): not waited for. */
export class PostgresHostNameError extends Error {
  constructor(
    readonly host: string,
    readonly problem: string,
    options?: ErrorOptions,
  ) {
    super(`the Postgres host name ${JSON.stringify(host)} can never resolve: ${problem}`, options);
    this.name = 'PostgresHostNameError';
  }
}

/** The wait for Postgres was stopped (`signal`) before it was up. */
export class PostgresWaitStoppedError extends Error {
  constructor(options?: ErrorOptions) {
    super('stopped while waiting for Postgres', options);
    this.name = 'PostgresWaitStoppedError';
  }
}

/** `host:port` (or a socket's folder) that a connection string leads to, for a log line. */
function whereTo(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    return `${url.searchParams.get('host') ?? url.hostname}:${url.port || '5432'}`;
  } catch {
    return '(DATABASE_URL)';
  }
}

/**
 * A connected client. Without `wait`, one try whose error is thrown as pg gave it. With it, a try
 * that finds Postgres not up yet (isNotUpYet) is made again every half second until `wait.waitMs`
 * after `wait.startedAt`, saying once in the log why start-up pauses, and once more when the host
 * name has not resolved for UNRESOLVED_HOST_WARNING_MS; then PostgresUnreachableError. A host name
 * that can never resolve is PostgresHostNameError at once, and any other failure is thrown at once.
 */
export async function connectWhenUp(connectionString: string, wait?: StartupWait): Promise<pg.Client> {
  let waiting = false;
  // When the host name first failed to resolve in a row of such failures, until it is told.
  let unresolvedSince: number | undefined;
  let toldUnresolved = false;
  // Said once the server answers after a wait, whatever it answers (a database to create, a refusal).
  const up = () => {
    if (waiting) wait?.log?.info({ postgres: whereTo(connectionString), waitedMs: Date.now() - wait.startedAt }, 'Postgres is up: start-up goes on');
  };
  for (;;) {
    const client = new pg.Client({ connectionString, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
    try {
      await client.connect();
      up();
      return client;
    } catch (err) {
      await client.end().catch(() => {});
      if (!wait || !isNotUpYet(err)) {
        if ((err as { severity?: string }).severity) up();
        throw err;
      }
      const host = isUnresolved(err) ? String((err as { hostname?: unknown }).hostname ?? '') : '';
      const problem = host ? impossibleHostName(host) : null;
      if (problem) throw new PostgresHostNameError(host, problem, { cause: err });
      if (wait.signal?.aborted) throw new PostgresWaitStoppedError({ cause: err });
      const left = wait.startedAt + wait.waitMs - Date.now();
      if (left <= 0) {
        throw new PostgresUnreachableError({ reason: reasonOf(err), lastCode: (err as { code?: string }).code, waitedMs: wait.waitMs }, { cause: err });
      }
      if (!waiting) {
        waiting = true;
        wait.log?.warn(
          { postgres: whereTo(connectionString), reason: reasonOf(err), waitMs: wait.waitMs },
          `Postgres does not accept connections yet: waiting for it, up to ${Math.round(wait.waitMs / 100) / 10} s from the start (DATABASE_STARTUP_WAIT_MS)`,
        );
      }
      if (!isUnresolved(err)) unresolvedSince = undefined;
      else if (unresolvedSince === undefined) unresolvedSince = Date.now();
      else if (!toldUnresolved && Date.now() - unresolvedSince >= UNRESOLVED_HOST_WARNING_MS) {
        toldUnresolved = true;
        wait.log?.warn(
          { postgres: whereTo(connectionString), host, reason: reasonOf(err), waitMs: wait.waitMs },
          `Postgres host name ${host} has not resolved for ${UNRESOLVED_HOST_WARNING_MS / 1000} s: check the host in DATABASE_URL. ` +
            `Start-up goes on waiting, up to ${Math.round(wait.waitMs / 100) / 10} s from the start (DATABASE_STARTUP_WAIT_MS), in case it is a service whose name comes up with its container`,
        );
      }
      await sleep(Math.min(WAIT_PAUSE_MS, left), undefined, { signal: wait.signal }).catch(() => {});
      if (wait.signal?.aborted) throw new PostgresWaitStoppedError({ cause: err });
    }
  }
}
