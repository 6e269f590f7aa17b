import { describe, expect, it } from 'vitest';
import { ClauseEnd, createTokeniser, type Tokenised } from '../../../src/domain/sentiment/sentiment.tokens.js';

const tokenise = createTokeniser({ clauses: true });
const ends = (text: string): Array<[string, ClauseEnd]> => tokenise(text).tokens.map((t) => [t.norm, t.clauseEnd]);
const withoutClauseEnds = ({ tokens, exclamations, questions }: Tokenised) =>
  ({ tokens: tokens.map(({ norm, kind, caps }) => ({ norm, kind, caps })), exclamations, questions });

describe('clause ends', () => {
  it('mark the last token before , ; : . ! and ? as ending its clause, and ? as ending a question', () => {
    expect(ends('no hassle, easy; fine: ok. yes! why? end')).toEqual([
      ['no', ClauseEnd.None], ['hassle', ClauseEnd.Break], ['easy', ClauseEnd.Break], ['fine', ClauseEnd.Break],
      ['ok', ClauseEnd.Break], ['yes', ClauseEnd.Break], ['why', ClauseEnd.Question], ['end', ClauseEnd.None],
    ]);
  });

  it('know the danda, the Arabic comma, semicolon and question mark, and the ideographic and full-width marks', () => {
    expect(ends('अच्छा। बहुत॥ ठीक')).toEqual([['अच्छा', ClauseEnd.Break], ['बहुत', ClauseEnd.Break], ['ठीक', ClauseEnd.None]]);
    expect(ends('نه، خوب؛ است؟ بله')).toEqual([['نه', ClauseEnd.Break], ['خوب', ClauseEnd.Break], ['است', ClauseEnd.Question], ['بله', ClauseEnd.None]]);
    expect(ends('a、b。c，d；e：f！g？h')).toEqual([
      ['a', ClauseEnd.Break], ['b', ClauseEnd.Break], ['c', ClauseEnd.Break], ['d', ClauseEnd.Break], ['e', ClauseEnd.Break],
      ['f', ClauseEnd.Break], ['g', ClauseEnd.Question], ['h', ClauseEnd.None],
    ]);
  });

  it('mark the last token before a line break: LF, CR LF, CR, VT, FF, NEL and the Unicode line and paragraph separators', () => {
    expect(ends('a\nb\r\nc\rd\ve\ff\u0085g\u2028h\u2029i')).toEqual([
      ['a', ClauseEnd.Break], ['b', ClauseEnd.Break], ['c', ClauseEnd.Break], ['d', ClauseEnd.Break], ['e', ClauseEnd.Break],
      ['f', ClauseEnd.Break], ['g', ClauseEnd.Break], ['h', ClauseEnd.Break], ['i', ClauseEnd.None],
    ]);
    // A question stays a question when its line ends too.
    expect(ends('ना?\nहाँ')).toEqual([['ना', ClauseEnd.Question], ['हाँ', ClauseEnd.None]]);
  });

  it('mark the last token before a dash between words: em dash, horizontal bar, spaced en dash, spaced or doubled hyphen', () => {
    expect(ends('a — b—c ― d – e - f -- g--h ‐ i')).toEqual([
      ['a', ClauseEnd.Break], ['b', ClauseEnd.Break], ['c', ClauseEnd.Break], ['d', ClauseEnd.Break], ['e', ClauseEnd.Break],
      ['f', ClauseEnd.Break], ['g', ClauseEnd.Break], ['h', ClauseEnd.Break], ['i', ClauseEnd.None],
    ]);
    expect(ends('nic moc – hrozná')).toEqual([['nic', ClauseEnd.None], ['moc', ClauseEnd.Break], ['hrozná', ClauseEnd.None]]);
  });

  it('join the parts of a hyphenated word, in every script, and end no clause there, nor at a hanging hyphen or a range', () => {
    expect(ends('e-mail non-stop pre- and post-sale -5 1990–2000 Praha–Brno').every(([, end]) => end === ClauseEnd.None)).toBe(true);
    const joined = (text: string) => tokenise(text).tokens.map((t) => [t.norm, t.joinsNext]);
    expect(joined('non-stop e‑mail x ‐ y')).toEqual([['non', true], ['stop', false], ['e', true], ['mail', false], ['x', false], ['y', false]]);
    expect(joined('česko-slovenský धीरे-धीरे ચેક-ઇન செக்-இன் ای-میل #non-stop')).toEqual([
      ['česko', true], ['slovenský', false], ['धीरे', true], ['धीरे', false], ['ચેક', true], ['ઇન', false],
      ['செக்', true], ['இன்', false], ['ای', true], ['میل', false], ['non', true], ['stop', false],
    ]);
    expect(joined('pre- and 1990–2000')).toEqual([['pre', false], ['and', false], ['1990', false], ['2000', false]]);
  });

  it('make a question of a clause whose run of marks holds a question mark', () => {
    expect(ends('ना?! ना!? ना... ना')).toEqual([['ना', ClauseEnd.Question], ['ना', ClauseEnd.Question], ['ना', ClauseEnd.Break], ['ना', ClauseEnd.None]]);
  });

  it('leave the colon, semicolon and comma of an emoticon inside the emoticon', () => {
    expect(ends('not :) good ;) fine :,( sad')).toEqual([
      ['not', ClauseEnd.None], [':)', ClauseEnd.None], ['good', ClauseEnd.None], [';)', ClauseEnd.None], ['fine', ClauseEnd.None], [':,(', ClauseEnd.None], ['sad', ClauseEnd.None],
    ]);
  });

  it('mark a camel-cased hashtag\'s last word', () => {
    expect(ends('#NotGood, great')).toEqual([['not', ClauseEnd.None], ['good', ClauseEnd.Break], ['great', ClauseEnd.None]]);
  });

  it('change nothing else the tokeniser finds', () => {
    const plain = createTokeniser();
    for (const text of ['Love it :) <3 but not (item 8) xD #BestDayEver, #grr ❤️‍🔥👍🏽 don’t!! ok? http://example.com :-( 8)', 'अच्छा है ना? हाँ। نه، خوب؛ است؟', 'non-stop\nfun — ok – fine - e-mail --x :-( 1990–2000']) {
      expect(withoutClauseEnds(tokenise(text))).toEqual(withoutClauseEnds(plain(text)));
    }
  });

  it('are left out by the plain tokeniser, as are hyphenated words', () => {
    expect(createTokeniser()('no hassle, easy\nnon-stop — fun').tokens.every((t) => t.clauseEnd === ClauseEnd.None && !t.joinsNext)).toBe(true);
  });
});
