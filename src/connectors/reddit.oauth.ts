import { createHash } from 'node:crypto';
import { z } from 'zod';
import { credentialsSentWith, redactSecrets } from '../infra/http/index.js';
import { SourceFetchError, type PollContext } from './connector.types.js';
import { assertApiResponse, parseShape, readJson, send } from './api.request.js';

/** Reddit "application-only" OAuth: a script or web app's id and secret, stored encrypted. */
export const RedditCredentials = z
  .strictObject({
    clientId: z.string().trim().min(1, 'must not be empty').max(200).describe('The client id of a Reddit "script" or "web app".'),
    clientSecret: z.string().trim().min(1, 'must not be empty').max(200).describe('Its client secret.'),
  })
  .describe('OAuth client credentials (application-only): higher limits, read through oauth.reddit.com. Stored encrypted; never returned.');
export type RedditCredentials = z.infer<typeof RedditCredentials>;

const TokenResponse = z.union([
  z.object({ access_token: z.string().min(1), expires_in: z.number().positive() }),
  z.object({ error: z.union([z.string(), z.number()]) }),
]);

// Tokens live in this process only (never in state, logs or Redis); a restart asks for a new one.
const tokens = new Map<string, { token: string; expiresAt: number }>();
// Renew a minute early so a token never expires between the check and the request.
const EARLY_MS = 60_000;

function cacheKey(base: string, credentials: RedditCredentials): string {
  return createHash('sha256').update(`${base}\n${credentials.clientId}\n${credentials.clientSecret}`).digest('hex');
}

export function forgetRedditToken(base: string, credentials: RedditCredentials): void {
  tokens.delete(cacheKey(base, credentials));
}

/** A bearer token for the client credentials, from the cache until it is about to expire. */
export async function redditAccessToken(
  ctx: Pick<PollContext<unknown>, 'http' | 'signal' | 'now'>,
  base: string,
  credentials: RedditCredentials,
): Promise<string> {
  const key = cacheKey(base, credentials);
  const cached = tokens.get(key);
  if (cached && cached.expiresAt > ctx.now.getTime()) return cached.token;
  const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64');
  const res = await send(ctx, `${base}/api/v1/access_token`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  if (res.status === 401 || res.status === 403) {
    throw new SourceFetchError(`Reddit refused the client credentials (HTTP ${res.status})`, { status: res.status, permanent: true });
  }
  assertApiResponse(res, ctx.now, 'Reddit token endpoint', { secret: true });
  const body = parseShape(TokenResponse, readJson(res, 'Reddit token endpoint', { secret: true }), 'Reddit token endpoint', res.status);
  if ('error' in body) {
    const why = redactSecrets(String(body.error), [...credentialsSentWith(res), credentials.clientSecret]).slice(0, 100);
    throw new SourceFetchError(`Reddit refused the client credentials (${why})`, { status: res.status, permanent: true });
  }
  tokens.set(key, { token: body.access_token, expiresAt: ctx.now.getTime() + body.expires_in * 1000 - EARLY_MS });
  return body.access_token;
}
