import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { IngestThreadLoadError } from '../../src/infra/ingest-pool/index.js';
import { startEarshot } from '../../src/runtime.js';
import { REDIS_URL, dropRedisPrefix, testConfig } from '../support/app.js';
import { createTestDatabase, silentLog } from '../support/db.js';

// A worker whose ingest threads cannot load their module (a bundle built against packages that
// are not installed, say) must not start: every poll it took would fail. Start-up stops with one
// line naming the file, before any worker takes a job. The process's pool is made to load a
// thread module that throws, the one thing this file changes.

const dir = mkdtempSync(path.join(tmpdir(), 'earshot-startup-'));
const BROKEN = path.join(dir, 'broken-thread.mjs');
writeFileSync(BROKEN, "throw new Error('Cannot find package \\'rss-parser\\'');\n");

vi.mock('../../src/infra/ingest-pool/index.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/infra/ingest-pool/index.js')>();
  return { ...original, createIngestPool: (options: Parameters<typeof original.createIngestPool>[0]) => original.createIngestPool({ ...options, filename: BROKEN }) };
});

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  rmSync(dir, { recursive: true, force: true });
});

describe('start-up with ingest threads that cannot load', () => {
  it('`earshot worker` stops start-up with one line naming the thread file, and no worker takes a job', async () => {
    const database = await createTestDatabase();
    cleanups.push(database.drop);
    const config = testConfig({ DATABASE_URL: database.url, INGEST_THREADS: '2' });
    cleanups.push(() => dropRedisPrefix(config.QUEUE_PREFIX));
    const queue = new Queue('fetch', { connection: new Redis(REDIS_URL, { maxRetriesPerRequest: null }), prefix: config.QUEUE_PREFIX });
    cleanups.push(() => queue.close());
    const job = await queue.add('sources.fetch', { sourceId: '00000000-0000-4000-8000-000000000000' });

    const err = await startEarshot({ roles: ['worker'], config, log: silentLog }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IngestThreadLoadError);
    expect((err as Error).message).toBe(`the ingest thread ${BROKEN} could not be loaded: Cannot find package 'rss-parser'`);
    // Still waiting: no worker was started to take it.
    await new Promise((r) => setTimeout(r, 500));
    expect(await job.getState()).toBe('waiting');
  });
});
