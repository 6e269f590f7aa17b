import { awaitsExpected, isSuperlative, leadingNegation, leadingNotReceived, SUPERLATIVE_BOOST, verbAfter, type LeadingNegatedVerbs, type NegatedVerbs } from './sentiment.negated-verbs.js';
import { complaintQuestionsIn, type ComplaintQuestions } from './sentiment.questions.js';
import { ClauseEnd, TokenKind, type Token, type Tokenised } from './sentiment.tokens.js';
import { compiledOf, CONTRAST_INFO, infoFor, NEGATION_SCALAR, type WordInfo } from './sentiment.words.js';

/**
 * Everything the engine knows about one language. Built once per process and shared by every
 * call: the engine never copies or mutates a profile.
 */
export interface SentimentProfile {
  /** Valence per lowercase word or symbol on VADER's scale (−4..4). */
  readonly lexicon: ReadonlyMap<string, number>;
  readonly negators: ReadonlySet<string>;
  /** Intensifiers (> 0) and diminishers (< 0), as the amount added to the next sentiment word. */
  readonly boosters: ReadonlyMap<string, number>;
  /**
   * Intensifiers that are also a verdict ("super"): where the next word of the clause carries no
   * sentiment ("Acme is super", "super produkt") they score their own lexicon valence and boost
   * nothing; before a sentiment word ("super fast") they only intensify it.
   */
  readonly standalone?: ReadonlySet<string>;
  /**
   * Contrastive conjunctions ("but"): what follows outweighs what came before, and no negator
   * reaches across one.
   */
  readonly contrast: ReadonlySet<string>;
  /**
   * Words that are contrastive only where they open a clause (first word, or after a clause end):
   * Gujarati "પણ" is "but" there and "also/even" inside a clause ("ગુણવત્તા પણ સારી"), where it
   * neither reweighs the clauses nor stops a negator.
   */
  readonly clauseContrast?: ReadonlySet<string>;
  /** How many tokens before a sentiment word a negator reaches (3 in English), within its clause. */
  readonly negationBefore: number;
  /** How many tokens after it (Hindi/Nepali/Tamil negate after the verb), within its clause. */
  readonly negationAfter: number;
  /**
   * The negator belongs to the sentiment word it follows (Hindi "अच्छा नहीं", Tamil "நல்லா இல்லை"):
   * it negates the nearest sentiment word before it, and reaches forward only when it has not
   * already negated one, so "शिकायत नहीं बढ़िया" (no complaint, great) keeps "बढ़िया" positive even
   * without the comma that would end the negator's clause.
   */
  readonly negatorFollowsWord?: boolean;
  /** What a negator that follows its word negates before a verb of receiving or seeing (Hindi "नहीं मिला"; see NegatedVerbs). */
  readonly negatedVerbs?: NegatedVerbs;
  /** What a negator before its word negates after a verb of receiving or experience (English "didn't receive"; see LeadingNegatedVerbs). */
  readonly leadingNegatedVerbs?: LeadingNegatedVerbs;
  /**
   * Negators that, as the last word of a question, ask for agreement and negate nothing: Hindi
   * "अच्छा है ना?" (it's good, isn't it?). Needs a tokeniser that marks clause ends.
   */
  readonly questionTags?: ReadonlySet<string>;
  /** Negators that reach fewer words ahead than negationBefore (English "no" is a determiner: "no good"). */
  readonly negatorReach?: ReadonlyMap<string, number>;
  /** Verb prefixes that negate a word, tried when the word itself is unknown (Czech "ne", Persian "ن"). */
  readonly negativePrefixes: readonly string[];
  /** Verb endings that negate it (Tamil "-வில்லை", Nepali "-दैन"), tried the same way. */
  readonly negativeSuffixes?: readonly string[];
  /**
   * What a negating ending takes off the word it joins, put back when the rest is no known word:
   * Tamil மோசம் + இல்லை is written மோசமில்லை (the virama goes), நல்லது + இல்லை நல்லதில்லை (the -u).
   */
  readonly suffixElisions?: readonly string[];
  /** A prefix forming superlatives ("nej" in Czech: nejhorší = worst), which intensifies the stem. */
  readonly superlativePrefix?: string;
  /** Spelling folding applied to tokens and lexicon alike (Arabic-script letter variants, ZWNJ, elisions). */
  readonly normalise?: (word: string) => string;
  /** Fallback lookup for an unknown word, e.g. through a stemmer. */
  readonly lookup?: (word: string) => number | undefined;
  /** Splits a lowercase hashtag body into words; absent → the tag is looked up whole. */
  readonly segmentHashtag?: (tag: string) => string[];
  /** Words ending with this suffix negate like a negator ("n't"). */
  readonly negatorSuffix?: string;
  /** Multi-word expressions keyed by first word; NEGATOR in a pattern matches any negator. */
  readonly phrases?: ReadonlyMap<string, readonly Phrase[]>;
  /** Words whose valence depends on the word before ("was like rubber" is no liking). */
  readonly neutralAfter?: ReadonlyMap<string, ReadonlySet<string>>;
  /** Complaints put as questions ("why does it log me out every time?"): see ComplaintQuestions. */
  readonly complaintQuestions?: ComplaintQuestions;
  /**
   * Endings speech writes onto a predicate (Persian -م "I am", -ه "it is": ناراحتم, عالیه): a word
   * that is a listed word (of three letters or more) and one of them scores as that word.
   */
  readonly copulaSuffixes?: readonly string[];
  /** Who reads the post's Latin-script words, when they are not this language's (see LatinReader). */
  readonly latinWords?: LatinReader;
  /** Another language's negators written in this profile's script, with that language's reach (see RomanisedNegation). */
  readonly romanised?: RomanisedNegation;
}

/**
 * Romanised Hindi in Latin-script posts ("app accha nahi hai", "service bilkul bekaar"): its
 * sentiment words are the profile's own (lexicon, boosters), but its negators keep Hindi's order
 * and reach: "nahi" negates the word before it (Hindi negationAfter) and only that one, as नहीं does
 * with negatorFollowsWord. Words that are also another language's ("mat", a yoga mat; "na", Czech
 * "on") are read so only in a post holding one of `markers`.
 */
export interface RomanisedNegation {
  readonly negators: ReadonlySet<string>;
  readonly negationBefore: number;
  readonly negationAfter: number;
  /** Words of the language that no other language of the script writes ("hai", "nahi", "yaar"). */
  readonly markers: ReadonlySet<string>;
  /**
   * Negators read as such only in a post holding a marker, each with how many words before a
   * sentiment word it may stand (reach) and after it (reachBack).
   */
  readonly markedNegators: ReadonlyMap<string, { readonly reach: number; readonly reachBack: number }>;
  /** Marked negators that close a question as a tag and negate nothing ("accha hai na?"). */
  readonly questionTags: ReadonlySet<string>;
  /** Sentiment words read only in a post holding a marker ("mast", great; "ache", good). */
  readonly markedLexicon: ReadonlyMap<string, number>;
  /** What its negators negate before a verb of receiving or seeing ("refund nahi mila"; see NegatedVerbs). */
  readonly verbs?: NegatedVerbs;
}

/**
 * Code-mixed posts ("अमूल का दूध बहुत bad है, totally disappointed"): their Latin-script words are
 * read with another profile (English), each of its negators with that profile's reach ("not" only
 * ahead, 3 words), while the post's own words keep theirs. One lexicon per word: nothing counts twice.
 */
export interface LatinReader {
  readonly profile: SentimentProfile;
  /**
   * 'all' where the language is written in another script, so a Latin word is the reader's (or a
   * name); 'unlisted' in a Latin-script language: only the words its own lexicon does not list.
   */
  readonly words: 'all' | 'unlisted';
  /** Latin words the reader must leave alone: the language's own, spelled alike (Czech "no", well; Persian "sad", a hundred). */
  readonly except: ReadonlySet<string>;
}

export interface Phrase { readonly words: readonly string[]; readonly valence: number }
/** In a phrase, matches any negator. */
export { NEGATOR } from './sentiment.words.js';

/**
 * Groups phrases ("to die for" → 3) by first word, longest first, for the engine's lookup. A later
 * entry for the same words replaces an earlier one: hand-written rules after a package's list win.
 */
export function phraseTable(entries: Iterable<[string, number]>): Map<string, Phrase[]> {
  const table = new Map<string, Phrase[]>();
  for (const [text, valence] of entries) {
    const words = text.split(' ');
    const list = (table.get(words[0]!) ?? []).filter((p) => p.words.join(' ') !== text);
    list.push({ words, valence });
    list.sort((a, b) => b.words.length - a.words.length);
    table.set(words[0]!, list);
  }
  return table;
}

// VADER's empirically derived constants (Hutto & Gilbert 2014); NEGATION_SCALAR is with the word index.
const CAPS_INCREMENT = 0.733;
const BOOSTER_DECAY = [1, 0.95, 0.9];
const EXCLAMATION_WEIGHT = 0.292;
const MAX_EXCLAMATIONS = 4;
const BEFORE_CONTRAST = 0.5;
const AFTER_CONTRAST = 1.5;
const NORMALISE_ALPHA = 15;

export interface EngineScore {
  /** −1..1 */
  score: number;
  /** How many tokens carried sentiment; 0 means the text gave the engine nothing to go on. */
  hits: number;
}

function expandHashtags(profile: SentimentProfile, tokens: Token[]): Token[] {
  if (!profile.segmentHashtag || !tokens.some((t) => t.kind === TokenKind.Hashtag)) return tokens;
  const out: Token[] = [];
  for (const t of tokens) {
    if (t.kind !== TokenKind.Hashtag || profile.lexicon.has(t.norm)) out.push(t);
    else {
      const parts = profile.segmentHashtag(t.norm).map((part): Token => ({ norm: part, kind: TokenKind.Word, caps: false, clauseEnd: ClauseEnd.None, joinsNext: false }));
      // "#notgood, great": the comma after the tag closes the clause of its last word; a hyphen
      // after the tag ("#nonstop-fun") joins its last word to the next.
      const last = parts[parts.length - 1];
      if (last) {
        last.clauseEnd = t.clauseEnd;
        last.joinsNext = t.joinsNext;
      }
      out.push(...parts);
    }
  }
  return out;
}

// A tag is the last word of its clause, emoji aside, and that clause is a question.
function isQuestionTag(tokens: Token[], i: number): boolean {
  let j = i;
  while (tokens[j]!.clauseEnd === ClauseEnd.None && j + 1 < tokens.length && tokens[j + 1]!.kind === TokenKind.Symbol) j++;
  return tokens[j]!.clauseEnd === ClauseEnd.Question;
}

/**
 * Whether a negator at `negator` may negate the word at `word`: a negator written as part of a
 * hyphenated word ("non-stop", "no-nonsense", "never-ending") negates only the rest of that word,
 * so "non-stop fun" is fun. A negator standing on its own reaches into one ("not user-friendly").
 */
function negatorReaches(tokens: Token[], negator: number, word: number): boolean {
  const inWord = tokens[negator]!.joinsNext || (negator > 0 && tokens[negator - 1]!.joinsNext);
  if (!inWord) return true;
  for (let j = Math.min(negator, word); j < Math.max(negator, word); j++) if (!tokens[j]!.joinsNext) return false;
  return true;
}

function carriesSentiment(info: WordInfo | undefined): boolean {
  return !!info && !info.negator && info.boost === undefined && info.valence !== undefined && info.valence !== 0;
}

// A phrase lies within one clause: "No, wait" is not "can't wait".
function matchPhrase(phrases: readonly Phrase[], tokens: Token[], i: number): Phrase | undefined {
  for (const phrase of phrases) {
    const { words } = phrase;
    if (i + words.length > tokens.length) continue;
    let k = 1;
    while (k < words.length && tokens[i + k - 1]!.clauseEnd === ClauseEnd.None && tokens[i + k]!.norm === words[k]) k++;
    if (k === words.length) return phrase;
  }
  return undefined;
}

export function scoreTokens(profile: SentimentProfile, tokenised: Tokenised): EngineScore {
  const compiled = compiledOf(profile);
  const { normalise } = profile;
  const folded = normalise ? tokenised.tokens.map((t) => ({ ...t, norm: normalise(t.norm) })) : tokenised.tokens;
  const tokens = expandHashtags(profile, folded);
  const n = tokens.length;
  const infos = new Array<WordInfo | undefined>(n);
  let contrastAt = -1;
  const { questionTags, clauseContrast } = profile;
  // Whether the post holds a word of romanised Hindi, and where the words stand that count only then.
  let marked = false;
  let markable: number[] | undefined;
  // Whether a negator may stand after its word farther than the profile's own negators reach.
  let following = false;
  for (let i = 0; i < n; i++) {
    const token = tokens[i]!;
    let info = infoFor(profile, compiled, token);
    if (info?.marker) marked = true;
    if (info?.marked) (markable ??= []).push(i);
    if (info?.follows) following = true;
    if (info?.negator && (info.tag || questionTags?.has(token.norm)) && isQuestionTag(tokens, i)) info = undefined;
    if (clauseContrast?.has(token.norm) && (i === 0 || tokens[i - 1]!.clauseEnd !== ClauseEnd.None)) info = CONTRAST_INFO;
    infos[i] = info;
    if (contrastAt < 0 && info?.contrast) contrastAt = i;
  }
  // "mat" and "na" are romanised Hindi's negators in "ye phone mat kharidna yaar" and "pasand na aaye
  // to…", and nothing in "Great yoga mat" or "Great prices in NA".
  if (marked && markable) {
    for (const i of markable) {
      const info = infos[i]!.marked!;
      infos[i] = info.tag && isQuestionTag(tokens, i) ? undefined : info;
      if (info.follows) following = true;
    }
  }
  // Texts without such a negator (nearly all English ones) look no farther after a word than before.
  const maxAfter = following ? compiled.maxAfterFollowing : compiled.maxAfter;
  // "Acme is super": an intensifier that is also a verdict, with nothing after it in its clause to
  // intensify, is the verdict; it then boosts nothing further on.
  let verdicts: Set<number> | undefined;
  for (let i = 0; i < n; i++) {
    const info = infos[i];
    if (!info?.standalone || !info.valence) continue;
    const next = tokens[i]!.clauseEnd === ClauseEnd.None ? infos[i + 1] : undefined;
    if (next && (carriesSentiment(next) || next.boost !== undefined || next.negator || next.phrases)) continue;
    (verdicts ??= new Set()).add(i);
  }

  const complaints = profile.complaintQuestions && complaintQuestionsIn(tokens, profile.complaintQuestions);
  // Where praise stands, for a complaint question to step back from.
  let praised: number[] | undefined;

  let sum = 0;
  let hits = 0;
  const follows = profile.negatorFollowsWord === true;
  // What a negator that follows its word negates before a verb of receiving or seeing (NegatedVerbs).
  const { verbs } = compiled;
  // Negators that have negated a word; where negators follow their word, they negate only that one.
  let spent: Set<number> | undefined;
  // Negators with a valence of their own ("no"), which counts only if they negate nothing.
  let valentNegators: number[] | undefined;
  // Negators before their word, where what they negate depends on the verb after them (LeadingNegatedVerbs).
  const leading = follows ? undefined : profile.leadingNegatedVerbs;
  let leadingNegators: number[] | undefined;
  for (let i = 0; i < n; i++) {
    const info = infos[i];
    if (!info) continue;
    const token = tokens[i]!;
    const phrase = info.phrases && matchPhrase(info.phrases, tokens, i);
    let valence: number;
    if (phrase) valence = phrase.valence;
    else if (info.negator) {
      if (info.valence) (valentNegators ??= []).push(i);
      if (leading && !info.follows) (leadingNegators ??= []).push(i);
      continue;
    } else if (info.valence === undefined || (info.boost !== undefined && !verdicts?.has(i))) continue;
    else if (i > 0 && info.neutralAfter?.has(tokens[i - 1]!.norm)) continue;
    else valence = info.valence;
    // A neutral set phrase is neutral as a whole: "o to nejde" (that is not the point) is no complaint.
    if (valence === 0) {
      if (phrase) i += phrase.words.length - 1;
      continue;
    }
    hits++;
    const sign = valence > 0 ? 1 : -1;
    if (token.caps) valence += sign * CAPS_INCREMENT;

    // An intensifier, like a negator, modifies only words of its own clause: "Thanks so much.
    // Terrible app" leaves "terrible" as it is.
    for (let k = 1; k <= 3 && i - k >= 0; k++) {
      if (tokens[i - k]!.clauseEnd !== ClauseEnd.None || infos[i - k]?.contrast) break;
      const boost = infos[i - k]?.boost;
      if (boost !== undefined && !verdicts?.has(i - k)) {
        const emphasis = tokens[i - k]!.caps ? Math.sign(boost) * CAPS_INCREMENT : 0;
        valence += sign * (boost + emphasis) * BOOSTER_DECAY[k - 1]!;
      }
    }
    const last = phrase ? i + phrase.words.length - 1 : i;
    // One negation however it is marked: French "ne … pas" and Hindi "नहीं … नहीं" do not cancel
    // out, and a phrase that holds its own negator ("राम्रो छैन", not good) is already negated.
    let negator = -1;
    let ownNegator = false;
    for (let j = i; j <= last && phrase; j++) {
      if (!infos[j]?.negator) continue;
      ownNegator = true;
      (spent ??= new Set()).add(j);
    }
    // An emoji or emoticon is the writer's own reaction, which no word negates: "nobody told us 😠".
    const negatable = !ownNegator && token.kind !== TokenKind.Symbol;
    // A negator's scope ends at a clause end (punctuation, a line break, a dash between words) or
    // a contrastive conjunction, on either side: "no hassle, easy return", "not bad but great" and
    // "Not bad\nTerrible support" leave "easy", "great" and "terrible" alone.
    // Each negator reaches as far as its own language lets it (see LatinReader).
    for (let k = 1; k <= compiled.maxBefore && i - k >= 0 && negator < 0 && negatable; k++) {
      const before = infos[i - k];
      if (tokens[i - k]!.clauseEnd !== ClauseEnd.None || before?.contrast) break;
      if (before?.negator && k <= (before.reach ?? profile.negationBefore) && !((follows || before.follows) && spent?.has(i - k)) && negatorReaches(tokens, i - k, i)
        && !(verbs && (follows || before.follows) && verbAfter(verbs, tokens, i - k))) negator = i - k;
    }
    // "didn't receive my refund" leaves the refund alone; "never seen such bad service" is the bad made stronger.
    if (negator >= 0 && leading && !infos[negator]!.follows) {
      const reading = leadingNegation(leading, tokens, negator, i);
      if (reading === 'superlative') {
        valence += sign * SUPERLATIVE_BOOST;
        (spent ??= new Set()).add(negator);
      }
      if (reading !== 'negates') negator = -1;
    }
    // A negator further on that follows its word belongs to a sentiment word standing between.
    let passedWord = false;
    for (let k = 1; k <= maxAfter && last + k < n && negator < 0 && negatable; k++) {
      const after = infos[last + k];
      if (tokens[last + k - 1]!.clauseEnd !== ClauseEnd.None || after?.contrast) break;
      if (after?.negator && k <= (after.reachBack ?? profile.negationAfter) && !(passedWord && after.follows) && negatorReaches(tokens, last + k, last)) {
        const verb = verbs && (follows || after.follows) ? verbAfter(verbs, tokens, last + k) : undefined;
        if (verbs && verb && verbs.expected.has(token.norm)) break;
        if (verbs && verb && isSuperlative(verbs, tokens, i, last + k, verb)) {
          valence += sign * SUPERLATIVE_BOOST;
          (spent ??= new Set()).add(last + k);
          break;
        }
        negator = last + k;
      } else if (carriesSentiment(after)) {
        if (follows) break;
        passedWord = true;
      }
    }
    if (negator >= 0) {
      valence *= NEGATION_SCALAR;
      (spent ??= new Set()).add(negator);
    }

    if (contrastAt >= 0) valence *= i < contrastAt ? BEFORE_CONTRAST : i > contrastAt ? AFTER_CONTRAST : 1;
    sum += valence;
    if (complaints && valence > 0) (praised ??= []).push(i);
    i = last;
  }
  for (const [from, to] of complaints ?? []) {
    if (praised?.some((i) => i >= from && i <= to)) continue;
    hits++;
    sum += profile.complaintQuestions!.valence * (contrastAt < 0 ? 1 : to < contrastAt ? BEFORE_CONTRAST : from > contrastAt ? AFTER_CONTRAST : 1);
  }
  // "delivery abhi tak nahi aayi": a thing waited for that did not come, where the negator negated no verdict.
  if (verbs && (follows || following)) {
    for (let i = 0; i < n; i++) {
      const info = infos[i];
      if (!info?.negator || !(follows || info.follows) || spent?.has(i)) continue;
      if (verbAfter(verbs, tokens, i) !== 'receipt' || !awaitsExpected(verbs, tokens, i)) continue;
      hits++;
      sum += verbs.notReceived * (contrastAt < 0 ? 1 : i < contrastAt ? BEFORE_CONTRAST : AFTER_CONTRAST);
    }
  }
  // "didn't receive my refund", "no reply": a thing waited for that did not come, where the negator negated no verdict.
  for (const i of leadingNegators ?? []) {
    if (spent?.has(i) || !leadingNotReceived(leading!, tokens, i)) continue;
    hits++;
    sum += leading!.notReceived * (contrastAt < 0 ? 1 : i < contrastAt ? BEFORE_CONTRAST : AFTER_CONTRAST);
    (spent ??= new Set()).add(i);
  }
  // "no plot" is a complaint about what is missing; "no good" is only "good" negated.
  for (const i of valentNegators ?? []) {
    if (spent?.has(i)) continue;
    hits++;
    sum += infos[i]!.valence! * (contrastAt < 0 ? 1 : i < contrastAt ? BEFORE_CONTRAST : AFTER_CONTRAST);
  }

  if (sum !== 0) {
    let emphasis = Math.min(tokenised.exclamations, MAX_EXCLAMATIONS) * EXCLAMATION_WEIGHT;
    const q = tokenised.questions;
    if (q > 1) emphasis += q <= 3 ? q * 0.18 : 0.96;
    sum += sum > 0 ? emphasis : -emphasis;
  }
  const score = sum / Math.sqrt(sum * sum + NORMALISE_ALPHA);
  return { score: Math.max(-1, Math.min(1, score)), hits };
}
