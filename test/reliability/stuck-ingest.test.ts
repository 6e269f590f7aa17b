import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollSource } from '../../src/domain/sources/poll.usecases.js';
import { createIngestPool } from '../../src/infra/ingest-pool/index.js';
import type { TestStack } from '../support/stack.js';
import { addSource, cleanupList, getSource, pollDepsOf, storedItems, upstreamAndStack, type Upstream } from './support.js';

// A feed that sends its reader into a loop that never yields (stood in for by a thread module
// that spins on the body "LOOP") must become a recorded, backed-off failure of that source, not a
// poll that waits for ever while the free event loop keeps renewing its job's lock.

const SLOW_THREAD = fileURLToPath(new URL('../infra/fixtures/slow-thread.mjs', import.meta.url));
const cleanup = cleanupList();
let s: TestStack;
let upstream: Upstream;
let key: string;

beforeAll(async () => {
  ({ upstream, s, key } = await upstreamAndStack(cleanup, 'Stuck ingest', { stopWorkers: true }));
});
afterAll(() => cleanup.run());

describe('a feed that its reader never finishes', () => {
  it('is recorded on its source as a parse timeout and backed off, and its poll ends', async () => {
    const compute = createIngestPool({ threads: 1, filename: SLOW_THREAD, taskDeadlineMs: 1_000 });
    cleanup.add(() => compute.close());
    upstream.routes.set('/loop', { body: 'LOOP' });
    const { id } = await addSource(s, key, { url: upstream.url('/loop'), intervalSeconds: 60 });

    const poll = pollSource({ ...pollDepsOf(s, { compute }), sourceId: id, now: new Date() });
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([poll, new Promise((resolve) => (timer = setTimeout(() => resolve('the poll is still waiting after 10 s'), 10_000)))]);
    clearTimeout(timer);

    expect(outcome).toMatchObject({ outcome: 'failed', error: expect.stringMatching(/took longer than 1000 ms/) });
    const source = await getSource(s, key, id);
    expect(source).toMatchObject({ consecutiveFailures: 1, enabled: true, lastError: expect.stringMatching(/took longer than 1000 ms/) });
    expect(new Date(source.nextFetchAt).getTime() - Date.now()).toBeGreaterThan(30_000);
    expect(await storedItems(s, id)).toHaveLength(0);
  }, 30_000);
});
