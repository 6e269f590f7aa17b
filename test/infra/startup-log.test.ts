import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { scratchDatabase } from '../support/db.js';
import { freePort, ROOT, run } from '../support/process.js';
import { startPrivateRedis } from '../reliability/support.js';

// The one "started" line says which release runs and where it is pointed (Postgres host, port and
// database; Redis host, port and db; the queue prefix), so the logs of several installations, or
// of both releases during a rolling upgrade, can be told apart; and it never says a password.

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe('the "earshot started" line', () => {
  it('names the release, the Postgres and Redis it uses and QUEUE_PREFIX, without either password', async () => {
    const redisPassword = `redis-pw-${randomBytes(6).toString('hex')}`;
    const redis = await startPrivateRedis({ password: redisPassword });
    cleanups.push(() => redis.kill());
    // Postgres here trusts local connections: the password is sent to no one, but is in the URL.
    const postgresPassword = `pg-pw-${randomBytes(6).toString('hex')}`;
    const database = new URL(await scratchDatabase(cleanups));
    database.password = postgresPassword;
    const redisUrl = new URL(redis.url);
    redisUrl.pathname = '/3';
    const prefix = `t${randomBytes(4).toString('hex')}`;

    const child = run('node', ['bin/earshot.js', 'api'], {
      DATABASE_URL: database.toString(),
      REDIS_URL: redisUrl.toString(),
      QUEUE_PREFIX: prefix,
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    });
    cleanups.push(async () => void (child.proc.exitCode === null && child.proc.kill('SIGKILL')));
    await child.waitFor(/"msg":"earshot started"/, 60_000);
    child.proc.kill('SIGTERM');
    expect((await child.exited).code, child.output()).toBe(0);

    const started = child
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.msg === 'earshot started');
    expect(started).toHaveLength(1);
    const { version } = JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')) as { version: string };
    expect(started[0]).toMatchObject({
      roles: ['api'],
      release: version,
      postgres: { host: database.hostname, port: Number(database.port || 5432), database: database.pathname.slice(1) },
      redis: { host: '127.0.0.1', port: Number(redisUrl.port), db: 3, tls: false },
      queuePrefix: prefix,
    });
    expect(child.output()).not.toContain(postgresPassword);
    expect(child.output()).not.toContain(redisPassword);
  }, 90_000);
});
