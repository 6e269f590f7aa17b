import { describe, expect, it } from 'vitest';
import type { NormalisedItem } from '../../../src/domain/items/item.types.js';
import { compileWorkspace, type MatchItem, type QueryNode } from '../../../src/domain/query/index.js';
import { item } from './fixtures.js';

// Detecting an item's language costs far more than matching it, and most items match no brand's
// words: the matcher can be given the language as a function, which it calls only when a
// `lang:` filter is reached and the rest of the query leaves the answer open.

/** The item with its language left to work out, and how many times the matcher asked for it. */
function lazy(of: NormalisedItem): { item: MatchItem; asked: () => number } {
  let asked = 0;
  return { item: { ...of, lang: () => (asked++, of.lang) }, asked: () => asked };
}

const workspace = (queries: Array<string | QueryNode>) => compileWorkspace(queries.map((query, i) => ({ id: `b${i}`, query })));
const brandIds = (found: Array<{ brandId: string }>) => found.map((m) => m.brandId);

describe('an item whose language is left to work out', () => {
  it('is not asked for its language when the rest of the query decides, wherever the filter is written', () => {
    const cases: Array<[query: string, text: string]> = [
      // No word the brand needs is in the item, so the brand is not evaluated at all.
      ['acme lang:en', 'nothing about the brand here'],
      ['lang:en acme', 'nothing about the brand here'],
      ['acme -lang:en', 'nothing about the brand here'],
      // The brand is evaluated, and its words settle the answer before the filter is reached.
      ['lang:cs OR acme', 'acme, as it happens'],
      ['lang:cs OR (acme -anvil)', 'acme, as it happens'],
      ['lang:cs (acme OR globex) -anvil', 'acme sold an anvil'],
      ['(lang:cs OR lang:hi) NOT (acme NEAR/2 anvil)', 'acme sold an anvil'],
      ['source:reddit lang:cs', 'a post from a feed, not reddit'],
    ];
    for (const [query, text] of cases) {
      const { item: it, asked } = lazy(item(text, { lang: 'cs' }));
      expect(workspace([query]).match(it), query).toEqual(workspace([query]).match(item(text, { lang: 'cs' })));
      expect(asked(), query).toBe(0);
    }
  });

  it('is asked once however many brands read it, and every brand gets the answer', () => {
    const queries = ['acme lang:en', 'acme lang:cs', 'acme -lang:de', 'lang:en|cs acme', 'lang:en OR lang:cs', 'globex OR lang:cs', 'acme NOT lang:cs'];
    const { item: it, asked } = lazy(item('acme coffee', { lang: 'cs' }));
    expect(brandIds(workspace(queries).match(it))).toEqual(['b1', 'b2', 'b3', 'b4', 'b5']);
    expect(asked()).toBe(1);
  });

  it('is never asked when no brand filters on language', () => {
    const { item: it, asked } = lazy(item('acme coffee on reddit', { lang: 'en', url: 'https://example.com/a' }));
    expect(brandIds(workspace(['acme', 'site:example.com', 'source:rss -coffee', 'tea OR coffee']).match(it))).toEqual(['b0', 'b1', 'b3']);
    expect(asked()).toBe(0);
  });

  it('still matches a brand of language filters alone, which no word of the item can point to', () => {
    const every = workspace(['lang:en OR lang:cs OR lang:hi', 'acme']);
    for (const lang of ['en', 'cs', 'hi']) {
      const { item: it, asked } = lazy(item('a post about nothing in particular', { lang }));
      expect(brandIds(every.match(it)), lang).toEqual(['b0']);
      expect(asked(), lang).toBe(1);
    }
    const { item: unknown, asked } = lazy(item('a post about nothing in particular', { lang: null }));
    expect(every.match(unknown)).toEqual([]);
    expect(asked()).toBe(1);
  });

  it('is read under NOT as the eagerly given language is, including for a query of one negated filter', () => {
    const notEnglish: QueryNode = { type: 'not', child: { type: 'filter', field: 'lang', value: 'en' } };
    const queries = [notEnglish, 'source:rss -lang:en', 'acme -lang:en', 'NOT (acme OR lang:en) coffee'];
    for (const lang of ['en', 'cs', null]) {
      for (const text of ['acme coffee', 'coffee', 'tea']) {
        const { item: it, asked } = lazy(item(text, { lang }));
        expect(workspace(queries).match(it), `${text} (${lang})`).toEqual(workspace(queries).match(item(text, { lang })));
        expect(asked()).toBe(1);
      }
    }
  });

  it('takes the language in any case, as a given one is', () => {
    const { item: it } = lazy(item('acme', { lang: 'CS' }));
    expect(brandIds(workspace(['acme lang:cs']).match(it))).toEqual(['b0']);
  });
});
