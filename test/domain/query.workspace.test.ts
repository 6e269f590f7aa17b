import { describe, expect, it } from 'vitest';
import { compileWorkspace, parseQuery, queryTerms, QueryError } from '../../src/domain/query/index.js';
import { item } from './query/fixtures.js';

const brands = [
  { id: 'acme', query: '("acme coffee" OR #acmecoffee OR @acme) -anvil' },
  { id: 'globex', query: 'globex* NEAR/3 (outage OR down)' },
  { id: 'skoda', query: 'skoda lang:cs' },
  { id: 'rss', query: 'source:rss -lang:en' },
  { id: 'hindi', query: 'पसंद OR site:example.in' },
  { id: 'parsed', query: parseQuery('(tea OR čaj) -"green tea"') },
];

describe('a compiled workspace', () => {
  const workspace = compileWorkspace(brands);

  it('returns every matching brand with the keywords that matched, in brand order', () => {
    const found = workspace.match(
      item('Acme Coffee is back, and the Globex servers are down again #AcmeCoffee', { sourceType: 'mastodon', handles: ['acme@mastodon.social'] }),
    );
    expect(found).toEqual([
      { brandId: 'acme', keywords: ['acme coffee', '#acmecoffee', '@acme'] },
      { brandId: 'globex', keywords: ['globex*', 'down'] },
    ]);
  });

  it('matches a brand of filters alone on items that contain none of the other brands’ words', () => {
    expect(workspace.match(item('nothing to see', { lang: 'de' }))).toEqual([{ brandId: 'rss', keywords: [] }]);
    expect(workspace.match(item('nothing to see', { lang: 'en' }))).toEqual([]);
  });

  it('reads each script and the diacritics rule in one pass', () => {
    const found = workspace.match(item('Nová Škoda a čaj; मुझे यह बहुत पसंद है', { lang: 'cs', sourceType: 'reddit' }));
    expect(found.map((m) => m.brandId)).toEqual(['skoda', 'hindi', 'parsed']);
    expect(found.find((m) => m.brandId === 'parsed')?.keywords).toEqual(['čaj']);
  });

  it('matches a site filter brand from the url alone', () => {
    expect(workspace.match(item('x', { url: 'https://blog.example.in/post', sourceType: 'hackernews' }))).toEqual([{ brandId: 'hindi', keywords: [] }]);
  });

  it('keeps an excluded word out even when another brand wants it', () => {
    const found = workspace.match(item('acme coffee sold with an anvil, green tea', { sourceType: 'reddit' }));
    expect(found).toEqual([]);
  });

  it('does not confuse brands with Object prototype names in the text', () => {
    expect(workspace.match(item('constructor __proto__ toString valueOf', { sourceType: 'reddit' }))).toEqual([]);
  });

  it('leaves out a brand whose stored query does not parse, and matches the others', () => {
    expect(() => parseQuery('acme OR')).toThrow(QueryError);
    const withBroken = compileWorkspace([{ id: 'broken', query: 'acme OR' }, { id: 'acme', query: 'acme' }]);
    expect(withBroken.match(item('Acme ships today'))).toEqual([{ brandId: 'acme', keywords: ['acme'] }]);
  });

  it('does not evaluate a brand when none of the words it needs is in the item', () => {
    let reads = 0;
    const counting = <T extends object>(node: T): T =>
      new Proxy(node, {
        get(target, key, receiver) {
          if (key === 'type') reads += 1;
          const value = Reflect.get(target, key, receiver) as unknown;
          return typeof value === 'object' && value !== null ? counting(value) : value;
        },
      });
    const watched = compileWorkspace([{ id: 'zebra', query: counting(parseQuery('(zebra OR "zebra crossing") -horse')) }]);
    reads = 0;
    expect(watched.match(item('acme coffee and a horse'))).toEqual([]);
    expect(reads).toBe(0);
    expect(watched.match(item('a zebra crossing'))).toEqual([{ brandId: 'zebra', keywords: ['zebra', 'zebra crossing'] }]);
    expect(reads).toBeGreaterThan(0);
  });

  it('matches nothing in an empty workspace', () => {
    expect(compileWorkspace([]).match(item('acme'))).toEqual([]);
  });
});

describe('the positive terms of a query', () => {
  it('lists terms, hashtags and handles as written, folded, without excluded terms or filters', () => {
    expect(queryTerms('"Acme Coffee" OR acme* OR #AcmeCoffee OR @Acme -anvil lang:cs NOT (tea NOT Škoda) ACME')).toEqual([
      'acme coffee',
      'acme*',
      '#acmecoffee',
      '@acme',
      'škoda',
      'acme',
    ]);
  });

  it('includes both sides of NEAR and accepts a parsed query', () => {
    expect(queryTerms(parseQuery('globex NEAR/3 (outage OR "is down")'))).toEqual(['globex', 'outage', 'is down']);
  });

  it('is empty for a query of filters alone', () => {
    expect(queryTerms('source:rss')).toEqual([]);
  });
});
