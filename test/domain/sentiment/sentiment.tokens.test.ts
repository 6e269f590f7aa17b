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
    for (const text of ['Love it :) <3 but not (item 8) xD #BestDayEver, #grr ❤️‍🔥👍🏽 don’t!! ok? http://example.com :-( 8)', 'अच्छा है ना? हाँ। نه، خوب؛ است؟']) {
      expect(withoutClauseEnds(tokenise(text))).toEqual(withoutClauseEnds(plain(text)));
    }
  });

  it('are left out by the plain tokeniser', () => {
    expect(createTokeniser()('no hassle, easy').tokens.every((t) => t.clauseEnd === ClauseEnd.None)).toBe(true);
  });
});
