import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { dumpRedis } from '../support/redis-dump.js';
import { createTestStack, type TestStack } from '../support/stack.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/connectors/bluesky/${name}`, import.meta.url), 'utf8'));
const session = fixture('createSession.json');
const posts = fixture('searchPosts.json');
const appPassword = 'zq7w-secret-app-pass';

let logs = '';
let s: TestStack;
let server: Server;
let base: string;
const responses: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.url?.startsWith('/xrpc/com.atproto.server.createSession')) {
        const { password } = JSON.parse(body) as { password: string };
        res.end(JSON.stringify(password === appPassword ? session : { error: 'AuthenticationRequired' }));
      } else if (req.url?.startsWith('/xrpc/app.bsky.feed.searchPosts')) {
        res.end(JSON.stringify(req.headers.authorization === `Bearer ${session.accessJwt}` ? posts : { error: 'AuthRequired' }));
      } else res.writeHead(404).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const log = createLogger({ level: 'trace', destination: new Writable({ write: (chunk, _e, done) => ((logs += chunk.toString()), done()) }) });
  s = await createTestStack({ log, config: { SECRET_KEY: randomBytes(32).toString('hex') } });
});
afterAll(async () => {
  await s.close();
  server.close();
});

async function call(method: string, path: string, init: Parameters<TestStack['request']>[2] = {}) {
  const res = await s.request(method, path, init);
  responses.push(res.text);
  return res;
}

describe('a source credential is never shown, logged or queued', () => {
  it('appears in no API response, no log line, no Redis key or job, and is sealed in Postgres', async () => {
    const { key } = await s.workspace('Secrets');
    await call('POST', '/v1/brands', { key, body: { name: 'Acme', role: 'own', query: 'acme' } });
    const created = await call('POST', '/v1/sources', {
      key,
      body: { type: 'bluesky', query: 'acme', baseUrl: base, credentials: { identifier: 'acme.bsky.social', appPassword } },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.json.hasCredentials).toBe(true);
    await call('GET', `/v1/sources/${created.json.id}`, { key });
    await call('GET', '/v1/sources', { key });
    await call('PATCH', `/v1/sources/${created.json.id}`, { key, body: { intervalSeconds: 600 } });
    await call('POST', `/v1/sources/${created.json.id}/fetch`, { key });
    await s.drain();
    await s.tick();
    // A refused request must not echo the secret either.
    await call('POST', '/v1/sources', { key, body: { type: 'bluesky', query: 'x', credentials: { identifier: 'a', appPassword, extra: appPassword } } });

    const health = await call('GET', `/v1/sources/${created.json.id}`, { key });
    expect(health.json).toMatchObject({ lastStatus: 200, consecutiveFailures: 0 }); // the login worked
    const secrets = [appPassword, session.accessJwt as string, session.refreshJwt as string];
    const redis = await dumpRedis(s.config.QUEUE_PREFIX);
    expect(redis.length).toBeGreaterThan(0);
    expect(logs).toContain('source polled');
    const stored = await s.db.selectFrom('sources').select(['credentials', 'state']).where('id', '=', created.json.id).executeTakeFirstOrThrow();
    for (const secret of secrets) {
      for (const [where, text] of [['API responses', responses.join('\n')], ['logs', logs], ['Redis', redis], ['source state', JSON.stringify(stored.state)]] as const) {
        expect(text.includes(secret), `${secret.slice(0, 6)}… found in ${where}`).toBe(false);
      }
    }
    expect(stored.credentials).toMatch(/^v1\./);
    expect(stored.credentials).not.toContain(appPassword);
  }, 60_000);
});
