import { describe, expect, it } from 'vitest';
import { compileWorkspace, parseQuery, QueryError } from '../../src/domain/query/index.js';
import { startsWithWhole } from '../../src/domain/query/query.words.js';
import { expectMatch, item, type MatchCase } from './query/fixtures.js';

// The audit: `ஆவின்*` missed `ஆவினின்` ("Aavin's"), so a post about Aavin's price rise matched no
// brand. In Tamil a suffix's vowel sign takes the place of the pulli (ன் + இன் → னின்). A prefix
// ending in a virama now stands for its last consonant with any vowel, in every Indic script.

const cases: MatchCase[] = [
  // Tamil case forms of ஆவின் (Aavin): the pulli gives way to the suffix's vowel.
  ...['ஆவின்', 'ஆவினின்', 'ஆவினை', 'ஆவினுக்கு', 'ஆவினால்', 'ஆவினது', 'ஆவினும்', 'ஆவின்கள்'].map((word) => ({
    why: `ஆவின்* finds ${word}`,
    q: 'ஆவின்*',
    text: `இன்று ${word} பால் விலை உயர்வு`,
    expect: ['ஆவின்*'],
  })),
  { why: 'ஆவின்* does not find ஆவி (steam), which lacks the consonant', q: 'ஆவின்*', text: 'சூடான காபியில் ஆவி பறக்கிறது', expect: false },
  { why: 'ஆவின்* does not find ஆவிகள், another consonant after ஆவி', q: 'ஆவின்*', text: 'ஆவிகள் கதை', expect: false },
  { why: 'ஆவின்* does not match inside a word', q: 'ஆவின்*', text: 'காவினை', expect: false },
  // The doubling the docs used to rely on still works, and the forms that do not double now do too.
  { why: 'ஏர்டெல்* finds ஏர்டெல்லின் (the consonant doubles)', q: 'ஏர்டெல்*', text: 'ஏர்டெல்லின் சேவை', expect: true },
  { why: 'ஏர்டெல்* finds ஏர்டெலை', q: 'ஏர்டெல்*', text: 'நான் ஏர்டெலை விட்டேன்', expect: true },
  // A bare consonant is a syllable with its vowel a (ன is ṉa): ஆவின* finds that syllable only.
  { why: 'ஆவின* finds ஆவினது (ன with its own vowel)', q: 'ஆவின*', text: 'ஆவினது பால்', expect: true },
  { why: 'ஆவின* does not find ஆவினின் (another vowel on ன)', q: 'ஆவின*', text: 'ஆவினின் பால்', expect: false },
  // In a phrase, and as a side of NEAR.
  { why: 'a phrase whose last word ends in a pulli finds its case forms', q: '"ஆவின் பால்*"', text: 'ஆவின் பாலின் விலை', expect: ['ஆவின் பால்*'] },
  { why: 'a pulli prefix as a side of NEAR', q: 'ஆவின்* NEAR/2 விலை', text: 'ஆவினின் பால் விலை உயர்வு', expect: ['ஆவின்*', 'விலை'] },
  // The same in the other Indic scripts, whose viramas work alike.
  { why: 'Hindi महान्* finds महान, written without the halant', q: 'महान्*', text: 'वह महान है', expect: true },
  { why: 'Hindi महान्* finds महानता', q: 'महान्*', text: 'उसकी महानता', expect: true },
  { why: 'Hindi भारत्* finds भारतीय', q: 'भारत्*', text: 'भारतीय रेल', expect: true },
  { why: 'Gujarati ભગવાન્* finds ભગવાનને', q: 'ભગવાન્*', text: 'ભગવાનને પ્રાર્થના', expect: true },
  { why: 'Malayalam അവന്* finds അവനെ', q: 'അവന്*', text: 'ഞാൻ അവനെ കണ്ടു', expect: true },
  { why: 'Sinhala බස්* finds බසය', q: 'බස්*', text: 'බසය පරක්කුයි', expect: true },
  { why: 'a nukta makes another consonant: ગુજ્* does not find ગુજ઼ા', q: 'ગુજ્*', text: 'ગુજ઼ા', expect: false },
];

describe('a prefix ending in a virama', () => {
  it.each(cases)('$why', (c) => expectMatch(c));

  it('is found the same way by a compiled workspace, whose anchors pick the brands to evaluate', () => {
    const workspace = compileWorkspace([
      { id: 'aavin', query: 'ஆவின்*' },
      { id: 'airtel', query: 'ஏர்டெல்* OR "ஏர்டெல் சேவை*"' },
      { id: 'acme', query: 'acme*' },
    ]);
    expect(workspace.match(item('ஆவினின் பால் விலை உயர்வு மிகவும் மோசம்'))).toEqual([{ brandId: 'aavin', keywords: ['ஆவின்*'] }]);
    expect(workspace.match(item('ஆவினுக்கு புதிய தலைவர்; ஏர்டெலை விட்டேன்')).map((m) => m.brandId)).toEqual(['aavin', 'airtel']);
    expect(workspace.match(item('சூடான காபியில் ஆவி பறக்கிறது'))).toEqual([]);
  });

  it('counts for a query that requires what it excludes, as matching does', () => {
    const refused = (q: string) => {
      try {
        parseQuery(q);
        return false;
      } catch (err) {
        expect(err).toBeInstanceOf(QueryError);
        return true;
      }
    };
    // Every ஆவினை is found by ஆவின்*.
    expect(refused('ஆவினை -ஆவின்*')).toBe(true);
    expect(refused('ஆவினின்* -ஆவின்*')).toBe(true);
    // ஆவினை is found by ஆவின்* and not by ஆவின*.
    expect(refused('ஆவின்* -ஆவின*')).toBe(false);
  });

  it('is read by startsWithWhole, which the trending terms and the scorer share with the matcher', () => {
    expect(startsWithWhole('ஆவினுக்கு', 'ஆவின்')).toBe(true);
    expect(startsWithWhole('ஆவி', 'ஆவின்')).toBe(false);
    expect(startsWithWhole('ஆவினுக்கு', 'ஆவின')).toBe(false);
  });
});
