import { describe, expect, it } from 'vitest';
import { createScorer } from '../../../src/domain/scoring/scorer.js';

// English puts its negator before the verb, and what the negator negates depends on that verb, as
// in Hindi (hindi-negated-verbs.test.ts): "didn't receive my refund" negates the receiving, and the
// refund not coming is a complaint, not a "not refund"; "never seen such bad service" makes the bad
// a superlative. Before model 1.6.6 the negator flipped the nearest sentiment word whatever the verb:
// rows marked 1.6.6- read as their comment says before the fix. Scored with the language declared,
// as a source that states it is read ("no problems" alone is too short to detect).
const scorer = createScorer();
const read = (text: string) => scorer.score({ title: null, text, langHint: 'en' }).sentiment;

type Row = [text: string, gold: 'positive' | 'neutral' | 'negative'];

const NOT_RECEIVED: Row[] = [
  // "refund" (−0.8) was negated into praise (1.6.6-: +0.15 each).
  ["didn't receive my refund", 'negative'],
  ['2 weeks and no refund', 'negative'],
  ["I haven't been refunded", 'negative'],
  // Nothing carried sentiment (1.6.6-: 0 each).
  ["I still haven't received my order", 'negative'],
  ['never got a reply from support', 'negative'],
  ['my package never arrived', 'negative'],
  ['the order hasn\'t arrived yet', 'negative'],
  ["I didn't get my money back", 'negative'],
  ['they never called back', 'negative'],
  ['never called me back', 'negative'],
  ["haven't heard back from them", 'negative'],
  ['nobody answered', 'negative'],
  ['two weeks without a reply', 'negative'],
];

const SUPERLATIVES: Row[] = [
  // "Never … such/so/this + verdict", or a comparison, is the verdict made stronger (1.6.6-: +0.43,
  // +0.37, +0.42, +0.19, +0.31).
  ['I have never seen such bad service', 'negative'],
  ['never had a worse experience', 'negative'],
  ["I've never been so disappointed", 'negative'],
  ['I have never had such bland food', 'negative'],
  ['I never had this problem before', 'negative'],
  // 1.6.6-: −0.51, −0.34, −0.46, −0.34, −0.51.
  ["I've never seen such great service", 'positive'],
  ['never had such good service', 'positive'],
  ['never been this happy', 'positive'],
  ["she's never been better", 'positive'],
  ['I never received such great service', 'positive'],
];

// Already right before 1.6.6, and kept.
const GUARDS: Row[] = [
  ['still waiting for my refund', 'negative'],
  ['no response from customer service', 'negative'],
  ['they never responded to my complaint', 'negative'],
  ["worst I've ever seen", 'negative'],
  ['I have never seen anything so bad', 'negative'],
  ['never had a problem with them', 'positive'],
  ['never had a bad experience', 'positive'],
  ['never disappointed', 'positive'],
  ['not bad at all', 'positive'],
  ["it wasn't so bad", 'positive'],
  ['no problems', 'positive'],
  ['never again', 'negative'],
  // A negated verdict after a verb of receiving is still the verdict negated.
  ["I didn't receive any complaints", 'positive'],
  ["didn't get a good response", 'negative'],
  ['I got my refund, no problems', 'positive'],
  ['I received my order quickly, great service', 'positive'],
  // "got better" is improving, no experience: "never got better" stays a complaint.
  ['It never got better', 'negative'],
  // "Such" with no verdict praises nothing, and the reply came.
  ['never received such a fast reply', 'neutral'],
];

describe('an English negator before a verb of receiving or experience negates that verb', () => {
  it.each(NOT_RECEIVED)('a thing waited for that did not come: "%s" reads %s', (text, gold) => {
    expect(read(text).label).toBe(gold);
  });

  it.each(SUPERLATIVES)('never … such: "%s" reads %s', (text, gold) => {
    expect(read(text).label).toBe(gold);
  });

  it.each(GUARDS)('unchanged: "%s" reads %s', (text, gold) => {
    expect(read(text).label).toBe(gold);
  });

  it('"never seen such bad service" is more of a complaint than "such bad service"', () => {
    expect(read('I have never seen such bad service').score).toBeLessThan(read('such bad service').score);
  });

  it('a refund not received reads as "refund nahi mila" does', () => {
    expect(read("didn't receive my refund").score).toBeCloseTo(scorer.score({ title: null, text: 'refund nahi mila' }).sentiment.score, 3);
  });
});
