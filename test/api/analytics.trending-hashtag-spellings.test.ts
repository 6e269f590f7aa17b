import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRENDING_MIN_MENTIONS } from '../../src/domain/analytics/analytics.usecases.js';
import { createRollupRepository } from '../../src/domain/analytics/rollups.repository.js';
import { planRescore } from '../../src/domain/mentions/rescore.usecases.js';
import { migrateToLatest } from '../../src/infra/db/migrator.js';
import { maintenanceHandlers } from '../../src/workers/maintenance.worker.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { insertLegacyMention, olderDatabase, type LegacyMention } from '../support/db.js';
import { mention, seed } from '../support/seed.js';

// Trending hashtags show the spellings of one tag as one (ZWNJ or not, Arabic or Persian
// letters: searchForm), and the mention list (hashtag=) finds a mention holding two of them
// once. Trending must count it once too, and every way the mention's brands change must take
// out exactly what was put in, or the counters drift.

let t: TestApp;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  t = await createTestApp({ config: { RATE_LIMIT_PER_MINUTE: '1000000' } });
});
afterAll(async () => {
  await t.close();
  for (const fn of cleanups.reverse()) await fn();
});

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const K = TRENDING_MIN_MENTIONS;
const times = <T>(make: (copy: number) => T): T[] => Array.from({ length: K }, (_, copy) => make(copy));
const ctx = () => ({ log: t.deps.log, job: {} as never, token: undefined });
const handlers = () => maintenanceHandlers(t.deps);

/** Persian letters with a ZWNJ, and the same tag typed on an Arabic keyboard without it. */
const ZWNJ = 'ایران\u200Cخودرو';
const ARABIC = 'ايرانخودرو';
/** Persian keheh and yeh, and Arabic kaf and yeh. */
const PERSIAN_BOOK = 'کتابی';
const ARABIC_BOOK = 'كتابي';
const MAY = 'since=2026-05-08T00:00:00Z&until=2026-05-15T00:00:00Z';

async function getOk(key: string, path: string): Promise<Json> {
  const res = await t.request('GET', path, { key });
  expect(res.status, `${path}: ${res.text}`).toBe(200);
  return res.json;
}

async function brand(key: string, name: string, query: string, role = 'competitor'): Promise<string> {
  const res = await t.request('POST', '/v1/brands', { key, body: { name, role, query } });
  expect(res.status, res.text).toBe(201);
  return res.json.id;
}

/** Trending counts by search form of the tag (whichever spelling names it), workspace-wide or for one brand. */
async function trending(key: string, brandId?: string): Promise<Record<string, number>> {
  const body = await getOk(key, `/v1/trending/hashtags?${MAY}&limit=100${brandId ? `&brand=${brandId}` : ''}`);
  const out: Record<string, number> = {};
  for (const item of body.items as Json[]) {
    const merged = [ZWNJ, ARABIC].includes(item.term) ? ARABIC : [PERSIAN_BOOK, ARABIC_BOOK].includes(item.term) ? ARABIC_BOOK : item.term;
    out[merged] = item.mentions;
  }
  return out;
}

async function listed(key: string, tag: string, brandId?: string): Promise<number> {
  const body = await getOk(key, `/v1/mentions?hashtag=${encodeURIComponent(tag)}&${MAY}&limit=200${brandId ? `&brand=${brandId}` : ''}`);
  return body.items.length;
}

const sorted = (rows: Array<[string, string, number]>) => rows.sort((x, y) => (`${x[0]}|${x[1]}` < `${y[0]}|${y[1]}` ? -1 : 1));

/** The stored counters of the workspace that are not zero: after every mention has left, none may be. */
async function leftOver(workspaceId: string) {
  const { rows } = await sql<{ tag: string; mentions: number }>`
    select tag, mentions from workspace_hashtags where workspace_id = ${workspaceId} and mentions <> 0
    union all
    select tag, mentions from hashtag_rollups where workspace_id = ${workspaceId} and mentions <> 0`.execute(t.db);
  return rows;
}

describe('a mention holding two spellings of one tag counts once for the merged tag', () => {
  it('stored with both spellings, in either order, it counts once workspace-wide and per brand, as the mention list lists it', async () => {
    const ws = await t.workspace('Two spellings');
    const acme = await brand(ws.key, 'Acme', 'acme', 'own');
    const globex = await brand(ws.key, 'Globex', 'globex');
    const src = (await t.request('POST', '/v1/sources', { key: ws.key, body: { type: 'rss', url: 'http://127.0.0.1:9/spellings.xml' } })).json.id;
    await seed(t.deps, {
      workspaceId: ws.id,
      sourceId: src,
      mentions: times((i) => [
        mention({ at: `2026-05-10T0${i}:00:00Z`, brands: [acme, globex], hashtags: [ZWNJ, ARABIC, PERSIAN_BOOK], text: 'acme and globex' }),
        mention({ at: `2026-05-10T1${i}:00:00Z`, brands: [acme], hashtags: [ARABIC_BOOK, ARABIC, PERSIAN_BOOK, ZWNJ], text: 'acme alone' }),
      ]).flat(),
    });

    for (const tag of [ZWNJ, ARABIC]) expect(await listed(ws.key, tag), `mention list of ${tag}`).toBe(2 * K);
    expect(await trending(ws.key), 'workspace-wide').toEqual({ [ARABIC]: 2 * K, [ARABIC_BOOK]: 2 * K });
    expect(await trending(ws.key, acme), 'Acme').toEqual({ [ARABIC]: 2 * K, [ARABIC_BOOK]: 2 * K });
    expect(await trending(ws.key, globex), 'Globex').toEqual({ [ARABIC]: K, [ARABIC_BOOK]: K });
  });

  it('a rescore, a narrowed rematch and a brand deletion take out what was put in: the counts follow the mention list down to zero', async () => {
    const ws = await t.workspace('Spellings leave');
    const acme = await brand(ws.key, 'Acme', 'acme', 'own');
    const globex = await brand(ws.key, 'Globex', 'globex');
    const src = (await t.request('POST', '/v1/sources', { key: ws.key, body: { type: 'rss', url: 'http://127.0.0.1:9/leave.xml' } })).json.id;
    await seed(t.deps, {
      workspaceId: ws.id,
      sourceId: src,
      mentions: times((i) => [
        mention({ at: `2026-05-11T0${i}:00:00Z`, brands: [acme, globex], hashtags: [ARABIC, ZWNJ], text: 'acme and globex', label: 'positive' }),
        mention({ at: `2026-05-11T1${i}:00:00Z`, brands: [globex], hashtags: [ZWNJ, ARABIC], text: 'globex alone', label: 'negative' }),
      ]).flat(),
    });
    const expectCounts = async (step: string, counts: { workspace: number; acme: number; globex: number }) => {
      expect(await listed(ws.key, ARABIC), `${step}: mention list`).toBe(counts.workspace);
      expect((await trending(ws.key))[ARABIC] ?? 0, `${step}: workspace-wide trending`).toBe(counts.workspace);
      expect((await trending(ws.key, acme))[ARABIC] ?? 0, `${step}: Acme's trending`).toBe(counts.acme);
      expect((await trending(ws.key, globex))[ARABIC] ?? 0, `${step}: Globex's trending`).toBe(counts.globex);
    };
    await expectCounts('as stored', { workspace: 2 * K, acme: K, globex: 2 * K });

    // Rescored with the real model: the rollups take each mention out and put it back in.
    const plan = await planRescore({ db: t.db, model: t.deps.scorer.model });
    for (const r of plan.ranges) await handlers()['mentions.rescore']({ ...r }, ctx());
    await expectCounts('after a rescore', { workspace: 2 * K, acme: K, globex: 2 * K });

    // Globex no longer wants mentions that also say acme: they keep Acme, and their workspace count.
    expect((await t.request('PATCH', `/v1/brands/${globex}`, { key: ws.key, body: { query: 'globex -acme' } })).status).toBe(200);
    await handlers()['brands.rematch']({ workspaceId: ws.id, brandId: globex }, ctx());
    await expectCounts('after Globex is narrowed', { workspace: 2 * K, acme: K, globex: K });

    // Acme deleted: its mentions have no brand left and return to the raw store.
    expect((await t.request('DELETE', `/v1/brands/${acme}`, { key: ws.key })).status).toBe(204);
    await handlers()['brands.unlink']({ workspaceId: ws.id, brandId: acme }, ctx());
    expect(await listed(ws.key, ARABIC), 'after deleting Acme: mention list').toBe(K);
    expect((await trending(ws.key))[ARABIC] ?? 0, 'after deleting Acme: workspace-wide trending').toBe(K);

    // Globex narrowed to nothing it has: every mention leaves, and no spelling keeps a count.
    expect((await t.request('PATCH', `/v1/brands/${globex}`, { key: ws.key, body: { query: 'initech' } })).status).toBe(200);
    await handlers()['brands.rematch']({ workspaceId: ws.id, brandId: globex }, ctx());
    expect(await listed(ws.key, ARABIC), 'after Globex is narrowed to nothing: mention list').toBe(0);
    expect(await trending(ws.key), 'after Globex is narrowed to nothing: workspace-wide trending').toEqual({});
    expect(await leftOver(ws.id), 'counters left after every mention left').toEqual([]);
  });
});

describe('upgrading a database whose mentions counted each spelling', () => {
  it('the migration leaves one spelling per tag and mention, so taking the stored mentions out brings every counter to zero', async () => {
    const { db, ws, other, a, b, c } = await olderDatabase('0014_trending_spellings', cleanups);
    const PERSIAN = 'ایرانخودرو';
    const stored: LegacyMention[] = [
      { workspace: ws!, at: '2026-05-10T09:00:00Z', hashtags: [ZWNJ, ARABIC, PERSIAN, 'launch'], brands: [a!, b!] },
      { workspace: ws!, at: '2026-05-10T23:59:00Z', hashtags: [PERSIAN_BOOK, ARABIC_BOOK], brands: [a!] },
      { workspace: ws!, at: '2026-05-10T12:00:00Z', hashtags: [ZWNJ], brands: [b!] },
      // Raw: no brand, counted nowhere.
      { workspace: ws!, at: '2026-05-10T12:00:00Z', hashtags: [ZWNJ, ARABIC], brands: [] },
      { workspace: other!, at: '2026-05-11T08:00:00Z', hashtags: [ARABIC, ZWNJ, ZWNJ], brands: [c!] },
    ];
    // What the earlier code stored: every distinct spelling counted, per link and per matched mention.
    const bump = (table: 'hashtag_rollups' | 'workspace_hashtags', keys: Record<string, string>) => {
      const columns = Object.keys(keys);
      return sql`
        insert into ${sql.table(table)} (${sql.join(columns.map((k) => sql.ref(k)))}, mentions)
        values (${sql.join(Object.values(keys))}, 1)
        on conflict (${sql.join(columns.filter((k) => k !== 'workspace_id' || table === 'workspace_hashtags').map((k) => sql.ref(k)))})
        do update set mentions = ${sql.table(table)}.mentions + 1`.execute(db);
    };
    for (const [n, m] of stored.entries()) {
      await insertLegacyMention(db, m, `item-${n}`);
      const day = m.at.slice(0, 10);
      for (const tag of new Set(m.hashtags)) {
        if (m.brands.length) await bump('workspace_hashtags', { workspace_id: m.workspace, day, tag });
        for (const brandId of m.brands) await bump('hashtag_rollups', { brand_id: brandId, workspace_id: m.workspace, day, tag });
      }
    }

    await migrateToLatest(db);
    const counters = async () => {
      const { rows } = await sql<{ scope: string; tag: string; mentions: number }>`
        select w.name as scope, h.tag, h.mentions from workspace_hashtags h join workspaces w on w.id = h.workspace_id where h.mentions <> 0
        union all
        select b.name, h.tag, h.mentions from hashtag_rollups h join brands b on b.id = h.brand_id where h.mentions <> 0`.execute(db);
      return sorted(rows.map((r) => [r.scope, r.tag, r.mentions]));
    };
    // The lowest spelling of each tag a mention holds (Arabic ي before Persian ی, ZWNJ last).
    expect(await counters()).toEqual(
      sorted([
        ['Upgraded', 'launch', 1],
        ['Upgraded', ARABIC, 1],
        ['Upgraded', ZWNJ, 1],
        ['Upgraded', ARABIC_BOOK, 1],
        ['Other', ARABIC, 1],
        ['A', 'launch', 1],
        ['A', ARABIC, 1],
        ['A', ARABIC_BOOK, 1],
        ['B', 'launch', 1],
        ['B', ARABIC, 1],
        ['B', ZWNJ, 1],
        ['C', ARABIC, 1],
      ]),
    );

    // Every stored mention leaves, through the code that takes them out after a rematch or an unlink.
    const rollups = createRollupRepository();
    await db.transaction().execute(async (trx) => {
      for (const m of stored) {
        if (!m.brands.length) continue;
        const occurredAt = new Date(m.at);
        // In another order than stored: what is taken out must not depend on it.
        const hashtags = [...m.hashtags].reverse();
        const links = m.brands.map((brandId) => ({ brandId, occurredAt, sourceType: 'rss', lang: null, label: 'neutral' as const, score: 0, hashtags, sign: -1 as const }));
        await rollups.apply(trx, m.workspace, links);
        await rollups.applyMatched(trx, m.workspace, [{ occurredAt, hashtags, sign: -1 }]);
      }
    });
    expect(await counters()).toEqual([]);
  });
});
