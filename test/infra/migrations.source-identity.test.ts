import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/infra/db/database.js';
import type { TestApp } from '../support/app.js';
import { migrationNamed } from '../support/db.js';
import { upgradeWithSources } from '../support/legacy-sources.js';

// An installation upgraded from before source identities, whose workspaces already hold the same
// feed or search twice (the API used to accept it). The migration must neither fail on them nor
// delete any: the oldest of each group keeps the identity, the later ones are left without, and
// the API still refuses a third. Where SQL cannot reproduce the domain's identity exactly (a
// non-ASCII URL or query, an untrimmed legacy value), the row is left without one and the API
// compares its config instead.

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const fn of cleanups.reverse()) await fn();
});

const API = 'http://127.0.0.1:9';
let db: Database;
let t: TestApp;
let key: string;
let otherKey: string;
/** Legacy rows by label, in creation order. */
let ids = new Map<string, string>();
let migrationError: unknown;
let applied: string[] = [];

/** What the earlier code stored, oldest first: [label, workspace, type, config]. */
const legacy: [string, 'mine' | 'other', string, Record<string, unknown>][] = [
  ['feed', 'mine', 'rss', { url: 'https://feeds.example.test/a.xml' }],
  ['feed, respelled', 'mine', 'rss', { url: 'HTTPS://Feeds.Example.TEST:443/a.xml#top' }],
  ['feed, again', 'mine', 'rss', { url: 'https://feeds.example.test/a.xml' }],
  ['feed, path case', 'mine', 'rss', { url: 'https://feeds.example.test/A.xml' }],
  ['feed on a port', 'mine', 'rss', { url: 'http://127.0.0.1:9/feed?x=1&y=%41' }],
  ['feed without a path', 'mine', 'rss', { url: 'http://Feeds.Example.test?edition=cz' }],
  ['non-ASCII feed', 'mine', 'rss', { url: 'https://zpravy.example.test/zprávy.xml' }],
  ['non-ASCII feed, again', 'mine', 'rss', { url: 'https://zpravy.example.test/zpr%C3%A1vy.xml' }],
  ['untrimmed feed', 'mine', 'rss', { url: ' https://padded.example.test/feed.xml\n' }],
  ['dot segments', 'mine', 'rss', { url: 'https://feeds.example.test/x/../b.xml' }],
  ['numeric host', 'mine', 'rss', { url: 'http://0x7f.1/feed.xml' }],
  ['empty config', 'mine', 'rss', {}],
  ['search', 'mine', 'hackernews', { query: 'Acme Coffee', baseUrl: API }],
  ['search, recased', 'mine', 'hackernews', { query: 'acme coffee', baseUrl: API }],
  ['search, default base', 'mine', 'hackernews', { query: 'acme coffee' }],
  ['Czech search', 'mine', 'hackernews', { query: 'Škoda Octavia', baseUrl: API }],
  ['subreddit', 'mine', 'reddit', { subreddit: 'AcmeFans', baseUrl: API }],
  ['reddit search', 'mine', 'reddit', { query: 'acme OR tea', baseUrl: API, oauthBaseUrl: API }],
  ['reddit search, recased', 'mine', 'reddit', { query: 'ACME OR TEA', baseUrl: API, oauthBaseUrl: API }],
  ['reddit search, lowercase or', 'mine', 'reddit', { query: 'acme or tea', baseUrl: API, oauthBaseUrl: API }],
  ['hashtags', 'mine', 'mastodon', { instance: 'mastodon.example.test', hashtag: 'coffee,acme' }],
  ['hashtags, reordered', 'mine', 'mastodon', { instance: 'mastodon.example.test:443', hashtag: 'acme,coffee' }],
  ['bluesky', 'mine', 'bluesky', { query: 'acme  beans', baseUrl: API }],
  ['Hindi bluesky', 'mine', 'bluesky', { query: 'टाटा मोटर्स', baseUrl: API }],
  ['google news', 'mine', 'googlenews', { query: 'Acme', lang: 'pt-BR', country: 'BR', baseUrl: API }],
  ['youtube', 'mine', 'youtube', { channelId: 'UC0123456789abcdefghijkl' }],
  ['their feed', 'other', 'rss', { url: 'https://feeds.example.test/a.xml' }],
];

beforeAll(async () => {
  ({ db, t, key, otherKey, ids, applied, migrationError } = await upgradeWithSources(
    'source_identity',
    legacy.map(([label, workspace, type, config]) => ({ label, workspace, type, config })),
    { createdFrom: new Date('2026-01-01T00:00:00Z'), cleanups },
  ));
});

const identities = async () =>
  new Map(
    (await sql<{ id: string; identity: string | null }>`select id, identity from sources`.execute(db)).rows.map((r) => [r.id, r.identity] as const),
  );
const idOf = (label: string) => ids.get(label)!;

describe('migrating sources that already poll the same thing twice', () => {
  it('applies without error and keeps every source', async () => {
    expect(migrationError).toBeUndefined();
    expect(applied).toContain(await migrationNamed('source_identity'));
    const rows = (await sql<{ id: string }>`select id from sources order by created_at`.execute(db)).rows;
    expect(rows.map((r) => r.id)).toEqual([...ids.values()]);
  });

  it('gives the oldest source of each group the identity and leaves the later ones without', async () => {
    const identity = await identities();
    expect(identity.get(idOf('feed'))).toBe('["rss","https://feeds.example.test/a.xml"]');
    expect(identity.get(idOf('feed, respelled'))).toBeNull();
    expect(identity.get(idOf('feed, again'))).toBeNull();
    expect(identity.get(idOf('search'))).toBe('["hackernews","http://127.0.0.1:9/","acme coffee"]');
    expect(identity.get(idOf('search, recased'))).toBeNull();
    expect(identity.get(idOf('reddit search'))).toBe('["reddit","http://127.0.0.1:9/","http://127.0.0.1:9/","acme OR tea",null]');
    expect(identity.get(idOf('reddit search, recased'))).toBeNull();
    expect(identity.get(idOf('hashtags'))).toBe('["mastodon","mastodon.example.test",null,"acme,coffee"]');
    expect(identity.get(idOf('hashtags, reordered'))).toBeNull();
    // Another workspace's copy is no duplicate.
    expect(identity.get(idOf('their feed'))).toBe('["rss","https://feeds.example.test/a.xml"]');
    // Distinct targets keep their own.
    for (const label of ['feed, path case', 'feed on a port', 'feed without a path', 'search, default base', 'subreddit', 'reddit search, lowercase or', 'bluesky', 'google news', 'youtube']) {
      expect(identity.get(idOf(label)), label).not.toBeNull();
    }
  });

  it("computes in SQL exactly the domain's identity, and leaves without one what SQL cannot reproduce", async () => {
    const { sourceIdentity } = await import('../../src/domain/sources/sources.identity.js');
    const identity = await identities();
    for (const [label, , type, config] of legacy) {
      const stored = identity.get(idOf(label));
      if (stored !== null) expect(stored, label).toBe(sourceIdentity(type as never, config));
    }
    for (const label of ['non-ASCII feed', 'untrimmed feed', 'dot segments', 'numeric host', 'empty config', 'Czech search', 'Hindi bluesky']) {
      expect(identity.get(idOf(label)), label).toBeNull();
    }
  });
});

describe('the API over the upgraded database', () => {
  const post = (body: Record<string, unknown>, apiKey = key) => t.request('POST', '/v1/sources', { key: apiKey, body });
  const expectDuplicate = (res: { status: number; json: any; text: string }, label: string) => {
    expect(res.status, res.text).toBe(409);
    expect(res.json.error).toMatchObject({ code: 'sources.duplicate', existingId: idOf(label) });
    expect(res.json.error.message).toContain(idOf(label));
  };

  it('refuses a third copy, naming the oldest source', async () => {
    expectDuplicate(await post({ type: 'rss', url: 'https://feeds.example.test/a.xml#again' }), 'feed');
    expectDuplicate(await post({ type: 'hackernews', query: 'ACME COFFEE', baseUrl: API }), 'search');
    expectDuplicate(await post({ type: 'mastodon', instance: 'Mastodon.Example.test', hashtag: '#Acme,#Coffee' }), 'hashtags');
    expectDuplicate(await post({ type: 'rss', url: 'https://feeds.example.test/a.xml' }, otherKey), 'their feed');
  });

  it('finds the sources the migration could not give an identity by their config', async () => {
    expectDuplicate(await post({ type: 'rss', url: 'https://zpravy.example.test/zpr%C3%A1vy.xml' }), 'non-ASCII feed');
    expectDuplicate(await post({ type: 'rss', url: 'https://padded.example.test/feed.xml' }), 'untrimmed feed');
    expectDuplicate(await post({ type: 'rss', url: 'https://feeds.example.test/b.xml' }), 'dot segments');
    expectDuplicate(await post({ type: 'hackernews', query: 'ŠKODA OCTAVIA', baseUrl: API }), 'Czech search');
    expectDuplicate(await post({ type: 'bluesky', query: 'टाटा मोटर्स ', baseUrl: API }), 'Hindi bluesky');
  });

  it('lets a later copy be edited in place, but not be moved onto another source', async () => {
    const edited = await t.request('PATCH', `/v1/sources/${idOf('feed, again')}`, { key, body: { intervalSeconds: 3600, url: 'https://feeds.example.test/a.xml' } });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.json.intervalSeconds).toBe(3600);
    expectDuplicate(await t.request('PATCH', `/v1/sources/${idOf('feed, path case')}`, { key, body: { url: 'https://feeds.example.test/a.xml' } }), 'feed');
    // Spelling the same feed another way makes no new copy: neither the oldest nor a later copy is refused.
    for (const label of ['feed', 'feed, again']) {
      const respelled = await t.request('PATCH', `/v1/sources/${idOf(label)}`, { key, body: { url: 'https://FEEDS.example.test:443/a.xml' } });
      expect(respelled.status, `${label}: ${respelled.text}`).toBe(200);
    }
    expect((await identities()).get(idOf('feed'))).toBe('["rss","https://feeds.example.test/a.xml"]');
    expect((await identities()).get(idOf('feed, again'))).toBeNull();
    // Moved to a target of its own, a later copy gets an identity.
    const moved = await t.request('PATCH', `/v1/sources/${idOf('feed, respelled')}`, { key, body: { url: 'https://feeds.example.test/c.xml' } });
    expect(moved.status, moved.text).toBe(200);
    expect((await identities()).get(idOf('feed, respelled'))).toBe('["rss","https://feeds.example.test/c.xml"]');
    expectDuplicate(await post({ type: 'rss', url: 'https://FEEDS.example.test/c.xml' }), 'feed, respelled');
  });
});
