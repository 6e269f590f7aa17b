import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollSource } from '../../src/domain/sources/poll.usecases.js';
import { createIngestPool, IngestThreadLoadError } from '../../src/infra/ingest-pool/index.js';
import { silentLog } from '../support/db.js';
import { rss } from '../support/feed-server.js';
import { createTestStack, type TestStack } from '../support/stack.js';
import { addSource, cleanupList, getSource, pollDepsOf, startUpstream, storedItems, type Upstream } from './support.js';

// Ingest threads that cannot load their module are Earshot's own failure, not the feed's: the
// fetch job fails and is retried (as with Postgres or Redis down), and the source's health
// records nothing against the feed.

const cleanup = cleanupList();
let s: TestStack;
let upstream: Upstream;
let key: string;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'earshot-threads-'));
  cleanup.add(() => rm(dir, { recursive: true, force: true }));
  upstream = await startUpstream();
  cleanup.add(() => upstream.close());
  s = await createTestStack();
  cleanup.add(() => s.close());
  key = (await s.workspace('Threads away')).key;
  await s.request('POST', '/v1/brands', { key, body: { name: 'Acme', role: 'own', query: 'acme' } });
});
afterAll(() => cleanup.run());

describe('ingest threads that cannot load', () => {
  it('fail the poll as transient: the job retries, the source keeps a clean health', async () => {
    const broken = path.join(dir, 'broken-thread.mjs');
    await writeFile(broken, "throw new Error('this bundle is broken');\n");
    const compute = createIngestPool({ threads: 1, warmUp: false, filename: broken, log: silentLog });
    cleanup.add(() => compute.close());
    upstream.routes.set('/feed', { body: rss([{ guid: 'a1', title: 'Acme opens a café', description: 'Acme', link: 'https://news.example.com/a1' }]) });
    const { id } = await addSource(s, key, { url: upstream.url('/feed') });

    await expect(pollSource({ ...pollDepsOf(s, { compute }), sourceId: id, now: new Date() })).rejects.toBeInstanceOf(IngestThreadLoadError);
    expect(await getSource(s, key, id)).toMatchObject({ consecutiveFailures: 0, lastError: null });
    expect(await storedItems(s, id)).toHaveLength(0);

    // With threads that work, the same poll stores the item.
    await expect(pollSource({ ...pollDepsOf(s), sourceId: id, now: new Date() })).resolves.toMatchObject({ outcome: 'polled', inserted: 1 });
  });
});
