import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceItem } from '../../../src/connectors/connector.types.js';
import type { SourceType } from '../../../src/domain/items/item.types.js';
import { toMentionBatch } from '../../../src/domain/mentions/batch.js';
import { prepareMentions } from '../../../src/domain/mentions/ingest.js';
import { compileWorkspace } from '../../../src/domain/query/index.js';
import { createScorer } from '../../../src/domain/scoring/scorer.js';
import { createTestApp, type TestApp } from '../../support/app.js';
import { seed, sourceItem } from '../../support/seed.js';

// A mention's permalink is its discussion where its url is the article (a Hacker News story, a
// Reddit link post), null otherwise. Ingest writes it from SourceItem.permalink; a feed's row
// carries no key for it (json_to_recordset reads the missing key as null).

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const scorer = createScorer();
const thread = (id: number) => `https://news.ycombinator.com/item?id=${id}`;

async function setup(name: string) {
  const ws = await t.workspace(name);
  const brand = await t.request('POST', '/v1/brands', { key: ws.key, body: { name: 'Acme', role: 'own', query: 'acme' } });
  const source = async (body: object) => {
    const res = await t.request('POST', '/v1/sources', { key: ws.key, body });
    expect(res.status, res.text).toBe(201);
    return res.json.id as string;
  };
  const rss = await source({ type: 'rss', url: `http://127.0.0.1:9/${name}.xml` });
  const hn = await source({ type: 'hackernews', query: 'acme', baseUrl: `http://127.0.0.1:9/${name}/hn` });
  const matcher = compileWorkspace([{ id: brand.json.id, query: 'acme' }]);
  const prepare = (items: SourceItem[], sourceType: SourceType) => prepareMentions({ items, sourceType, fetchedAt: new Date(), isBacklog: false, scorer, matcher });
  /** Stores a poll's items as the poll does; the stored rows' item keys and permalinks, and the API's view of the matched ones. */
  const poll = async (sourceId: string, sourceType: SourceType, items: SourceItem[]) => {
    const stored = await seed(t.deps, { workspaceId: ws.id, sourceId, sourceType, mentions: await prepare(items, sourceType) });
    return Promise.all(stored.map(async ({ id }) => (await t.request('GET', `/v1/mentions/${id}`, { key: ws.key })).json));
  };
  const rows = () => t.db.selectFrom('mentions').select(['item_key', 'source_type', 'url', 'permalink', 'matched']).where('workspace_id', '=', ws.id).orderBy('id').execute();
  return { rss, hn, prepare, poll, rows };
}

const story = (id: number, text: string) => sourceItem({ itemKey: thread(id), url: `https://blog.example/story-${id}`, permalink: thread(id), text });

describe('a mention row and its permalink', () => {
  it("a feed item's row has no permalink key, a story's row has its discussion", async () => {
    const { prepare } = await setup('rowkeys');
    const rowsOf = async (items: SourceItem[], type: SourceType) => {
      const batch = toMentionBatch(await prepare(items, type));
      return batch.rows.flatMap((chunk) => JSON.parse(new TextDecoder().decode(chunk)) as Array<Record<string, unknown>>);
    };
    const [feedRow] = await rowsOf([sourceItem({ itemKey: 'f1', url: 'https://blog.example/acme', text: 'Acme ships' })], 'rss');
    expect(feedRow).not.toHaveProperty('permalink');
    const [storyRow] = await rowsOf([story(7, 'Acme ships, discussed')], 'hackernews');
    expect(storyRow).toMatchObject({ url: 'https://blog.example/story-7', permalink: thread(7) });
  });

  it('a stored story shows its discussion as permalink, a comment and a feed item null, in the table and the API', async () => {
    const { rss, hn, poll, rows } = await setup('stored');
    const hnMentions = await poll(hn, 'hackernews', [story(11, 'Acme raises a round'), sourceItem({ itemKey: thread(12), url: thread(12), text: 'Acme support is quick, in my experience' })]);
    const feedMentions = await poll(rss, 'rss', [sourceItem({ itemKey: 'feed-1', url: 'https://news.example/acme', text: 'Acme raises a round' })]);
    expect(await rows()).toEqual([
      { item_key: thread(11), source_type: 'hackernews', url: 'https://blog.example/story-11', permalink: thread(11), matched: true },
      { item_key: thread(12), source_type: 'hackernews', url: thread(12), permalink: null, matched: true },
      { item_key: 'feed-1', source_type: 'rss', url: 'https://news.example/acme', permalink: null, matched: true },
    ]);
    expect([...hnMentions, ...feedMentions].map((m) => [m.url, m.permalink])).toEqual([
      ['https://blog.example/story-11', thread(11)],
      [thread(12), null],
      ['https://news.example/acme', null],
    ]);
  });

  it('a story that takes over an unmatched row at its address stores its permalink, and a feed item that takes over a story clears it', async () => {
    const { rss, hn, poll, rows } = await setup('takeover');
    // A feed item linking the thread, naming no brand, then the story naming one: the story takes the row over.
    await poll(rss, 'rss', [sourceItem({ itemKey: 'feed-thread', url: thread(21), text: 'A grinder thread' })]);
    const [taken] = await poll(hn, 'hackernews', [story(21, 'Acme grinder thread')]);
    expect([taken.url, taken.permalink]).toEqual(['https://blog.example/story-21', thread(21)]);
    // A story naming no brand, then a feed item linking its thread that names one.
    await poll(hn, 'hackernews', [story(22, 'A kettle thread')]);
    const [back] = await poll(rss, 'rss', [sourceItem({ itemKey: 'feed-thread-2', url: thread(22), text: 'Acme kettle thread' })]);
    expect([back.url, back.permalink]).toEqual([thread(22), null]);
    expect(await rows()).toEqual([
      { item_key: thread(21), source_type: 'hackernews', url: 'https://blog.example/story-21', permalink: thread(21), matched: true },
      { item_key: 'feed-thread-2', source_type: 'rss', url: thread(22), permalink: null, matched: true },
    ]);
  });
});
