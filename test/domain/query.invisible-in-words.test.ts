import { describe, expect, it } from 'vitest';
import { compileWorkspace, parseQuery } from '../../src/domain/query/index.js';
import { extractHandles, extractHashtags } from '../../src/domain/text/tokens.js';
import { expectMatch, item, type MatchCase } from './query/fixtures.js';

// The audit (E22): "Kofo\u200Bla" was not found by `kofola` (but `kofo` found it). A zero-width
// space, a word joiner or a BOM inside a word is invisible; copied from apps, or typed to slip past
// a filter, it must not cut the word, as a soft hyphen, ZWNJ or ZWJ does not. Where a script is
// written without spaces (Thai, Japanese), a zero-width space is the word break, and stays one.

const ZWSP = '\u200B';
const WJ = '\u2060';
const BOM = '\uFEFF';

const cases: MatchCase[] = [
  { why: 'a zero-width space inside a word', q: 'kofola', text: `Kofo${ZWSP}la zero width space`, expect: ['kofola'] },
  { why: 'a word joiner inside a word', q: 'kofola', text: `Ko${WJ}fola`, expect: ['kofola'] },
  { why: 'a BOM (zero-width no-break space) inside a word', q: 'kofola', text: `Kofo${BOM}la`, expect: ['kofola'] },
  { why: 'the part before it is no longer a word of its own', q: 'kofo', text: `Kofo${ZWSP}la`, expect: false },
  { why: 'nor the part after it', q: 'la', text: `Kofo${ZWSP}la`, expect: false },
  { why: 'in a phrase, and next to a space', q: '"ceska sporitelna"', text: `Čes${ZWSP}ká ${ZWSP}spoři${WJ}telna`, expect: ['ceska sporitelna'] },
  { why: 'a prefix, with the invisible character in the suffix', q: 'kofol*', text: `Kofol${ZWSP}u jsem si dal`, expect: ['kofol*'] },
  { why: 'written in the query, too', q: `kofo${ZWSP}la`, text: 'Kofola', expect: true },
  { why: 'Persian: ZWSP typed for the ZWNJ joins the word', q: 'دیجی‌کالا', text: `خرید از دیجی${ZWSP}کالا`, expect: ['دیجی‌کالا'] },
  { why: 'Persian: the ZWNJ still keeps one word (می does not find می‌خواهم)', q: 'می', text: 'من می‌خواهم', expect: false },
  { why: 'Persian: nor does a ZWSP cut it', q: 'می', text: `من می${ZWSP}خواهم`, expect: false },
  { why: 'Hindi', q: 'पतंजलि', text: `पतं${ZWSP}जलि का घी`, expect: ['पतंजलि'] },
  { why: 'Gujarati', q: 'અમૂલ', text: `અમૂ${WJ}લ દૂધ`, expect: ['અમૂલ'] },
  { why: 'Tamil', q: 'ஏர்டெல்', text: `ஏர்${ZWSP}டெல் நெட்வொர்க்`, expect: ['ஏர்டெல்'] },
  { why: 'Thai: a zero-width space is where a word ends', q: 'ทรู', text: `ทรู${ZWSP}มูฟ`, expect: ['ทรู'] },
  { why: 'Japanese: a zero-width space is where a word ends', q: '東京', text: `東京${ZWSP}タワー`, expect: ['東京'] },
  { why: 'between a Latin word and a Thai one it ends the word too', q: 'acme', text: `acme${ZWSP}ทรู`, expect: ['acme'] },
];

describe('a zero-width space, word joiner or BOM inside a word does not cut it', () => {
  it.each(cases)('$why', (c) => expectMatch(c));

  it('in the workspace matcher as in one query', () => {
    const workspace = compileWorkspace([{ id: 'kofola', query: parseQuery('(kofol* OR #kofola) -"kofola jobs"') }]);
    expect(workspace.match(item(`Dal jsem si Kofo${ZWSP}lu`))).toEqual([{ brandId: 'kofola', keywords: ['kofol*'] }]);
    expect(workspace.match(item(`Kofola${ZWSP} jobs`))).toEqual([]);
  });

  it('in a hashtag or handle written in the text', () => {
    expect(extractHashtags(`Léto s #Kofo${ZWSP}la a #le${WJ}to`)).toEqual(['kofola', 'leto']);
    expect(extractHandles(`díky @kofo${ZWSP}la_cz`)).toEqual(['kofola_cz']);
    expectMatch({ why: 'a tag', q: '#kofola', text: `#Kofo${ZWSP}la`, expect: ['#kofola'] });
    // Where it is the word break, the tag ends there.
    expect(extractHashtags(`#東京${ZWSP}観光`)).toEqual(['東京']);
    // Outside a word it changes nothing: a tag or handle right after one is still one.
    expect(extractHashtags(`Léto${ZWSP}#kofola`)).toEqual(['kofola']);
    expect(extractHandles(`díky${WJ}@kofola_cz`)).toEqual(['kofola_cz']);
    expectMatch({ why: 'a word then a tag', q: 'leto #kofola', text: `Léto${ZWSP}#kofola`, expect: ['leto', '#kofola'] });
  });
});
