import { createHash } from 'node:crypto';
import { z } from 'zod';
import { redactSecrets, type HttpResponse } from '../infra/http/index.js';
import { SourceFetchError, type PollContext } from './connector.types.js';
import { assertApiResponse, parseShape, readJson, send } from './api.request.js';

/** An account handle (or DID, or e-mail) and an app password from the account's settings. */
export const BlueskyCredentials = z
  .strictObject({
    identifier: z.string().trim().min(1, 'must not be empty').max(300).describe('The account\'s handle, DID or e-mail address.'),
    appPassword: z.string().trim().min(1, 'must not be empty').max(200).describe('An app password from the account\'s settings (never the account password).'),
  })
  .describe('A Bluesky account to search with (public search is often refused without one). Stored encrypted; never returned.');
export type BlueskyCredentials = z.infer<typeof BlueskyCredentials>;

const Session = z.object({ accessJwt: z.string().min(1), refreshJwt: z.string().min(1) });
type Session = z.infer<typeof Session>;

// Sessions live in this process only (never in state, logs or Redis). createSession is limited to
// 30 calls per 5 minutes per account, so a session is reused until the server says it expired.
const sessions = new Map<string, Session>();

type Ctx = Pick<PollContext<unknown>, 'http' | 'signal' | 'now'>;

function sessionKey(base: string, credentials: BlueskyCredentials): string {
  return createHash('sha256').update(`${base}\n${credentials.identifier}\n${credentials.appPassword}`).digest('hex');
}

/** The `error` of an XRPC error body (`{"error": "AuthMissing", "message": …}`), or null. */
export function xrpcError(res: HttpResponse): string | null {
  try {
    const body = JSON.parse(res.body.toString('utf8')) as { error?: unknown };
    return typeof body.error === 'string' ? body.error : null;
  } catch {
    return null;
  }
}

/** An access token the server no longer takes: 400 ExpiredToken per the lexicon, or any 401. */
function isExpired(res: HttpResponse): boolean {
  return res.status === 401 || (res.status === 400 && (xrpcError(res) === 'ExpiredToken' || xrpcError(res) === 'InvalidToken'));
}

async function createSession(ctx: Ctx, base: string, credentials: BlueskyCredentials): Promise<Session> {
  const res = await send(ctx, `${base}/xrpc/com.atproto.server.createSession`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ identifier: credentials.identifier, password: credentials.appPassword }),
  });
  if (res.status === 400 || res.status === 401) {
    // The request's body held the app password, which an echoing server could put back here.
    const why = redactSecrets(xrpcError(res) ?? `HTTP ${res.status}`, [credentials.appPassword]).slice(0, 100);
    throw new SourceFetchError(`Bluesky refused the identifier or app password (${why})`, { status: res.status, permanent: true });
  }
  assertApiResponse(res, ctx.now, 'Bluesky', { secret: true });
  return parseShape(Session, readJson(res, 'Bluesky createSession', { secret: true }), 'Bluesky createSession', res.status);
}

/** A new session from the refresh token; a refresh token that expired too means logging in again. */
async function refreshSession(ctx: Ctx, base: string, credentials: BlueskyCredentials, session: Session): Promise<Session> {
  const res = await send(ctx, `${base}/xrpc/com.atproto.server.refreshSession`, {
    method: 'POST',
    headers: { authorization: `Bearer ${session.refreshJwt}` },
  });
  if (res.status === 400 || res.status === 401) return createSession(ctx, base, credentials);
  assertApiResponse(res, ctx.now, 'Bluesky', { secret: true });
  return parseShape(Session, readJson(res, 'Bluesky refreshSession', { secret: true }), 'Bluesky refreshSession', res.status);
}

/**
 * GETs with the account's access token for one poll. An expired token is refreshed once per
 * poll; if the server still refuses, the poll fails and the next one logs in afresh.
 */
export function createBlueskyAuth(ctx: Ctx, base: string, credentials: BlueskyCredentials) {
  const key = sessionKey(base, credentials);
  let refreshed = false;
  return async function get(url: string): Promise<HttpResponse> {
    let session = sessions.get(key);
    if (!session) {
      session = await createSession(ctx, base, credentials);
      sessions.set(key, session);
    }
    let res = await send(ctx, url, { headers: { authorization: `Bearer ${session.accessJwt}` } });
    if (isExpired(res) && !refreshed) {
      refreshed = true;
      session = await refreshSession(ctx, base, credentials, session);
      sessions.set(key, session);
      res = await send(ctx, url, { headers: { authorization: `Bearer ${session.accessJwt}` } });
    }
    if (isExpired(res)) {
      sessions.delete(key);
      throw new SourceFetchError(`Bluesky refused the access token even after a refresh (HTTP ${res.status})`, { status: res.status });
    }
    return res;
  };
}
