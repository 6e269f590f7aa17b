import { describe, expect, it } from 'vitest';
import { rollupDeltas, workspaceHashtagDeltas, type RollupEntry } from '../../../src/domain/analytics/rollups.js';

// Trending merges the spellings of one tag (hashtagKey: searchForm, and Latin diacritics or not)
// when it reads the per-spelling counters,
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

  it('#káva and #kava, #přehled and #prehled are one tag too, as hashtag=kava finds both: the lowest spelling in code-point order counts', () => {
    for (const tags of [['káva', 'kava', 'přehled', 'prehled'], ['prehled', 'kava', 'přehled', 'káva']]) {
      expect(rollupDeltas([entry(tags, 1)]).hashtags.map((h) => [h.tag, h.mentions])).toEqual([
        ['kava', 1],
        ['prehled', 1],
      ]);
      expect(workspaceHashtagDeltas([{ occurredAt: at, hashtags: tags, sign: 1 }]).map((d) => [d.tag, d.mentions])).toEqual([
        ['kava', 1],
        ['prehled', 1],
      ]);
    }
    // Code-point order, as the migrations' collate "C": U+FE20 comes before 𝐀 (U+1D400), whose UTF-16 units sort first.
    expect(workspaceHashtagDeltas([{ occurredAt: at, hashtags: ['a𝐀', 'a\uFE20𝐀'], sign: 1 }]).map((d) => d.tag)).toEqual(['a\uFE20𝐀']);
  });
});
