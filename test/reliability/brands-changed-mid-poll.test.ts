import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestCompute } from '../../src/domain/mentions/compute.js';
import { BrandsChangedError, pollSource } from '../../src/domain/sources/poll.usecases.js';
import { createTestStack, type TestStack } from '../support/stack.js';
import { addSource, cleanupList, pollDepsOf, startUpstream, type Upstream } from './support.js';

// A poll matches its items against the brands it read when it began. If a brand's query changes
// meanwhile, and the rematch of the new query runs to its end before the poll commits, that
// rematch has passed the ids the poll's mentions get: stored as matched by the old query, they
// would stay so for good.

const cleanup = cleanupList();
let s: TestStack;
let upstream: Upstream;

beforeAll(async () => {
  upstream = await startUpstream();
  cleanup.add(() => upstream.close());
  s = await createTestStack();
  cleanup.add(() => s.close());
});
afterAll(() => cleanup.run());

const feed = (titles: string[]) => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>News</title><link>https://news.example/</link>
${titles.map((t, i) => `<item><title>${t}</title><link>https://news.example/${i}</link><guid>${t}</guid><description>${t} in the news today</description></item>`).join('\n')}
</channel></rss>`;

/** The stack's compute, with `prepare` held at the gate until the test opens it. */
function gatedCompute() {
  let arrived!: () => void;
  let open!: () => void;
  const atGate = new Promise<void>((resolve) => (arrived = resolve));
  const gate = new Promise<void>((resolve) => (open = resolve));
  let first = true;
  const compute: IngestCompute = {
    ...s.services.compute,
    async prepare(request) {
      const batch = await s.services.compute.prepare(request);
      if (first) {
        first = false;
        arrived();
        await gate;
      }
      return batch;
    },
  };
  return { compute, atGate, open };
}

async function brandTexts(brandId: string) {
  const rows = await s.db
    .selectFrom('mention_brands as mb')
    .innerJoin('mentions as m', 'm.id', 'mb.mention_id')
    .select('m.title')
    .where('mb.brand_id', '=', brandId)
    .orderBy('m.title')
    .execute();
  return rows.map((r) => r.title);
}

describe("a brand's query changed while a poll matches its items", () => {
  it('the poll is not stored with the old matches: it is redone and its mentions follow the new query', async () => {
    const { key, id: workspaceId } = await s.workspace('Brands changed mid-poll');
    const brand = await s.request('POST', '/v1/brands', { key, body: { name: 'Acme', role: 'own', query: 'alpha' } });
    expect(brand.status, brand.text).toBe(201);
    const brandId: string = brand.json.id;
    // The brand's history matched (there is none yet), as the tick would have had it done.
    await s.services.queues.add('brands.rematch', { workspaceId, brandId });
    await s.drain();

    upstream.routes.set('/news', { body: feed(['alpha one', 'delta one']) });
    const { id: sourceId } = await addSource(s, key, { url: upstream.url('/news'), intervalSeconds: 60 });
    const { compute, atGate, open } = gatedCompute();
    const deps = pollDepsOf(s, { compute });
    const poll = pollSource({ ...deps, sourceId, now: new Date() });
    const outcome = poll.then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    await atGate;

    // The query changes and its rematch runs to its end while the poll's items wait to be stored.
    const edit = await s.request('PATCH', `/v1/brands/${brandId}`, { key, body: { query: 'delta' } });
    expect(edit.status, edit.text).toBe(200);
    await s.services.queues.add('brands.rematch', { workspaceId, brandId });
    await s.drain();
    open();

    const first = await outcome;
    expect(first).toMatchObject({ error: expect.any(BrandsChangedError) });
    expect(await brandTexts(brandId)).toEqual([]);

    // The job's retry: the same poll again, matched against the brands as they are now.
    const again = await pollSource({ ...deps, compute: s.services.compute, sourceId, now: new Date() });
    expect(again).toMatchObject({ outcome: 'polled', inserted: 2, matched: 1 });
    expect(await brandTexts(brandId)).toEqual(['delta one']);
    const alpha = await s.db.selectFrom('mentions').select(['matched', 'brand_ids']).where('title', '=', 'alpha one').executeTakeFirstOrThrow();
    expect(alpha).toEqual({ matched: false, brand_ids: [] });
  });
});
