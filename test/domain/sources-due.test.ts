import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildHandlers } from '../../src/workers/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { silentLog } from '../support/db.js';

// The tick takes a bounded batch of due sources. One host with a deep backlog (a user with 1,500
// Reddit feeds) must not fill every batch while sources of idle hosts wait their turn.

let t: TestApp;
let workspaceId: string;
// The tick reads the clock: every source here is due (or not) relative to the start of the run.
const now = new Date();
const secondsBefore = (s: number) => new Date(now.getTime() - s * 1000);

beforeAll(async () => {
  t = await createTestApp();
  workspaceId = (await t.workspace('Due')).id;
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.db.deleteFrom('sources').execute();
  await t.deps.queues.queues.get('fetch')!.obliterate({ force: true });
});

/** Sources of one host, due `ages` seconds ago; returns their ids in the order of `ages`. */
async function sources(host: string, ages: number[], extra: { enabled?: boolean } = {}): Promise<string[]> {
  const ids = ages.map(() => randomUUID());
  for (let i = 0; i < ages.length; i += 1000) {
    await t.db
      .insertInto('sources')
      .values(
        ages.slice(i, i + 1000).map((age, j) => ({
          id: ids[i + j],
          workspace_id: workspaceId,
          type: 'rss',
          config: JSON.stringify({ url: `https://${host}/feed` }),
          host,
          enabled: extra.enabled ?? true,
          next_fetch_at: secondsBefore(age),
        })),
      )
      .execute();
  }
  return ids;
}

const range = (n: number, from: number) => Array.from({ length: n }, (_, i) => from - i);

/** One tick, as the scheduler runs it (it reads neither the job nor its lock); returns the sources it enqueued. */
async function tick(): Promise<string[]> {
  await buildHandlers(t.deps)['sources.tick']({}, { log: silentLog, job: undefined as never, token: undefined });
  const jobs = await t.deps.queues.queues.get('fetch')!.getJobs(['waiting']);
  return jobs.map((j) => (j.data as { sourceId: string }).sourceId);
}

describe('due sources, fair across hosts', () => {
  it('when 1,200 older due sources share one host, one tick still enqueues every due source of another host', async () => {
    const busy = await sources('www.reddit.com', range(1200, 5000));
    const idle = await sources('news.example.org', range(5, 60));

    const enqueued = await tick();
    expect(enqueued.length).toBeLessThanOrEqual(1000);
    expect(idle.filter((id) => !enqueued.includes(id)), "the idle host's sources left for a later tick").toEqual([]);
    // The backlogged host still gets its oldest, more than it has politeness slots for.
    const taken = busy.filter((id) => enqueued.includes(id));
    expect(taken.length).toBeGreaterThan(t.config.HOST_CONCURRENCY);
    expect(taken).toEqual(busy.slice(0, taken.length));
  });

  it("a host's share is its oldest due sources, at most the per-host cap, and the batch comes oldest first across hosts", async () => {
    const busy = await sources('www.reddit.com', range(1200, 5000));
    const idle = await sources('news.example.org', range(5, 60));
    await sources('news.example.org', [-30]); // not due yet
    await sources('news.example.org', [4000], { enabled: false });

    const due = (await t.deps.sourceRepository.due(now, { limit: 1000, perHost: 40 })).map((r) => r.id);
    expect(due).toEqual([...busy.slice(0, 40), ...idle]);
  });

  it('when the capped shares overflow the batch, every host gets its oldest sources before any host gets more', async () => {
    // 30 hosts with 60 due each, their n-th oldest all within a second of each other, and one
    // host with 3 sources newer than all of them.
    const byHost: string[][] = [];
    for (let h = 0; h < 30; h++) byHost.push(await sources(`feeds${h}.example.com`, Array.from({ length: 60 }, (_, i) => 10_000 - h - i * 31)));
    const late = await sources('late.example.net', [10, 9, 8]);

    const due = await t.deps.sourceRepository.due(now, { limit: 1000, perHost: 50 });
    const ids = due.map((r) => r.id);
    expect(ids).toHaveLength(1000);
    expect(ids).toEqual(expect.arrayContaining(late));
    // 31 hosts into 1,000: the late host's 3, then each of the 30 its 33 oldest (993 in all), and the
    // seven whose 34th is oldest a 34th. Oldest first alone would have been 1,000 of the 30 hosts' 1,500.
    const shares = byHost.map((host) => {
      const taken = ids.filter((id) => host.includes(id));
      expect(taken).toEqual(host.slice(0, taken.length));
      return taken.length;
    });
    expect(shares).toEqual([...Array(7).fill(34), ...Array(23).fill(33)]);
    const times = due.map((r) => r.next_fetch_at.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });
});
