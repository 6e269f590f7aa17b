import { ClauseEnd, type Token } from './sentiment.tokens.js';

/**
 * A question that asks why a fault recurs or lasts ("why … again / every time / still / always /
 * keeps"), how long a wait lasts ("how long … wait"), or when a fault gets fixed ("when will … work")
 * is a complaint, however plain its words: a question clause (one closed by a question mark)
 * holding words of one of `groups`, an asker and one of its markers in any order, scores `valence`
 * once, unless a word of the clause is praise ("why is it always so good?"). Phrases are lowercase
 * word lists, in the profile's spelling.
 */
export interface ComplaintQuestions {
  readonly groups: ReadonlyArray<{ readonly askers: ReadonlyArray<readonly string[]>; readonly markers: ReadonlyArray<readonly string[]> }>;
  readonly valence: number;
}

// Whether one of `phrases` stands within tokens [from, to].
function holdsPhrase(tokens: Token[], from: number, to: number, phrases: ReadonlyArray<readonly string[]>): boolean {
  for (let i = from; i <= to; i++) {
    for (const words of phrases) {
      if (i + words.length - 1 > to) continue;
      let k = 0;
      while (k < words.length && tokens[i + k]!.norm === words[k]) k++;
      if (k === words.length) return true;
    }
  }
  return false;
}

/** The question clauses [from, to] of the text that put a complaint (SentimentProfile.complaintQuestions). */
export function complaintQuestionsIn(tokens: Token[], { groups }: ComplaintQuestions): Array<[number, number]> | undefined {
  let found: Array<[number, number]> | undefined;
  let from = 0;
  for (let i = 0; i < tokens.length; i++) {
    const end = tokens[i]!.clauseEnd;
    if (end === ClauseEnd.None) continue;
    if (end === ClauseEnd.Question && groups.some((g) => holdsPhrase(tokens, from, i, g.askers) && holdsPhrase(tokens, from, i, g.markers))) {
      (found ??= []).push([from, i]);
    }
    from = i + 1;
  }
  return found;
}
