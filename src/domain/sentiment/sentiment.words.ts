import { memoByKey } from '../text/memo.js';
import type { Phrase, RomanisedNegation, SentimentProfile } from './sentiment.engine.js';
import { mergeNegatedVerbs, type NegatedVerbs } from './sentiment.negated-verbs.js';
import { TokenKind, type Token } from './sentiment.tokens.js';

/*
 * What each word can do in a profile: the index the engine looks a token up in, compiled once per
 * profile (with the Latin words its LatinReader reads), and the affixes and stems of words it does
 * not list.
 */

/** A word of a phrase that matches any negator (SentimentProfile.phrases). */
export const NEGATOR = '<neg>';

// VADER's (Hutto & Gilbert 2014): a negated word keeps −0.74 of its valence.
export const NEGATION_SCALAR = -0.74;
const SUPERLATIVE = 1.3;

/** What one word can do; compiled once per profile so a token costs one Map lookup. */
export interface WordInfo {
  valence?: number;
  boost?: number;
  negator?: boolean;
  /** How far ahead this negator reaches, when not the profile's negationBefore. */
  reach?: number;
  /** How far back it reaches, when not the profile's negationAfter (an English "not" in a Hindi post: 0). */
  reachBack?: number;
  contrast?: boolean;
  /** An intensifier that is a verdict where it modifies nothing (SentimentProfile.standalone). */
  standalone?: boolean;
  phrases?: readonly Phrase[];
  neutralAfter?: ReadonlySet<string>;
  /** A negator that belongs to the sentiment word before it and negates no other (romanised Hindi "nahi"). */
  follows?: boolean;
  /** A negator that, closing a question, asks for agreement and negates nothing ("accha hai na?"). */
  tag?: boolean;
  /** The word marks the post as romanised Hindi (RomanisedNegation.markers). */
  marker?: boolean;
  /** What the word is in a post that holds a marker ("mat", "na": negators). */
  marked?: WordInfo;
}

const NEGATOR_INFO: WordInfo = { negator: true };
export const CONTRAST_INFO: WordInfo = { contrast: true };

interface Compiled {
  index: Map<string, WordInfo>;
  /** What a word ending in the negator suffix ("n't") is: a negator that may open a phrase. */
  suffixNegator: WordInfo;
  /** Whether unknown words need affix or stem lookups at all. */
  morphology: boolean;
  /** morphologyOf, remembered per word: a word's affixes and stem never change. */
  derived: (word: string) => WordInfo | undefined;
  /** The farthest any negator reaches ahead and back: the engine's search windows. */
  maxBefore: number;
  maxAfter: number;
  /** maxAfter in a text holding a negator that follows its word (WordInfo.follows): "accha nahi". */
  maxAfterFollowing: number;
  /** How Latin words are read, when a LatinReader reads them. */
  latin?: CompiledReader;
  /** The profile's NegatedVerbs, its romanised negators' and its Latin reader's, in one. */
  verbs?: NegatedVerbs;
}

interface CompiledReader {
  /** The reader's word, its negators with the reader's reach. */
  infoOf: (word: string) => WordInfo | undefined;
  /** The reader's own words come before the language's (LatinReader.words 'all'). */
  all: boolean;
  except: ReadonlySet<string>;
  /** The reader's negator suffix ("n't") and what a word ending in it is. */
  suffix?: string;
  suffixNegator: WordInfo;
}

const compiledProfiles = new WeakMap<SentimentProfile, Compiled>();

export function compiledOf(profile: SentimentProfile): Compiled {
  let compiled = compiledProfiles.get(profile);
  if (!compiled) compiledProfiles.set(profile, (compiled = compile(profile)));
  return compiled;
}

// A word of the Latin script (lowercase, as tokens and lexicon keys are): its first letter is a
// to z or in Latin-1 to Latin Extended-B.
function isLatinWord(word: string): boolean {
  const code = word.charCodeAt(0);
  return (code >= 0x61 && code <= 0x7a) || (code >= 0xdf && code <= 0x24f && code !== 0xf7);
}

/** A negator of the reader's, with the reader's reach wherever it stands. */
const scoped = (info: WordInfo, reader: SentimentProfile): WordInfo =>
  info.negator ? { ...info, reach: info.reach ?? reader.negationBefore, reachBack: info.reachBack ?? reader.negationAfter } : info;

/**
 * Romanised Hindi's negators (RomanisedNegation), with Hindi's reach each, after the profile's own
 * phrases are given to its negators: "nahi work" is no English "not work".
 */
function addRomanised(at: (word: string) => WordInfo, romanised: RomanisedNegation): void {
  const negator = (word: string, reach = romanised.negationBefore, reachBack = romanised.negationAfter): WordInfo => ({
    negator: true, follows: true, reach, reachBack, tag: romanised.questionTags.has(word) || undefined,
  });
  for (const word of romanised.negators) Object.assign(at(word), negator(word));
  for (const word of romanised.markers) at(word).marker = true;
  // A marked word keeps the set phrases it opens ("mat kharidna", don't buy).
  for (const [word, { reach, reachBack }] of romanised.markedNegators) at(word).marked = { ...negator(word, reach, reachBack), phrases: at(word).phrases };
  for (const [word, valence] of romanised.markedLexicon) at(word).marked = { valence, phrases: at(word).phrases };
}

function compile(profile: SentimentProfile): Compiled {
  const index = new Map<string, WordInfo>();
  const at = (word: string): WordInfo => {
    let info = index.get(word);
    if (!info) index.set(word, (info = {}));
    return info;
  };
  for (const [word, valence] of profile.lexicon) at(word).valence = valence;
  for (const [word, boost] of profile.boosters) at(word).boost = boost;
  for (const word of profile.standalone ?? []) at(word).standalone = true;
  for (const word of profile.negators) at(word).negator = true;
  for (const [word, reach] of profile.negatorReach ?? []) at(word).reach = reach;
  for (const word of profile.contrast) at(word).contrast = true;
  for (const [word, before] of profile.neutralAfter ?? []) at(word).neutralAfter = before;
  for (const [first, phrases] of profile.phrases ?? []) if (first !== NEGATOR) at(first).phrases = phrases;
  const negatorPhrases = profile.phrases?.get(NEGATOR);
  if (negatorPhrases) for (const [, info] of index) if (info.negator) info.phrases = [...(info.phrases ?? []), ...negatorPhrases];
  const { romanised } = profile;
  if (romanised) addRomanised(at, romanised);
  const morphology = !!(profile.superlativePrefix || profile.negativePrefixes.length || profile.negativeSuffixes?.length || profile.lookup || profile.copulaSuffixes?.length);
  const compiled: Compiled = {
    index,
    suffixNegator: negatorPhrases ? { negator: true, phrases: negatorPhrases } : NEGATOR_INFO,
    morphology,
    derived: memoByKey((word) => morphologyOf(profile, index, word), 20_000),
    maxBefore: Math.max(profile.negationBefore, romanised?.negationBefore ?? 0, ...[...romanised?.markedNegators.values() ?? []].map((r) => r.reach)),
    maxAfter: profile.negationAfter,
    maxAfterFollowing: Math.max(profile.negationAfter, romanised?.negationAfter ?? 0, ...[...romanised?.markedNegators.values() ?? []].map((r) => r.reachBack)),
    verbs: mergeNegatedVerbs(profile.negatedVerbs, romanised?.verbs),
  };
  const reader = profile.latinWords;
  if (!reader) return compiled;
  // The reader's index is shared, not copied (English is ~10k words); only its negators are redone.
  const other = compiledOf(reader.profile);
  const negators = new Map([...other.index].flatMap(([word, info]) => (info.negator ? [[word, scoped(info, reader.profile)] as const] : [])));
  compiled.maxBefore = Math.max(compiled.maxBefore, other.maxBefore);
  compiled.maxAfter = Math.max(compiled.maxAfter, other.maxAfter);
  compiled.maxAfterFollowing = Math.max(compiled.maxAfterFollowing, other.maxAfterFollowing);
  compiled.verbs = mergeNegatedVerbs(compiled.verbs, other.verbs);
  compiled.latin = {
    infoOf: (word) => negators.get(word) ?? other.index.get(word),
    all: reader.words === 'all',
    except: reader.except,
    suffix: reader.profile.negatorSuffix,
    suffixNegator: scoped(other.suffixNegator, reader.profile),
  };
  return compiled;
}

function knownValence(profile: SentimentProfile, index: Map<string, WordInfo>, stem: string): number | undefined {
  return index.get(stem)?.valence ?? profile.lookup?.(stem);
}

// The word a negating ending joined: as written, or with what the ending elided put back. Listed
// words come before stem guesses, which could take the bare remainder for another word.
function suffixBaseValence(profile: SentimentProfile, index: Map<string, WordInfo>, base: string): number | undefined {
  const listed = index.get(base)?.valence ?? profile.suffixElisions?.map((e) => index.get(base + e)?.valence).find((v) => v !== undefined);
  return listed ?? profile.lookup?.(base);
}

// Affixes and stems, for a word the lexicon does not list; English has none of these rules.
function morphologyOf(profile: SentimentProfile, index: Map<string, WordInfo>, word: string): WordInfo | undefined {
  const sup = profile.superlativePrefix;
  if (sup && word.length > sup.length + 2 && word.startsWith(sup)) {
    const base = knownValence(profile, index, word.slice(sup.length));
    if (base !== undefined) return { valence: base * SUPERLATIVE };
  }
  // A listed word only, as written: a stem guess on what is left would take a verb's person ending
  // (خریدم, I bought) for the copula. Before the prefixes: "ناراحتم" is ناراحت, not ن + "اراحتم".
  for (const suffix of profile.copulaSuffixes ?? []) {
    if (word.length > suffix.length + 2 && word.endsWith(suffix)) {
      const base = index.get(word.slice(0, -suffix.length))?.valence;
      if (base) return { valence: base };
    }
  }
  // An affix negates the word it is part of: "nedobrý" (not good) is bad.
  for (const prefix of profile.negativePrefixes) {
    if (word.length > prefix.length + 2 && word.startsWith(prefix)) {
      const base = knownValence(profile, index, word.slice(prefix.length));
      if (base !== undefined) return { valence: base * NEGATION_SCALAR };
    }
  }
  for (const suffix of profile.negativeSuffixes ?? []) {
    if (word.length > suffix.length + 1 && word.endsWith(suffix)) {
      const base = suffixBaseValence(profile, index, word.slice(0, -suffix.length));
      if (base !== undefined) return { valence: base * NEGATION_SCALAR };
      // The bare ending still negates a sentiment word next to it ("पसंद" + "आएन").
      return NEGATOR_INFO;
    }
  }
  // Stemming last: a stemmer strips negating endings too, and would hand back the bare stem's sign.
  const stemmed = profile.lookup?.(word);
  return stemmed === undefined ? undefined : { valence: stemmed };
}

export function infoFor(profile: SentimentProfile, compiled: Compiled, token: Token): WordInfo | undefined {
  const { norm } = token;
  const latin = compiled.latin && isLatinWord(norm) && !compiled.latin.except.has(norm) ? compiled.latin : undefined;
  // One reading per word: the reader's first where Latin words are all its own, else the language's.
  const info = (latin?.all ? latin.infoOf(norm) : undefined) ?? compiled.index.get(norm) ?? latin?.infoOf(norm);
  if (info || token.kind === TokenKind.Symbol) return info;
  if (profile.negatorSuffix && norm.endsWith(profile.negatorSuffix)) return compiled.suffixNegator;
  if (latin?.suffix && norm.endsWith(latin.suffix)) return latin.suffixNegator;
  // The language's affixes and stems are not for the reader's words.
  if (latin?.all) return undefined;
  return compiled.morphology ? compiled.derived(norm) : undefined;
}
