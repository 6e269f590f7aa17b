import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rss, type FeedItem } from '../support/feed-server.js';
import type { TestStack } from '../support/stack.js';
import { addSource, cleanupList, fetchNow, storedItems, upstreamAndStack, type Upstream } from './support.js';

// One story is one mention per workspace, whether its copies come from different polls (the
// unique canonical URL) or from the same poll: an aggregator listing an article and its update,
// cross-posts of one link, a feed listing an item twice. The copy kept is the one two polls would
// keep: the first, unless it names no brand and a later copy does.

const cleanup = cleanupList();
let s: TestStack;
let upstream: Upstream;
let key: string;

beforeAll(async () => {
  ({ upstream, s, key } = await upstreamAndStack(cleanup, 'Same story'));
  await s.request('POST', '/v1/brands', { key, body: { name: 'Acme', role: 'own', query: 'acme' } });
});
afterAll(() => cleanup.run());

const story = (guid: string, link: string, title = `Acme recall (${guid})`): FeedItem => ({ guid, title, description: `${title}, as reported.`, link });
const rowsAt = (canonical: string) =>
  s.db.selectFrom('mentions').select(['source_id', 'item_key', 'matched']).where('canonical_url', '=', canonical).orderBy('id').execute();

async function pollFeed(path: string, items: FeedItem[]): Promise<string> {
  upstream.routes.set(path, { body: rss(items) });
  const { id } = await addSource(s, key, { url: upstream.url(path) });
  await fetchNow(s, key, id);
  return id;
}

describe('copies of one story in one poll', () => {
  it("two copies in an aggregator's poll add nothing to the publisher's stored copy", async () => {
    const publisher = await pollFeed('/paper', [story('p-1', 'https://paper.example/2026/acme-recall')]);
    const aggregator = await pollFeed('/aggregator', [
      story('a-1', 'https://paper.example/2026/acme-recall?utm_source=agg'),
      story('a-2', 'https://www.paper.example/2026/acme-recall/'),
    ]);
    expect(await rowsAt('paper.example/2026/acme-recall')).toEqual([{ source_id: publisher, item_key: 'p-1', matched: true }]);
    expect(await storedItems(s, aggregator)).toEqual([]);
  });

  it('two copies in the first poll of a story are one mention, the first, with its canonical URL', async () => {
    const id = await pollFeed('/twice', [story('t-1', 'https://twice.example/scoop'), story('t-2', 'https://twice.example/scoop?utm_medium=rss')]);
    expect(await storedItems(s, id)).toEqual([expect.objectContaining({ item_key: 't-1', canonical_url: 'twice.example/scoop' })]);
    // A later source's copy is then a copy of a stored story, as it always was.
    const later = await pollFeed('/later', [story('l-1', 'https://twice.example/scoop/')]);
    expect(await storedItems(s, later)).toEqual([]);
  });

  it('a copy that names a brand is kept over an earlier copy that names none, and the first that names one wins', async () => {
    const id = await pollFeed('/titles', [
      story('c-1', 'https://wire.example/story-5', 'Weather report'),
      story('c-2', 'https://wire.example/story-5?utm_source=x', 'Acme opens a shop'),
      story('c-3', 'https://wire.example/story-5#top', 'Acme opens a shop, updated'),
      ...[1, 2, 3, 4].map((n) => story(`c-other-${n}`, `https://wire.example/other-${n}`, 'Weather report')),
    ]);
    expect((await storedItems(s, id)).map((r) => r.item_key)).toEqual(['c-2', 'c-other-1', 'c-other-2', 'c-other-3', 'c-other-4']);
    const [row] = await s.db.selectFrom('mentions').select(['id', 'title', 'matched']).where('canonical_url', '=', 'wire.example/story-5').execute();
    expect(row).toMatchObject({ title: 'Acme opens a shop', matched: true });
    expect(await s.db.selectFrom('mention_brands').select('mention_id').where('mention_id', '=', row!.id).execute()).toHaveLength(1);
  });

  it('a link most of the poll shares (a section page) is no story: every item is kept', async () => {
    const items = [1, 2, 3, 4].map((n) => story(`s-${n}`, 'https://club.example/news', `Acme note ${n}`));
    const id = await pollFeed('/section', [...items, story('s-5', 'https://club.example/news/own-story')]);
    const rows = await storedItems(s, id);
    expect(rows.map((r) => r.item_key)).toEqual(['s-1', 's-2', 's-3', 's-4', 's-5']);
    expect(rows.map((r) => r.canonical_url)).toEqual([null, null, null, null, 'club.example/news/own-story']);
  });
});
