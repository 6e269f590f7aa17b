import { describe, expect, it } from 'vitest';
import { parseQuery, QueryError } from '../../src/domain/query/index.js';
import { tokenize } from '../../src/domain/query/query.lexer.js';
import { growth } from '../support/timing.js';

// A NEAR whose distance is wrong used to say "NEAR needs a distance, as in NEAR/3" whatever was
// written after the '/': a minus sign, a fraction, a word, or nothing. Each now says what is wrong
// with what was written, where, and what is allowed, as the too-large distance already did.

function refusal(q: string): { at: number; message: string } {
  try {
    parseQuery(q);
  } catch (err) {
    expect(err).toBeInstanceOf(QueryError);
    return { at: (err as QueryError).position, message: (err as QueryError).message };
  }
  throw new Error(`${q} was accepted`);
}

const ALLOWED = 'a whole number from 0 to 50, as in NEAR/3';

describe('a NEAR distance that is not a whole number from 0 to 50', () => {
  it.each([
    ['acme NEAR/-1 coffee', `NEAR distance -1 at 5 is negative: write ${ALLOWED}`],
    // Autocorrect's minus sign and en dash are a minus too.
    ['acme NEAR/\u22123 coffee', `NEAR distance \u22123 at 5 is negative: write ${ALLOWED}`],
    ['acme NEAR/\u20132 coffee', `NEAR distance \u20132 at 5 is negative: write ${ALLOWED}`],
    ['acme NEAR/-2.5 coffee', `NEAR distance -2.5 at 5 is negative: write ${ALLOWED}`],
    ['acme NEAR/3.5 coffee', `NEAR distance 3.5 at 5 is a fraction: write ${ALLOWED}`],
    // A decimal comma, as most of Europe writes one, and the Arabic decimal separator.
    ['acme NEAR/3,5 coffee', `NEAR distance 3,5 at 5 is a fraction: write ${ALLOWED}`],
    ['acme NEAR/\u0663\u066B\u0665 coffee', `NEAR distance \u0663\u066B\u0665 at 5 is a fraction: write ${ALLOWED}`],
    ['acme NEAR/.5 coffee', `NEAR distance .5 at 5 is a fraction: write ${ALLOWED}`],
    ['acme NEAR/+3 coffee', `NEAR distance +3 at 5 has a '+' sign: write ${ALLOWED}`],
    ['acme NEAR/abc coffee', `NEAR distance 'abc' at 5 is not a number: write ${ALLOWED}`],
    ['acme NEAR/3km coffee', `NEAR distance '3km' at 5 is not a number: write ${ALLOWED}`],
    ['acme NEAR/tři coffee', `NEAR distance 'tři' at 5 is not a number: write ${ALLOWED}`],
    ['acme NEAR/- coffee', `NEAR distance '-' at 5 is not a number: write ${ALLOWED}`],
    [`acme NEAR/${'x'.repeat(40)} coffee`, `NEAR distance '${'x'.repeat(12)}…' at 5 is not a number: write ${ALLOWED}`],
    ['acme NEAR/ coffee', `NEAR/ at 5 has nothing after its '/': write the distance right after it, ${ALLOWED}`],
    ['acme NEAR/', `NEAR/ at 5 has nothing after its '/': write the distance right after it, ${ALLOWED}`],
    ['acme NEAR coffee', `NEAR at 5 needs a distance: write NEAR/ and ${ALLOWED}`],
    ['acme NEAR/99999 coffee', 'NEAR distance 99999 at 5 is too large; the limit is 50'],
  ])('%s says what is wrong with it', (q, message) => {
    expect(refusal(q)).toEqual({ at: 5, message });
  });

  it('the position is the NEAR written wrong, not an earlier one', () => {
    expect(refusal('(a NEAR/2 b) (c NEAR/1.5 d)').at).toBe(16);
  });
});

describe('a NEAR distance in the digits of another script', () => {
  it.each([
    ['\u0663', 3], // Arabic-Indic ٣
    ['\u06F5', 5], // Persian ۵
    ['\u0967\u0966', 10], // Devanagari १०
    ['\u09EB\u09E6', 50], // Bengali ৫০
    ['\uFF13', 3], // full-width ３
    ['\u{1D7EF}', 3], // mathematical sans-serif 𝟯, in the fourth of five touching runs of ten
    ['007', 7],
  ])('NEAR/%s is NEAR/%i', (digits, distance) => {
    expect(parseQuery(`acme NEAR/${digits} coffee`)).toMatchObject({ type: 'near', distance });
  });

  it('is too large past 50 as ASCII digits are', () => {
    expect(refusal('acme NEAR/\u09EB\u09E7 coffee')).toEqual({ at: 5, message: 'NEAR distance 51 at 5 is too large; the limit is 50' });
  });
});

describe('reading a NEAR distance', () => {
  it('takes time in proportion to its length, whatever it holds', () => {
    // 𝟿 (U+1D7FF) is the last of five touching runs of digits: its value is read furthest back.
    for (const body of ['\u{1D7FF}', '5', '-5', '5.', 'x']) {
      const { ratio } = growth((n) => {
        try {
          tokenize(`a NEAR/${body.repeat(n)}5 b`);
        } catch {
          // Every one of these is refused; the time to refuse is what is measured.
        }
      }, 4_000);
      expect(ratio, body).toBeLessThan(24);
    }
  });
});
