import { describe, expect, it } from 'vitest';
import { extractHandles, extractHashtags } from '../../../src/domain/text/tokens.js';

describe('extractHashtags', () => {
  it.each([
    ['Latin, Czech and digits', 'Jedeme #Praha2026! #čeština #fail #České_dráhy', ['praha2026', 'čeština', 'fail', 'české_dráhy']],
    ['Persian keeps its inner ZWNJ', '#فناوری\u200Cنو و #ایران', ['فناوری\u200Cنو', 'ایران']],
    ['Devanagari and Tamil keep their combining marks', '#नेपाल #हिन्दी #தமிழ் #ગુજરાત', ['नेपाल', 'हिन्दी', 'தமிழ்', 'ગુજરાત']],
    ['words spelt in hex letters are tags', '#bad #face #decade #fade', ['bad', 'face', 'decade', 'fade']],
    ['a tag of digits only is a number', 'in #2026', []],
    ['a tag right after a colon', 'TIL:#acme and RT:#news', ['acme', 'news']],
    ['a full-width ＃, as Chinese and Japanese keyboards type it', '今日は ＃acmeコーヒー ＃Acme', ['acmeコーヒー', 'acme']],
  ])('real tags are kept: %s', (_why, text, tags) => {
    expect(extractHashtags(text)).toEqual(tags);
  });

  it.each([
    ['a fragment after a closing parenthesis', 'See https://en.wikipedia.org/wiki/Mercury_(planet)#Orbit #space', ['space']],
    ['a fragment after "?"', 'Docs: https://example.com/guide.html?#install', []],
    ['a fragment after "="', 'https://example.com/page?tab=#comments', []],
    ['CSS colours with a digit', 'Our brand colour is #ff6600; text is #333, links #0a0 and #00ff0080. #WebDesign', ['webdesign']],
    ['a CSS declaration', 'body { color: #fff; background:#abc; border-color: #eee }', []],
    ['hex letters right after a colon', 'style="color:#fff" and color:#abcdef', []],
    ['the keycap emoji', 'Tap #\uFE0F\u20E3 then 1\uFE0F\u20E3 #help', ['help']],
  ])('no false tag from %s', (_why, text, tags) => {
    expect(extractHashtags(text)).toEqual(tags);
  });

  it('a trailing zero-width joiner or non-joiner is not part of the tag', () => {
    expect(extractHashtags('#ایران\u200C و #tag\u200D end')).toEqual(['ایران', 'tag']);
  });
});

describe('extractHandles', () => {
  it('reads the ".@user" convention and keeps e-mail addresses and URL queries out', () => {
    expect(extractHandles('.@nasa great launch, cc.@bob (@alice) RT:@carol')).toEqual(['nasa', 'bob', 'alice', 'carol']);
    expect(extractHandles('mail first.last@example.co.uk or https://example.com/search?q=@acme and https://m.example/@dan')).toEqual([]);
  });

  it('reads a full-width ＠ as @', () => {
    expect(extractHandles('ありがとう ＠acme！ cc ＠Globex@mastodon.social')).toEqual(['acme', 'globex@mastodon.social']);
    // Japanese sites write e-mail addresses with ＠ to keep them from scrapers: still no handle.
    expect(extractHandles('お問い合わせ info＠example.com')).toEqual([]);
  });

  it('keeps Mastodon handles and scripts other than Latin', () => {
    expect(extractHandles('@bob@mastodon.social @Ľubomír @ramesh_नेपाल')).toEqual(['bob@mastodon.social', 'ľubomír', 'ramesh_नेपाल']);
  });
});
