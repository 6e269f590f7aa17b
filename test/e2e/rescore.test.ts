import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestStack, type TestStack } from '../support/stack.js';
import { mention, seed } from '../support/seed.js';
import { run } from '../support/process.js';
import { rescoreRange } from '../../src/domain/mentions/rescore.usecases.js';
import { NOT_SCORED } from '../../src/domain/scoring/scorer.js';

let s: TestStack;
let key: string;
let workspaceId: string;
let brand: string;
let sourceId: string;

beforeAll(async () => {
  s = await createTestStack();
  ({ key, id: workspaceId } = await s.workspace('Rescore'));
  brand = (await s.request('POST', '/v1/brands', { key, body: { name: 'Acme', role: 'own', query: 'acme' } })).json.id;
  sourceId = (await s.request('POST', '/v1/sources', { key, body: { type: 'rss', url: 'http://127.0.0.1:9/rescore.xml' } })).json.id;
});
afterAll(async () => s.close());

/** The rollups must always equal a recount of the mentions they summarise. */
async function assertRollupsMatchMentions() {
  const { rows } = await sql<{ label: string; from_rollups: number; from_mentions: number }>`
    with r as (select sum(positive)::int p, sum(neutral)::int n, sum(negative)::int g, sum(unscored)::int u from brand_hours where brand_id = ${brand}),
         d as (select sum(positive)::int p, sum(neutral)::int n, sum(negative)::int g, sum(unscored)::int u from brand_days where brand_id = ${brand}),
         m as (select count(*) filter (where sentiment_label = 'positive')::int p, count(*) filter (where sentiment_label = 'neutral')::int n,
                      count(*) filter (where sentiment_label = 'negative')::int g, count(*) filter (where sentiment_label = 'unscored')::int u
               from mention_brands where brand_id = ${brand})
    select 'positive' label, r.p from_rollups, m.p from_mentions from r, m union all
    select 'neutral', r.n, m.n from r, m union all select 'negative', r.g, m.g from r, m union all select 'unscored', r.u, m.u from r, m union all
    select 'positive (days)', d.p, m.p from d, m union all select 'neutral (days)', d.n, m.n from d, m union all
    select 'negative (days)', d.g, m.g from d, m union all select 'unscored (days)', d.u, m.u from d, m`.execute(s.db);
  for (const row of rows) expect(row.from_rollups, row.label).toBe(row.from_mentions);
}

describe('rescoring history after a model change', () => {
  it('`earshot rescore` enqueues batched jobs that rescore mentions, their links and their rollups', async () => {
    // Scored by an older model that got these wrong.
    await seed(s.deps, {
      workspaceId,
      sourceId,
      mentions: [
        mention({ at: '2026-06-01T10:00:00Z', brands: [brand], label: 'negative', score: -0.5, text: 'I love Acme, the coffee is wonderful and the staff are great!' }),
        mention({ at: '2026-06-01T11:00:00Z', brands: [brand], label: 'positive', score: 0.5, text: 'Acme was terrible today, awful service and cold coffee.' }),
        mention({ at: '2026-06-02T11:00:00Z', brands: [brand], label: 'neutral', score: 0, text: 'Acme opens a shop on Main Street on Monday.' }),
        // A raw item, stored unscored: the rematch that links it scores it, rescoring leaves it.
        { ...mention({ at: '2026-06-02T12:00:00Z', brands: [], lang: null, key: 'raw', text: 'The weather was awful all week.' }), sentiment: { score: 0, label: 'unscored', model: NOT_SCORED } },
      ],
    });
    await assertRollupsMatchMentions();

    const cli = run('node', ['bin/earshot.js', 'rescore'], { DATABASE_URL: s.config.DATABASE_URL, REDIS_URL: s.config.REDIS_URL, QUEUE_PREFIX: s.config.QUEUE_PREFIX, LOG_LEVEL: 'warn' });
    expect((await cli.exited).code, cli.output()).toBe(0);
    const planned = JSON.parse(cli.output().trim().split('\n').at(-1)!);
    expect(planned).toMatchObject({ model: s.services.scorer.model, mentions: 3, jobs: 1 });
    await s.drain();

    const rows = await s.db.selectFrom('mentions').select(['text', 'sentiment_label', 'sentiment_model']).where('workspace_id', '=', workspaceId).where('item_key', '<>', 'raw').orderBy('id').execute();
    const raw = await s.db.selectFrom('mentions').select(['lang', 'sentiment_label', 'sentiment_model']).where('item_key', '=', 'raw').executeTakeFirst();
    expect(raw).toEqual({ lang: null, sentiment_label: 'unscored', sentiment_model: NOT_SCORED });
    expect(rows.map((r) => r.sentiment_model)).toEqual(Array(3).fill(s.services.scorer.model));
    expect(rows.map((r) => r.sentiment_label)).toEqual(['positive', 'negative', 'neutral']);
    const links = await s.db.selectFrom('mention_brands').select('sentiment_label').where('brand_id', '=', brand).orderBy('mention_id').execute();
    expect(links.map((l) => l.sentiment_label)).toEqual(['positive', 'negative', 'neutral']);
    await assertRollupsMatchMentions();

    const trend = await s.request('GET', `/v1/trends/sentiment?brand=${brand}&since=2026-06-01T00:00:00Z&until=2026-06-03T00:00:00Z`, { key });
    expect(trend.json.series[0].buckets[0]).toMatchObject({ mentions: 2, positive: 1, negative: 1 });

    // Nothing is left on the old model, so a second run plans nothing.
    const again = run('node', ['bin/earshot.js', 'rescore', '--since', '2026-01-01T00:00:00Z'], {
      DATABASE_URL: s.config.DATABASE_URL,
      REDIS_URL: s.config.REDIS_URL,
      QUEUE_PREFIX: s.config.QUEUE_PREFIX,
      LOG_LEVEL: 'warn',
    });
    expect((await again.exited).code).toBe(0);
    expect(JSON.parse(again.output().trim().split('\n').at(-1)!)).toMatchObject({ mentions: 0, jobs: 0 });

    // Old processes of a rolling upgrade store older scores meanwhile: a run soon after the first
    // rescores them too, rather than being taken for the first run's finished jobs.
    await sql`update mentions set sentiment_model = 'retired@1' where workspace_id = ${workspaceId} and item_key <> 'raw'`.execute(s.db);
    const third = run('node', ['bin/earshot.js', 'rescore'], { DATABASE_URL: s.config.DATABASE_URL, REDIS_URL: s.config.REDIS_URL, QUEUE_PREFIX: s.config.QUEUE_PREFIX, LOG_LEVEL: 'warn' });
    expect((await third.exited).code, third.output()).toBe(0);
    expect(JSON.parse(third.output().trim().split('\n').at(-1)!)).toMatchObject({ mentions: 3, jobs: 1 });
    await s.drain();
    const models = await s.db.selectFrom('mentions').select('sentiment_model').where('workspace_id', '=', workspaceId).where('item_key', '<>', 'raw').execute();
    expect(models.map((r) => r.sentiment_model)).toEqual(Array(3).fill(s.services.scorer.model));
  }, 60_000);

  it('counts as changed only the mentions whose language, label or stored score changed', async () => {
    const stored = await seed(s.deps, { workspaceId, sourceId, mentions: [mention({ at: '2026-05-05T10:00:00Z', brands: [brand], text: 'Acme was terrible today, awful service.' })] });
    const ids = stored.map((m) => m.id);
    // Scored now, stored as float4, and marked as another model's: rescoring finds nothing to change.
    await rescoreRange({ db: s.db, scorer: s.services.scorer, rollupRepository: s.services.rollupRepository, fromId: ids[0]!, toId: ids[0]! });
    await sql`update mentions set sentiment_model = 'retired@1' where id = any(${ids}::bigint[])`.execute(s.db);
    await expect(
      rescoreRange({ db: s.db, scorer: s.services.scorer, rollupRepository: s.services.rollupRepository, fromId: ids[0]!, toId: ids[0]! }),
    ).resolves.toMatchObject({ rescored: 1, changed: 0 });
    await assertRollupsMatchMentions();
  });

  it('leaves the terms a mention was matched on (mentions.keywords) out of its new score', async () => {
    const text = 'Happy Cow ice cream melted and tasted awful';
    // The terms naming a brand are left out (namingTerms): a brand of that name.
    const cow = (await s.request('POST', '/v1/brands', { key, body: { name: 'Happy Cow', role: 'competitor', query: '"happy cow"' } })).json.id;
    const seeded = { ...mention({ at: '2026-05-06T10:00:00Z', brands: [cow], label: 'positive', score: 0.18, text }), brands: [{ brandId: cow, keywords: ['happy cow'] }] };
    const ids = (await seed(s.deps, { workspaceId, sourceId, mentions: [seeded] })).map((m) => m.id);
    await sql`update mentions set sentiment_model = 'retired@1' where id = any(${ids}::bigint[])`.execute(s.db);
    await rescoreRange({ db: s.db, scorer: s.services.scorer, rollupRepository: s.services.rollupRepository, fromId: ids[0]!, toId: ids[0]! });
    const row = await s.db.selectFrom('mentions').select(['keywords', 'sentiment_label']).where('id', '=', ids[0]! as never).executeTakeFirstOrThrow();
    expect(row).toEqual({ keywords: ['happy cow'], sentiment_label: 'negative' });
    await assertRollupsMatchMentions();
  });

  it('a brand deleted but not yet unlinked from its mentions does not stop the rescore', async () => {
    const gone = (await s.request('POST', '/v1/brands', { key, body: { name: 'Gone', role: 'competitor', query: 'gone' } })).json.id;
    const texts = [
      ['cs', 'Acme a Gone: skvělá káva, výborná obsluha!'],
      ['hi', 'Acme और Gone: बहुत बुरा अनुभव, बेकार सेवा'],
      ['en', 'Acme and Gone: awful, terrible service'],
    ] as const;
    const stored = await seed(s.deps, {
      workspaceId,
      sourceId,
      mentions: texts.map(([lang, text]) => ({ ...mention({ at: '2026-05-02T10:00:00Z', brands: [brand, gone], label: 'neutral', score: 0, lang }), text })),
    });
    const ids = stored.map((m) => m.id);
    await sql`update mentions set sentiment_model = 'retired@1' where id = any(${ids}::bigint[])`.execute(s.db);
    // Deleted as the API deletes it: links and rollups cascade; the mentions' brand_ids keep the id until brands.unlink runs.
    await sql`delete from brands where id = ${gone}`.execute(s.db);
    await expect(
      rescoreRange({ db: s.db, scorer: s.services.scorer, rollupRepository: s.services.rollupRepository, fromId: Math.min(...ids), toId: Math.max(...ids) }),
    ).resolves.toMatchObject({ rescored: 3, changed: 3 });
    await assertRollupsMatchMentions();
  });
});

