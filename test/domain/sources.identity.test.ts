import { describe, expect, it } from 'vitest';
import { sourceIdentity } from '../../src/domain/sources/sources.identity.js';
import type { SourceType } from '../../src/domain/items/item.types.js';

// What a source polls, as the duplicate check and the unique index compare it. Every service
// splits a search into words at whitespace, so the spacing between words is no part of a search;
// everything else a service tells apart still is.

const API = 'http://127.0.0.1:9';

/** Each query type with a config holding `query`, the other fields fixed. */
const searches: [SourceType, (query: string) => Record<string, unknown>][] = [
  ['hackernews', (query) => ({ query, baseUrl: API })],
  ['bluesky', (query) => ({ query })],
  ['reddit', (query) => ({ query, baseUrl: API, oauthBaseUrl: API })],
  ['googlenews', (query) => ({ query, lang: 'cs', country: 'CZ' })],
];

/** Every code point JavaScript's `\s` matches: the whitespace a query's identity collapses. */
const WHITESPACE = Array.from({ length: 0x110000 }, (_, c) => c)
  .filter((c) => (c < 0xd800 || c > 0xdfff) && /\s/.test(String.fromCodePoint(c)))
  .map((c) => String.fromCodePoint(c));

describe('a search query in the identity', () => {
  it.each(searches)('%s: a run of whitespace between words is one space, and none is kept at the ends', (type, config) => {
    const plain = sourceIdentity(type, config('acme coffee'));
    for (const query of ['acme  coffee', 'acme\tcoffee', 'acme\u00a0coffee', ' acme coffee ', 'acme \t\u3000\n coffee', '\u2003acme\u202fcoffee\r\n', 'Acme\u2009Coffee']) {
      expect(sourceIdentity(type, config(query)), JSON.stringify(query)).toBe(plain);
    }
  });

  it('every character of JavaScript\'s \\s separates words, and that set is the one documented', () => {
    expect(WHITESPACE.map((c) => c.codePointAt(0)!.toString(16).padStart(4, '0'))).toEqual([
      '0009', '000a', '000b', '000c', '000d', '0020', '00a0', '1680',
      '2000', '2001', '2002', '2003', '2004', '2005', '2006', '2007', '2008', '2009', '200a',
      '2028', '2029', '202f', '205f', '3000', 'feff',
    ]);
    const plain = sourceIdentity('hackernews', { query: 'acme coffee' });
    for (const space of WHITESPACE) expect(sourceIdentity('hackernews', { query: `acme${space}coffee` }), space.codePointAt(0)!.toString(16)).toBe(plain);
    expect(sourceIdentity('hackernews', { query: `acme${WHITESPACE.join('')}coffee` })).toBe(plain);
  });

  it('characters that show as nothing but are not whitespace stay as written', () => {
    const plain = sourceIdentity('bluesky', { query: 'acme coffee' });
    for (const invisible of ['\u200b', '\u2060', '\u180e', '\u0085', '\u200c']) {
      const joined = sourceIdentity('bluesky', { query: `acme${invisible}coffee` });
      expect(joined).not.toBe(plain);
      expect(JSON.parse(joined)[2]).toBe(`acme${invisible}coffee`);
    }
  });

  it.each(searches)('%s: words are still lowercased, AND, OR, NOT kept as operators only in capitals', (type, config) => {
    expect(sourceIdentity(type, config('ACME\u00a0\u00a0OR\tTea  NOT\n\nbeans'))).toBe(sourceIdentity(type, config('acme OR tea NOT beans')));
    expect(sourceIdentity(type, config('acme  OR  tea'))).not.toBe(sourceIdentity(type, config('acme or tea')));
    expect(sourceIdentity(type, config('Škoda\u3000Octavia'))).toBe(sourceIdentity(type, config('škoda octavia')));
    // Spacing is collapsed, not removed: words stay apart.
    expect(sourceIdentity(type, config('acme coffee'))).not.toBe(sourceIdentity(type, config('acmecoffee')));
    expect(sourceIdentity(type, config('acme  coffee'))).toContain('"acme coffee"');
  });

  it('the exact identities of the query types', () => {
    expect(sourceIdentity('hackernews', { query: ' Acme\t\tCoffee ', baseUrl: API })).toBe('["hackernews","http://127.0.0.1:9/","acme coffee"]');
    expect(sourceIdentity('bluesky', { query: 'acme\u00a0OR\u00a0tea' })).toBe('["bluesky",null,"acme OR tea"]');
    expect(sourceIdentity('reddit', { query: 'acme\n beans', baseUrl: API })).toBe('["reddit","http://127.0.0.1:9/",null,"acme beans",null]');
    expect(sourceIdentity('googlenews', { query: 'Acme  Coffee', lang: 'pt-BR', country: 'BR' })).toBe('["googlenews",null,"acme coffee","pt-BR","BR"]');
  });
});

describe('what is no search query keeps its identity', () => {
  it('feed URLs, base URLs, subreddits, hashtags and channel ids are as before', () => {
    expect(sourceIdentity('rss', { url: 'HTTPS://Feeds.Example.test:443/a%20b.xml#top' })).toBe('["rss","https://feeds.example.test/a%20b.xml"]');
    expect(sourceIdentity('rss', { url: 'https://feeds.example.test/Path/A.xml?q=Acme' })).toBe('["rss","https://feeds.example.test/Path/A.xml?q=Acme"]');
    expect(sourceIdentity('hackernews', { query: 'acme', baseUrl: 'HTTP://127.0.0.1:9/Search' })).toBe('["hackernews","http://127.0.0.1:9/Search","acme"]');
    expect(sourceIdentity('reddit', { subreddit: 'AcmeFans', baseUrl: API })).toBe('["reddit","http://127.0.0.1:9/",null,null,"acmefans"]');
    expect(sourceIdentity('mastodon', { instance: 'Mastodon.Example.test:443', hashtag: '#Coffee, #Acme,acme' })).toBe('["mastodon","mastodon.example.test",null,"acme,coffee"]');
    expect(sourceIdentity('youtube', { channelId: 'UC0123456789abcdefghijkl' })).toBe('["youtube",null,"UC0123456789abcdefghijkl"]');
    expect(sourceIdentity('youtube', { channelId: 'UC0123456789ABCDEFGHIJKL' })).not.toBe(sourceIdentity('youtube', { channelId: 'UC0123456789abcdefghijkl' }));
  });
});
