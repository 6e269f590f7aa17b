import { describe, expect, it } from 'vitest';
import { parse } from './feeds/support.js';
import { mentionMatches, parseFilterQuery, type Mention } from '../../src/domain/mentions/mentions.usecases.js';
import { compileWorkspace, matchQuery, parseQuery } from '../../src/domain/query/index.js';
import { extractTerms } from '../../src/domain/text/terms.js';
import { extractHandles, extractHashtags } from '../../src/domain/text/tokens.js';
import { item } from './query/fixtures.js';

/*
 * An emoji's variation selector (U+FE0F, U+FE0E) and keycap mark (U+20E3) are combining marks to
 * Unicode, so they used to be read as the start of the word after the emoji: `I ❤️acme` held the
 * word "\uFE0Facme", and `☕️#acme` no tag. Social posts write emoji against words all the time.
 */

/** Brand matching at ingest (the compiled workspace) and `q=` (matchQuery through mentionMatches), which must agree. */
function everyPath(q: string, text: string): Array<string[] | null> {
  const it = item(text);
  const alone = matchQuery(q, it)?.keywords ?? null;
  const workspace = compileWorkspace([{ id: 'b', query: q }]).match(it)[0]?.keywords ?? null;
  const mention = { brandIds: [], keywords: [], hashtags: extractHashtags(text), title: null, text, url: null, author: null, lang: null, source: { id: 's', type: 'rss' }, sentiment: { label: 'neutral' } } as unknown as Mention;
  const search = mentionMatches(mention, {}, parseFilterQuery(q)) ? alone : null;
  return [alone, workspace, search];
}

const EMOJI_BEFORE = [
  ['a heart with its selector', 'I ❤️acme so much'],
  ['a check mark with its selector', '✔️Acme launched'],
  ['a hot drink with its selector', 'Morning ☕️acme'],
  ['a keycap', '1️⃣acme, 2️⃣globex'],
  ['a text-style selector', 'see ☎︎acme'],
  ['a skin-tone modifier', 'thanks 👍🏽acme'],
  ['a ZWJ sequence with a selector', 'so good ❤️‍🔥acme'],
  ['a ZWJ sequence with a skin tone and a selector', 'shrug 🤷🏽‍♀️acme'],
] as const;

describe('an emoji written against a word', () => {
  it.each(EMOJI_BEFORE)('does not hide the word after it: %s', (_, text) => {
    expect(everyPath('acme', text)).toEqual([['acme'], ['acme'], ['acme']]);
  });

  it('leaves the words on either side of it one phrase apart, as a spaced emoji does', () => {
    expect(everyPath('"love acme"', 'love❤️acme')).toEqual([['love acme'], ['love acme'], ['love acme']]);
    expect(everyPath('love NEAR/0 acme', 'love❤️acme')).toEqual([['love', 'acme'], ['love', 'acme'], ['love', 'acme']]);
  });

  it('is read the same way in a query, which looks for the word and not for the selector', () => {
    expect(parseQuery('✔️acme')).toEqual({ type: 'term', text: '✔️acme', words: ['acme'], prefix: false });
    expect(parseQuery('"love ❤️acme"')).toMatchObject({ words: ['love', 'acme'] });
  });

  it('keeps a keycap digit a digit', () => {
    expect(everyPath('1', '1️⃣ first')).toEqual([['1'], ['1'], ['1']]);
  });

  it('keeps the marks that belong to a word in Devanagari, Tamil, Gujarati and Persian', () => {
    expect(everyPath('नमस्ते', 'ji ❤️नमस्ते')).toEqual([['नमस्ते'], ['नमस्ते'], ['नमस्ते']]);
    expect(everyPath('कम', '❤️कमी')).toEqual([null, null, null]);
    expect(everyPath('कम', '❤️कम्')).toEqual([null, null, null]);
    expect(everyPath('राम*', '✔️राम्रो')).toEqual([null, null, null]);
    expect(everyPath('नेपाल*', '✔️नेपालमा')).toEqual([['नेपाल*'], ['नेपाल*'], ['नेपाल*']]);
    expect(everyPath('க', '☕️கொ')).toEqual([null, null, null]);
    expect(everyPath('ચ', '☕️ચા')).toEqual([null, null, null]);
    expect(everyPath('می', '❤️می‌خواهم')).toEqual([null, null, null]);
    expect(everyPath('میخواهم', '❤️می‌خواهم')).toEqual([['میخواهم'], ['میخواهم'], ['میخواهم']]);
  });

  it('does not start a word with a combining mark that sits on a symbol', () => {
    expect(everyPath('acme', '☺\u0301acme')).toEqual([['acme'], ['acme'], ['acme']]);
    expect(parseQuery('\u0301acme')).toMatchObject({ words: ['acme'] });
  });

  it('does not give themes a term that starts with the selector', () => {
    const terms = extractTerms('I ❤️acme coffee, ☕️morning 1️⃣first', { lang: 'en' }).map((t) => t.term);
    expect(terms).toEqual(expect.arrayContaining(['acme', 'acme coffee', 'morning', 'first']));
    expect(terms.filter((t) => /^\p{M}/u.test(t))).toEqual([]);
  });
});

describe('an emoji written against a hashtag or handle', () => {
  it('leaves the tag and the handle after it', () => {
    expect(extractHashtags('I ❤️#acme')).toEqual(['acme']);
    expect(extractHashtags('Morning ☕️#acmecoffee, 1️⃣#first 👍🏽#thumbs ❤️‍🔥#fire')).toEqual(['acmecoffee', 'first', 'thumbs', 'fire']);
    expect(extractHandles('✔️@acme thanks, 🤷🏽‍♀️@globex')).toEqual(['acme', 'globex']);
  });

  it('keeps a selector after a tag out of the tag, and the keycap #️⃣ is still no tag', () => {
    expect(extractHashtags('#acme️ rocks')).toEqual(['acme']);
    expect(extractHashtags('Tap #️⃣ then #help')).toEqual(['help']);
  });

  it('is stored with the item’s tags and handles when a feed is read, and found by #tag and @handle', async () => {
    const feed =
      `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>https://example.com/</link>` +
      `<item><link>https://example.com/j08</link><title>Morning</title><description>Morning ☕️#acmecoffee with ✔️@acme</description></item></channel></rss>`;
    const [stored] = (await parse(feed)).items;
    expect(stored).toMatchObject({ hashtags: ['acmecoffee'], handles: ['acme'] });
    expect(everyPath('#acmecoffee', stored!.text)).toEqual([['#acmecoffee'], ['#acmecoffee'], ['#acmecoffee']]);
    expect(everyPath('@acme', stored!.text)).toEqual([['@acme'], ['@acme'], ['@acme']]);
  });
});
