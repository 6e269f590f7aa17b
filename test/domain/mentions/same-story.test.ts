import { describe, expect, it } from 'vitest';
import type { SourceType } from '../../../src/domain/items/item.types.js';
import { prepareMentions } from '../../../src/domain/mentions/ingest.js';
import { compileWorkspace } from '../../../src/domain/query/index.js';
import { createScorer } from '../../../src/domain/scoring/scorer.js';
import { sourceItem } from '../../support/seed.js';

// A poll's copies of one story (one canonical URL) are prepared as one mention, the copy that
// copies from different polls would leave stored. Only an RSS feed links most of its items to one
// page (a section, a profile); an API's items never share a page that is not one story.

const scorer = createScorer();
const matcher = compileWorkspace([{ id: 'acme', query: 'acme' }]);
const prepare = (sourceType: SourceType, items: Array<[key: string, url: string, text: string]>) =>
  prepareMentions({
    items: items.map(([itemKey, url, text]) => sourceItem({ itemKey, url, text })),
    sourceType,
    fetchedAt: new Date(),
    isBacklog: false,
    scorer,
    matcher,
  });

describe('copies of one story in one poll', () => {
  it('an API poll of nothing but three items at one address is one mention, the first', async () => {
    const prepared = await prepare('hackernews', [
      ['hn-1', 'https://blog.example/acme-launch', 'Acme launches'],
      ['hn-2', 'https://blog.example/acme-launch?utm_source=hn', 'Acme launches (again)'],
      ['hn-3', 'http://www.blog.example/acme-launch/', 'Acme launch'],
    ]);
    expect(prepared.map((m) => [m.itemKey, m.canonicalUrl])).toEqual([['hn-1', 'blog.example/acme-launch']]);
  });

  it('three discussions linking one article, each with its own address, are three mentions that keep the article as their url', async () => {
    const items = [41000001, 41100003, 41100009].map((id) =>
      sourceItem({ itemKey: `hn-${id}`, url: 'https://blog.example/acme-launch', permalink: `https://news.ycombinator.com/item?id=${id}`, text: `Acme launch, thread ${id}` }),
    );
    const prepared = await prepareMentions({ items, sourceType: 'hackernews', fetchedAt: new Date(), isBacklog: false, scorer, matcher });
    expect(prepared.map((m) => [m.url, m.canonicalUrl])).toEqual([41000001, 41100003, 41100009].map((id) => ['https://blog.example/acme-launch', `news.ycombinator.com/item?id=${id}`]));
  });

  it('one discussion twice in a poll (from two of its listings) is one mention', async () => {
    const post = { url: 'https://blog.example/acme-launch', permalink: 'https://www.reddit.com/comments/r1aaaa1', text: 'Acme launch coverage' };
    const items = [sourceItem({ itemKey: 'reddit:t3_r1aaaa1', ...post }), sourceItem({ itemKey: 'reddit:t3_r1aaaa1-copy', ...post })];
    const prepared = await prepareMentions({ items, sourceType: 'reddit', fetchedAt: new Date(), isBacklog: false, scorer, matcher });
    expect(prepared.map((m) => [m.itemKey, m.canonicalUrl])).toEqual([['reddit:t3_r1aaaa1', 'reddit.com/comments/r1aaaa1']]);
  });

  it('the first copy that names a brand takes the place of earlier ones that name none, where they stood', async () => {
    const prepared = await prepare('reddit', [
      ['r-1', 'https://news.example/p/9', 'A recall was announced'],
      ['r-2', 'https://news.example/other', 'Something else'],
      ['r-3', 'https://news.example/p/9/', 'Acme recalls kettles'],
      ['r-4', 'https://news.example/p/9#comments', 'Acme recall, more'],
    ]);
    expect(prepared.map((m) => [m.itemKey, m.canonicalUrl, m.brands.length])).toEqual([
      ['r-3', 'news.example/p/9', 1],
      ['r-2', 'news.example/other', 0],
    ]);
  });

  it.each([
    ['three of four items of an RSS feed: its one link for them', 'rss', 3, 4, 4],
    ['two of two items of an RSS feed: one story', 'rss', 2, 2, 1],
    ['three of seven items of an RSS feed: one story', 'rss', 3, 7, 5],
    ['four of four items of an API poll: one story', 'mastodon', 4, 4, 1],
  ] as const)('a URL shared by %s', async (_why, sourceType, shared, total, kept) => {
    const items = Array.from({ length: total }, (_, n): [string, string, string] => [
      `i-${n}`,
      n < shared ? 'https://club.example/news' : `https://club.example/news/${n}`,
      `Acme note ${n}`,
    ]);
    const prepared = await prepare(sourceType, items);
    expect(prepared).toHaveLength(kept);
    const sharedLink = prepared.filter((m) => m.url === 'https://club.example/news');
    expect(sharedLink.map((m) => m.canonicalUrl)).toEqual(kept === total ? Array(shared).fill(null) : ['club.example/news']);
  });
});
