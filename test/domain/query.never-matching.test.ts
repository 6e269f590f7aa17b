import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchQuery, parseQuery, QueryError, type QueryNode } from '../../src/domain/query/index.js';
import { item } from './query/fixtures.js';

// The audit: `acme -acme` was accepted, although it can never match. A query that requires what it
// also excludes is refused, naming the term and where it is excluded; only where that is certain.

function refusal(q: string): { at: number; message: string } | null {
  try {
    parseQuery(q);
    return null;
  } catch (err) {
    expect(err).toBeInstanceOf(QueryError);
    return { at: (err as QueryError).position, message: (err as QueryError).message };
  }
}

describe('a query that requires what it excludes', () => {
  it.each([
    ['acme -acme', 6, 'the query requires acme (at 0) and excludes it (at 6), so it can never match; remove one of the two'],
    ['"acme coffee" -acme', 15, 'the query requires "acme coffee" (at 0) and excludes acme (at 15), which every item with "acme coffee" has, so it can never match; remove one of the two'],
    ['acme NOT acme', 9, 'the query requires acme (at 0) and excludes it (at 9), so it can never match; remove one of the two'],
    ['acme –ACME', 6, 'the query requires acme (at 0) and excludes it (at 6), so it can never match; remove one of the two'],
    ['acme (coffee -acme)', 14, 'the query requires acme (at 0) and excludes it (at 14), so it can never match; remove one of the two'],
    ['acme -(acme OR globex)', 7, 'the query requires acme (at 0) and excludes it (at 7), so it can never match; remove one of the two'],
    ['acme NEAR/3 latte -latte', 19, 'the query requires latte (at 12) and excludes it (at 19), so it can never match; remove one of the two'],
    ['acme -acme*', 6, 'the query requires acme (at 0) and excludes acme* (at 6), which every item with acme has, so it can never match; remove one of the two'],
    ['"acme cof*" -acme', 13, 'the query requires "acme cof*" (at 0) and excludes acme (at 13), which every item with "acme cof*" has, so it can never match; remove one of the two'],
    ['škoda -skoda', 7, 'the query requires škoda (at 0) and excludes skoda (at 7), which every item with škoda has, so it can never match; remove one of the two'],
    ['#Kofola -#kofola', 9, 'the query requires #kofola (at 0) and excludes it (at 9), so it can never match; remove one of the two'],
    ['@acme@mastodon.social -@acme', 23, 'the query requires @acme@mastodon.social (at 0) and excludes @acme (at 23), which every item with @acme@mastodon.social has, so it can never match; remove one of the two'],
    ['kofola lang:cs -lang:cs|sk', 16, 'the query requires lang:cs (at 7) and excludes it (at 16), so it can never match; remove one of the two'],
    ['دیجی‌کالا -دیجیکالا', 11, 'the query requires دیجی‌کالا (at 0) and excludes دیجیکالا (at 11), which every item with دیجی‌کالا has, so it can never match; remove one of the two'],
    ['"नेपाल टेलिकम" -नेपाल', 16, 'the query requires "नेपाल टेलिकम" (at 0) and excludes नेपाल (at 16), which every item with "नेपाल टेलिकम" has, so it can never match; remove one of the two'],
  ])('%s is refused at %i', (q, at, message) => {
    expect(refusal(q)).toEqual({ at, message });
  });

  it.each([
    // Not certain: each can match some item.
    'acme* -acme', // acmecorp
    'skoda -škoda', // skoda
    'acme -"acme coffee"',
    '"acme cof*" -coffee', // acme coffees
    '(acme OR globex) -acme',
    '(acme -acme) OR globex', // only a side of an OR is dead
    'acme -(acme coffee)', // acme without coffee
    '#acme -acme', // a tag given by the platform need not be written in the text
    'acme NEAR/3 (latte OR espresso) -latte',
    'acmecoffee -acme',
  ])('%s is accepted', (q) => {
    expect(refusal(q)).toBeNull();
  });

  const VOCABULARY = ['acme', 'coffee', 'škoda', 'skoda', 'ac*', 'acme*', '"acme coffee"', '"acme cof*"', '#acme', '@acme', '@acme@mastodon.social', 'lang:cs', 'source:rss', 'ஆவினை', 'ஆவின்*', 'ஆவின*'];
  const leaf = fc.constantFrom(...VOCABULARY);
  const { query } = fc.letrec<{ query: string }>((tie) => ({
    query: fc.oneof(
      { depthSize: 'small' },
      { weight: 3, arbitrary: leaf },
      fc.tuple(tie('query'), tie('query')).map(([a, b]) => `(${a} ${b})`),
      fc.tuple(tie('query'), tie('query')).map(([a, b]) => `(${a} OR ${b})`),
      fc.tuple(tie('query'), tie('query')).map(([a, b]) => `(${a} -${b})`),
      fc.tuple(fc.constantFrom('acme', 'coffee', 'skoda', '"acme coffee"'), fc.constantFrom('acme', 'coffee', 'ac*')).map(([a, b]) => `${a} NEAR/2 ${b}`),
    ),
  }));
  const text = fc
    .array(fc.constantFrom('acme', 'Acme', 'coffee', 'acmecorp', 'Škoda', 'skoda', '#acme', '@acme', '@acme@mastodon.social', 'x', 'ஆவினை', 'ஆவினது'), { maxLength: 12 })
    .map((ws) => ws.join(' '));

  it('is refused only when no item can match it', () => {
    let refused = 0;
    fc.assert(
      fc.property(query, fc.array(fc.tuple(text, fc.constantFrom('cs', 'en'), fc.constantFrom('rss' as const, 'reddit' as const), fc.constantFrom([], ['acme'])), { minLength: 1, maxLength: 8 }), (q, items) => {
        const problem = refusal(q);
        if (!problem?.message.includes('can never match')) return;
        refused++;
        // The same query as one side of an OR parses (its other side is possible), and that side matches nothing.
        const root = parseQuery(`(${q}) OR zzzz`) as QueryNode & { type: 'or' };
        for (const [body, lang, sourceType, given] of items) {
          expect(matchQuery(root.children[0]!, item(body, { lang, sourceType, hashtags: given, handles: given })), `${q} on ${body}`).toBeNull();
        }
      }),
      { numRuns: 2000 },
    );
    expect(refused).toBeGreaterThan(20);
  });
});
