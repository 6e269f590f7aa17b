import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { payloadPath } from '../../src/connectors/api.request.js';
import { SourceFetchError } from '../../src/connectors/connector.types.js';
import { hackernewsConnector } from '../../src/connectors/hackernews.connector.js';
import { redditConnector } from '../../src/connectors/reddit.connector.js';
import { addSource, cleanupList, fetchNow, getSource } from '../reliability/support.js';
import { createTestStack, type TestStack } from '../support/stack.js';
import { fixtureJson, pollFailure, pollOnce, startApi, type ApiServer } from './api-server.js';

// An API that answers in a shape the connector does not know fails the poll; the error names
// where in the payload the unexpected value is, so whoever reads the source's lastError can tell
// what changed upstream.

const posts = fixtureJson('reddit/new.json');

let api: ApiServer | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});
const cleanup = cleanupList();
afterAll(() => cleanup.run());

/** A Reddit listing of the fixture's posts, each changed by `change`. */
function redditListing(change: (thing: { kind: string; data: Record<string, unknown> }) => unknown) {
  const children = structuredClone(posts.data.children).map(change);
  return { kind: 'Listing', data: { after: null, dist: children.length, modhash: '', children, before: null } };
}

describe('an answer in an unexpected shape names the path of what is wrong', () => {
  it('when every Reddit thing has created_utc as a string, the error names data.children[0].data.created_utc', async () => {
    const listing = redditListing((t) => ({ ...t, data: { ...t.data, created_utc: String(t.data.created_utc) } }));
    api = await startApi(() => ({ body: listing }));
    const err = await pollFailure(pollOnce(redditConnector, { config: { query: 'acme', baseUrl: api.origin } }));
    expect(err).toBeInstanceOf(SourceFetchError);
    expect(err.message).toMatch(/^Reddit \/search listed 2 entries and none could be read; the first is invalid at data\.children\[0\]\.data\.created_utc: /);
  });

  it("when a Reddit listing's children are not a list, the error names data.children", async () => {
    api = await startApi(() => ({ body: { kind: 'Listing', data: { after: null, children: { '0': {} } } } }));
    const err = await pollFailure(pollOnce(redditConnector, { config: { query: 'acme', baseUrl: api.origin } }));
    expect(err.message).toMatch(/^Reddit answered in an unexpected shape at data\.children: /);
  });

  it('when every Hacker News hit has tags that are not text, the error names hits[0]._tags[1]', async () => {
    const hits = structuredClone(fixtureJson('hackernews/search_by_date.json').hits as Array<Record<string, unknown>>).map((hit) => ({ ...hit, _tags: ['story', 7] }));
    api = await startApi(() => ({ body: { hits, page: 0, nbPages: 1 } }));
    const err = await pollFailure(pollOnce(hackernewsConnector, { config: { query: 'acme', baseUrl: api.origin } }));
    expect(err.message).toMatch(/^Hacker News search listed \d+ entries and none could be read; the first is invalid at hits\[0\]\._tags\[1\]: /);
  });

  it("the path reaches the source's lastError, where an operator reads it", async () => {
    const s: TestStack = await createTestStack();
    cleanup.add(() => s.close());
    const { key } = await s.workspace('Shape paths');
    const listing = redditListing((t) => ({ ...t, data: { ...t.data, permalink: 42 } }));
    const server = await startApi(() => ({ body: listing }));
    cleanup.add(() => server.close());
    const { id } = await addSource(s, key, { type: 'reddit', query: 'kávovar', baseUrl: server.origin });
    await fetchNow(s, key, id);
    const source = await getSource(s, key, id);
    expect(source.lastStatus).toBe(200);
    expect(source.lastError).toMatch(/none could be read; the first is invalid at data\.children\[0\]\.data\.permalink: /);
  });
});

describe('payloadPath', () => {
  it('writes keys of any script bare, indices in brackets, and other keys quoted', () => {
    expect(payloadPath(['data', 'children', 3, 'data', 'created_utc'])).toBe('data.children[3].data.created_utc');
    expect(payloadPath([0, 'account'])).toBe('[0].account');
    expect(payloadPath(['نام‌کاربر', 'हिन्दी', 'தமிழ்'])).toBe('["نام\\u200cکاربر"].हिन्दी.தமிழ்');
    expect(payloadPath(['data', 'a key', '$type'])).toBe('data["a key"].$type');
  });

  it('is bounded: a long key is cut, a deep path keeps its ends, controls are escaped', () => {
    const long = payloadPath(['data', 'x'.repeat(10_000)]);
    expect(long).toBe(`data["${'x'.repeat(40)}…"]`);
    const deep = payloadPath(Array.from({ length: 1000 }, (_, i) => `k${i}`));
    expect(deep).toBe('k0.k1.k2….k996.k997.k998.k999');
    expect(payloadPath(['\u202Eevil\n', 'ok'])).toBe('["\\u202eevil\\n"].ok');
    // A key cut inside an astral character keeps no half of it.
    const astral = payloadPath(['a'.repeat(39) + '😀']);
    expect(astral).toBe(`["${'a'.repeat(39)}…"]`);
  });
});
