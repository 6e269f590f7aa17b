import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// The pool detaches ArrayBuffers on every poll (a feed's bytes to a thread, its rows back). The
// first detach in a thread makes V8 throw out all the optimised code that assumed none ever would
// (its ArrayBufferDetaching protector), so the event loop and each pool thread give up that
// assumption at start. Left to the first poll, it threw out what the thread's warm-up had just
// optimised: prepareMentions, the matcher, the word scanner, URLs, HTML. V8 traces the protector
// and its optimisation decisions in the order they happen: the protector must go before the
// warm-up optimises the ingest code.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const resolve = createRequire(ROOT + 'package.json').resolve;

// CommonJS through tsx's require hook, as the pool's thread.cjs loads the sources: tsx's ESM
// loader would detach buffers of its own at start in every thread and hide what is tested.
const CHILD = `
require(${JSON.stringify(resolve('tsx/cjs'))});
const { readFileSync } = require('node:fs');
const { createIngestPool } = require(${JSON.stringify(path.join(ROOT, 'src/infra/ingest-pool/index.ts'))});
(async () => {
  const pool = createIngestPool({ threads: 1 });
  const now = new Date();
  for (let i = 0; i < 3; i++) {
    const batch = await pool.prepare({
      feed: { body: { bytes: readFileSync(${JSON.stringify(path.join(ROOT, 'test/fixtures/feeds/rss-2.0.xml'))}), contentType: null }, opts: { feedUrl: 'https://feeds.example.com/feed.xml', fetchedAt: now } },
      sourceType: 'rss', fetchedAt: now, isBacklog: false,
      brands: { workspaceId: 'ws', version: '1', brands: [{ id: 'b', name: 'Example', query: 'example OR acme' }] },
    });
    if (batch.size === 0) throw new Error('the fixture gave no items');
  }
  await pool.close();
})();
`;

describe('ingest pool and detached buffers', () => {
  it('gives up the no-detached-buffer assumption in both threads before the warm-up optimises the ingest code', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'earshot-detaching-'));
    const script = path.join(dir, 'child.cjs');
    await writeFile(script, CHILD);
    const { stdout } = await promisify(execFile)(process.execPath, ['--trace-protector-invalidation', '--trace-opt', script], {
      maxBuffer: 64 * 1024 * 1024,
      timeout: 60_000,
    }).finally(() => rm(dir, { recursive: true, force: true }));
    const lines = stdout.split('\n');
    const invalidations = lines.flatMap((line, i) => (line.startsWith('Invalidating protector cell ArrayBufferDetaching') ? [i] : []));
    const ingestOptimised = lines.findIndex((line) => /^\[marking .*<JSFunction (prepareMentions|scoreTokens|detectLanguage) .*for optimization/.test(line));
    // One in the event loop's isolate, one in the pool thread's.
    expect(invalidations).toHaveLength(2);
    expect(ingestOptimised, 'the warm-up optimised none of the ingest code').toBeGreaterThan(-1);
    expect(Math.max(...invalidations)).toBeLessThan(ingestOptimised);
  }, 90_000);
});
