import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertEventId } from '../../src/domain/alerts/incidents.js';
import { pollSource } from '../../src/domain/sources/poll.usecases.js';
import { createHttpClient } from '../../src/infra/http/index.js';
import { createLogger } from '../../src/logger.js';
import { dumpRedis } from '../support/redis-dump.js';
import { freePort } from '../support/process.js';
import { createTestStack, type TestStack } from '../support/stack.js';
import { addSource, cleanupList, fetchNow, getSource, pollDepsOf } from './support.js';

// RELIABILITY 25 for what a URL or an upstream's error page carries. A feed or webhook URL's token
// (in its query, or its whole path for a Slack-style webhook or a private feed) and the tokens a
// connector sends are in no log line and no Redis key or value after fetches and deliveries fail
// every way they can (refused, unresolvable, too slow, redirected somewhere refused, an error page
// that echoes the request), while the messages still say which host and what went wrong. And the
// `webhook attempt` line says how long the attempt took and why it failed, with `attempt` once.

const cleanup = cleanupList();
let logs = '';
let s: TestStack;
let key: string;
let workspaceId: string;
let origin: string;
let closedOrigin: string;

// Upstream error pages that echo the request, as Express's default 404 and some gateways do.
const echoPage = (req: { method?: string; url?: string; headers: Record<string, unknown> }) =>
  `<html><body><h1>Cannot ${req.method} ${req.url}</h1><p>upstream said no to ${String(req.headers.authorization ?? 'nobody')}</p>` +
  `<p>Cookie: session=SESSIONCOOKIE_SECRET_42; access_token=QUOTEDACCESS_SECRET_42</p>` +
  `<pre>{"refreshJwt": "QUOTEDREFRESH_SECRET_42"}</pre></body></html>`;

const REDDIT_TOKEN = 'REDDITACCESSTOKEN_SECRET_abc';
const BSKY_ACCESS = 'BSKYACCESSJWT_SECRET_abc';
const BSKY_REFRESH = 'BSKYREFRESHJWT_SECRET_abc';

beforeAll(async () => {
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const path = req.url ?? '/';
      const json = { 'content-type': 'application/json' };
      if (path.startsWith('/slow/')) return; // never answers
      if (path.startsWith('/to-metadata/')) return void res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
      if (path === '/reddit/api/v1/access_token') return void res.writeHead(200, json).end(JSON.stringify({ access_token: REDDIT_TOKEN, token_type: 'bearer', expires_in: 3600 }));
      if (path.startsWith('/bsky/xrpc/com.atproto.server.createSession')) return void res.writeHead(200, json).end(JSON.stringify({ accessJwt: BSKY_ACCESS, refreshJwt: BSKY_REFRESH, handle: 'echo.bsky.social', did: 'did:plc:echo' }));
      if (path.startsWith('/hook/')) return void res.writeHead(200, { 'content-type': 'text/plain' }).end(`received POST ${path}`);
      res.writeHead(path.startsWith('/feeds/') ? 404 : 502, { 'content-type': 'text/html' }).end(echoPage(req));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  cleanup.add(async () => {
    server.closeAllConnections();
    server.close();
  });
  closedOrigin = `http://127.0.0.1:${await freePort()}`;
  const log = createLogger({ level: 'trace', destination: new Writable({ write: (chunk, _e, done) => ((logs += chunk.toString()), done()) }) });
  s = await createTestStack({ log, config: { LOG_LEVEL: 'trace', SECRET_KEY: randomBytes(32).toString('hex') } });
  cleanup.add(() => s.close());
  ({ key, id: workspaceId } = await s.workspace('Tokens'));
});
afterAll(() => cleanup.run());

/** Where `secret` shows: in the captured log, in Redis under the test's prefix. */
async function whereShown(secrets: Record<string, string>): Promise<string[]> {
  const redis = await dumpRedis(s.config.QUEUE_PREFIX);
  const found: string[] = [];
  for (const [what, secret] of Object.entries(secrets)) {
    if (logs.includes(secret)) found.push(`${what} in the log`);
    if (redis.includes(secret)) found.push(`${what} in Redis`);
  }
  return found;
}

const logLines = () =>
  logs
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => ({ raw: l, json: JSON.parse(l) as Record<string, unknown> & { msg: string } }));

describe('a token in a feed or webhook URL stays out of logs and Redis when the fetch or delivery fails', () => {
  it('refused, unresolvable, too slow, redirected or echoed: lastError, the log and Redis name the origin only', async () => {
    const secrets = {
      'refused feed query token': 'REFUSEDTOKEN_SECRET_1',
      'unresolvable feed path': 'DNSPATH_SECRET_abcdef',
      'unresolvable feed query': 'DNSTOKEN_SECRET_2',
      'slow feed path': 'SLOWPATH_SECRET_abcdef',
      'slow feed query': 'SLOWTOKEN_SECRET_3',
      'redirected feed path': 'REDIRPATH_SECRET_abcdef',
      'redirected feed query': 'REDIRTOKEN_SECRET_4',
      'echoed feed path': 'ECHOPATH_SECRET_abcdef',
      'echoed feed query': 'ECHOTOKEN_SECRET_5',
      'quoted session cookie': 'SESSIONCOOKIE_SECRET_42',
      'quoted access token': 'QUOTEDACCESS_SECRET_42',
      'quoted refresh token': 'QUOTEDREFRESH_SECRET_42',
    };
    const refused = await addSource(s, key, { url: `${closedOrigin}/feed?token=${secrets['refused feed query token']}` });
    const unresolvable = await addSource(s, key, { url: `http://nonexistent.invalid/feeds/${secrets['unresolvable feed path']}.rss?token=${secrets['unresolvable feed query']}` });
    const redirected = await addSource(s, key, { url: `${origin}/to-metadata/${secrets['redirected feed path']}.rss?token=${secrets['redirected feed query']}` });
    const echoed = await addSource(s, key, { url: `${origin}/feeds/${secrets['echoed feed path']}.rss?token=${secrets['echoed feed query']}` });
    const slow = await addSource(s, key, { url: `${origin}/slow/feeds/${secrets['slow feed path']}.rss?token=${secrets['slow feed query']}` });
    for (const { id } of [refused, unresolvable, redirected, echoed]) await fetchNow(s, key, id);
    // The fetch job's own use-case with a client whose deadline is short, logging to the same log.
    const http = createHttpClient({ allowPrivateNetworks: true, totalTimeoutMs: 300 });
    try {
      await pollSource({ ...pollDepsOf(s, { http, log: s.services.log }), sourceId: slow.id, now: new Date() });
    } finally {
      await http.close();
    }

    // Still useful: which host, what went wrong, after how long.
    expect((await getSource(s, key, refused.id)).lastError).toMatch(new RegExp(`^request to ${closedOrigin} failed: ECONNREFUSED`));
    expect((await getSource(s, key, unresolvable.id)).lastError).toMatch(/^request to http:\/\/nonexistent\.invalid failed: (ENOTFOUND|EAI_AGAIN)/);
    expect((await getSource(s, key, slow.id)).lastError).toBe(`request to ${origin} took longer than 300 ms`);
    expect((await getSource(s, key, redirected.id)).lastError).toMatch(new RegExp(`^the fetch was refused at a redirect from ${origin}: 169\\.254\\.169\\.254 is a link-local address`));
    const echo = (await getSource(s, key, echoed.id)).lastError;
    expect(echo).toBe('HTTP 404: Cannot GET [redacted] / upstream said no to nobody / Cookie: session=[redacted]; access_token=[redacted] / {"refreshJwt": "[redacted]"}');
    expect(logs).toContain('source poll failed');

    const digest = await s.request('POST', '/v1/digests', { key, body: { since: '2026-01-01T00:00:00Z', until: '2026-01-08T00:00:00Z' } });
    expect(digest.status).toBe(201);
    const failing = (digest.json.document?.sources?.failingSources ?? []) as Array<{ lastError: string | null }>;
    expect(failing.length).toBe(5);
    const digestErrors = JSON.stringify(failing.map((f) => f.lastError));
    for (const [what, secret] of Object.entries(secrets)) expect(digestErrors.includes(secret), `${what} in a digest's lastError`).toBe(false);

    expect(await whereShown(secrets)).toEqual([]);
  }, 30_000);

  it('a Slack-style webhook URL, whose path is the secret, is named by its origin in the deliveries, the log and the failed jobs', async () => {
    const hookSecret = 'XXXXSLACKHOOK_SECRET_xxxx';
    const secrets = {
      'alert webhook path': `T0ALERT/B0ALERT/${hookSecret}`,
      'alert webhook token': hookSecret,
      'digest webhook token': 'DIGESTHOOK_SECRET_yyyy',
      'echoing receiver path': 'ECHOHOOK_SECRET_zzzz',
    };
    const brandId = (await s.request('POST', '/v1/brands', { key, body: { name: 'Acme', role: 'own', query: 'acme' } })).json.id;
    const refusedRule = (await s.request('POST', '/v1/alert-rules', { key, body: { brandId, webhookUrl: `${closedOrigin}/services/${secrets['alert webhook path']}` } })).json;
    const echoRule = (await s.request('POST', '/v1/alert-rules', { key, body: { brandId, webhookUrl: `${origin}/hook/services/T1/B1/${secrets['echoing receiver path']}` } })).json;
    const settings = await s.request('PATCH', '/v1/workspace', { key, body: { digestWebhookUrl: `${closedOrigin}/services/T2/B2/${secrets['digest webhook token']}` } });
    expect(settings.status).toBe(200);

    const now = new Date();
    const alertIds: string[] = [];
    for (const rule of [refusedRule, echoRule]) {
      const alertId = alertEventId(rule.id, now);
      alertIds.push(alertId);
      await sql`insert into alerts (id, rule_id, workspace_id, brand_id, type, window_start, window_end, observed, total, expected, score, payload)
                values (${alertId}, ${rule.id}, ${workspaceId}, ${brandId}, 'alert.negative_spike', now(), now(), 9, 9, 1, 5, '{"type":"alert.negative_spike"}')`.execute(s.db);
      await s.services.queues.add('alerts.deliver', { alertId }, { jobId: `deliver-${alertId}` });
    }
    expect((await s.request('POST', '/v1/digests', { key, body: { since: '2026-02-01T00:00:00Z', until: '2026-02-08T00:00:00Z' } })).status).toBe(201);
    await s.drain();

    const deliveries = (await s.request('GET', `/v1/alert-rules/${refusedRule.id}/deliveries`, { key })).json.items as Array<{ outcome: string; error: string }>;
    expect(deliveries.map((d) => d.outcome)).toContain('failed');
    expect(deliveries.length).toBe(8);
    for (const d of deliveries) expect(d.error).toMatch(new RegExp(`^request to ${closedOrigin} failed: ECONNREFUSED`));
    const echoed = (await s.request('GET', `/v1/alert-rules/${echoRule.id}/deliveries`, { key })).json.items as Array<{ outcome: string; response: string }>;
    expect(echoed[0]).toMatchObject({ outcome: 'delivered', response: 'received POST [redacted]' });

    // The failed jobs are kept (7 days), with their reason and stack, and the log warned of each attempt.
    const redis = await dumpRedis(s.config.QUEUE_PREFIX);
    expect(redis).toContain(`deliver-${alertIds[0]}`);
    expect(redis).toContain(closedOrigin.replace('http://', ''));
    expect(logs).toContain('job failed');
    expect(await whereShown(secrets)).toEqual([]);
  }, 30_000);

  it('the webhook attempt line has the latency and the error, and `attempt` once', async () => {
    const attempts = logLines().filter((l) => l.json.msg === 'webhook attempt');
    expect(attempts.length).toBeGreaterThan(8);
    for (const { raw, json } of attempts) {
      expect(raw.match(/"attempt":/g), raw).toHaveLength(1);
      expect(json.latencyMs, raw).toEqual(expect.any(Number));
    }
    const failedAttempt = attempts.find((l) => l.json.outcome === 'retry')!;
    expect(failedAttempt.json).toMatchObject({ attempt: 1, status: null, error: expect.stringMatching(new RegExp(`^request to ${closedOrigin} failed: ECONNREFUSED`)) });
    expect(attempts.find((l) => l.json.outcome === 'delivered')?.json).toMatchObject({ status: 200, latencyMs: expect.any(Number) });
    expect(attempts.find((l) => l.json.outcome === 'delivered')?.json).not.toHaveProperty('error');
  });
});

describe('a bearer token an upstream error page echoes is not quoted', () => {
  it('Reddit and Bluesky pages that echo the Authorization header leave no token in lastError, the log, Redis or a digest', async () => {
    const reddit = await addSource(s, key, {
      type: 'reddit',
      query: 'alphacorp',
      baseUrl: `${origin}/reddit`,
      oauthBaseUrl: `${origin}/redditecho`,
      credentials: { clientId: 'client-id-x', clientSecret: 'CLIENTSECRET_SECRET_y' },
    });
    const bluesky = await addSource(s, key, {
      type: 'bluesky',
      query: 'alphacorp',
      baseUrl: `${origin}/bsky`,
      credentials: { identifier: 'echo.bsky.social', appPassword: 'APPPASSWORD_SECRET_z' },
    });
    for (const { id } of [reddit, bluesky]) await fetchNow(s, key, id);

    const redditError = (await getSource(s, key, reddit.id)).lastError;
    const blueskyError = (await getSource(s, key, bluesky.id)).lastError;
    // The page is still quoted, what it said about the request is not.
    expect(redditError).toMatch(/^HTTP 502 from http:\/\/127\.0\.0\.1:\d+\/redditecho\/search: Cannot GET \[redacted\] \/ upstream said no to Bearer \[redacted\] \/ Cookie: session=\[redacted\]/);
    expect(blueskyError).toMatch(/^HTTP 502 from http:\/\/127\.0\.0\.1:\d+\/bsky\/xrpc\/app\.bsky\.feed\.searchPosts: Cannot GET \[redacted\] \/ upstream said no to Bearer \[redacted\] \/ Cookie: session=\[redacted\]/);
    const digest = await s.request('POST', '/v1/digests', { key, body: { since: '2026-03-01T00:00:00Z', until: '2026-03-08T00:00:00Z' } });
    expect(digest.status).toBe(201);
    const secrets = { 'Reddit access token': REDDIT_TOKEN, 'Bluesky access JWT': BSKY_ACCESS, 'Bluesky refresh JWT': BSKY_REFRESH, 'quoted refresh token': 'QUOTEDREFRESH_SECRET_42' };
    for (const [what, secret] of Object.entries(secrets)) {
      for (const [where, text] of Object.entries({ redditError, blueskyError, digest: digest.text })) expect(String(text).includes(secret), `${what} in ${where}`).toBe(false);
    }
    expect(await whereShown(secrets)).toEqual([]);
  }, 30_000);
});
