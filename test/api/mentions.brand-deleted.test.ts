import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRematchRepository } from '../../src/domain/brands/rematch.repository.js';
import { unlinkBrand } from '../../src/domain/brands/rematch.usecases.js';
import type { Mention } from '../../src/domain/mentions/mentions.usecases.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { parseCsv } from '../support/csv.js';
import { mention, seed } from '../support/seed.js';
import { collectEvents } from '../support/sse.js';

// A DELETE /v1/brands/:id answers 204 before its id is cleared from the mentions that carried it
// (`brands.unlink`, queued and run by a worker: none runs here, so the unlink waits in
// brand_unlinks). From the 204 on, mention reads already answer as they will after the unlink:
// the deleted id is in no brandIds or brandSentiments, and a mention that had only that brand is
// not listed (the unlink returns it to the raw store).

let t: TestApp;
let ws: { id: string; key: string };
let kept: string;
let deleted: string;
const ids: Record<'both' | 'onlyDeleted' | 'onlyKept', string> = { both: '', onlyDeleted: '', onlyKept: '' };
const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000);

beforeAll(async () => {
  t = await createTestApp({ config: { RATE_LIMIT_PER_MINUTE: '100000' } });
  ws = await t.workspace('Deleted brand');
  kept = (await t.ok('POST', '/v1/brands', ws.key, { name: 'Lumen', role: 'own', query: 'lumen' })).json.id;
  deleted = (await t.ok('POST', '/v1/brands', ws.key, { name: 'Kofi', role: 'competitor', query: 'kofi' })).json.id;
  const sourceId = (await t.ok('POST', '/v1/sources', ws.key, { type: 'rss', url: 'http://127.0.0.1:9/deleted-brand.xml' })).json.id;
  const stored = await seed(t.deps, {
    workspaceId: ws.id,
    sourceId,
    mentions: [
      mention({ at: at(30), brands: [kept, deleted], text: 'Lumen is great, Kofi is not', label: 'neutral', brandSentiments: { [kept]: { score: 0.7, label: 'positive' }, [deleted]: { score: -0.7, label: 'negative' } } }),
      mention({ at: at(20), brands: [deleted], text: 'Kofi alone', label: 'negative' }),
      mention({ at: at(10), brands: [kept], text: 'Lumen alone', label: 'positive' }),
    ],
  });
  const [both, onlyDeleted, onlyKept] = stored.map((s) => String(s.id));
  Object.assign(ids, { both, onlyDeleted, onlyKept });
  expect((await t.request('DELETE', `/v1/brands/${deleted}`, { key: ws.key })).status).toBe(204);
});
afterAll(async () => t.close());

/** What the mention reads answer: the list, each mention by id, the CSV export and a live replay from the start. */
async function reads() {
  const list = (await t.ok('GET', '/v1/mentions', ws.key)).json.items as Mention[];
  const byId = Object.fromEntries(
    await Promise.all(
      Object.entries(ids).map(async ([name, id]) => {
        const res = await t.request('GET', `/v1/mentions/${id}`, { key: ws.key });
        return [name, res.status === 200 ? (res.json as Mention) : res.status] as const;
      }),
    ),
  );
  const csv = parseCsv((await t.ok('GET', '/v1/mentions/export.csv', ws.key)).text.replace(/^\uFEFF/, ''));
  const [header, ...rows] = csv;
  const col = (name: string) => header!.indexOf(name);
  const exported = rows.map((r) => ({ id: r[col('id')], brandIds: r[col('brand_ids')], brandNames: r[col('brand_names')], brandSentiments: r[col('brand_sentiments')] }));
  const res = await t.app.request('/v1/mentions/live', { headers: { authorization: `Bearer ${ws.key}`, 'last-event-id': '0' } });
  expect(res.status).toBe(200);
  const stream = collectEvents<Mention>(res);
  const deadline = Date.now() + 5_000;
  while (stream.events.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  // The replay is done once the stream is live: one more beat for an event that should not come.
  await new Promise((r) => setTimeout(r, 200));
  await stream.close();
  const replayed = stream.events.map((e) => e.data);
  const brandFilter = {
    list: (await t.request('GET', `/v1/mentions?brand=${deleted}`, { key: ws.key })).status,
    csv: (await t.request('GET', `/v1/mentions/export.csv?brand=${deleted}`, { key: ws.key })).status,
  };
  return { list, byId, exported, replayed, brandFilter };
}

const brandsOf = (m: Mention) => ({ id: m.id, brandIds: m.brandIds, brandSentiments: m.brandSentiments.map((b) => b.brandId) });

describe('mention reads right after a brand is deleted, before its unlink has run', () => {
  it('the unlink is still pending: the mentions still carry the id in the database', async () => {
    const pending = await sql<{ n: number }>`select count(*)::int as n from brand_unlinks where brand_id = ${deleted}::uuid`.execute(t.db);
    expect(pending.rows[0]!.n).toBe(1);
    const carrying = await sql<{ n: number }>`select count(*)::int as n from mentions where ${deleted}::uuid = any(brand_ids)`.execute(t.db);
    expect(carrying.rows[0]!.n).toBe(2);
  });

  it('the list, each mention, the CSV and the live replay leave the deleted brand out, and the mention that had only it', async () => {
    const r = await reads();
    expect(r.list.map(brandsOf)).toEqual([
      { id: ids.onlyKept, brandIds: [kept], brandSentiments: [kept] },
      { id: ids.both, brandIds: [kept], brandSentiments: [kept] },
    ]);
    expect(r.byId.onlyDeleted).toBe(404);
    expect(brandsOf(r.byId.both as Mention)).toEqual({ id: ids.both, brandIds: [kept], brandSentiments: [kept] });
    expect((r.byId.both as Mention).brandSentiments).toEqual([{ brandId: kept, score: 0.7, label: 'positive' }]);
    expect(r.exported).toEqual([
      { id: ids.onlyKept, brandIds: kept, brandNames: 'Lumen', brandSentiments: expect.not.stringContaining(deleted) },
      { id: ids.both, brandIds: kept, brandNames: 'Lumen', brandSentiments: expect.not.stringContaining(deleted) },
    ]);
    expect(r.replayed.map(brandsOf)).toEqual([
      { id: ids.both, brandIds: [kept], brandSentiments: [kept] },
      { id: ids.onlyKept, brandIds: [kept], brandSentiments: [kept] },
    ]);
    expect(r.brandFilter).toEqual({ list: 404, csv: 404 });
  });

  it('the answers are the same once the unlink has run', async () => {
    const before = await reads();
    await unlinkBrand({ ...t.deps, rematchRepository: createRematchRepository({ db: t.db }), workspaceId: ws.id, brandId: deleted });
    const pending = await sql<{ n: number }>`select count(*)::int as n from brand_unlinks`.execute(t.db);
    expect(pending.rows[0]!.n).toBe(0);
    const after = await reads();
    // Brands and presence; the unlink reads the kept brand's posts again, which may score them anew.
    expect(after.list.map(brandsOf)).toEqual(before.list.map(brandsOf));
    expect(after.byId.onlyDeleted).toBe(404);
    expect(brandsOf(after.byId.both as Mention)).toEqual(brandsOf(before.byId.both as Mention));
    expect(after.exported.map((e) => [e.id, e.brandIds, e.brandNames])).toEqual(before.exported.map((e) => [e.id, e.brandIds, e.brandNames]));
    expect(after.replayed.map(brandsOf)).toEqual(before.replayed.map(brandsOf));
    expect(after.brandFilter).toEqual(before.brandFilter);
  });
});
