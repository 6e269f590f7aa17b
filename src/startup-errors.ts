import { ConfigError, withoutPasswords } from './config.js';
import { IngestThreadLoadError } from './infra/ingest-pool/index.js';
import { RedisPolicyError, RedisUnreachableError } from './infra/redis.js';
import { ListenError, PortInUseError } from './runtime.js';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH']);

/** Where Earshot was pointed, and how the operator points it elsewhere (the variables differ for the demo). */
export interface StartUpContext {
  databaseUrl: string;
  redisUrl: string;
  databaseVariable: string;
  /** The database name to show in that variable's example: the demo's own is not the installation's. */
  databaseName?: string;
  /** How to start again with a free port, e.g. `PORT=3001 npm start`. */
  portHint: string;
}

/**
 * What stopped Earshot from starting, as an operator can act on it: which service, where (without
 * passwords) and the variable to change. Null for an error that is not about the setup: a defect,
 * to be shown with its stack.
 */
export function startUpMessage(err: unknown, context: StartUpContext): string | null {
  if (err instanceof ConfigError || err instanceof RedisPolicyError || err instanceof IngestThreadLoadError) return err.message;
  if (err instanceof PortInUseError) return `${err.message}.\n  For example: ${context.portHint}`;
  if (err instanceof ListenError) return err.message;
  if (err instanceof RedisUnreachableError) {
    return `could not reach Redis at ${withoutPasswords(context.redisUrl)} (${err.reason}).\n  Start Redis there, or point Earshot at one with REDIS_URL=redis://host:6379`;
  }
  const e = err as Error & { code?: string; severity?: string };
  // pg's errors: a refused or lost connection, a server's error (severity), a connection timeout.
  if (NETWORK_CODES.has(e?.code ?? '') || e?.severity || /timeout|terminated/i.test(e?.message ?? '')) {
    return (
      `could not use Postgres at ${withoutPasswords(context.databaseUrl)}: ${e.message || e.code}.\n` +
      `  Start Postgres there, or point Earshot at one with ${context.databaseVariable}=postgres://user@host:5432/${context.databaseName ?? 'earshot'}`
    );
  }
  return null;
}
