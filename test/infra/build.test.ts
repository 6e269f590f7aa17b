import { stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module without types, run by bin/earshot.js before any TypeScript loads
import { DIST, ensureBuilt, isBuilt } from '../../scripts/build.mjs';

// `earshot` runs the bundle in dist/; a source edited after the last build must never run stale.

const SOURCE = fileURLToPath(new URL('../../src/domain/text/tokens.ts', import.meta.url));

describe('the dist/ build', () => {
  it('is rebuilt when a source file is newer than it, and only then', async () => {
    const entry: string = await ensureBuilt();
    expect(entry).toBe(new URL(`file://${path.join(DIST, 'cli.mjs')}`).href);
    expect(await isBuilt()).toBe(true);
    const builtAt = (await stat(path.join(DIST, 'cli.mjs'))).mtimeMs;

    const { atime, mtime } = await stat(SOURCE);
    const later = new Date(Date.now() + 60_000);
    try {
      await utimes(SOURCE, later, later);
      expect(await isBuilt()).toBe(false);
      await ensureBuilt();
      expect((await stat(path.join(DIST, 'cli.mjs'))).mtimeMs).toBeGreaterThan(builtAt);
    } finally {
      await utimes(SOURCE, atime, mtime);
    }
    expect(await isBuilt()).toBe(true);
  });
});
