import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rss } from '../support/feed-server.js';
import { createTestStack, type TestStack } from '../support/stack.js';
import { addSource, fetchNow, getSource, startUpstream, type Upstream } from '../reliability/support.js';

// A brand query saved under an earlier grammar that no longer parses (`škoda:` became a filter
// name): the workspace's other brands go on matching, the source stays healthy, and a rematch of
// that brand fails with its reason instead of taking its mentions away.

let s: TestStack;
let upstream: Upstream;
beforeAll(async () => {
  upstream = await startUpstream();
  // Without the ingest thread's warm-up (seconds of synthetic polls before the first real one):
  // what is tested is which brands match, not how fast.
  s = await createTestStack({ config: { INGEST_WARM_UP: 'false' } });
});
afterAll(async () => {
  await s.close();
  await upstream.close();
});

describe('a stored query the grammar no longer accepts', () => {
  it('leaves its brand out of matching, not the workspace: other brands match, the source stays healthy', async () => {
    const { key, id: workspaceId } = await s.workspace('Upgraded');
    const good = (await s.request('POST', '/v1/brands', { key, body: { name: 'Acme', role: 'own', query: 'acme' } })).json.id as string;
    const old = (await s.request('POST', '/v1/brands', { key, body: { name: 'Škoda', role: 'competitor', query: 'škoda' } })).json.id as string;
    await s.drain();
    // As an older release stored it: it parsed then.
    await sql`update brands set query = 'škoda: recall' where id = ${old}`.execute(s.db);
    const link = await s.db.selectFrom('brands').select('query').where('id', '=', old).executeTakeFirstOrThrow();
    expect(link.query).toBe('škoda: recall');

    upstream.routes.set('/upgraded', { body: rss([{ guid: 'u1', title: 'Acme and Škoda: recall news', description: 'Acme ships; Škoda recall.', link: 'https://example.com/u1' }]) });
    const source = await addSource(s, key, { url: upstream.url('/upgraded') });
    await fetchNow(s, key, source.id);

    expect((await getSource(s, key, source.id)).consecutiveFailures).toBe(0);
    const stored = await s.db.selectFrom('mentions').select(['brand_ids', 'matched']).where('workspace_id', '=', workspaceId).execute();
    expect(stored).toEqual([{ brand_ids: [good], matched: true }]);

    // The workspace's analytics read the other brands as before. Before: trending keywords and the
    // word cloud answered 500, reading that brand's terms to leave them out.
    for (const path of ['/v1/trending/keywords', '/v1/terms']) {
      const res = await s.request('GET', path, { key });
      expect(res.status, `${path}: ${res.text}`).toBe(200);
    }
  });

  it('fails a rematch of that brand with the reason, and its mentions stay linked', async () => {
    const { key, id: workspaceId } = await s.workspace('Upgraded rematch');
    const brand = (await s.request('POST', '/v1/brands', { key, body: { name: 'Škoda', role: 'own', query: 'škoda' } })).json.id as string;
    upstream.routes.set('/rematch', { body: rss([{ guid: 'r1', title: 'Škoda news', description: 'Škoda ships.', link: 'https://example.com/r1' }]) });
    const source = await addSource(s, key, { url: upstream.url('/rematch') });
    await fetchNow(s, key, source.id);
    const linked = () => s.db.selectFrom('mention_brands').select('mention_id').where('brand_id', '=', brand).execute();
    expect(await linked()).toHaveLength(1);

    await sql`update brands set query = 'škoda: recall', query_version = query_version + 1 where id = ${brand}`.execute(s.db);
    const job = await s.services.queues.add('brands.rematch', { workspaceId, brandId: brand }, { jobId: `rematch-upgrade-${brand}`, attempts: 1, removeOnFail: false });
    await s.drain().catch(() => {});
    const failed = await s.services.queues.queues.get(job.queueName)!.getJob(job.id!);
    expect(failed?.failedReason).toMatch(/unknown filter|filter/);
    expect(await linked()).toHaveLength(1);
  });
});
