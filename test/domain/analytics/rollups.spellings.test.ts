import { describe, expect, it } from 'vitest';
import { rollupDeltas, workspaceHashtagDeltas, type RollupEntry } from '../../../src/domain/analytics/rollups.js';

// Trending merges the spellings of one tag (searchForm) when it reads the per-spelling counters,
// so a mention adds 1 to at most one spelling of each tag, and takes out the very same one.

const ZWNJ = 'ایران\u200Cخودرو';
const ARABIC = 'ايرانخودرو';
const PERSIAN = 'ایرانخودرو';
const at = new Date('2026-05-10T09:30:00Z');

const entry = (hashtags: string[], sign: 1 | -1): RollupEntry => ({
  brandId: '00000000-0000-0000-0000-000000000001',
  occurredAt: at,
  sourceType: 'rss',
  lang: 'fa',
  label: 'neutral',
  score: 0,
  hashtags,
  sign,
});

describe('hashtag deltas of a mention holding several spellings of one tag', () => {
  it('a brand link adds 1 to one spelling of each tag, whichever order the spellings come in', () => {
    for (const tags of [[ZWNJ, ARABIC, PERSIAN, 'launch'], [PERSIAN, 'launch', ARABIC, ZWNJ, ZWNJ]]) {
      expect(rollupDeltas([entry(tags, 1)]).hashtags.map((h) => [h.tag, h.mentions])).toEqual([
        ['launch', 1],
        [ARABIC, 1],
      ]);
    }
  });

  it('the workspace counts add 1 to one spelling of each tag, whichever order the spellings come in', () => {
    for (const tags of [[ZWNJ, ARABIC, 'launch'], ['launch', ARABIC, ZWNJ]]) {
      expect(workspaceHashtagDeltas([{ occurredAt: at, hashtags: tags, sign: 1 }]).map((d) => [d.tag, d.mentions])).toEqual([
        ['launch', 1],
        [ARABIC, 1],
      ]);
    }
  });

  it('taking a mention out undoes putting it in, spelling for spelling, even with its tags in another order', () => {
    expect(rollupDeltas([entry([ZWNJ, PERSIAN, ARABIC], 1), entry([ARABIC, ZWNJ, PERSIAN], -1)]).hashtags).toEqual([]);
    expect(
      workspaceHashtagDeltas([
        { occurredAt: at, hashtags: [PERSIAN, ZWNJ], sign: 1 },
        { occurredAt: at, hashtags: [ZWNJ, PERSIAN], sign: -1 },
      ]),
    ).toEqual([]);
  });

  it('spellings of one tag in two mentions still count for each mention, under the spelling each chose', () => {
    const deltas = workspaceHashtagDeltas([
      { occurredAt: at, hashtags: [ZWNJ], sign: 1 },
      { occurredAt: at, hashtags: [ZWNJ, PERSIAN], sign: 1 },
    ]);
    expect(deltas.map((d) => [d.tag, d.mentions])).toEqual([
      [PERSIAN, 1],
      [ZWNJ, 1],
    ]);
  });
});
