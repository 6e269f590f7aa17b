import { afterAll, describe, expect, it } from 'vitest';
import { scratchDatabase } from '../support/db.js';
import { freePort, run } from '../support/process.js';

// README: every role stops gracefully on SIGTERM/SIGINT, also while it is still starting, and
// exits 0. The first seconds of `earshot start` go to loading the command (checking or building
// dist/, importing the bundle) before any of Earshot runs: a signal then must not kill the process
// (exit 143, no log line), which an orchestrator reports as a failure.

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function signalledAfter(ms: number, signal: NodeJS.Signals) {
  // Nothing is started when the signal comes early; should it come later, start-up is waiting
  // for a Redis that is not there, which a stop also ends cleanly.
  const url = await scratchDatabase(cleanups, { create: false });
  const cli = run('node', ['bin/earshot.js', 'start'], { DATABASE_URL: url, REDIS_URL: `redis://127.0.0.1:${await freePort()}`, LOG_LEVEL: 'info', INGEST_THREADS: '0' });
  await new Promise((r) => setTimeout(r, ms));
  const signalled = Date.now();
  cli.proc.kill(signal);
  const exit = await cli.exited;
  return { exit, output: cli.output(), tookMs: Date.now() - signalled };
}

describe('a signal in the first seconds after launch', () => {
  it.each([
    [400, 'SIGTERM'],
    [800, 'SIGINT'],
    // Around the hand-over from bin/earshot.js's listener to src/cli.ts's, on a quiet host: a
    // signal that arrived while the bundle loaded was lost when the one was removed before the
    // other listened (the process went on starting, then failed on the missing Redis: exit 1).
    [1_000, 'SIGTERM'],
    [1_200, 'SIGTERM'],
    [1_600, 'SIGTERM'],
  ] as const)('%i ms after launch, %s: logs the stop and exits 0', async (ms, signal) => {
    const { exit, output, tookMs } = await signalledAfter(ms, signal);
    // Before: { code: null, signal: 'SIGTERM' } (143 in a shell) and no output at all.
    expect(exit, output).toEqual({ code: 0, signal: null });
    expect(output).toContain('stopped during start-up');
    expect(output).toContain(`"signal":"${signal}"`);
    expect(output).not.toMatch(/\n\s+at /);
    expect(tookMs).toBeLessThan(5_000);
  }, 60_000);
});
