import { expect } from 'vitest';
import type { NormalisedItem } from '../../../src/domain/items/item.types.js';
import { matchQuery } from '../../../src/domain/query/index.js';

/** An item with only the fields a case cares about; the rest empty. */
export function item(text: string, fields: Partial<NormalisedItem> = {}): NormalisedItem {
  return {
    title: null,
    text,
    url: null,
    author: null,
    lang: null,
    sourceType: 'rss',
    hashtags: [],
    handles: [],
    ...fields,
  };
}

/** One row of a matching table: a query, an item, and what matching it gives. */
export interface MatchCase {
  why: string;
  q: string;
  text: string;
  fields?: Partial<NormalisedItem>;
  /** true / false, or the exact keywords expected on a match. */
  expect: boolean | string[];
}

/** Checks one table row: the query matches the item or not, with exactly the keywords given. */
export function expectMatch({ q, text, fields, expect: expected }: MatchCase): void {
  const result = matchQuery(q, item(text, fields));
  if (expected === true) expect(result).not.toBeNull();
  else if (expected === false) expect(result).toBeNull();
  else expect(result?.keywords).toEqual(expected);
}
