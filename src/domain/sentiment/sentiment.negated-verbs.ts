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

/**
 * English puts its negator before the verb, and what it negates depends on that verb, as in Hindi
 * (NegatedVerbs): after a verb of receiving or arriving, a thing the customer waits for is not
 * negated ("didn't receive my refund" is no "not refund"), and its not coming is a complaint, also
 * where the thing stands before the negator ("my package never arrived") or a determiner negates it
 * ("no refund", "without a reply"). A verb of answering says what was waited for itself ("never
 * called back", "nobody answered"), and what follows it is its object, not what the negator negates
 * ("never replied to my complaint"). "Never" (or "not ever") before a verb of experience makes a
 * verdict after "such", "so", "this" or "more", or a comparison, a superlative: "never seen such bad
 * service", "never had a worse experience", "never been happier". Applies to negators that stand
 * before their word (profiles without negatorFollowsWord).
 */
export interface LeadingNegatedVerbs {
  /** Verbs of receiving, arriving and sending: "receive", "got", "arrived", "showed up". */
  readonly receipt: VerbTable;
  /** Verbs whose object is the thing waited for: "replied", "refunded", "called back", "called me back". */
  readonly response: VerbTable;
  /** Verbs of experience, for superlatives: "seen", "had", "been", "felt". */
  readonly experience: ReadonlySet<string>;
  /** What a customer waits for: "refund", "order", "package", "reply". */
  readonly expected: ReadonlySet<string>;
  /** "Such", before the verdict a superlative intensifies: "such", "so", "this", "more". */
  readonly such: ReadonlySet<string>;
  /** Verdicts that compare, superlatives after "never" and a verb of experience alone: "worse", "better", "happier". */
  readonly comparatives: ReadonlySet<string>;
  /** Words that may stand between the negator and its verb, at most two: "even", "yet", "ever", "been". */
  readonly between: ReadonlySet<string>;
  /** Negators that mean "not ever": "never". */
  readonly never: ReadonlySet<string>;
  /** Between another negator and its verb, what makes it one: "ever" ("haven't ever seen"). */
  readonly ever: ReadonlySet<string>;
  /** Negators that are determiners, negating the thing waited for after them: "no", "without". */
  readonly determiners: ReadonlySet<string>;
  /** The valence of a thing waited for that did not come. */
  readonly notReceived: number;
}

/** Verbs of one or more words, by first word: the words after it of each (none for a verb of one word), longest first. */
export type VerbTable = ReadonlyMap<string, ReadonlyArray<readonly string[]>>;

export function verbTable(entries: Iterable<string>): VerbTable {
  const table = new Map<string, string[][]>();
  for (const entry of entries) {
    const [first, ...rest] = entry.split(' ');
    const list = table.get(first!) ?? [];
    list.push(rest);
    list.sort((a, b) => b.length - a.length);
    table.set(first!, list);
  }
  return table;
}

/** What a negator before a sentiment word does to it: negates it, leaves it (a thing waited for), or makes it a superlative. */
export type LeadingReading = 'negates' | 'keeps' | 'superlative';

type LeadingKind = 'receipt' | 'response' | 'experience';
interface LeadingVerb { readonly at: number; readonly end: number; readonly kind: LeadingKind; readonly ever: boolean }

/** How far after a determiner a thing waited for may stand: "no refund", "without any reply". */
const DETERMINED = 2;
/** How far from a verb of receiving, after it or before its negator: "didn't receive my full refund", "my package still hasn't arrived". */
const EXPECTED_NEAR = 4;
/** How many words may stand between a negator and its verb ("haven't even been refunded"). */
const BETWEEN = 2;

/** The last word of the longest verb of `table` that starts at `at`, in its clause; −1 if none. */
function entryEnd(table: VerbTable, tokens: readonly Token[], at: number): number {
  const entries = table.get(tokens[at]!.norm);
  if (!entries) return -1;
  for (const rest of entries) {
    let k = 0;
    while (k < rest.length && at + k + 1 < tokens.length && tokens[at + k]!.clauseEnd === ClauseEnd.None && tokens[at + k + 1]!.norm === rest[k]) k++;
    if (k === rest.length) return at + k;
  }
  return -1;
}

function verbAt(verbs: LeadingNegatedVerbs, tokens: readonly Token[], at: number): { end: number; kind: LeadingKind } | undefined {
  let end = entryEnd(verbs.response, tokens, at);
  if (end >= 0) return { end, kind: 'response' };
  end = entryEnd(verbs.receipt, tokens, at);
  if (end >= 0) return { end, kind: 'receipt' };
  return verbs.experience.has(tokens[at]!.norm) ? { end: at, kind: 'experience' } : undefined;
}

/** The listed verb after the negator at `negator`, past "even", "yet", "been" (an auxiliary before another verb), in its clause. */
function verbAfterNegator(verbs: LeadingNegatedVerbs, tokens: readonly Token[], negator: number): LeadingVerb | undefined {
  let ever = false;
  for (let at = negator + 1; at < tokens.length && at <= negator + 1 + BETWEEN && tokens[at - 1]!.clauseEnd === ClauseEnd.None; at++) {
    const word = tokens[at]!.norm;
    const verb = verbAt(verbs, tokens, at);
    const between = verbs.between.has(word);
    // "haven't been refunded": "been" is the verb only where no other follows ("never been happier").
    if (verb && !(between && tokens[at]!.clauseEnd === ClauseEnd.None && at + 1 < tokens.length && verbAt(verbs, tokens, at + 1))) {
      return { at, end: verb.end, kind: verb.kind, ever };
    }
    if (!between) return undefined;
    if (verbs.ever.has(word)) ever = true;
  }
  return undefined;
}

/**
 * What the negator at `negator` does to the sentiment word at `word` after it, in its clause:
 * "didn't receive my refund" keeps the refund, "never replied to my complaint" the complaint,
 * "never seen such bad service" makes the bad a superlative; anything else it negates.
 */
export function leadingNegation(verbs: LeadingNegatedVerbs, tokens: readonly Token[], negator: number, word: number): LeadingReading {
  const norm = tokens[word]!.norm;
  if (verbs.determiners.has(tokens[negator]!.norm)) return verbs.expected.has(norm) && word - negator <= DETERMINED ? 'keeps' : 'negates';
  const verb = verbAfterNegator(verbs, tokens, negator);
  if (!verb || verb.at > word) return 'negates';
  if (verb.kind === 'response') return 'keeps';
  if ((verb.ever || verbs.never.has(tokens[negator]!.norm)) && verbs.experience.has(tokens[verb.at]!.norm) && verb.at < word) {
    if (verbs.comparatives.has(norm)) return 'superlative';
    for (let j = word - 1; j > verb.end && j >= word - 3; j--) if (verbs.such.has(tokens[j]!.norm)) return 'superlative';
  }
  return verb.kind === 'receipt' && verbs.expected.has(norm) ? 'keeps' : 'negates';
}

/**
 * Whether the negator at `negator`, which negated no sentiment word, says that a thing waited for
 * did not come: a verb of answering after it, a thing waited for after a determiner, or a verb of
 * receiving with a thing waited for near, before the negator or after the verb ("never received such
 * a fast reply" praises a reply that came).
 */
export function leadingNotReceived(verbs: LeadingNegatedVerbs, tokens: readonly Token[], negator: number): boolean {
  const n = tokens.length;
  if (verbs.determiners.has(tokens[negator]!.norm)) {
    for (let j = negator + 1; j < n && j <= negator + DETERMINED && tokens[j - 1]!.clauseEnd === ClauseEnd.None; j++) {
      if (verbs.expected.has(tokens[j]!.norm)) return true;
    }
    return false;
  }
  const verb = verbAfterNegator(verbs, tokens, negator);
  if (verb?.kind === 'response') return true;
  if (verb?.kind !== 'receipt') return false;
  for (let j = verb.end + 1; j < n && j <= verb.end + EXPECTED_NEAR && tokens[j - 1]!.clauseEnd === ClauseEnd.None; j++) {
    if (verbs.such.has(tokens[j]!.norm)) return false;
    if (verbs.expected.has(tokens[j]!.norm)) return true;
  }
  for (let j = negator - 1; j >= 0 && j >= negator - EXPECTED_NEAR && tokens[j]!.clauseEnd === ClauseEnd.None; j--) {
    if (verbs.expected.has(tokens[j]!.norm)) return true;
  }
  return false;
}
