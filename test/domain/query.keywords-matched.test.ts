import { describe, expect, it } from 'vitest';
import { compileWorkspace, matchQuery } from '../../src/domain/query/index.js';
import { expectMatch, item, type MatchCase } from './query/fixtures.js';

// The audit: a mention's keywords[] listed terms whose clause did not match, such as the sides of a
// NEAR too far apart ("latte" for H20, which matched by its phrase), so `keyword=latte` found posts
// where latte played no part. API.md says keywords[] are "the query terms that matched".

const ACME = '("acme coffee" OR #acmecoffee OR @acmecoffee OR acme NEAR/3 (espresso OR latte)) -hiring -author:"Acme Bot"';
const H20 = 'Acme Coffee opened a new shop downtown with seats for forty people and a latte bar';

const cases: MatchCase[] = [
  { why: 'a phrase match does not report the sides of a NEAR that failed', q: ACME, text: H20, expect: ['acme coffee'] },
  { why: 'a word that occurs only in a failed NEAR is not a keyword', q: ACME, text: 'Acme Coffee is great this morning', expect: ['acme coffee'] },
  { why: 'a NEAR that holds reports both its sides', q: ACME, text: 'acme makes a fine latte', expect: ['acme', 'latte'] },
  { why: 'the phrase and the NEAR both hold: every term of both', q: ACME, text: 'Acme Coffee latte', expect: ['acme coffee', 'acme', 'latte'] },
  { why: 'of an OR side of a NEAR, only the alternatives that stand near', q: 'acme NEAR/2 (espresso OR latte)', text: 'acme latte, and far far far far away an espresso', expect: ['acme', 'latte'] },
  { why: 'of an OR side of a NEAR, every alternative that stands near', q: 'acme NEAR/2 (espresso OR latte)', text: 'espresso acme latte', expect: ['acme', 'espresso', 'latte'] },
  { why: 'a nested OR side of a NEAR, alternatives near only', q: '(acme OR (globex OR initech)) NEAR/1 outage', text: 'globex outage today; later acme was fine and initech too', expect: ['globex', 'outage'] },
  { why: 'a phrase side of a NEAR that holds', q: '"acme coffee" NEAR/1 (bitter OR sweet)', text: 'sweet words here. acme coffee is bitter', expect: ['acme coffee', 'bitter'] },
  { why: 'an AND whose other word is missing gives none of its words', q: '(acme coffee) OR globex', text: 'acme and globex', expect: ['globex'] },
  { why: 'each satisfied side of an OR', q: 'acme OR globex OR initech', text: 'initech and acme', expect: ['acme', 'initech'] },
  { why: 'a word counts when another clause holds by it, even where one clause fails', q: '(acme NEAR/1 latte) OR acme', text: 'acme sells a fine big latte', expect: ['acme'] },
  { why: 'an AND side whose filter fails gives none of its words', q: '(acme lang:cs) OR globex', text: 'acme and globex', fields: { lang: 'en' }, expect: ['globex'] },
  { why: 'an AND side whose filter holds gives its words', q: '(acme lang:cs) OR globex', text: 'acme and globex', fields: { lang: 'cs' }, expect: ['acme', 'globex'] },
  { why: 'an exclusion that holds because its excluded word is missing gives nothing', q: 'acme -"acme jobs"', text: 'acme jobs? no, acme coffee', expect: false },
  { why: 'a term excluded twice over (NOT NOT) counts as required', q: 'coffee NOT (tea NOT acme)', text: 'coffee tea acme', expect: ['coffee', 'acme'] },
  { why: 'a NOT of an AND that fails by one missing word: the other word is not a keyword', q: 'coffee -(tea -acme)', text: 'coffee and tea and acme', expect: ['coffee', 'acme'] },
  { why: 'hashtags and handles of clauses that failed are not keywords', q: '(#acme lang:cs) OR (@acme globex) OR initech', text: 'initech #acme @acme', fields: { lang: 'en' }, expect: ['initech'] },
  { why: 'Persian: a failed NEAR side is not reported', q: 'دیجی‌کالا OR (قیمت NEAR/1 بالا)', text: 'دیجیکالا قیمت خوب و بالا', expect: ['دیجی‌کالا'] },
  { why: 'Hindi: the satisfied alternative only', q: 'पतंजलि* OR (patanjali NEAR/0 ghee)', text: 'पतंजलि का घी patanjali is fine ghee', expect: ['पतंजलि*'] },
];

describe('the keywords of a match are the terms of the clauses it satisfies', () => {
  it.each(cases)('$why', (c) => expectMatch(c));

  it('the workspace matcher reports the same keywords as matching one query alone', () => {
    const brands = [
      { id: 'acme', query: ACME },
      { id: 'near', query: 'acme NEAR/2 (espresso OR latte)' },
      { id: 'lang', query: '(acme lang:cs) OR globex' },
    ];
    const workspace = compileWorkspace(brands);
    for (const text of [H20, 'acme latte, and far far far far away an espresso', 'acme and globex']) {
      for (const lang of ['cs', 'en']) {
        const it = item(text, { lang });
        const alone = brands.flatMap(({ id, query }) => {
          const found = matchQuery(query, it);
          return found ? [{ brandId: id, keywords: found.keywords }] : [];
        });
        expect(workspace.match(it), `${text} (${lang})`).toEqual(alone);
        // With the language left to work out, it is worked out at most once.
        let asked = 0;
        expect(workspace.match({ ...it, lang: () => (asked++, lang) })).toEqual(alone);
        expect(asked).toBeLessThanOrEqual(1);
      }
    }
    expect(workspace.match(item(H20))).toEqual([{ brandId: 'acme', keywords: ['acme coffee'] }]);
  });
});
