import { describe, expect, it } from 'vitest';
import { parseQuery, QueryError, type QueryNode } from '../../src/domain/query/index.js';

const word = (w: string): QueryNode => ({ type: 'term', text: w, words: [w], prefix: false });

function parseError(query: string): QueryError {
  try {
    parseQuery(query);
  } catch (err) {
    if (err instanceof QueryError) return err;
    throw err;
  }
  throw new Error(`expected ${JSON.stringify(query)} to be refused`);
}

describe('parsing the query language', () => {
  it('reads a space and AND alike', () => {
    expect(parseQuery('acme coffee')).toEqual(parseQuery('acme AND coffee'));
    expect(parseQuery('acme coffee')).toEqual({ type: 'and', children: [word('acme'), word('coffee')] });
  });

  it('binds NOT tighter than NEAR, NEAR tighter than AND, AND tighter than OR', () => {
    expect(parseQuery('a OR b c NEAR/2 d -e')).toEqual({
      type: 'or',
      children: [
        word('a'),
        {
          type: 'and',
          children: [
            word('b'),
            { type: 'near', distance: 2, left: word('c'), right: word('d') },
            { type: 'not', child: word('e') },
          ],
        },
      ],
    });
  });

  it('folds terms and keeps hashtags, handles and filters in their own nodes', () => {
    expect(parseQuery('"Acme  Coffee" ŠKODA* #AcmeCoffee @Acme@Mastodon.Social lang:CS site:News.Example.com author:"Jane  Doe" source:RSS')).toEqual({
      type: 'and',
      children: [
        { type: 'term', text: 'acme coffee', words: ['acme', 'coffee'], prefix: false },
        { type: 'term', text: 'škoda*', words: ['škoda'], prefix: true },
        { type: 'hashtag', tag: 'acmecoffee' },
        { type: 'handle', handle: 'acme@mastodon.social' },
        { type: 'filter', field: 'lang', value: 'cs' },
        { type: 'filter', field: 'site', value: 'news.example.com' },
        { type: 'filter', field: 'author', value: 'jane doe' },
        { type: 'filter', field: 'source', value: 'rss' },
      ],
    });
  });

  it('reads words of every script whole, marks and joiners included', () => {
    // One word; the words to find are in search form (the ZWNJ may be typed or not), the keyword as written.
    expect(parseQuery('می‌خواهم')).toEqual({ type: 'term', text: 'می‌خواهم', words: ['میخواهم'], prefix: false });
    expect(parseQuery('राम्रो')).toEqual(word('राम्रो'));
    expect(parseQuery('பிடிக்கும்')).toEqual(word('பிடிக்கும்'));
  });

  it('reads a word in any script followed by a colon as a filter name, and only letters before it', () => {
    expect(parseQuery('"škoda:"')).toMatchObject({ type: 'term', words: ['škoda'] });
    expect(parseQuery('12:30')).toMatchObject({ type: 'term', words: ['12', '30'] });
    expect(parseQuery('mp3:')).toEqual({ type: 'term', text: 'mp3:', words: ['mp3'], prefix: false });
  });

  it('accepts a query of filters alone', () => {
    expect(parseQuery('source:rss')).toEqual({ type: 'filter', field: 'source', value: 'rss' });
  });

  it('reads alternatives of a filter value as an OR of filters', () => {
    expect(parseQuery('source:rss|Reddit')).toEqual({
      type: 'or',
      children: [
        { type: 'filter', field: 'source', value: 'rss' },
        { type: 'filter', field: 'source', value: 'reddit' },
      ],
    });
    expect(parseQuery('author:"Jane|Doe"')).toEqual({ type: 'filter', field: 'author', value: 'jane|doe' });
  });

  it('reads site: as a host, subdomain wildcard and trailing dot dropped, international names in punycode', () => {
    expect(parseQuery('site:*.Example.com.')).toEqual({ type: 'filter', field: 'site', value: 'example.com' });
    expect(parseQuery('site:příklad.cz')).toEqual({ type: 'filter', field: 'site', value: 'xn--pklad-zsa96e.cz' });
  });

  it('accepts exclusions next to something to include', () => {
    expect(() => parseQuery('acme -anvil NOT "road runner" -source:reddit')).not.toThrow();
    expect(() => parseQuery('source:rss -lang:en')).not.toThrow();
    expect(() => parseQuery('NOT NOT acme')).not.toThrow();
    expect(() => parseQuery('coffee (acme OR -anvil)')).not.toThrow();
    expect(() => parseQuery('NOT (-acme OR -globex)')).not.toThrow();
  });

  it('accepts the limits themselves', () => {
    expect(() => parseQuery(`${'a'.repeat(995)} acme`.slice(0, 1000))).not.toThrow();
    expect(() => parseQuery(Array.from({ length: 100 }, (_, i) => `w${i}`).join(' OR '))).not.toThrow();
  });
});

const errors: Array<{ q: string; at: number; says: RegExp }> = [
  { q: '', at: 0, says: /empty/ },
  { q: '   ', at: 0, says: /empty/ },
  { q: 'acme OR', at: 5, says: /expected a term after OR at 5/ },
  { q: 'acme AND', at: 5, says: /expected a term after AND at 5/ },
  { q: 'acme AND OR coffee', at: 5, says: /expected a term after AND at 5/ },
  { q: 'OR acme', at: 0, says: /expected a term before OR at 0/ },
  { q: 'acme NEAR/3', at: 5, says: /expected a term after NEAR\/3 at 5/ },
  { q: 'acme NOT', at: 5, says: /expected a term after NOT at 5/ },
  { q: 'acme (coffee OR)', at: 13, says: /after OR at 13/ },
  { q: '"acme coffee', at: 0, says: /unclosed quote opened at 0/ },
  { q: 'tea "acme coffee', at: 4, says: /unclosed quote opened at 4/ },
  { q: 'author:"Jane', at: 7, says: /unclosed quote opened at 7/ },
  { q: 'acme NEAR coffee', at: 5, says: /NEAR at 5 needs a distance: write NEAR\/ and a whole number from 0 to 50, as in NEAR\/3/ },
  { q: 'acme NEAR/x coffee', at: 5, says: /NEAR distance 'x' at 5 is not a number/ },
  { q: 'acme NEAR/99 coffee', at: 5, says: /limit is 50/ },
  { q: 'acme near/3 coffee', at: 5, says: /upper case: write NEAR\/3/ },
  { q: 'NOT acme NEAR/3 coffee', at: 0, says: /an exclusion at 0 cannot be one of its sides/ },
  { q: '#acme NEAR/3 coffee', at: 0, says: /hashtag #acme/ },
  { q: 'acme NEAR/3 lang:cs', at: 12, says: /filter lang:/ },
  { q: 'a1 NEAR/3 b1 NEAR/3 c1', at: 13, says: /NEAR at 13 cannot join another NEAR; write \(a NEAR\/3 b\) \(b NEAR\/3 c\) instead/ },
  { q: '(a1 NEAR/3 b1) NEAR/3 c1', at: 15, says: /NEAR at 15 cannot join another NEAR/ },
  { q: 'a1 NEAR/3 (b1 NEAR/3 c1)', at: 3, says: /NEAR at 3 cannot join another NEAR/ },
  { q: '(a1 b1) NEAR/3 c1', at: 1, says: /AND group/ },
  { q: '-acme', at: 0, says: /only excludes/ },
  { q: 'NOT acme', at: 0, says: /only excludes/ },
  { q: '-acme -globex', at: 0, says: /only excludes/ },
  { q: 'acme OR NOT anvil', at: 8, says: /each side of OR must include something/ },
  { q: 'acme OR (coffee OR -anvil)', at: 19, says: /each side of OR/ },
  { q: 'NOT (acme OR globex)', at: 0, says: /only excludes/ },
  { q: 'NOT NOT NOT acme', at: 0, says: /only excludes/ },
  { q: '-source:reddit', at: 0, says: /only excludes/ },
  { q: 'foo:bar', at: 0, says: /unknown filter 'foo:'/ },
  { q: 'acme bar:baz', at: 5, says: /unknown filter 'bar:'/ },
  { q: 'skoda:', at: 0, says: /unknown filter 'skoda:'/ },
  { q: 'škoda:', at: 0, says: /unknown filter 'škoda:' at 0.*quote the text/ },
  { q: 'acme नमस्ते:', at: 5, says: /unknown filter 'नमस्ते:'/ },
  { q: 'source:x', at: 0, says: /unknown source 'x'; one of rss, hackernews, reddit, mastodon, bluesky, googlenews, youtube/ },
  { q: 'lang:', at: 0, says: /needs a value, as in lang:cs/ },
  { q: 'lang:123', at: 0, says: /not a language code/ },
  // Two letters that name no language (ISO 639-1) could never match a mention's language.
  { q: 'lang:xx', at: 0, says: /^'xx' at 0 is not a language code; write an ISO 639-1 code such as lang:cs or lang:hi$/ },
  { q: 'acme lang:QQ', at: 5, says: /'QQ' at 5 is not a language code/ },
  { q: 'acme lang:cs|zz', at: 5, says: /'zz' at 5 is not a language code/ },
  { q: 'lang:english', at: 0, says: /'english' at 0 is not a language code/ },
  { q: 'lang:pt-BR', at: 0, says: /'pt-BR' at 0 is not a language code; write an ISO 639-1 code/ },
  { q: 'site:https://example.com', at: 0, says: /host name/ },
  { q: 'author:""', at: 0, says: /needs a value/ },
  { q: 'site:exa*mple.com', at: 0, says: /host name/ },
  { q: 'acme source:rss|x', at: 5, says: /unknown source 'x'/ },
  { q: 'lang:cs|', at: 0, says: /empty value between '\|'/ },
  { q: '*', at: 0, says: /bare '\*'/ },
  { q: 'acme *', at: 5, says: /bare '\*'/ },
  { q: 'a*', at: 0, says: /at least 2 letters/ },
  { q: 'ी*', at: 0, says: /a prefix needs at least 2 letters before '\*' \('ी\*' at 0\)/ },
  { q: 'acme .*', at: 5, says: /at least 2 letters/ },
  { q: 'ac*me', at: 2, says: /only at the end/ },
  { q: '"a*"', at: 0, says: /at least 2 letters/ },
  { q: '(acme', at: 0, says: /unclosed '\(' opened at 0/ },
  { q: 'a (', at: 2, says: /^expected a term after '\(' at 2$/ },
  { q: 'acme AND (', at: 9, says: /expected a term after '\(' at 9/ },
  { q: 'acme)', at: 4, says: /unexpected '\)' at 4/ },
  { q: '()', at: 0, says: /empty parentheses at 0/ },
  { q: 'acme ""', at: 5, says: /phrase at 5 has no words/ },
  { q: '!!!', at: 0, says: /no letters or digits/ },
  { q: '#', at: 0, says: /hashtag '#'/ },
  { q: '#2024', at: 0, says: /digits only/ },
  { q: '@', at: 0, says: /handle '@'/ },
  { q: 'acme -', at: 5, says: /'-' at 5 must be directly followed/ },
  { q: 'नमस्ते AND', at: 7, says: /after AND at 7/ },
  { q: '"café" OR', at: 7, says: /after OR at 7/ },
  { q: '😀😀 OR', at: 0, says: /no letters/ },
  { q: 'café😀 OR', at: 7, says: /after OR at 7/ },
];

describe('refusing an invalid query', () => {
  it.each(errors)('$q → position $at', ({ q, at, says }) => {
    const error = parseError(q);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('query.invalid');
    expect(error.status).toBe(400);
    expect(error.position).toBe(at);
    expect(error.message).toMatch(says);
  });

  it('refuses a query longer than 1000 characters and says the limit', () => {
    const error = parseError(`acme ${'x'.repeat(1000)}`);
    expect(error.position).toBe(1000);
    expect(error.message).toMatch(/1005 characters long; the limit is 1000/);
  });

  it('counts characters, not UTF-16 units: an emoji or an astral letter is one, the position is where the 1001st starts', () => {
    // 𠀀 (U+20000) is a letter outside the Basic Multilingual Plane: two UTF-16 units.
    expect(() => parseQuery('𠀀'.repeat(1000))).not.toThrow();
    expect(() => parseQuery(`acme ${'😀'.repeat(994)}x`)).not.toThrow();
    const error = parseError(`acme ${'😀'.repeat(995)}x`);
    expect({ position: error.position, message: error.message }).toEqual({ position: 5 + 2 * 995, message: 'the query is 1001 characters long; the limit is 1000' });
  });

  it('refuses more than 100 terms, pointing at the 101st', () => {
    const query = Array.from({ length: 101 }, (_, i) => `w${i}`).join(' ');
    const error = parseError(query);
    expect(error.position).toBe(query.lastIndexOf('w100'));
    expect(error.message).toMatch(/more than 100 terms.*the limit is 100/);
  });

  it('refuses parentheses nested too deep instead of recursing without end', () => {
    const error = parseError(`${'('.repeat(40)}acme${')'.repeat(40)}`);
    expect(error.position).toBe(32);
    expect(error.message).toMatch(/deeper than 32/);
  });
});
