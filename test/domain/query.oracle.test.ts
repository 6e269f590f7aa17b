import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldCase } from '../../src/domain/text/tokens.js';
import { matchQuery, parseQuery, type QueryNode } from '../../src/domain/query/index.js';
import { splitWords, stripLatinMarks } from '../../src/domain/query/query.words.js';
import { item } from './query/fixtures.js';

/**
 * The matching rules written the slow, obvious way (every position, every pair), to check the
 * position index, the prefix scan and the NEAR window against.
 */
function oracle(node: QueryNode, title: string[], text: string[]): boolean {
  const parts = [title, text];
  const same = (token: string, word: string, prefix: boolean) => {
    const bare = stripLatinMarks(token);
    // A prefix ending in a virama: its consonant with any vowel, or none, but never with a nukta.
    const stem = /[\u094D\u09CD\u0A4D\u0ACD\u0B4D\u0BCD\u0C4D\u0CCD\u0D3B\u0D3C\u0D4D\u0DCA]$/u.test(word) ? word.slice(0, -1) : null;
    const cut = (t: string) =>
      (t.startsWith(word) && (t.length === word.length || !/^[\p{M}\u200C\u200D]/u.test(t.slice(word.length)))) ||
      (stem !== null && t.startsWith(stem) && !/^[\u093C\u09BC\u0A3C\u0ABC\u0B3C\u0C3C\u0CBC]/u.test(t.slice(stem.length)));
    return prefix ? cut(token) || cut(bare) : token === word || bare === word;
  };
  const spans = (side: QueryNode): Array<{ part: number; start: number; end: number }> => {
    if (side.type === 'or') return side.children.flatMap(spans);
    if (side.type !== 'term') throw new Error(`not a NEAR side: ${side.type}`);
    const found: Array<{ part: number; start: number; end: number }> = [];
    parts.forEach((words, part) => {
      for (let start = 0; start + side.words.length <= words.length; start += 1) {
        const last = side.words.length - 1;
        if (side.words.every((w, i) => same(words[start + i] as string, w, side.prefix && i === last))) found.push({ part, start, end: start + last });
      }
    });
    return found;
  };
  switch (node.type) {
    case 'term':
      return spans(node).length > 0;
    case 'and':
      return node.children.every((c) => oracle(c, title, text));
    case 'or':
      return node.children.some((c) => oracle(c, title, text));
    case 'not':
      return !oracle(node.child, title, text);
    case 'near':
      return spans(node.left).some((a) =>
        spans(node.right).some((b) => {
          const gap = b.start > a.end ? b.start - a.end - 1 : a.start > b.end ? a.start - b.end - 1 : -1;
          return a.part === b.part && gap >= 0 && gap <= node.distance;
        }),
      );
    default:
      throw new Error(`the oracle does not read ${node.type}`);
  }
}

const VOCABULARY = ['acme', 'coffee', 'a', 'b', 'škoda', 'skoda', 'káva', 'kava', 'कम', 'कमी', 'कमरा', 'می‌خواهم', 'می', 'ஆவின்', 'ஆவினின்', 'ஆவினது', 'ஆவி'];
const common = fc.constantFrom('acme', 'coffee', 'a', 'b');
const word = fc.oneof(common, fc.constantFrom(...VOCABULARY));
const term = fc.oneof(
  { weight: 3, arbitrary: word },
  fc.array(word, { minLength: 2, maxLength: 4 }).map((ws) => `"${ws.join(' ')}"`),
  fc.constantFrom('ac*', 'sk*', 'šk*', 'कम*', 'कम्*', 'ka*', 'co*', 'ஆவின்*', 'ஆவின*', 'ஆவி*').map(String),
);
const side = fc.oneof({ weight: 2, arbitrary: term }, fc.array(term, { minLength: 2, maxLength: 3 }).map((ts) => `(${ts.join(' OR ')})`));
const { query } = fc.letrec<{ query: string }>((tie) => ({
  query: fc.oneof(
    { depthSize: 'small' },
    { weight: 2, arbitrary: term },
    fc.tuple(side, fc.integer({ min: 0, max: 6 }), side).map(([a, n, b]) => `${a} NEAR/${n} ${b}`),
    fc.tuple(tie('query'), tie('query')).map(([a, b]) => `(${a} ${b})`),
    fc.tuple(tie('query'), tie('query')).map(([a, b]) => `(${a} OR ${b})`),
    fc.tuple(tie('query'), tie('query')).map(([a, b]) => `(${a} -${b})`),
  ),
}));
// Mostly a handful of words, so that multi-word phrases and NEAR pairs actually occur.
const text = fc
  .array(fc.oneof({ weight: 8, arbitrary: common }, { weight: 4, arbitrary: word }, fc.constantFrom('ŠKODA', 'Káva', 'x')), {
    maxLength: 40,
  })
  .map((ws) => ws.join(' '));

describe('the matcher against the slow, obvious reading of the rules', () => {
  it('agrees on words, phrases, prefixes, NEAR and boolean operators', () => {
    let matched = 0;
    fc.assert(
      fc.property(query, fc.option(text), text, (q, title, body) => {
        let root: QueryNode;
        try {
          root = parseQuery(q);
        } catch {
          return;
        }
        const expected = oracle(root, splitWords(foldCase(title ?? '')), splitWords(foldCase(body)));
        if (expected) matched += 1;
        expect(matchQuery(root, item(body, { title })) !== null).toBe(expected);
      }),
      { numRuns: 3000 },
    );
    expect(matched).toBeGreaterThan(300);
  });
});
