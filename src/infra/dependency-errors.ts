/**
 * A part of Earshot itself that cannot work right now (the ingest threads cannot load their
 * module): like Postgres or Redis being down, the work is retried, not blamed on its input.
 */
export class DependencyUnavailableError extends Error {}

/**
 * Postgres or Redis out of reach for the moment: the API answers 503, a job is retried. ioredis
 * fails fast on the producer connection (no offline queue); pg fails to connect or loses its
 * connection (SQLSTATE 08…, 57P01–57P03 when the server shuts down or kills the backend).
 */
export function isDependencyDown(err: unknown): boolean {
  if (err instanceof DependencyUnavailableError) return true;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08006', '08001', '08003'].includes(code)) return true;
  return /Stream isn't writeable|Connection is closed|Reached the max retries per request|Connection terminated|timeout exceeded when trying to connect|Command timed out/i.test(
    err instanceof Error ? err.message : String(err),
  );
}
