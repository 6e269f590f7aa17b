import { ClauseEnd, type Token } from './sentiment.tokens.js';

/**
 * Hindi puts its negator before the verb (subject, object, verb), so what "nahi" (नहीं) negates
 * depends on the verb after it. Before a copula or a verb of feeling ("accha nahi hai", "pasand
 * nahi aaya", "अच्छा नहीं लगा") it negates the verdict before it. Before a verb of receiving, arriving
 * or happening it negates the receiving: a verdict before it is still what is missing ("koi problem
 * nahi aayi", no problem came up; "accha response nahi mila"), but a thing the customer waits for is
 * not negated ("refund nahi mila" is no "not refund"), and its not coming is a complaint, as English
 * "didn't receive" ("delivery abhi tak nahi aayi", "रिफंड नहीं मिला"). Before a verb of seeing, or a
 * verb of receiving after "ever" ("kabhi", "kahin"), a verdict qualified by "such" ("itna", "aisa")
 * is a superlative: "itna ghatiya product kabhi nahi dekha" (never seen such a bad product) is the
 * bad made stronger, not negated. Applies to negators that follow their word (romanised Hindi's,
 * and a profile's with negatorFollowsWord).
 */
export interface NegatedVerbs {
  /** Verbs of receiving, arriving, happening, giving, after the negator: "mila", "aayi", "hua", मिला. */
  readonly receipt: ReadonlySet<string>;
  /** Verbs of seeing and hearing, after the negator: "dekha", "suna", देखा. */
  readonly perception: ReadonlySet<string>;
  /** What a customer waits for: "refund", "delivery", "jawab", रिफंड, पैसे. */
  readonly expected: ReadonlySet<string>;
  /** "Such", before the verdict a superlative intensifies: "itna", "aisa", इतना. */
  readonly such: ReadonlySet<string>;
  /** "Ever", "anywhere", just before the negator: "kabhi", "kahin", कभी. */
  readonly ever: ReadonlySet<string>;
  /** The valence of a thing waited for that did not come. */
  readonly notReceived: number;
}

/** What a superlative adds to its verdict: as much as one more intensifier (VADER's). */
export const SUPERLATIVE_BOOST = 0.293;

/** How far from the negator a thing waited for may stand: "delivery abhi tak bhi nahi aayi", "nahi mila mera refund". */
const EXPECTED_BEFORE = 4;
const EXPECTED_AFTER = 3;

/** One profile's lists and its Latin reader's (romanised Hindi's, in a Devanagari post). */
export function mergeNegatedVerbs(own?: NegatedVerbs, other?: NegatedVerbs): NegatedVerbs | undefined {
  if (!own || !other) return own ?? other;
  const union = (key: 'receipt' | 'perception' | 'expected' | 'such' | 'ever') => new Set([...own[key], ...other[key]]);
  return {
    receipt: union('receipt'), perception: union('perception'), expected: union('expected'), such: union('such'), ever: union('ever'),
    notReceived: own.notReceived,
  };
}

export type VerbKind = 'receipt' | 'perception';

/** The kind of verb right after the negator at `negator`, in its clause. */
export function verbAfter(verbs: NegatedVerbs, tokens: readonly Token[], negator: number): VerbKind | undefined {
  const next = tokens[negator + 1];
  if (!next || tokens[negator]!.clauseEnd !== ClauseEnd.None) return undefined;
  return verbs.receipt.has(next.norm) ? 'receipt' : verbs.perception.has(next.norm) ? 'perception' : undefined;
}

/**
 * Whether the negator at `negator`, before a verb of `kind`, makes the verdict at `word` a
 * superlative: "such" stands just before the verdict (within an intensifier's reach), and the verb
 * is one of seeing, or one of receiving after "ever" ("itna maza kabhi nahi aaya", never had so much
 * fun; without "kabhi" it is "didn't have that much fun").
 */
export function isSuperlative(verbs: NegatedVerbs, tokens: readonly Token[], word: number, negator: number, kind: VerbKind): boolean {
  const ever = [negator - 1, negator - 2].some((j) => j > word && verbs.ever.has(tokens[j]!.norm));
  if (kind !== 'perception' && !ever) return false;
  for (let k = 1; k <= 3 && word - k >= 0; k++) {
    if (tokens[word - k]!.clauseEnd !== ClauseEnd.None) break;
    if (verbs.such.has(tokens[word - k]!.norm)) return true;
  }
  return false;
}

/** Whether a thing waited for stands near the negated verb of receiving at `negator`, in its clause. */
export function awaitsExpected(verbs: NegatedVerbs, tokens: readonly Token[], negator: number): boolean {
  for (let j = negator - 1; j >= 0 && j >= negator - EXPECTED_BEFORE && tokens[j]!.clauseEnd === ClauseEnd.None; j--) {
    if (verbs.expected.has(tokens[j]!.norm)) return true;
  }
  // Past the verb: "nahi mila mera refund".
  for (let j = negator + 2; j < tokens.length && j <= negator + EXPECTED_AFTER && tokens[j - 1]!.clauseEnd === ClauseEnd.None; j++) {
    if (verbs.expected.has(tokens[j]!.norm)) return true;
  }
  return false;
}
