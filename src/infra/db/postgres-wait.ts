import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { Logger } from '../../logger.js';

/** How long start-up waits for Postgres to accept connections unless told otherwise (DATABASE_STARTUP_WAIT_MS). */
export const DATABASE_STARTUP_WAIT_MS = 30_000;

/** pg's connect timeout for each try: a server that accepts and never answers is not waited for again. */
const CONNECT_TIMEOUT_MS = 5_000;

/** The pause between two tries: Postgres logs each one it refuses while starting, so not too often. */
const WAIT_PAUSE_MS = 500;

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
 * after `wait.startedAt`, saying once in the log why start-up pauses; then PostgresUnreachableError.
 * Any other failure is thrown at once.
 */
export async function connectWhenUp(connectionString: string, wait?: StartupWait): Promise<pg.Client> {
  let waiting = false;
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
      await sleep(Math.min(WAIT_PAUSE_MS, left), undefined, { signal: wait.signal }).catch(() => {});
      if (wait.signal?.aborted) throw new PostgresWaitStoppedError({ cause: err });
    }
  }
}
