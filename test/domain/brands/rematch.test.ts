import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/app.js';
import { mention, seed } from '../../support/seed.js';
import { maintenanceHandlers } from '../../../src/workers/maintenance.worker.js';
import { NOT_SCORED, type Scorer } from '../../../src/domain/scoring/scorer.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const DAY = 86_400_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Deps = Parameters<typeof maintenanceHandlers>[0];
const ctx = () => ({ log: t.deps.log, job: {} as never, token: undefined });
const rematch = (workspaceId: string, brandId: string, deps: Partial<Deps> = {}) =>
  maintenanceHandlers({ ...t.deps, ...deps })['brands.rematch']({ workspaceId, brandId }, ctx());
const unlink = (workspaceId: string, brandId: string) => maintenanceHandlers(t.deps)['brands.unlink']({ workspaceId, brandId }, ctx());
const purge = (deps: Partial<Deps> = {}) => maintenanceHandlers({ ...t.deps, ...deps })['mentions.purge-raw']({}, ctx());

/** A workspace with a source and the given brands, created through the API as a user would. */
async function setup(name: string, brands: Record<string, string>) {
  const ws = await t.workspace(name);
  const ids: Record<string, string> = {};
  for (const [brand, query] of Object.entries(brands)) {
    const res = await t.request('POST', '/v1/brands', { key: ws.key, body: { name: brand, role: 'own', query } });
    expect(res.status, res.text).toBe(201);
    ids[brand] = res.json.id;
  }
  const src = await t.request('POST', '/v1/sources', { key: ws.key, body: { type: 'rss', url: `http://127.0.0.1:9/${name.replace(/\W/g, '')}.xml` } });
  return { ws, sourceId: src.json.id as string, ids };
}

/** Items that matched no brand when they were polled: the raw store. */
async function seedRaw(workspaceId: string, sourceId: string, texts: string[]) {
  await seed(t.deps, { workspaceId, sourceId, mentions: texts.map((text) => mention({ at: new Date(Date.now() - 2 * 3_600_000), brands: [], text })) });
}

async function mentionsOf(workspaceId: string) {
  return t.db
    .selectFrom('mentions')
    .select(['id', 'text', 'matched', 'brand_ids', 'created_at'])
    .where('workspace_id', '=', workspaceId)
    .orderBy('id')
    .execute();
}

async function linkedTexts(brandId: string) {
  const rows = await t.db
    .selectFrom('mention_brands as mb')
    .innerJoin('mentions as m', 'm.id', 'mb.mention_id')
    .select('m.text')
    .where('mb.brand_id', '=', brandId)
    .orderBy('m.text')
    .execute();
  return rows.map((r) => r.text);
}

async function brandHourTotal(brandId: string) {
  const row = await t.db.selectFrom('brand_hours').select((eb) => eb.fn.sum<number>('mentions').as('n')).where('brand_id', '=', brandId).executeTakeFirst();
  return Number(row?.n ?? 0);
}

describe('re-matching history', () => {
  it('two brands of one workspace re-matched at once both end up on the mentions they share', async () => {
    const { ws, sourceId, ids } = await setup('Two at once', { Alpha: 'alpha', Beta: 'beta' });
    await seedRaw(ws.id, sourceId, Array.from({ length: 20 }, (_, i) => `alpha and beta together ${i}`));

    // Alpha's batch holds its transaction open a moment after writing the mentions, as a big batch
    // would; Beta's batch runs meanwhile (another job slot or another process).
    const slowLinks: Deps['linkRepository'] = {
      ...t.deps.linkRepository,
      async refreshMentions(trx, ids) {
        await t.deps.linkRepository.refreshMentions(trx, ids);
        await sleep(600);
      },
    };
    // The workspace's job slot lets one job run at a time; this is what the advisory lock guards
    // when two run anyway (a slot's lease that ran out under a stalled process).
    const noSlot: Deps['workspaceSlots'] = { acquire: async () => async () => {} };
    const first = rematch(ws.id, ids.Alpha!, { linkRepository: slowLinks, workspaceSlots: noSlot });
    await sleep(150);
    await Promise.all([first, rematch(ws.id, ids.Beta!, { workspaceSlots: noSlot })]);

    const rows = await mentionsOf(ws.id);
    expect(rows).toHaveLength(20);
    const both = [ids.Alpha!, ids.Beta!].sort();
    for (const row of rows) expect({ text: row.text, brands: [...row.brand_ids].sort(), matched: row.matched }).toEqual({ text: row.text, brands: both, matched: true });
    expect(await brandHourTotal(ids.Alpha!)).toBe(20);
    expect(await brandHourTotal(ids.Beta!)).toBe(20);
  });

  it('a rematch that read the brand before its query changed again does not overwrite the newer rematch', async () => {
    const { ws, sourceId, ids } = await setup('Superseded', { Q: 'alpha' });
    await seedRaw(ws.id, sourceId, [...Array.from({ length: 5 }, (_, i) => `alpha ${i}`), ...Array.from({ length: 3 }, (_, i) => `delta ${i}`)]);
    const asFirstRead = (await t.deps.brandRepository.get(ws.id, ids.Q!))!;
    expect((await t.request('PATCH', `/v1/brands/${ids.Q}`, { key: ws.key, body: { query: 'delta' } })).status).toBe(200);

    // The version-2 job runs over history; the version-1 job, which read the brand before the
    // edit, reaches the same batch only afterwards (it is further behind in a long history).
    await rematch(ws.id, ids.Q!);
    const stale: Deps['brandRepository'] = { ...t.deps.brandRepository, get: async () => asFirstRead };
    await rematch(ws.id, ids.Q!, { brandRepository: stale });

    expect(await linkedTexts(ids.Q!)).toEqual(['delta 0', 'delta 1', 'delta 2']);
    expect(await brandHourTotal(ids.Q!)).toBe(3);
    const rows = await mentionsOf(ws.id);
    expect(rows.filter((r) => r.matched).map((r) => r.text)).toEqual(['delta 0', 'delta 1', 'delta 2']);
  });
});

describe('re-matching beside a rescore', () => {
  it('a mention rescored while its batch is being matched is linked and counted with its new sentiment', async () => {
    const { ws, sourceId, ids } = await setup('Rescored', { R: 'rescue' });
    await seedRaw(ws.id, sourceId, ['the rescue went fine']);
    const [row] = await mentionsOf(ws.id);

    // The rescore commits while the rematch batch is between reading its candidates and writing links.
    const { rescoreRange } = await import('../../../src/domain/mentions/rescore.usecases.js');
    const scorer = { model: 'test-model@2', score: () => ({ lang: 'en', langConfidence: 1, sentiment: { score: -0.7, label: 'negative' as const, model: 'test-model@2' } }) };
    const slowLinks: Deps['linkRepository'] = {
      ...t.deps.linkRepository,
      async replaceBrandLinks(trx, args) {
        const rescoring = rescoreRange({ db: t.db, scorer: scorer as never, rollupRepository: t.deps.rollupRepository, fromId: Number(row!.id), toId: Number(row!.id) });
        await Promise.race([rescoring, sleep(400)]);
        return t.deps.linkRepository.replaceBrandLinks(trx, args);
      },
    };
    await rematch(ws.id, ids.R!, { linkRepository: slowLinks });
    await sleep(300);

    const mention = await t.db.selectFrom('mentions').select(['sentiment_label', 'matched']).where('id', '=', row!.id).executeTakeFirstOrThrow();
    expect(mention).toEqual({ sentiment_label: 'negative', matched: true });
    const link = await t.db.selectFrom('mention_brands').select('sentiment_label').where('mention_id', '=', row!.id).executeTakeFirstOrThrow();
    expect(link.sentiment_label).toBe('negative');
    const hours = await t.db.selectFrom('brand_hours').select(['mentions', 'negative', 'neutral']).where('brand_id', '=', ids.R!).execute();
    expect(hours).toEqual([{ mentions: 1, negative: 1, neutral: 0 }]);
  });
});

describe('the raw store after a query is narrowed or a brand deleted', () => {
  it('a mention stored long ago that loses its last brand goes back to the raw store for a whole raw window, and comes back when the query is widened again', async () => {
    const { ws, sourceId, ids } = await setup('Narrowed', { N: 'acme' });
    await seed(t.deps, { workspaceId: ws.id, sourceId, mentions: [mention({ at: new Date(Date.now() - 60 * DAY), brands: [ids.N!], text: 'acme anvils, from long ago' })] });
    await t.db.updateTable('mentions').set({ created_at: new Date(Date.now() - 60 * DAY) }).where('workspace_id', '=', ws.id).execute();

    await t.request('PATCH', `/v1/brands/${ids.N}`, { key: ws.key, body: { query: '"acme rockets"' } });
    await rematch(ws.id, ids.N!);
    expect(await brandHourTotal(ids.N!)).toBe(0);
    const [demoted] = await mentionsOf(ws.id);
    expect(demoted).toMatchObject({ matched: false, brand_ids: [] });

    // The hourly purge runs: the item has only just returned to the raw store.
    await purge();
    expect(await mentionsOf(ws.id)).toHaveLength(1);

    // The user undoes the edit within the raw window: the mention is theirs again.
    await t.request('PATCH', `/v1/brands/${ids.N}`, { key: ws.key, body: { query: 'acme' } });
    await rematch(ws.id, ids.N!);
    expect(await linkedTexts(ids.N!)).toEqual(['acme anvils, from long ago']);
    expect(await brandHourTotal(ids.N!)).toBe(1);
  });

  it('a mention stored long ago that loses one of two brands comes back to it when the query is widened again', async () => {
    const { ws, sourceId, ids } = await setup('Narrowed shared', { A: 'acme', G: 'globex' });
    await seed(t.deps, { workspaceId: ws.id, sourceId, mentions: [mention({ at: new Date(Date.now() - 60 * DAY), brands: [ids.A!, ids.G!], text: 'acme and globex both at the expo' })] });
    await t.db.updateTable('mentions').set({ created_at: new Date(Date.now() - 60 * DAY) }).where('workspace_id', '=', ws.id).execute();

    await t.request('PATCH', `/v1/brands/${ids.A}`, { key: ws.key, body: { query: '"acme rockets"' } });
    await rematch(ws.id, ids.A!);
    const [kept] = await mentionsOf(ws.id);
    expect(kept).toMatchObject({ matched: true, brand_ids: [ids.G] });
    expect(await brandHourTotal(ids.A!)).toBe(0);

    // The user undoes the edit a minute later: the mention, still Globex's and listed, is Acme's again.
    await t.request('PATCH', `/v1/brands/${ids.A}`, { key: ws.key, body: { query: 'acme' } });
    await rematch(ws.id, ids.A!);
    expect(await linkedTexts(ids.A!)).toEqual(['acme and globex both at the expo']);
    expect(await brandHourTotal(ids.A!)).toBe(1);
    expect(await brandHourTotal(ids.G!)).toBe(1);
  });

  it("a deleted brand's old mentions return to the raw store and age out with it, not at the next purge", async () => {
    const { ws, sourceId, ids } = await setup('Deleted', { Gone: 'gone', Kept: 'kept' });
    await seed(t.deps, {
      workspaceId: ws.id,
      sourceId,
      mentions: [
        mention({ at: new Date(Date.now() - 60 * DAY), brands: [ids.Gone!], text: 'gone only' }),
        mention({ at: new Date(Date.now() - 60 * DAY), brands: [ids.Gone!, ids.Kept!], text: 'gone and kept' }),
      ],
    });
    await t.db.updateTable('mentions').set({ created_at: new Date(Date.now() - 60 * DAY) }).where('workspace_id', '=', ws.id).execute();

    expect((await t.request('DELETE', `/v1/brands/${ids.Gone}`, { key: ws.key })).status).toBe(204);
    await unlink(ws.id, ids.Gone!);
    await purge();
    const rows = await mentionsOf(ws.id);
    expect(rows.map((r) => ({ text: r.text, matched: r.matched, brand_ids: r.brand_ids }))).toEqual([
      { text: 'gone only', matched: false, brand_ids: [] },
      { text: 'gone and kept', matched: true, brand_ids: [ids.Kept] },
    ]);

    // A raw window later it is purged like any other unmatched item.
    await t.db.updateTable('mentions').set({ created_at: new Date(Date.now() - 31 * DAY) }).where('workspace_id', '=', ws.id).execute();
    await purge();
    expect((await mentionsOf(ws.id)).map((r) => r.text)).toEqual(['gone and kept']);
  });
});

describe('the raw purge', () => {
  it('never deletes an item that a running rematch has just matched', async () => {
    const { ws, sourceId, ids } = await setup('Purge race', { P: 'prize' });
    await seedRaw(ws.id, sourceId, ['a prize at the edge of the window']);
    // Stored just past the raw window by the time the purge runs, but inside it when the
    // (long) rematch job started and took its cutoff.
    await t.db.updateTable('mentions').set({ created_at: new Date(Date.now() - 30 * DAY - 10 * 60_000) }).where('workspace_id', '=', ws.id).execute();

    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const heldLinks: Deps['linkRepository'] = {
      ...t.deps.linkRepository,
      async refreshMentions(trx, mentionIds) {
        await t.deps.linkRepository.refreshMentions(trx, mentionIds);
        entered();
        await gate;
      },
    };
    const { rematchBrand } = await import('../../../src/domain/brands/rematch.usecases.js');
    const { createRematchRepository } = await import('../../../src/domain/brands/rematch.repository.js');
    const running = rematchBrand({
      ...t.deps,
      rematchRepository: createRematchRepository({ db: t.db }),
      linkRepository: heldLinks,
      workspaceId: ws.id,
      brandId: ids.P!,
      rawWindowDays: 30,
      now: new Date(Date.now() - 3_600_000),
    });
    await inside;
    const purging = purge();
    await sleep(300);
    release();
    await running;
    await purging;

    expect((await mentionsOf(ws.id)).map((r) => ({ text: r.text, matched: r.matched }))).toEqual([{ text: 'a prize at the edge of the window', matched: true }]);
    expect(await linkedTexts(ids.P!)).toEqual(['a prize at the edge of the window']);
  });
});

describe('the rematch batch', () => {
  it('leaves alone raw items it evaluated that still match nothing', async () => {
    const { ws, sourceId, ids } = await setup('Untouched', { U: 'unicorn' });
    await seedRaw(ws.id, sourceId, ['nothing here', 'nor here', 'a unicorn']);
    const before = await sql<{ text: string; xmin: string }>`select text, xmin::text from mentions where workspace_id = ${ws.id} order by id`.execute(t.db);
    await rematch(ws.id, ids.U!);
    const after = await sql<{ text: string; xmin: string }>`select text, xmin::text from mentions where workspace_id = ${ws.id} order by id`.execute(t.db);
    expect(after.rows.slice(0, 2)).toEqual(before.rows.slice(0, 2));
    expect(after.rows[2]!.xmin).not.toBe(before.rows[2]!.xmin);
  });
});

describe('re-matching with a `lang:` filter', () => {
  it('detects the language of the raw items whose words the brand wants, and of no others', async () => {
    const { ws, sourceId, ids } = await setup('Lazy language', { L: 'acme lang:en' });
    // Stored unscored and without a language, as a poll leaves an item no brand matched; and one
    // whose source declared English.
    const raw = (text: string, lang: string | null = null) => ({
      ...mention({ at: new Date(Date.now() - 2 * 3_600_000), brands: [], text, lang }),
      sentiment: { score: 0, label: 'unscored' as const, model: NOT_SCORED },
    });
    const english = 'Acme roasts wonderful coffee, truly excellent and delicious.';
    const czech = 'Acme: nejlepší káva ve městě, opravdu skvělá a výborná chuť.';
    const declared = 'acme news from a source that says it writes English';
    await seed(t.deps, {
      workspaceId: ws.id,
      sourceId,
      mentions: [raw(english), raw(czech), raw('The weather in Prague is terrible today, awful rain.'), raw('V Praze je dnes hrozné počasí, celý den prší.'), raw(declared, 'en')],
    });
    const detected: string[] = [];
    const counting: Scorer = {
      model: t.deps.scorer.model,
      detect: (input) => (detected.push(input.text), t.deps.scorer.detect(input)),
      score: (input, known) => t.deps.scorer.score(input, known),
    };

    await rematch(ws.id, ids.L!, { scorer: counting });

    expect(await linkedTexts(ids.L!)).toEqual([declared, english].sort());
    expect(detected.sort()).toEqual([czech, english].sort());
    const rows = await t.db.selectFrom('mentions').select(['text', 'lang', 'sentiment_label', 'sentiment_model']).where('workspace_id', '=', ws.id).execute();
    const byText = Object.fromEntries(rows.map((r) => [r.text, r]));
    expect(byText[english]).toMatchObject({ lang: 'en', sentiment_label: 'positive', sentiment_model: t.deps.scorer.model });
    // Detected only to find it is not English: left as it was.
    expect(byText[czech]).toMatchObject({ lang: null, sentiment_model: NOT_SCORED });
  });
});

describe('scoring the raw items a brand links', () => {
  it('leaves the terms the brand matched out of their language and sentiment', async () => {
    // Named as their terms: the terms naming a brand are left out (namingTerms).
    const { ws, sourceId, ids } = await setup('Brand words', { 'Happy Cow': '"happy cow"', 'Zlatá Lžička': '"zlatá lžička" -lang:de' });
    const raw = (text: string) => ({
      ...mention({ at: new Date(Date.now() - 2 * 3_600_000), brands: [], text, lang: null }),
      sentiment: { score: 0, label: 'unscored' as const, model: NOT_SCORED },
    });
    const cow = 'Happy Cow ice cream melted and tasted awful';
    // Read with its name, this is Czech ("zlatá", golden) and praise; the filter detects it while matching.
    const spoon = 'Zlatá Lžička price too high, expensive.';
    await seed(t.deps, { workspaceId: ws.id, sourceId, mentions: [raw(cow), raw(spoon)] });

    await rematch(ws.id, ids['Happy Cow']!);
    await rematch(ws.id, ids['Zlatá Lžička']!);

    const rows = await t.db.selectFrom('mentions').select(['text', 'lang', 'sentiment_label', 'sentiment_model']).where('workspace_id', '=', ws.id).execute();
    const byText = Object.fromEntries(rows.map((r) => [r.text, r]));
    expect(byText[cow]).toMatchObject({ lang: 'en', sentiment_label: 'negative', sentiment_model: t.deps.scorer.model });
    expect(byText[spoon]).toMatchObject({ sentiment_label: 'negative', sentiment_model: t.deps.scorer.model });
    expect(byText[spoon]!.lang).not.toBe('cs');
  });
});
