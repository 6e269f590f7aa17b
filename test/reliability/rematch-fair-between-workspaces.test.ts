import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdOffRematches } from '../../src/domain/brands/rematch.repository.js';
import { mention, seed } from '../support/seed.js';
import { createTestStack, type TestStack } from '../support/stack.js';
import { cleanupList, waitUntil } from './support.js';

// One rematch or unlink job per workspace runs at a time. A workspace busy re-matching (hundreds
// of new brands) must not hold the maintenance queue's slots waiting on its own lock while other
// workspaces' new brands wait minutes for their history.

const cleanup = cleanupList();
let s: TestStack;
beforeAll(async () => {
  s = await createTestStack();
  cleanup.add(() => s.close());
});
afterAll(() => cleanup.run());

async function workspaceWithHistory(name: string, word: string) {
  const ws = await s.workspace(name);
  const source = (await s.request('POST', '/v1/sources', { key: ws.key, body: { type: 'rss', url: `http://127.0.0.1:9/${word}.xml` } })).json.id as string;
  await seed(s.services, { workspaceId: ws.id, sourceId: source, mentions: [0, 1, 2].map((i) => mention({ at: new Date(Date.now() - (i + 1) * 3_600_000), brands: [], text: `${word} news ${i}` })) });
  return ws;
}

const linked = async (brandId: string) =>
  Number((await s.db.selectFrom('mention_brands').select((eb) => eb.fn.countAll().as('n')).where('brand_id', '=', brandId).executeTakeFirstOrThrow()).n);

describe('rematch jobs of a busy workspace', () => {
  it('wait for their workspace without taking slots from another workspace, and run once it is free', async () => {
    const busy = await workspaceWithHistory('Busy', 'alpha');
    const other = await workspaceWithHistory('Other', 'kofola');
    // The busy workspace's batches wait a long while (a big poll storing, as a long batch would):
    // a transaction holds its rematch lock until released.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    const holder = s.db.transaction().execute(async (trx) => {
      await holdOffRematches(trx, busy.id);
      locked();
      await held;
    });
    await lockTaken;

    // More rematches of the busy workspace than the queue has slots, then one of the other's.
    const busyBrands: string[] = [];
    try {
      for (let i = 0; i < 12; i++) {
        busyBrands.push((await s.request('POST', '/v1/brands', { key: busy.key, body: { name: `Alpha ${i}`, role: 'competitor', query: 'alpha' } })).json.id);
      }
      const kofola = (await s.request('POST', '/v1/brands', { key: other.key, body: { name: 'Kofola', role: 'own', query: 'kofola' } })).json.id as string;
      // The scheduler's tick enqueues the rematches (no scheduler runs in the stack; s.tick() would wait for them all).
      await s.services.queues.add('sources.tick', {});

      // Before, the busy workspace's jobs took every slot (4 here, WORKER_CONCURRENCY in production)
      // and waited on its lock; Kofola's history waited behind them.
      await waitUntil("the other workspace's history", async () => (await linked(kofola)) === 3, 15_000);
      for (const id of busyBrands) expect(await linked(id)).toBe(0);
    } finally {
      release();
      await holder;
    }
    await s.services.queues.add('sources.tick', {});
    await waitUntil("the busy workspace's histories", async () => (await Promise.all(busyBrands.map(linked))).every((n) => n === 3), 30_000);
  });
});
