import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

// Fetches run in the order the tick queues them. Oldest first across the deployment put a whole
// workspace's backlog (40 slow feeds) ahead of another workspace's one due feed, which then waited
// for all of them: the tick's batch takes the workspaces in turn.

let t: TestApp;
let busy: string;
let quiet: string;
let third: string;
const now = new Date();
const secondsBefore = (s: number) => new Date(now.getTime() - s * 1000);

beforeAll(async () => {
  t = await createTestApp();
  busy = (await t.workspace('Busy')).id;
  quiet = (await t.workspace('Quiet')).id;
  third = (await t.workspace('Third')).id;
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.db.deleteFrom('sources').execute();
});

/** Due sources of a workspace, one host each unless `host` is given, due `ages` seconds ago; their ids in the order of `ages`. */
async function sources(workspaceId: string, ages: number[], host?: string): Promise<string[]> {
  const ids = ages.map(() => randomUUID());
  await t.db
    .insertInto('sources')
    .values(
      ages.map((age, i) => {
        const h = host ?? `feeds-${ids[i]!.slice(0, 8)}.example.org`;
        return { id: ids[i], workspace_id: workspaceId, type: 'rss', config: JSON.stringify({ url: `https://${h}/${i}` }), host: h, next_fetch_at: secondsBefore(age) };
      }),
    )
    .execute();
  return ids;
}

const range = (n: number, from: number) => Array.from({ length: n }, (_, i) => from - i);
const due = async (limit = 1000, perHost = 80) => (await t.deps.sourceRepository.due(now, { limit, perHost })).map((r) => r.id);

describe('due sources, fair across workspaces', () => {
  it("takes the workspaces in turn, each one's oldest first, so one workspace's backlog does not queue ahead of another's sources", async () => {
    const backlog = await sources(busy, range(40, 5000));
    const few = await sources(quiet, [30, 20, 10]);
    expect(await due()).toEqual([backlog[0], few[0], backlog[1], few[1], backlog[2], few[2], ...backlog.slice(3)]);
  });

  it('within a round, the workspace whose next source is older comes first', async () => {
    const a = await sources(busy, [100, 90]);
    const b = await sources(quiet, [200, 5]);
    const c = await sources(third, [50]);
    // Oldest first alone would have put a's second (90 s) before c's only one (50 s).
    expect(await due()).toEqual([b[0], a[0], c[0], a[1], b[1]]);
  });

  it("when one workspace's backlog is larger than the batch, the other workspaces' due sources are in it", async () => {
    const backlog = await sources(busy, range(50, 9000));
    const few = await sources(quiet, [3, 2, 1]);
    const ids = await due(10);
    expect(ids).toHaveLength(10);
    expect(few.filter((id) => !ids.includes(id)), "the quiet workspace's sources left for a later tick").toEqual([]);
    // The busy workspace's oldest, not any seven.
    expect(ids.filter((id) => backlog.includes(id))).toEqual(backlog.slice(0, 7));
  });

  it("a workspace's share of the batch still takes each of its hosts' oldest before any host's next, within the per-host cap", async () => {
    const crowded = await sources(busy, range(30, 8000), 'www.reddit.com');
    const others = await sources(busy, [10, 9, 8]);
    const few = await sources(quiet, [5]);
    const ids = await due(8, 20);
    expect(ids).toHaveLength(8);
    expect(ids).toEqual(expect.arrayContaining([...others, ...few]));
    expect(ids.filter((id) => crowded.includes(id))).toEqual(crowded.slice(0, 4));
    expect((await due(1000, 20)).filter((id) => crowded.includes(id))).toEqual(crowded.slice(0, 20));
  });
});
