import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maintenanceHandlers } from '../../src/workers/maintenance.worker.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { mention, seed } from '../support/seed.js';

// Trending hashtags hold to the rule trending keywords do (a rise of at least 2·√(before + 1)),
// and count the spellings of one tag as one, as hashtag= finds them: Arabic or Persian letters,
// and Latin diacritics or not (hashtag=kava lists #káva and #kava). A row is named by the spelling
// most written in the window.

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ config: { RATE_LIMIT_PER_MINUTE: '1000000' } });
});
afterAll(async () => t.close());

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The week asked for; the week before it is 2026-05-01 to 2026-05-08. */
const MAY = 'since=2026-05-08T00:00:00Z&until=2026-05-15T00:00:00Z';
const ctx = () => ({ log: t.deps.log, job: {} as never, token: undefined });

async function getOk(key: string, path: string): Promise<Json> {
  const res = await t.request('GET', path, { key });
  expect(res.status, `${path}: ${res.text}`).toBe(200);
  return res.json;
}

async function setUp(name: string) {
  const ws = await t.workspace(name);
  const brand = async (brandName: string, query: string, role: string) => {
    const res = await t.request('POST', '/v1/brands', { key: ws.key, body: { name: brandName, role, query } });
    expect(res.status, res.text).toBe(201);
    return res.json.id as string;
  };
  const acme = await brand('Acme', 'acme', 'own');
  const globex = await brand('Globex', 'globex', 'competitor');
  const src = (await t.request('POST', '/v1/sources', { key: ws.key, body: { type: 'rss', url: `http://127.0.0.1:9/${encodeURIComponent(name)}.xml` } })).json.id;
  return { ws, acme, globex, src };
}

/** `before` mentions of each tag in the week before, `now` in the week asked for, one an hour. */
function counts(brands: string[], tags: Record<string, { before?: number; now?: number }>) {
  let hour = 0;
  const at = (week: 'before' | 'now') => new Date(Date.parse(week === 'before' ? '2026-05-01T00:00:00Z' : '2026-05-08T00:00:00Z') + hour++ * 3_600_000);
  return Object.entries(tags).flatMap(([tag, n]) => [
    ...Array.from({ length: n.before ?? 0 }, () => mention({ at: at('before'), brands, hashtags: [tag] })),
    ...Array.from({ length: n.now ?? 0 }, () => mention({ at: at('now'), brands, hashtags: [tag] })),
  ]);
}

/** term → [mentions, previous] of every trending row, workspace-wide or for one brand. */
async function trending(key: string, brandId?: string): Promise<Record<string, [number, number]>> {
  const body = await getOk(key, `/v1/trending/hashtags?${MAY}&limit=200${brandId ? `&brand=${brandId}` : ''}`);
  return Object.fromEntries((body.items as Json[]).map((i) => [i.term, [i.mentions, i.previous]]));
}

async function listed(key: string, tag: string, brandId?: string): Promise<number> {
  const body = await getOk(key, `/v1/mentions?hashtag=${encodeURIComponent(tag)}&${MAY}&limit=200${brandId ? `&brand=${brandId}` : ''}`);
  return body.items.length;
}

describe('a trending hashtag must rise above chance, as a keyword must', () => {
  it('8 after 7 and 3 after 1 do not trend; 6 after 1, 4 after 1 and 3 after 0 do, workspace-wide and for a brand', async () => {
    const { ws, acme, src } = await setUp('Hashtag noise');
    await seed(t.deps, {
      workspaceId: ws.id,
      sourceId: src,
      mentions: counts([acme], {
        // Noise: 1 < 2·√8 = 5.66, and 2 < 2·√2 = 2.83.
        osm: { before: 7, now: 8 },
        تخفیف: { before: 7, now: 8 },
        tři: { before: 1, now: 3 },
        // Rises: 5 ≥ 2.83, 3 ≥ 2.83, 3 ≥ 2.
        šest: { before: 1, now: 6 },
        सेल: { before: 1, now: 4 },
        nový: { now: 3 },
      }),
    });
    for (const scope of [undefined, acme]) {
      expect(await trending(ws.key, scope), scope ? 'for Acme' : 'workspace-wide').toEqual({ šest: [6, 1], सेल: [4, 1], nový: [3, 0] });
    }
  });
});

describe('the spellings of one tag are one trending tag, as hashtag= finds them', () => {
  it('Persian and Arabic yeh and kaf are one tag, named by the spelling most written in the window; each row counts what hashtag= lists', async () => {
    const { ws, acme, src } = await setUp('Persian spellings');
    await seed(t.deps, {
      workspaceId: ws.id,
      sourceId: src,
      mentions: counts([acme], {
        // Persian keyboard twice, Arabic keyboard (ك ي) four times.
        'کیک': { now: 2 },
        'كيك': { now: 4 },
        // Persian five times, Arabic once; and once before, in Arabic letters.
        'ایرانی': { now: 5 },
        'ايراني': { before: 1, now: 1 },
        // Tāʼ marbūṭa and heh: letters hashtag= tells apart (an Arabic word can turn on them).
        'قهوة': { now: 3 },
        'قهوه': { now: 3 },
      }),
    });
    for (const scope of [undefined, acme]) {
      const rows = await trending(ws.key, scope);
      expect(rows, scope ? 'for Acme' : 'workspace-wide').toMatchObject({ 'كيك': [6, 0], 'ایرانی': [6, 1] });
      expect(Object.keys(rows).filter((term) => ['کیک', 'ايراني'].includes(term))).toEqual([]);
      for (const [term, [mentions]] of Object.entries(rows)) expect(mentions, `${term}: trending against hashtag=`).toBe(await listed(ws.key, term, scope));
    }
    expect(await listed(ws.key, 'کیک')).toBe(6);
  });

  it('Czech spellings with and without diacritics are one tag, named by the spelling most written in the window, not the window before', async () => {
    const { ws, acme, src } = await setUp('Czech spellings');
    await seed(t.deps, {
      workspaceId: ws.id,
      sourceId: src,
      mentions: counts([acme], {
        přehled: { now: 2 },
        prehled: { now: 3 },
        // Written without the accent before, with it now.
        káva: { now: 4 },
        kava: { before: 1, now: 1 },
        'zprávy_čt': { now: 3 },
        'zpravy_ct': { now: 1 },
      }),
    });
    for (const scope of [undefined, acme]) {
      expect(await trending(ws.key, scope), scope ? 'for Acme' : 'workspace-wide').toEqual({ prehled: [5, 0], káva: [5, 1], 'zprávy_čt': [4, 0] });
      // hashtag= without diacritics lists every mention a row counts; with them, only that spelling.
      for (const [bare, n] of [['prehled', 5], ['kava', 5], ['zpravy_ct', 4]] as const) expect(await listed(ws.key, bare, scope), bare).toBe(n);
      expect(await listed(ws.key, 'káva', scope)).toBe(4);
    }
  });

  it('a mention holding #káva and #kava counts once, and leaves no count behind when its brands go', async () => {
    const { ws, acme, globex, src } = await setUp('Both spellings');
    await seed(t.deps, {
      workspaceId: ws.id,
      sourceId: src,
      mentions: [['káva', 'kava', 'přehled', 'prehled'], ['kava', 'káva', 'prehled', 'přehled'], ['přehled', 'kava', 'prehled', 'káva']].map((hashtags, i) =>
        mention({ at: `2026-05-10T0${i}:00:00Z`, brands: [acme, globex], hashtags, text: 'acme and globex' }),
      ),
    });
    expect(await listed(ws.key, 'kava')).toBe(3);
    // Each mention counts under the lowest of its spellings (code-point order), whatever the order written.
    for (const scope of [undefined, acme, globex]) expect(await trending(ws.key, scope), scope ?? 'workspace-wide').toEqual({ kava: [3, 0], prehled: [3, 0] });

    // Acme narrowed away and Globex deleted: every mention leaves, and no spelling keeps a count.
    expect((await t.request('PATCH', `/v1/brands/${acme}`, { key: ws.key, body: { query: 'initech' } })).status).toBe(200);
    await maintenanceHandlers(t.deps)['brands.rematch']({ workspaceId: ws.id, brandId: acme }, ctx());
    expect((await t.request('DELETE', `/v1/brands/${globex}`, { key: ws.key })).status).toBe(204);
    await maintenanceHandlers(t.deps)['brands.unlink']({ workspaceId: ws.id, brandId: globex }, ctx());
    expect(await listed(ws.key, 'kava')).toBe(0);
    const { rows } = await sql<{ tag: string; mentions: number }>`
      select tag, mentions from workspace_hashtags where workspace_id = ${ws.id} and mentions <> 0
      union all
      select tag, mentions from hashtag_rollups where workspace_id = ${ws.id} and mentions <> 0`.execute(t.db);
    expect(rows).toEqual([]);
  });
});
