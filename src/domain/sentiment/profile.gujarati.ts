import type { Stemmer } from './profile.lexicon.js';

/*
 * Gujarati has no @nlpjs package, so no lexicon and no stemmer to borrow: its word lists are
 * written by hand (profile.rules.ts, profile.vocabulary.ts) and this file supplies the morphology
 * they need. Adjectives and participles agree in gender and number (સારું, સારો, સારી, સારા,
 * સારાં), and postpositions are written onto the word (કમાલની, ખુશીથી, સેવામાં).
 */

const NEUTER = '\u0AC1\u0A82'; // ું
const YA = '\u0ACD\u0AAF'; // ્ય

/**
 * The agreeing forms of a word listed in its neuter singular (-ું): masculine -ો, plural -ા/-ાં,
 * feminine -ી. Past participles drop their -ય- in the feminine (ગમ્યું → ગમી, તૂટ્યું → તૂટી).
 * Any other word is its only form.
 */
export function gujaratiForms(word: string): string[] {
  if (!word.endsWith(NEUTER)) return [word];
  const stem = word.slice(0, -NEUTER.length);
  const feminine = stem.endsWith(YA) ? `${stem.slice(0, -YA.length)}ી` : `${stem}ી`;
  return [word, `${stem}ો`, `${stem}ા`, `${stem}ાં`, feminine];
}

// Longest first within each list, so "માંથી" is not read as "થી".
const POSTPOSITIONS = ['માંથી', 'વાળું', 'વાળો', 'વાળી', 'વાળા', 'માં', 'થી', 'નાં', 'નું', 'નો', 'ની', 'ના', 'ને', 'ઓ'];
const ENDINGS = ['ાં', 'ું', 'ો', 'ી', 'ા', 'ે'];
// In UTF-16 units, as the engine measures stems: two letters and a sign at least. Shorter
// remainders are other words (નથી is not ન + થી).
const MIN_REMAINDER = 3;

function strip(word: string, suffixes: readonly string[]): string {
  for (const suffix of suffixes) {
    if (word.endsWith(suffix) && word.length - suffix.length >= MIN_REMAINDER) return word.slice(0, -suffix.length);
  }
  return word;
}

/**
 * A light stemmer for words the lists do not hold: one attached postposition (or the plural -ઓ),
 * then one agreement ending. Lexicon words go through it too, so સારું and સારામાં meet at સાર.
 */
export const gujaratiStemmer: Stemmer = {
  stemWord: (word) => strip(strip(word, POSTPOSITIONS), ENDINGS),
};
