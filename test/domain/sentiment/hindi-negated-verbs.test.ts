import { describe, expect, it } from 'vitest';
import { createScorer } from '../../../src/domain/scoring/scorer.js';

// Hindi puts its negator before the verb (subject-object-verb): "app accha nahi hai" negates the
// verdict before नहीं, but "itna ghatiya product kabhi nahi dekha" negates the seeing ("never seen
// such a bad product") and "refund nahi mila" the receiving. Model 1.6.5 negated the sentiment word
// before "nahi" whatever verb followed; rows marked 1.6.6- read as the comment says before model 1.6.6's fix.
// Scored as ingest scores a feed item: language detected, no hint.
const scorer = createScorer();
const read = (text: string) => scorer.score({ title: null, text }).sentiment;

type Row = [text: string, gold: 'positive' | 'neutral' | 'negative'];

const ROMANISED: Row[] = [
  // "Never seen such a bad X" is the strongest complaint, not praise (1.6.6-: +0.53, +0.50).
  ['itna ghatiya product kabhi nahi dekha', 'negative'],
  ['aisi bakwas service kabhi nahi dekhi', 'negative'],
  // …and "never seen such a good X" the strongest praise (1.6.6-: −0.40).
  ['itna accha phone kabhi nahi dekha', 'positive'],
  // "Never had so much fun" (1.6.6-: −0.46); "didn't have that much fun" stays a complaint.
  ['itna maza kabhi nahi aaya', 'positive'],
  ['itna maza nahi aaya', 'negative'],
  // Something expected that did not come is a complaint, as "didn't receive" (1.6.6-: +0.15, +0.15,
  // 0, unscored, 0, 0, +0.15).
  ['refund nahi mila', 'negative'],
  ['mera refund abhi tak nahi hua', 'negative'],
  ['delivery abhi tak nahi aayi', 'negative'],
  ['koi jawab nahi mila', 'negative'],
  ['paise wapas nahi mile', 'negative'],
  ['customer care se koi reply nahi aaya', 'negative'],
  ['mujhe abhi tak refund nahi mila yaar', 'negative'],
  // No problem is no complaint (1.6.6-: "dikkat" was no word, unscored).
  ['koi dikkat nahi', 'positive'],
  ['problem nahi hai', 'positive'],
  ['koi problem nahi', 'positive'],
  // The verdict before "nahi" is still what it negates, whatever the verb: already right in 1.6.5.
  ['app accha nahi hai', 'negative'],
  ['bahut accha hai', 'positive'],
  ['theek hai, kuch khaas nahi', 'negative'],
  ['pasand nahi aaya', 'negative'],
  ['maza nahi aaya', 'negative'],
  ['accha response nahi mila', 'negative'],
  ['koi problem nahi aayi', 'positive'],
  ['koi problem nahi dekhi', 'positive'],
  ['aisa kabhi nahi dekha', 'neutral'],
];

const DEVANAGARI: Row[] = [
  // 1.6.6-: +0.53, −0.40.
  ['इतना घटिया प्रोडक्ट कभी नहीं देखा', 'negative'],
  ['इतना अच्छा फ़ोन कभी नहीं देखा', 'positive'],
  // 1.6.6-: unscored, then 0 (neutral) each.
  ['रिफंड नहीं मिला', 'negative'],
  ['डिलीवरी अभी तक नहीं आई', 'negative'],
  ['कोई जवाब नहीं मिला', 'negative'],
  ['पैसे वापस नहीं मिले', 'negative'],
  ['ऑर्डर अभी तक नहीं आया', 'negative'],
  // Already right in 1.6.5.
  ['कोई दिक्कत नहीं', 'positive'],
  ['प्रॉब्लम नहीं है', 'neutral'],
  ['ऐप अच्छा नहीं है', 'negative'],
  ['बहुत अच्छा है', 'positive'],
  ['पसंद नहीं आया', 'negative'],
  ['मज़ा नहीं आया', 'negative'],
  ['कोई समस्या नहीं आई', 'positive'],
];

describe('a Hindi negator before a verb of seeing or receiving negates that verb', () => {
  it.each(ROMANISED)('romanised: "%s" reads %s', (text, gold) => {
    expect(read(text).label).toBe(gold);
  });

  it.each(DEVANAGARI)('Devanagari: "%s" reads %s', (text, gold) => {
    expect(read(text).label).toBe(gold);
  });

  it('"never seen such a bad X" is more of a complaint than "such a bad X"', () => {
    expect(read('itna ghatiya product kabhi nahi dekha').score).toBeLessThan(read('itna ghatiya product hai').score);
    expect(read('इतना घटिया प्रोडक्ट कभी नहीं देखा').score).toBeLessThan(read('इतना घटिया प्रोडक्ट है').score);
  });

  it('"theek hai, kuch khaas nahi" keeps its lukewarm −0.13', () => {
    expect(read('theek hai, kuch khaas nahi').score).toBeCloseTo(-0.128, 3);
  });
});
