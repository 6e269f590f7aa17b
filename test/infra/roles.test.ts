import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createHostSlots } from '../../src/infra/host-slots.js';
import { startEarshot } from '../../src/runtime.js';
import { schedules } from '../../src/workers/index.js';
import { REDIS_URL, dropRedisPrefix, testConfig } from '../support/app.js';
import { createTestDatabase, silentLog } from '../support/db.js';
import { run } from '../support/process.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe.concurrent('process roles', () => {
  it('several scheduler processes starting at once keep exactly one schedule per recurring job', async () => {
    const database = await createTestDatabase();
    cleanups.push(database.drop);
    const config = testConfig({ DATABASE_URL: database.url });
    cleanups.push(() => dropRedisPrefix(config.QUEUE_PREFIX));
    const started = await Promise.all([1, 2, 3].map(() => startEarshot({ roles: ['scheduler'], config, log: silentLog })));
    const queue = new Queue('scheduler', { connection: new Redis(REDIS_URL, { maxRetriesPerRequest: null }), prefix: config.QUEUE_PREFIX });
    const maintenance = new Queue('maintenance', { connection: new Redis(REDIS_URL, { maxRetriesPerRequest: null }), prefix: config.QUEUE_PREFIX });
    const ids = [...(await queue.getJobSchedulers()), ...(await maintenance.getJobSchedulers())].map((s) => s.key).sort();
    expect(ids).toEqual(schedules({ config } as never).map((s) => s.id).sort());
    // And one pending tick, not one per process.
    const pending = await queue.getJobs(['waiting', 'delayed', 'prioritized']);
    expect(pending.filter((j) => j.name === 'sources.tick')).toHaveLength(1);
    await queue.close();
    await maintenance.close();
    for (const r of started) expect(await r.shutdown.shutdown('test')).toBe(true);
  });

  it('`earshot workspace create` prints the same JSON shape as POST /v1/workspaces, and `api-key create` issues another', async () => {
    const database = await createTestDatabase();
    cleanups.push(database.drop);
    const cli = run('node', ['bin/earshot.js', 'workspace', 'create', 'Kávovar', 'Praha'], { DATABASE_URL: database.url, LOG_LEVEL: 'warn' });
    expect((await cli.exited).code, cli.output()).toBe(0);
    const printed = JSON.parse(cli.output());
    expect(Object.keys(printed).sort()).toEqual(['apiKey', 'apiKeyId', 'createdAt', 'id', 'name']);
    expect(printed).toMatchObject({ name: 'Kávovar Praha', apiKey: expect.stringMatching(/^esk_/) });
    const row = await database.db.selectFrom('api_keys').select('workspace_id').where('id', '=', printed.apiKeyId).executeTakeFirstOrThrow();
    expect(row.workspace_id).toBe(printed.id);

    // A workspace whose keys are lost gets a new one from the operator; an unknown id is named.
    await database.db.updateTable('api_keys').set({ revoked_at: new Date() }).where('workspace_id', '=', printed.id).execute();
    // The commands below at once, each a process of its own.
    const issued = run('node', ['bin/earshot.js', 'api-key', 'create', printed.id, 'přístup', 'znovu'], { DATABASE_URL: database.url, LOG_LEVEL: 'warn' });
    const unknown = '00000000-0000-4000-8000-000000000000';
    const refused = run('node', ['bin/earshot.js', 'api-key', 'create', unknown], { DATABASE_URL: database.url, LOG_LEVEL: 'warn' });
    // A name the API would refuse is refused the same way, before Postgres is asked.
    const badNames = (
      [
        [['workspace', 'create', 'x'.repeat(201)], 'name: must be at most 200 characters'],
        [['workspace', 'create', '   '], 'workspace create: give the workspace a name'],
        [['api-key', 'create', printed.id, 'y'.repeat(201)], 'name: must be at most 200 characters'],
      ] as const
    ).map(([args, says]) => ({ says, bad: run('node', ['bin/earshot.js', ...args], { DATABASE_URL: database.url, LOG_LEVEL: 'warn' }) }));

    expect((await issued.exited).code, issued.output()).toBe(0);
    const key = JSON.parse(issued.output());
    // Named as POST /v1/api-keys names it: `apiKey`, as `workspace create` prints, and the deprecated `key`.
    expect(key).toMatchObject({ name: 'přístup znovu', apiKey: expect.stringMatching(/^esk_/), revokedAt: null });
    expect(key.key).toBe(key.apiKey);
    const stored = await database.db.selectFrom('api_keys').select(['workspace_id', 'revoked_at']).where('id', '=', key.id).executeTakeFirstOrThrow();
    expect(stored).toEqual({ workspace_id: printed.id, revoked_at: null });
    expect((await refused.exited).code).toBe(1);
    expect(refused.output()).toContain(`no workspace has the id "${unknown}"`);

    for (const { says, bad } of badNames) {
      expect((await bad.exited).code, bad.output()).toBe(2);
      expect(bad.output()).toContain(says);
      expect(bad.output()).not.toContain('Postgres');
    }
  }, 120_000);
});

describe.concurrent('per-host politeness', () => {
  it('caps concurrent requests per host across holders and frees slots on release, however long they are held', async () => {
    const redis = new Redis(REDIS_URL);
    const prefix = `t${randomBytes(4).toString('hex')}`;
    cleanups.push(async () => {
      redis.disconnect();
      await dropRedisPrefix(prefix);
    });
    const slots = createHostSlots({ redis, prefix, perHost: 2, leaseMs: 300 });
    const a = await slots.acquire('feeds.example.com', 'a');
    const b = await slots.acquire('feeds.example.com', 'b');
    expect(a).not.toBeNull();
    expect(b).not.toBeNull();
    expect(await slots.acquire('feeds.example.com', 'c')).toBeNull();
    expect(await slots.acquire('other.example.com', 'd')).not.toBeNull(); // another host is not held up
    await a!();
    const e = await slots.acquire('feeds.example.com', 'e');
    expect(e).not.toBeNull();
    expect(await slots.acquire('feeds.example.com', 'f')).toBeNull();
    // Live holders keep their slots past the lease (a dead holder's slot expiring: test/infra/host-slots.test.ts).
    await new Promise((r) => setTimeout(r, 350));
    expect(await slots.acquire('feeds.example.com', 'g')).toBeNull();
    await b!();
    await e!();
    expect(await slots.acquire('feeds.example.com', 'g')).not.toBeNull();
  });
});
