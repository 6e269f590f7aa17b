import { foldCase, searchForm } from '../text/tokens.js';

/** The words of a clause as the switch and move tables read them (themes.switches.ts, themes.moves.ts). */

/** Words, and the arrows that stand for a move. */
const TOKEN = /[\p{L}\p{N}][\p{L}\p{M}\p{N}\u200C\u200D'’]*|[→⟶➡➔⇒]|->|=>/gu;
const APOSTROPHES = /['’]/gu;

/** A word as the tables hold it: folded, in search form, without apostrophes (didn't is didnt). */
export const formOf = (word: string) => searchForm(foldCase(word)).replace(APOSTROPHES, '');

export type Phrase = readonly string[];

/** A table's list of phrases: `|` or spaces between them, `+` between the words of one. */
export const phrases = (list: string): Phrase[] => list.split(/[\s|]+/u).filter(Boolean).map((p) => p.split('+').map(formOf));

export interface Token {
  form: string;
  start: number;
  end: number;
}

/** The words of a clause (and arrows), each in table form with its place. */
export const tokensOf = (clause: string): Token[] =>
  [...clause.matchAll(TOKEN)].map((m) => ({ form: formOf(m[0]), start: m.index, end: m.index + m[0].length }));

export const phraseAt = (tokens: readonly Token[], i: number, phrase: Phrase) => phrase.every((word, k) => tokens[i + k]?.form === word);

/** Characters [start, end) of a clause. */
export type Span = readonly [start: number, end: number];

/** `range` without the characters of `holes` (token ranges of the construction), as the spans left. */
export function without(range: Span, holes: readonly Span[]): Span[] {
  const spans: Span[] = [];
  let at = range[0];
  for (const [start, end] of [...holes].sort((a, b) => a[0] - b[0])) {
    if (end <= at || start >= range[1]) continue;
    if (start > at) spans.push([at, start]);
    at = Math.max(at, end);
  }
  if (at < range[1]) spans.push([at, range[1]]);
  return spans;
}
