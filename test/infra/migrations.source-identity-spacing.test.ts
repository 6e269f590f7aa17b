import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/infra/db/database.js';
import { sourceIdentity } from '../../src/domain/sources/sources.identity.js';
import type { SourceType } from '../../src/domain/items/item.types.js';
import type { TestApp } from '../support/app.js';
import { migrationNamed } from '../support/db.js';
import { upgradeWithSources } from '../support/legacy-sources.js';

// An installation upgraded from before a query's whitespace runs counted as one space: its stored
// identities keep the spacing as written, so `acme  coffee` and `acme coffee` could both be
// added. The migration recomputes the identity of every source whose query holds a run, exactly
// as the application now computes it; where that makes two sources of a workspace one target,
// neither fails nor is deleted: the oldest keeps the identity, the later ones are left without
// (as when identities were introduced), and the API still refuses another copy.

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const fn of cleanups.reverse()) await fn();
});

const API = 'http://127.0.0.1:9';
/** What the earlier code stored as identities: the query folded with its whitespace as written. */
const hackernews = (query: string) => JSON.stringify(['hackernews', `${API}/`, query]);
const bluesky = (query: string) => JSON.stringify(['bluesky', null, query]);

/** Every code point of JavaScript's `\s`. */
const WHITESPACE = Array.from({ length: 0x110000 }, (_, c) => c)
  .filter((c) => (c < 0xd800 || c > 0xdfff) && /\s/.test(String.fromCodePoint(c)))
  .map((c) => String.fromCodePoint(c));
/** `w0`, then each whitespace character followed by the next word: every one of them a run of its own. */
const EVERY_SPACE = WHITESPACE.map((space, i) => `${space}w${i + 1}`).join('');

/** What the earlier code stored, oldest first: [label, workspace, type, config, identity]. */
const legacy: [string, 'mine' | 'other', SourceType, Record<string, unknown>, string | null][] = [
  ['spaced', 'mine', 'hackernews', { query: 'acme  coffee', baseUrl: API }, hackernews('acme  coffee')],
  ['single-spaced, later', 'mine', 'hackernews', { query: 'acme coffee', baseUrl: API }, hackernews('acme coffee')],
  ['tabbed, later', 'mine', 'hackernews', { query: 'Acme\tCoffee', baseUrl: API }, hackernews('acme\tcoffee')],
  ['beans', 'mine', 'bluesky', { query: 'acme beans' }, bluesky('acme beans')],
  ['no-break beans, later', 'mine', 'bluesky', { query: 'Acme\u00a0Beans' }, bluesky('acme\u00a0beans')],
  // Left without an identity when identities were introduced (not ASCII): the API compares its config.
  ['ideographic tea', 'mine', 'hackernews', { query: 'acme\u3000tea', baseUrl: API }, null],
  ['spaced tea, later', 'mine', 'hackernews', { query: 'acme  tea', baseUrl: API }, hackernews('acme  tea')],
  [
    'reddit operators',
    'mine',
    'reddit',
    { query: 'Acme \u2003OR\n\ntea', baseUrl: API, oauthBaseUrl: API },
    JSON.stringify(['reddit', `${API}/`, `${API}/`, 'acme \u2003OR\n\ntea', null]),
  ],
  ['subreddit', 'mine', 'reddit', { subreddit: 'AcmeFans', baseUrl: API }, JSON.stringify(['reddit', `${API}/`, null, null, 'acmefans'])],
  [
    'google news',
    'mine',
    'googlenews',
    { query: 'Škoda\u2009\u2009Octavia', lang: 'cs', country: 'CZ', baseUrl: API },
    JSON.stringify(['googlenews', `${API}/`, 'škoda\u2009\u2009octavia', 'cs', 'CZ']),
  ],
  ['every space', 'mine', 'hackernews', { query: `w0${EVERY_SPACE}` }, JSON.stringify(['hackernews', null, `w0${EVERY_SPACE}`])],
  ['one long run', 'mine', 'bluesky', { query: `acme${WHITESPACE.join('')}pods` }, bluesky(`acme${WHITESPACE.join('')}pods`)],
  // Stored untrimmed by a version before the schemas trimmed; its identity was trimmed.
  ['untrimmed', 'mine', 'hackernews', { query: ' acme  latte ' }, JSON.stringify(['hackernews', null, 'acme  latte'])],
  ['quotes and backslashes', 'mine', 'bluesky', { query: 'say  "acme"\\\u00a0now' }, bluesky('say  "acme"\\\u00a0now')],
  ['invisible joins', 'mine', 'hackernews', { query: 'acme\u200bcoffee\u2060pods\u180ebeans', baseUrl: API }, hackernews('acme\u200bcoffee\u2060pods\u180ebeans')],
  ['single search', 'mine', 'hackernews', { query: 'acme pods', baseUrl: API }, hackernews('acme pods')],
  ['feed', 'mine', 'rss', { url: 'https://feeds.example.test/a.xml' }, JSON.stringify(['rss', 'https://feeds.example.test/a.xml'])],
  ['hashtags', 'mine', 'mastodon', { instance: 'mastodon.example.test', hashtag: 'coffee,acme' }, JSON.stringify(['mastodon', 'mastodon.example.test', null, 'acme,coffee'])],
  ['youtube', 'mine', 'youtube', { channelId: 'UC0123456789abcdefghijkl' }, JSON.stringify(['youtube', null, 'UC0123456789abcdefghijkl'])],
  ['their spaced', 'other', 'hackernews', { query: 'acme  coffee', baseUrl: API }, hackernews('acme  coffee')],
  ['their no-break, later', 'other', 'hackernews', { query: 'acme\u00a0coffee', baseUrl: API }, hackernews('acme\u00a0coffee')],
];

/** The sources that get the collapsed identity, and the later copies left without one. */
const RECOMPUTED = ['spaced', 'spaced tea, later', 'reddit operators', 'google news', 'every space', 'one long run', 'untrimmed', 'quotes and backslashes', 'their spaced'];
const LATER_COPIES = ['single-spaced, later', 'tabbed, later', 'no-break beans, later', 'their no-break, later'];

let db: Database;
let t: TestApp;
let key: string;
let otherKey: string;
/** Legacy rows by label, in creation order. */
let ids = new Map<string, string>();
let before = new Map<string, unknown>();
let migrationError: unknown;
let applied: string[] = [];

/** Every row as a whole, by id. */
const rows = async () =>
  new Map((await sql<{ id: string; row: unknown }>`select id, to_jsonb(sources) as row from sources`.execute(db)).rows.map((r) => [r.id, r.row] as const));
const identities = async () =>
  new Map((await sql<{ id: string; identity: string | null }>`select id, identity from sources`.execute(db)).rows.map((r) => [r.id, r.identity] as const));
const idOf = (label: string) => ids.get(label)!;

beforeAll(async () => {
  ({ db, t, key, otherKey, ids, rowsBefore: before, applied, migrationError } = await upgradeWithSources(
    'source_identity_spacing',
    legacy.map(([label, workspace, type, config, identity]) => ({ label, workspace, type, config, identity })),
    { createdFrom: new Date('2026-03-01T00:00:00Z'), cleanups },
  ));
});

describe('migrating identities whose query holds a whitespace run', () => {
  it('applies without error and keeps every source', async () => {
    expect(migrationError).toBeUndefined();
    expect(applied).toContain(await migrationNamed('source_identity_spacing'));
    const kept = (await sql<{ id: string }>`select id from sources order by created_at`.execute(db)).rows;
    expect(kept.map((r) => r.id)).toEqual([...ids.values()]);
  });

  it("gives each source whose query holds a run the application's identity", async () => {
    const identity = await identities();
    for (const label of RECOMPUTED) {
      const [, , type, config] = legacy.find(([l]) => l === label)!;
      expect(identity.get(idOf(label)), label).toBe(sourceIdentity(type, config));
    }
    expect(identity.get(idOf('spaced'))).toBe(hackernews('acme coffee'));
    expect(identity.get(idOf('reddit operators'))).toBe(JSON.stringify(['reddit', `${API}/`, `${API}/`, 'acme OR tea', null]));
    expect(identity.get(idOf('google news'))).toBe(JSON.stringify(['googlenews', `${API}/`, 'škoda octavia', 'cs', 'CZ']));
    expect(identity.get(idOf('every space'))).toBe(JSON.stringify(['hackernews', null, WHITESPACE.map((_, i) => `w${i}`).concat(`w${WHITESPACE.length}`).join(' ')]));
    expect(identity.get(idOf('quotes and backslashes'))).toBe(bluesky('say "acme"\\ now'));
    // Every identity left is the application's, for every source.
    for (const [label, , type, config] of legacy) {
      const stored = identity.get(idOf(label));
      if (stored !== null) expect(stored, label).toBe(sourceIdentity(type, config));
    }
  });

  it('leaves the oldest source of a target that collapsing made one with the identity, and the later ones without', async () => {
    const identity = await identities();
    // The older copy had the run; the newer one, holding the collapsed identity already, loses it.
    expect(identity.get(idOf('spaced'))).toBe(sourceIdentity('hackernews', { query: 'acme coffee', baseUrl: API }));
    // The older copy had no run and keeps its identity; the newer one with a run is left without.
    expect(identity.get(idOf('beans'))).toBe(bluesky('acme beans'));
    for (const label of LATER_COPIES) expect(identity.get(idOf(label)), label).toBeNull();
    // A source without an identity takes no part: the newer one gets it.
    expect(identity.get(idOf('ideographic tea'))).toBeNull();
    expect(identity.get(idOf('spaced tea, later'))).toBe(hackernews('acme tea'));
    // Another workspace's sources are their own group.
    expect(identity.get(idOf('their spaced'))).toBe(hackernews('acme coffee'));
  });

  it('changes nothing else: no config, and no other source at all', async () => {
    const after = await rows();
    const changed = new Set([...RECOMPUTED, ...LATER_COPIES].map(idOf));
    // The columns the row had before the upgrade; later migrations may add more.
    const asBefore = (row: Record<string, unknown>, like: Record<string, unknown>) => Object.fromEntries(Object.keys(like).map((k) => [k, row[k]]));
    for (const [label] of legacy) {
      const id = idOf(label);
      const was = before.get(id) as Record<string, unknown>;
      const is = asBefore(after.get(id) as Record<string, unknown>, was);
      const { identity: _was, ...rest } = was;
      const { identity: _is, ...now } = is;
      expect(now, label).toEqual(rest);
      if (!changed.has(id)) expect(is, label).toEqual(was);
    }
    for (const label of ['beans', 'ideographic tea', 'subreddit', 'invisible joins', 'single search', 'feed', 'hashtags', 'youtube']) {
      expect(changed.has(idOf(label)), label).toBe(false);
    }
  });
});

describe('the API over the migrated database', () => {
  const post = (body: Record<string, unknown>, apiKey = key) => t.request('POST', '/v1/sources', { key: apiKey, body });
  const expectDuplicate = (res: { status: number; json: any; text: string }, label: string) => {
    expect(res.status, res.text).toBe(409);
    expect(res.json.error).toMatchObject({ code: 'sources.duplicate', existingId: idOf(label) });
  };

  it('refuses another copy in any spacing, naming the oldest source', async () => {
    expectDuplicate(await post({ type: 'hackernews', query: 'ACME\u00a0\u00a0COFFEE', baseUrl: API }), 'spaced');
    expectDuplicate(await post({ type: 'bluesky', query: 'acme\u3000beans' }), 'beans');
    expectDuplicate(await post({ type: 'reddit', query: 'acme OR tea', baseUrl: API, oauthBaseUrl: API }), 'reddit operators');
    expectDuplicate(await post({ type: 'hackernews', query: 'acme coffee', baseUrl: API }, otherKey), 'their spaced');
  });

  it('finds a source without an identity by its config, read with the new spacing', async () => {
    expectDuplicate(await post({ type: 'hackernews', query: 'acme tea', baseUrl: API }), 'ideographic tea');
  });

  it('lets a later copy be edited in place, but not another source be respaced onto a target', async () => {
    const edited = await t.request('PATCH', `/v1/sources/${idOf('single-spaced, later')}`, { key, body: { intervalSeconds: 3600 } });
    expect(edited.status, edited.text).toBe(200);
    expect((await identities()).get(idOf('single-spaced, later'))).toBeNull();
    expectDuplicate(await t.request('PATCH', `/v1/sources/${idOf('single search')}`, { key, body: { query: 'acme\u2002coffee' } }), 'spaced');
  });
});
