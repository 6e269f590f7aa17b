import type { NormalisedItem } from '../../../src/domain/items/item.types.js';

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
