import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schedules } from '../../src/workers/index.js';
import { createTestStack, type TestStack } from '../support/stack.js';
import type { Child } from '../support/process.js';
import { cleanupList, startEarshotProcess } from './support.js';

// RELIABILITY 14: however many scheduler processes start at once, the deployment has one schedule
// per recurring job, so ticks are not doubled.

const cleanup = cleanupList();
let s: TestStack;

beforeAll(async () => {
  s = await createTestStack();
  cleanup.add(() => s.close());
  // Nothing runs the ticks here: a duplicated schedule would show as a second pending tick.
  await s.stopWorkers();
});
afterAll(() => cleanup.run());

describe('recurring jobs', () => {
  it('three scheduler processes started at the same moment register each schedule once, with one pending tick', async () => {
    const children: Child[] = await Promise.all(
      [1, 2, 3].map(async () => {
        const child = await startEarshotProcess(s, { role: 'scheduler', env: { SCHEDULER_TICK_MS: '1000' } });
        cleanup.add(() => void child.proc.kill('SIGKILL'));
        return child;
      }),
    );
    for (const child of children) expect(child.output()).toContain('schedules registered');

    const queues = [...s.services.queues.queues.values()];
    const schedulers = (await Promise.all(queues.map((q) => q.getJobSchedulers()))).flat();
    const expected = schedules(s.services);
    expect(expected.map((e) => e.id)).toContain('sources-tick');
    expect(schedulers.map((j) => j.key).sort()).toEqual(expected.map((e) => e.id).sort());
    // Let a few tick periods pass: still one job waiting per schedule, not one per process or per period.
    await new Promise((r) => setTimeout(r, 2_500));
    const pending = (await Promise.all(queues.map((q) => q.getJobs(['waiting', 'delayed', 'prioritized'])))).flat();
    for (const { job } of expected) expect(pending.filter((j) => j.name === job), job).toHaveLength(1);

    for (const child of children) child.proc.kill('SIGTERM');
    for (const child of children) expect((await child.exited).code, child.output()).toBe(0);
  }, 90_000);
});
