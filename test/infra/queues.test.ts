import { createHash, randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { luaScript } from '../../src/infra/redis.js';
import { catalogue, fetchJobId } from '../../src/workers/catalogue.js';
import { createQueues } from '../../src/workers/runtime.js';
import { REDIS_URL, dropRedisPrefix } from '../support/app.js';
import { silentLog } from '../support/db.js';

const prefix = `t${randomBytes(4).toString('hex')}`;
const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
afterAll(async () => {
  redis.disconnect();
  await dropRedisPrefix(prefix);
});

describe('Redis scripts and bulk enqueueing', () => {
  it('a script is sent once, then run by its SHA', async () => {
    const source = `return ARGV[1] .. ':${randomBytes(6).toString('hex')}'`; // unique, so Redis cannot know it yet
    const sha = createHash('sha1').update(source).digest('hex');
    const run = luaScript(source);
    expect(await redis.script('EXISTS', sha)).toEqual([0]);
    expect(String(await run(redis, [], ['first']))).toMatch(/^first:/); // NOSCRIPT, then EVAL
    expect(await redis.script('EXISTS', sha)).toEqual([1]);
    expect(String(await run(redis, [], ['again']))).toMatch(/^again:/); // EVALSHA
  });

  it('addBulk skips job ids already queued and validates every payload', async () => {
    const queues = createQueues({ catalogue, connection: redis, prefix, log: silentLog });
    const a = '00000000-0000-4000-8000-000000000001';
    const b = '00000000-0000-4000-8000-000000000002';
    await queues.add('sources.fetch', { sourceId: a }, { jobId: fetchJobId(a) });
    await queues.addBulk('sources.fetch', [a, b].map((sourceId) => ({ payload: { sourceId }, options: { jobId: fetchJobId(sourceId) } })));
    const waiting = await queues.queues.get('fetch')!.getJobs(['waiting']);
    expect(waiting.map((j) => j.id).sort()).toEqual([fetchJobId(a), fetchJobId(b)]);
    await expect(queues.addBulk('sources.fetch', [{ payload: { sourceId: 'not-a-uuid' } }])).rejects.toThrow();
    await queues.close();
  });
});
