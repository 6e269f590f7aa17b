import { francAll } from 'franc-min';
import { LINK_HINT, TOKEN_PARTS } from '../sentiment/sentiment.tokens.js';
import { memoByKey } from '../text/memo.js';
import { apostropheWords } from '../text/word-scan.js';
import {
  ARABIC_LETTERS, ARABIC_SCRIPT_WORDS, DEVANAGARI_WORDS, LATIN_LETTERS, LATIN_SHAPES, LATIN_WORDS, DEVANAGARI_SUFFIXES,
  PERSIAN_LETTERS, ROMANISED_HINDI, ROMANISED_HINDI_MIN,
} from './language.words.js';

export interface DetectedLanguage {
  /** ISO 639-1, or null when the evidence is below the threshold. */
  lang: string | null;
  /** 0..1 */
  confidence: number;
}

export const SUPPORTED_LANGUAGES = ['en', 'cs', 'fa', 'hi', 'ne', 'gu', 'ta', 'es', 'de', 'fr', 'pt', 'ar'] as const;
export const MIN_CONFIDENCE = 0.35;
// Above this, marker evidence alone decides and franc is not consulted.
const CLEAR = 0.6;

type Script = 'latin' | 'devanagari' | 'gujarati' | 'tamil' | 'arabic' | 'other';

const ISO3: Record<string, string> = { eng: 'en', ces: 'cs', spa: 'es', deu: 'de', fra: 'fr', por: 'pt', hin: 'hi', npi: 'ne' };
const FRANC_LATIN = ['eng', 'ces', 'spa', 'deu', 'fra', 'por'];
const FRANC_DEVANAGARI = ['hin', 'npi'];
// franc's trigram vote counts like this many marker words at most: enough to settle a close
// call, never enough to name a language on its own (gibberish gets a confident franc answer too).
const FRANC_WEIGHT = 1.5;

// Links and e-mail addresses as the sentiment tokeniser cuts them out, @handles and HTML entities:
// no words of the post. The link pattern only runs on a text that may hold one (LINK_HINT): tried
// at every position of every text, it cost detection more than the rest of it.
const LINKS = new RegExp(TOKEN_PARTS.link, 'giu');
const HANDLES_AND_ENTITIES = /(?<![\p{L}\p{N}])@[\p{L}\p{N}_.]+|&\w+;/gu;
const withoutNoise = (text: string) => (LINK_HINT.test(text) ? text.replace(LINKS, ' ') : text).replace(HANDLES_AND_ENTITIES, ' ');

// Scripts by slot; 'other' last. scriptOf answers a slot so the counting loop stays on integers.
const SCRIPTS: readonly Script[] = ['latin', 'devanagari', 'gujarati', 'tamil', 'arabic', 'other'];
const OTHER = 5;

function scriptOf(code: number): number {
  if ((code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || (code >= 0xc0 && code <= 0x24f)) return 0;
  if (code >= 0x900 && code <= 0x97f) return 1;
  if (code >= 0xa80 && code <= 0xaff) return 2;
  if (code >= 0xb80 && code <= 0xbff) return 3;
  if ((code >= 0x600 && code <= 0x6ff) || (code >= 0x750 && code <= 0x77f) || (code >= 0xfb50 && code <= 0xfeff)) return 4;
  return -1;
}

const LETTER = /\p{L}/u;
const LATIN = 0;
/**
 * Latin words inside a post in another script are nearly always names (brands, models, apps):
 * "Samsung Galaxy S24 નો કેમેરા સરસ", "Acme Pro Max கேமரா அருமை". A named script (Devanagari, Gujarati,
 * Tamil, Arabic) with at least this share of the letters therefore wins over a Latin majority. A
 * model name runs to 10–20 letters and a two-word opinion in those scripts to 8–12, a share of
 * .3–.5 (.39–.50 on the audit's posts); an English post quoting one native word stays under ~.2.
 */
const NAMED_SCRIPT_SHARE = 0.25;

function countScripts(text: string): { script: Script; letters: number; share: number } {
  // A tie goes to the script seen first, so the slots are also kept in order of first appearance.
  const counts = [0, 0, 0, 0, 0, 0];
  const seen: number[] = [];
  let total = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // ASCII punctuation, digits and spaces are most characters; only letters count.
    if (code < 0x80 && !((code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a))) continue;
    let slot = scriptOf(code);
    if (slot < 0) {
      const ch = String.fromCodePoint(text.codePointAt(i)!);
      if (ch.length === 2) i++;
      if (!LETTER.test(ch)) continue;
      slot = OTHER;
    }
    if (counts[slot] === 0) seen.push(slot);
    counts[slot]!++;
    total++;
  }
  let best = OTHER;
  let letters = 0;
  for (const slot of seen) {
    if (counts[slot]! > letters) { best = slot; letters = counts[slot]!; }
  }
  if (best === LATIN) {
    let named = OTHER;
    for (const slot of seen) if (slot !== LATIN && slot !== OTHER && (named === OTHER || counts[slot]! > counts[named]!)) named = slot;
    if (named !== OTHER && counts[named]! >= 3 && counts[named]! >= NAMED_SCRIPT_SHARE * total) {
      // The Latin letters are names, not evidence against the post's language.
      return { script: SCRIPTS[named]!, letters: counts[named]!, share: counts[named]! / (total - counts[LATIN]!) };
    }
  }
  return { script: SCRIPTS[best]!, letters, share: total ? letters / total : 0 };
}

/**
 * Confidence = the winner's share of the evidence (a softmax over the languages that scored,
 * with one unit of weight kept for "something else") times how much evidence there was at all.
 * A language's shared words raise every candidate alike, so they add amount but not lead.
 */
function decide(scores: Map<string, number>): DetectedLanguage {
  let top: string | null = null;
  let first = 0;
  let total = 1;
  for (const [lang, s] of scores) {
    total += Math.exp(s);
    if (s > first) { first = s; top = lang; }
  }
  if (!top) return { lang: null, confidence: 0 };
  const share = Math.exp(first) / total;
  const amount = 1 - Math.exp(-first / 1.2);
  return { lang: top, confidence: share * amount };
}

function addFrancVote(scores: Map<string, number>, text: string, only: string[]): void {
  const [best, runnerUp] = francAll(text, { only, minLength: 1 });
  if (!best || best[0] === 'und') return;
  const lang = ISO3[best[0]]!;
  scores.set(lang, (scores.get(lang) ?? 0) + FRANC_WEIGHT * (1 - (runnerUp?.[1] ?? 0)));
}

function add(scores: Map<string, number>, lang: string, amount: number): void {
  scores.set(lang, (scores.get(lang) ?? 0) + amount);
}

/** What one word says, in the order it is added: pairs of language and weight. */
type Evidence = ReadonlyArray<readonly [string, number]>;

/** A word's evidence depends on the word alone, so each script remembers it per word. */
function perWord(weigh: (word: string) => Evidence): (scores: Map<string, number>, words: string[]) => Map<string, number> {
  const evidenceOf = memoByKey(weigh, 20_000);
  return (scores, words) => {
    for (const word of words) for (const [lang, amount] of evidenceOf(word)) add(scores, lang, amount);
    return scores;
  };
}

// All spelling shapes in one pass; the first group that matched names the language.
const SHAPES = new RegExp(LATIN_SHAPES.map(([re]) => `(${re.source})`).join('|'), 'u');

const scoreLatin = perWord((word) => {
  const evidence: Array<[string, number]> = [];
  const markerOf = LATIN_WORDS.get(word);
  for (const lang of markerOf ?? []) evidence.push([lang, 1]);
  const hindi = ROMANISED_HINDI.get(word);
  if (hindi) evidence.push(['hi', hindi]);
  // A letter only one of these languages uses is strong evidence, once per word.
  for (let i = 0; i < word.length; i++) {
    if (word.charCodeAt(i) < 0x80) continue;
    const lang = LATIN_LETTERS.get(word[i]!);
    if (lang) { evidence.push([lang, 1.5]); break; }
  }
  // A spelling says something of a word no list knows; a marker word is already known for what it
  // is: "love" is English, not Czech for its "ov".
  const shape = SHAPES.exec(word);
  const shapeLang = shape ? LATIN_SHAPES[shape.slice(1).findIndex((g) => g !== undefined)]![1] : null;
  if (shapeLang && !hindi && (!markerOf || markerOf.includes(shapeLang))) evidence.push([shapeLang, 0.7]);
  return evidence;
});

/**
 * Whether Latin-script words are romanised Hindi enough to be hi (ROMANISED_HINDI_MIN): one is a
 * loanword in an English post ("thanks bhai") or a word another language shares ("hai", Malay and
 * Indonesian "hi"; "ke", "ka"). Each word counts once: "hai hai" is one word.
 */
function enoughRomanisedHindi(words: readonly string[]): boolean {
  const seen = new Set<string>();
  let weight = 0;
  let distinctive = false;
  for (const word of words) {
    const w = ROMANISED_HINDI.get(word);
    if (!w || seen.has(word)) continue;
    seen.add(word);
    weight += w;
    if (w >= 1) distinctive = true;
  }
  return distinctive && weight >= ROMANISED_HINDI_MIN;
}

const scoreDevanagari = perWord((word) => {
  const lang = DEVANAGARI_WORDS.get(word);
  if (lang) return [[lang, 1]];
  const suffix = DEVANAGARI_SUFFIXES.find(([s]) => word.length > s.length + 1 && word.endsWith(s));
  return suffix ? [[suffix[1], 0.5]] : [];
});

const scoreArabicScript = perWord((word) => {
  const evidence: Array<[string, number]> = [];
  for (const lang of ARABIC_SCRIPT_WORDS.get(word) ?? []) evidence.push([lang, 1]);
  if (word.startsWith('ال') && word.length > 3) evidence.push(['ar', 0.3]);
  for (const ch of word) {
    if (PERSIAN_LETTERS.has(ch)) evidence.push(['fa', 0.7]);
    else if (ARABIC_LETTERS.has(ch)) evidence.push(['ar', 0.7]);
  }
  return evidence;
});

/** The script each language with a fixed script is written in; a language not named may be in any. */
const SCRIPT_OF: Record<string, Script> = {
  en: 'latin', cs: 'latin', es: 'latin', de: 'latin', fr: 'latin', pt: 'latin', it: 'latin', nl: 'latin', pl: 'latin', sk: 'latin',
  hi: 'devanagari', ne: 'devanagari', mr: 'devanagari', gu: 'gujarati', ta: 'tamil', fa: 'arabic', ar: 'arabic', ur: 'arabic',
};

/**
 * Whether `text` is written in the script `lang` is written in: false when its letters are
 * mostly another script's (a post declared `en` by its client, written in Devanagari). True when
 * the text has too few letters to tell, or the language may be written in any script.
 */
export function writtenInScriptOf(lang: string, text: string): boolean {
  const expected = SCRIPT_OF[lang];
  if (!expected) return true;
  const { script, letters } = countScripts(withoutNoise(text));
  return letters < 3 || script === expected;
}

const LANGUAGES_OF_SCRIPT: Record<Script, readonly string[]> = {
  latin: ['en', 'cs', 'es', 'de', 'fr', 'pt'], devanagari: ['hi', 'ne'], arabic: ['fa', 'ar'], gujarati: ['gu'], tamil: ['ta'], other: [],
};

/** The supported languages written in the script of `text` (by the rules detectLanguage uses); none for too few letters. */
export function languagesOfScript(text: string): readonly string[] {
  const { script, letters } = countScripts(withoutNoise(text.normalize('NFC')));
  return letters < 3 ? [] : LANGUAGES_OF_SCRIPT[script];
}

const MARKER_WORDS: Partial<Record<Script, ReadonlyMap<string, string | readonly string[]>>> = {
  latin: LATIN_WORDS, devanagari: DEVANAGARI_WORDS, arabic: ARABIC_SCRIPT_WORDS,
};

/**
 * The languages whose marker words (function words: "the", "on", "je", "है", "است") `text` holds,
 * in the script of most of its letters. Ordinary words of a language, not evidence enough to name
 * it (detectLanguage weighs them), but enough to say which languages a short text may be in.
 */
export function markerLanguages(text: string): Set<string> {
  const clean = withoutNoise(text.normalize('NFC'));
  const markers = MARKER_WORDS[countScripts(clean).script];
  const found = new Set<string>();
  if (!markers) return found;
  for (const word of apostropheWords(clean.toLowerCase())) {
    const langs = markers.get(word);
    if (typeof langs === 'string') found.add(langs);
    else for (const lang of langs ?? []) found.add(lang);
  }
  return found;
}

/**
 * Detects the language of a short social text. The script decides Gujarati and Tamil outright;
 * marker letters and words decide within Arabic script (fa/ar), Devanagari (hi/ne) and Latin
 * script, with franc-min's trigram vote as a bounded tie-breaker. Below MIN_CONFIDENCE → null.
 */
export function detectLanguage(text: string, minConfidence = MIN_CONFIDENCE): DetectedLanguage {
  const clean = withoutNoise(text.normalize('NFC'));
  const { script, letters, share } = countScripts(clean);
  if (letters < 3 || script === 'other') return { lang: null, confidence: 0 };
  // The script alone decides Gujarati and Tamil; the others weigh their words.
  const words = () => apostropheWords(clean.toLowerCase());
  let result: DetectedLanguage;
  if (script === 'gujarati' || script === 'tamil') {
    result = { lang: script === 'gujarati' ? 'gu' : 'ta', confidence: 1 - Math.exp(-letters / 4) };
  } else if (script === 'arabic') {
    result = decide(scoreArabicScript(new Map(), words()));
  } else {
    const all = words();
    const scores = (script === 'latin' ? scoreLatin : scoreDevanagari)(new Map(), all);
    if (script === 'latin' && scores.has('hi') && !enoughRomanisedHindi(all)) scores.delete('hi');
    result = decide(scores);
    // Trigram statistics are slow and unreliable on a few words: consulted only when markers
    // leave doubt, and in Latin script they cannot name a language where markers found nothing
    // (gibberish), nor vote on romanised Hindi, which franc knows only in Devanagari. Devanagari
    // text already is Hindi or Nepali here, so franc may decide alone.
    if (result.confidence < CLEAR && (scores.size > 0 || script === 'devanagari') && !(script === 'latin' && result.lang === 'hi')) {
      addFrancVote(scores, clean, script === 'latin' ? FRANC_LATIN : FRANC_DEVANAGARI);
      result = decide(scores);
    }
  }
  const confidence = Math.round(result.confidence * share * 1000) / 1000;
  return confidence >= minConfidence ? { lang: result.lang, confidence } : { lang: null, confidence };
}
