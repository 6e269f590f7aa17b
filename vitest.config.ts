import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    // At least two test files at once. Vitest's default leaves a core free, which is one worker
    // on a 2-core machine, but most of our files spend their time waiting on Postgres, Redis,
    // child processes and timers rather than computing. Each file has its own database and queue
    // prefix, so files share no state. Larger machines keep Vitest's default (cores − 1).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 30_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
