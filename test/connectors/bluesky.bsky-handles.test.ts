import { afterEach, describe, expect, it } from 'vitest';
import { blueskyConnector } from '../../src/connectors/bluesky.connector.js';
import { prepareMentions } from '../../src/domain/mentions/ingest.js';
import { compileWorkspace } from '../../src/domain/query/index.js';
import { createScorer } from '../../src/domain/scoring/scorer.js';
import { fixtureJson, NOW, pollOnce, startApi, type ApiServer } from './api-server.js';

// A Bluesky poll matched as ingestion matches it: `@acme` finds a post naming @acme.bsky.social,
// as it finds acme@any.instance on Mastodon, and no custom-domain or longer handle.

type Post = { uri: string; indexedAt: string; record: { createdAt: string; text: string; [key: string]: unknown }; [key: string]: unknown };

const recorded = fixtureJson<{ posts: Post[] }>('bluesky/searchPosts.json');

/** The recorded first post (it names @acme.bsky.social), again at another time with another text. */
function post(rkey: string, minutesBefore: number, text: string): Post {
  const p = structuredClone(recorded.posts[0]!);
  const at = Date.parse(p.record.createdAt) - minutesBefore * 60_000;
  return { ...p, uri: `at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/${rkey}`, indexedAt: new Date(at + 500).toISOString(), record: { ...p.record, createdAt: new Date(at).toISOString(), text } };
}

let api: ApiServer | undefined;
afterEach(async () => api?.close());

describe('a Bluesky poll matched against handle queries', () => {
  it('finds name.bsky.social by @name, and neither a custom domain nor a longer name', async () => {
    const posts = [
      ...recorded.posts,
      post('lumo', 1, 'Pedi café na @lumo.coffee, chegou frio'),
      post('team', 2, 'Pergunte à @acme-team.bsky.social'),
      post('czech', 3, 'Káva od @ACME.bsky.social je nejlepší'),
    ];
    api = await startApi((req) => (req.path === '/xrpc/app.bsky.feed.searchPosts' ? { body: { posts } } : { status: 404, body: {} }));
    const { items } = await pollOnce(blueskyConnector, { config: { query: 'acme', baseUrl: api.origin } });
    expect(items).toHaveLength(5);

    const matcher = compileWorkspace([
      { id: 'acme', query: '@acme' },
      { id: 'acme-exact', query: '@acme.bsky.social' },
      { id: 'lumo', query: '@lumo' },
    ]);
    const prepared = await prepareMentions({ items, sourceType: 'bluesky', fetchedAt: NOW, isBacklog: false, scorer: createScorer(), matcher });
    const brandsOf = (rkey: string) => prepared.find((m) => m.itemKey.endsWith(`/${rkey}`))?.brands;

    expect(brandsOf('3lbx2m7kq2c2a')).toEqual([
      { brandId: 'acme', keywords: ['@acme'] },
      { brandId: 'acme-exact', keywords: ['@acme.bsky.social'] },
    ]);
    expect(brandsOf('czech')?.map((b) => b.brandId)).toEqual(['acme', 'acme-exact']);
    expect(brandsOf('lumo')).toEqual([]);
    expect(brandsOf('team')).toEqual([]);
    // "acme's status page is down again": a word, not a handle.
    expect(brandsOf('3lbx1qqpx4k2x')).toEqual([]);
  });
});
