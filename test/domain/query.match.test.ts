import { describe, expect, it } from 'vitest';
import { expectMatch, type MatchCase } from './query/fixtures.js';

const cases: MatchCase[] = [
  // Words
  { why: 'a word matches case-insensitively', q: 'acme', text: 'I love ACME products', expect: ['acme'] },
  { why: 'a word matches whole words only', q: 'acme', text: 'acmeville is lovely', expect: false },
  { why: 'a word matches next to punctuation', q: 'acme', text: 'Was it (Acme)? yes.', expect: true },
  { why: 'a word matches in the title', q: 'acme', text: 'nothing here', fields: { title: 'Acme news' }, expect: true },
  { why: 'the url is not searched for words', q: 'acme', text: 'nothing', fields: { url: 'https://acme.com/acme' }, expect: false },
  { why: 'a word written with a hyphen is a phrase', q: 't-mobile', text: 'switching to T Mobile today', expect: ['t-mobile'] },
  { why: 'a hyphenated word is found as written', q: 't-mobile', text: 'T-Mobile outage again', expect: true },
  { why: 'lowercase or is an ordinary word, not an operator', q: 'acme or globex', text: 'acme and globex', expect: false },
  { why: 'lowercase or matches the word or', q: 'acme or globex', text: 'acme or globex, who knows', expect: true },
  { why: 'a word that names an Object method is looked up safely', q: 'constructor', text: 'toString __proto__ constructor', expect: ['constructor'] },
  { why: 'a text full of Object method names does not match an absent word', q: 'acme', text: 'constructor __proto__ toString hasOwnProperty valueOf', expect: false },
  { why: 'hasOwnProperty as a query word', q: 'hasOwnProperty OR __proto__', text: 'the __proto__ field', expect: ['__proto__'] },
  { why: 'an emoji between two words does not break a phrase', q: '"love acme"', text: 'love ❤️‍🔥 acme', expect: true },
  { why: 'an emoji counts as no word for NEAR', q: 'love NEAR/0 acme', text: 'love ❤️ acme', expect: true },
  { why: 'digits are words', q: 'iphone 15', text: 'the new iPhone 15 is out', expect: true },

  // Czech and Latin diacritics
  { why: 'a term without diacritics matches text with them', q: 'skoda', text: 'Nová Škoda Octavia je nejlepší', expect: ['skoda'] },
  { why: 'a term with diacritics matches the same spelling', q: 'škoda', text: 'ŠKODA AUTO a.s.', expect: ['škoda'] },
  { why: 'a term with diacritics does not match the plain spelling', q: 'škoda', text: 'nova skoda octavia', expect: false },
  { why: 'cafe matches café', q: 'cafe', text: 'Le petit café du coin', expect: true },
  { why: 'café does not match cafe', q: 'café', text: 'internet cafe', expect: false },
  { why: 'nejlepsi matches nejlepší', q: 'nejlepsi', text: 'Tohle je nejlepší káva', expect: true },
  { why: 'a phrase without diacritics matches Czech text', q: '"nejlepsi kava"', text: 'Tohle je nejlepší káva v Praze', expect: ['nejlepsi kava'] },
  { why: 'a phrase with diacritics needs them', q: '"nejlepší káva"', text: 'nejlepsi kava', expect: false },
  { why: 'a decomposed query is normalised', q: 'cafe\u0301', text: 'café', expect: ['café'] },
  { why: 'decomposed text is normalised', q: 'café', text: 'cafe\u0301 au lait', expect: true },
  { why: 'a prefix without diacritics matches Czech words', q: 'nejlep*', text: 'nejlepší', expect: ['nejlep*'] },
  { why: 'Turkish dotted capital I folds to i', q: 'istanbul', text: 'İSTANBUL is busy', expect: true },
  { why: 'a Czech word is not cut before a diacritic', q: 'kav', text: 'káva', expect: false },

  // Persian and Arabic script
  { why: 'a Persian word with a ZWNJ matches', q: 'می‌خواهم', text: 'من می‌خواهم قهوه بخرم', expect: ['می‌خواهم'] },
  { why: 'the ZWNJ keeps a Persian word whole', q: 'می', text: 'من می‌خواهم قهوه بخرم', expect: false },
  { why: 'a Persian phrase matches', q: '"قهوه بخرم"', text: 'من می‌خواهم قهوه بخرم', expect: true },
  { why: 'Arabic harakat are never stripped', q: 'كتاب', text: 'هذا كِتَاب جميل', expect: false },
  { why: 'Arabic with harakat matches itself', q: 'كِتَاب', text: 'هذا كِتَاب جميل', expect: true },

  // Devanagari: Hindi and Nepali
  { why: 'a Hindi word matches', q: 'पसंद', text: 'मुझे यह फ़ोन बहुत पसंद है', expect: ['पसंद'] },
  { why: 'a Hindi word with a nukta matches', q: 'फ़ोन', text: 'मुझे यह फ़ोन बहुत पसंद है', expect: true },
  { why: 'a Hindi word does not match a longer word that adds a matra', q: 'कम', text: 'पानी की कमी है', expect: false },
  { why: 'a Hindi word does not match the same letters with a virama', q: 'कम', text: 'कम् है', expect: false },
  { why: 'a Hindi prefix does not end inside a grapheme cluster', q: 'कम*', text: 'पानी की कमी है', expect: false },
  { why: 'a Hindi prefix matches at a cluster boundary', q: 'कम*', text: 'यह कमरा बड़ा है', expect: ['कम*'] },
  { why: 'a Nepali word matches whole', q: 'नेपाल', text: 'म नेपालमा बस्छु', expect: false },
  { why: 'a Nepali prefix matches a longer word', q: 'नेपाल*', text: 'म नेपालमा बस्छु', expect: true },
  { why: 'a Nepali prefix is not cut before a virama', q: 'राम*', text: 'यो राम्रो छ', expect: false },
  { why: 'a Nepali word with virama matches', q: 'राम्रो', text: 'यो राम्रो छ', expect: true },
  { why: 'a Hindi phrase matches consecutive words', q: '"बहुत पसंद"', text: 'मुझे यह फ़ोन बहुत पसंद है', expect: true },

  // Gujarati and Tamil
  { why: 'a Gujarati word matches', q: 'ચા', text: 'મને આ ચા ગમે છે', expect: ['ચા'] },
  { why: 'a Gujarati consonant does not match its syllable with a vowel sign', q: 'ચ', text: 'મને આ ચા ગમે છે', expect: false },
  { why: 'a Tamil word matches', q: 'காபி', text: 'எனக்கு இந்த காபி பிடிக்கும்', expect: true },
  { why: 'a Tamil consonant does not match its syllable with a vowel sign', q: 'க', text: 'கொ கா', expect: false },
  { why: 'a Tamil prefix matches at a cluster boundary', q: 'பிடி*', text: 'எனக்கு இந்த காபி பிடிக்கும்', expect: true },
  { why: 'a Tamil prefix does not end before a virama', q: 'பிடிக*', text: 'எனக்கு இந்த காபி பிடிக்கும்', expect: false },

  // Phrases and prefixes
  { why: 'a phrase matches consecutive words', q: '"acme coffee"', text: 'Try Acme Coffee today', expect: ['acme coffee'] },
  { why: 'a phrase ignores punctuation between words', q: '"acme coffee"', text: 'acme, coffee', expect: true },
  { why: 'a phrase does not match words apart', q: '"acme coffee"', text: 'acme makes coffee', expect: false },
  { why: 'a phrase does not match in reverse order', q: '"acme coffee"', text: 'coffee acme', expect: false },
  { why: 'a phrase does not run from the title into the text', q: '"acme coffee"', text: 'coffee is good', fields: { title: 'Acme' }, expect: false },
  { why: 'a phrase ending in * is a phrase prefix', q: '"acme cof*"', text: 'acme coffees rule', expect: ['acme cof*'] },
  { why: 'a lone * inside quotes is punctuation', q: '"acme *"', text: 'acmecorp', expect: false },
  { why: 'a prefix matches any word starting with it', q: 'acme*', text: 'AcmeCorp earnings', expect: ['acme*'] },
  { why: 'a prefix matches the word itself', q: 'acme*', text: 'acme', expect: true },
  { why: 'a prefix does not match inside a word', q: 'cme*', text: 'acme', expect: false },

  // Boolean operators
  { why: 'implicit AND needs both words', q: 'acme coffee', text: 'coffee by acme', expect: ['acme', 'coffee'] },
  { why: 'implicit AND fails with one word', q: 'acme coffee', text: 'acme tea', expect: false },
  { why: 'explicit AND needs both words', q: 'acme AND coffee', text: 'acme tea', expect: false },
  { why: 'OR needs either word', q: 'acme OR globex', text: 'Globex wins', expect: ['globex'] },
  { why: 'OR reports every side that occurs', q: 'acme OR globex', text: 'globex beats acme', expect: ['acme', 'globex'] },
  { why: 'NOT excludes', q: 'acme NOT anvil', text: 'acme anvil sale', expect: false },
  { why: 'NOT lets through items without the word', q: 'acme NOT anvil', text: 'acme coffee sale', expect: ['acme'] },
  { why: 'minus excludes', q: 'acme -anvil', text: 'acme anvil sale', expect: false },
  { why: 'minus excludes a phrase', q: 'acme -"road runner"', text: 'acme and the road runner', expect: false },
  { why: 'AND binds tighter than OR', q: 'acme OR globex coffee', text: 'acme only', expect: true },
  { why: 'AND binds tighter than OR (other side)', q: 'acme OR globex coffee', text: 'globex only', expect: false },
  { why: 'parentheses group', q: '(acme OR globex) coffee', text: 'acme only', expect: false },
  { why: 'parentheses group (match)', q: '(acme OR globex) coffee', text: 'globex coffee', expect: ['globex', 'coffee'] },
  { why: 'NOT applies to a group', q: 'coffee -(acme OR globex)', text: 'coffee from globex', expect: false },
  { why: 'excluded words are never keywords', q: 'coffee NOT (tea NOT acme)', text: 'coffee tea acme', expect: ['coffee', 'acme'] },
  { why: 'keywords are unique and in query order', q: 'acme OR (acme coffee)', text: 'acme coffee', expect: ['acme', 'coffee'] },

  // NEAR
  { why: 'NEAR matches within the distance', q: 'acme NEAR/3 coffee', text: 'acme makes great coffee', expect: ['acme', 'coffee'] },
  { why: 'NEAR matches in either order', q: 'acme NEAR/3 coffee', text: 'coffee made by acme', expect: true },
  { why: 'NEAR counts the words between', q: 'acme NEAR/3 coffee', text: 'acme makes really very good coffee', expect: false },
  { why: 'NEAR/0 means adjacent', q: 'acme NEAR/0 coffee', text: 'coffee acme', expect: true },
  { why: 'NEAR/0 fails with one word between', q: 'acme NEAR/0 coffee', text: 'acme fine coffee', expect: false },
  { why: 'NEAR measures from the nearer end of a phrase', q: '"acme coffee" NEAR/1 bitter', text: 'acme coffee is bitter', expect: true },
  { why: 'NEAR measures after a phrase from its last word', q: 'bitter NEAR/1 "acme coffee"', text: 'acme coffee is really bitter', expect: false },
  { why: 'NEAR reaches a long phrase that ends just before the other side', q: 'down NEAR/1 "acme coffee shop is"', text: 'acme coffee shop is really down', expect: true },
  { why: 'NEAR with an OR group side', q: '(acme OR globex) NEAR/2 outage', text: 'big globex outage', expect: ['globex', 'outage'] },
  { why: 'NEAR with a prefix side', q: 'outage* NEAR/2 acme', text: 'outages hit acme', expect: true },
  { why: 'NEAR needs two occurrences when both sides are the same word', q: 'acme NEAR/2 acme', text: 'acme', expect: false },
  { why: 'NEAR does not pair the title with the text', q: 'acme NEAR/5 coffee', text: 'coffee', fields: { title: 'acme' }, expect: false },
  { why: 'NEAR binds tighter than AND', q: 'outage acme NEAR/1 down', text: 'acme is down, outage', expect: true },

  // Hashtags and handles
  { why: 'a hashtag matches the item hashtags', q: '#acmecoffee', text: 'morning', fields: { hashtags: ['acmecoffee'] }, expect: ['#acmecoffee'] },
  { why: 'a hashtag matches a tag written in the text', q: '#AcmeCoffee', text: 'morning #acmecoffee', expect: true },
  { why: 'a hashtag does not match the bare word', q: '#acmecoffee', text: 'acmecoffee is nice', expect: false },
  { why: 'a word matches the same word written as a hashtag', q: 'acmecoffee', text: 'morning #AcmeCoffee', expect: true },
  { why: 'a Devanagari hashtag matches', q: '#नमस्ते', text: 'सुप्रभात #नमस्ते', expect: true },
  { why: 'a hashtag without diacritics matches the tag with them', q: '#skodaauto', text: 'nové auto #ŠkodaAuto', expect: ['#skodaauto'] },
  { why: "a hashtag without diacritics matches the item's own tag with them", q: '#skodaauto', text: 'nové auto', fields: { hashtags: ['ŠkodaAuto'] }, expect: true },
  { why: 'a hashtag with diacritics does not match the plain tag', q: '#škodaauto', text: 'new car #skodaauto', expect: false },
  { why: 'a hashtag with diacritics matches its own spelling', q: '#ŠkodaAuto', text: 'nové auto #škodaauto', expect: true },
  { why: 'a prefix-free hashtag without diacritics does not match a longer tag', q: '#skoda', text: 'nové auto #ŠkodaAuto', expect: false },
  { why: 'a handle matches the item handles', q: '@acme', text: 'hi', fields: { handles: ['acme'] }, expect: ['@acme'] },
  { why: 'a handle matches a Mastodon handle on any instance', q: '@acme', text: 'hi', fields: { handles: ['acme@mastodon.social'] }, expect: true },
  { why: 'a handle matches a handle written in the text', q: '@Acme', text: 'ping @acme@fosstodon.org please', expect: true },
  { why: 'a handle does not match a longer handle', q: '@acme', text: 'hi', fields: { handles: ['acmecorp'] }, expect: false },
  { why: 'a full Mastodon handle matches only its instance', q: '@acme@mastodon.social', text: 'hi @acme@other.social', expect: false },
  { why: 'an e-mail address is not a handle', q: '@acme', text: 'mail info@acme.com', expect: false },

  // Filters
  { why: 'lang: matches the item language', q: 'acme lang:cs', text: 'acme', fields: { lang: 'cs' }, expect: ['acme'] },
  { why: 'lang: does not match another language', q: 'acme lang:cs', text: 'acme', fields: { lang: 'sk' }, expect: false },
  { why: 'lang: does not match an unknown language', q: 'lang:cs', text: 'acme', expect: false },
  { why: 'site: matches the host', q: 'site:example.com', text: 'x', fields: { url: 'https://example.com/a' }, expect: [] },
  { why: 'site: matches a subdomain', q: 'site:example.com', text: 'x', fields: { url: 'https://news.EXAMPLE.com/a' }, expect: true },
  { why: 'site: does not match a look-alike host', q: 'site:example.com', text: 'x', fields: { url: 'https://notexample.com/' }, expect: false },
  { why: 'site: does not match the host in the path', q: 'site:example.com', text: 'x', fields: { url: 'https://evil.test/example.com' }, expect: false },
  { why: 'site: does not match an item without url', q: 'site:example.com', text: 'example.com', expect: false },
  { why: 'site: matches an international domain', q: 'site:příklad.cz', text: 'x', fields: { url: 'https://www.xn--pklad-zsa96e.cz/' }, expect: true },
  { why: 'author: is case-insensitive equality', q: 'author:"Jane Doe"', text: 'x', fields: { author: 'jane  DOE' }, expect: true },
  { why: 'author: is not a substring match', q: 'author:jane', text: 'x', fields: { author: 'Jane Doe' }, expect: false },
  { why: 'source: alone matches every item of that source', q: 'source:reddit', text: 'anything', fields: { sourceType: 'reddit' }, expect: [] },
  { why: 'source: does not match another source', q: 'source:reddit', text: 'anything', expect: false },
  { why: 'source: accepts every source type', q: 'source:googlenews OR source:youtube', text: 'x', fields: { sourceType: 'youtube' }, expect: true },
  { why: 'a filter with alternatives matches any of them', q: 'acme source:reddit|mastodon', text: 'acme', fields: { sourceType: 'mastodon' }, expect: ['acme'] },
  { why: 'a filter with alternatives matches none other', q: 'acme source:reddit|mastodon', text: 'acme', expect: false },
  { why: 'a negated filter excludes', q: 'acme -source:reddit', text: 'acme', fields: { sourceType: 'reddit' }, expect: false },
  { why: 'a negated filter lets other sources through', q: 'acme -source:reddit', text: 'acme', fields: { sourceType: 'mastodon' }, expect: true },
];

describe('matching a query against an item', () => {
  it('has a table of at least 80 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(80);
  });

  it.each(cases)('$why: $q', (c) => expectMatch(c));
});
