import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mention, seed } from '../support/seed.js';
import { createTestStack, type TestStack } from '../support/stack.js';
import { cleanupList } from './support.js';

// Deleting a brand clears its id from the mentions that carried it in a job. When that job
// cannot be queued (Redis away at the moment of the DELETE) or fails for good, the mentions
// must not keep the deleted brand for ever: still `matched`, they would stay in every stream
// with a brand nobody can filter by.

const cleanup = cleanupList();
let s: TestStack;

beforeAll(async () => {
  s = await createTestStack();
  cleanup.add(() => s.close());
});
afterAll(() => cleanup.run());

describe('a deleted brand whose unlink job was never queued', () => {
  it('is cleared from its mentions by the next scheduler tick, and only once', async () => {
    const { key, id: workspaceId } = await s.workspace('Unlink recovered');
    const brand = (await s.request('POST', '/v1/brands', { key, body: { name: 'Gone', role: 'competitor', query: 'gone' } })).json;
    const kept = (await s.request('POST', '/v1/brands', { key, body: { name: 'Kept', role: 'own', query: 'kept' } })).json;
    const source = (await s.request('POST', '/v1/sources', { key, body: { type: 'rss', url: 'http://127.0.0.1:9/unlink.xml' } })).json;
    const at = new Date(Date.now() - 3_600_000);
    await seed(s.services, {
      workspaceId,
      sourceId: source.id,
      mentions: [mention({ at, brands: [brand.id], text: 'gone alone' }), mention({ at, brands: [brand.id, kept.id], text: 'gone and kept' })],
    });

    // The API's own delete, without the job it would queue next: as if Redis had refused it.
    expect(await s.services.brandRepository.delete(workspaceId, brand.id)).toBe(true);
    await s.tick();

    const rows = await s.db.selectFrom('mentions').select(['text', 'matched', 'brand_ids']).where('workspace_id', '=', workspaceId).orderBy('text').execute();
    expect(rows).toEqual([
      { text: 'gone alone', matched: false, brand_ids: [] },
      { text: 'gone and kept', matched: true, brand_ids: [kept.id] },
    ]);
    expect(await s.db.selectFrom('brand_unlinks').selectAll().where('workspace_id', '=', workspaceId).execute()).toEqual([]);
    // Nothing left to do: the next tick queues no unlink.
    const queued = await s.services.queues.queues.get('maintenance')!.getJobs(['waiting', 'active', 'delayed']);
    expect(queued.filter((j) => j.name === 'brands.unlink')).toEqual([]);
  });
});
