import { foldCase, searchForm } from '../text/tokens.js';

/** Of each language, this many of its most negative mentions are candidates (before duplicates go). */
export const SAMPLE_CANDIDATES_PER_LANGUAGE = 20;

export type SampleCandidate = {
  /** The words shown (title and text), which duplicates are told by. */
  text: string;
  lang: string | null;
  sourceId: string | null;
};

const URL_IN_TEXT = /\bhttps?:\/\/\S+/gu;
/** A repost's marks, on folded text: "RT @author: …", "RT: …", "RT …" before, " RT" after. */
const REPOST_MARKS = /^\s*rt\b[\s:]*(?:@\S+\s+)?|\s+rt[\s\p{P}]*$/gu;
const NUMBER = /\p{N}+/gu;
const PUNCTUATION_AND_SPACE = /[\p{P}\p{S}\p{Z}\s]+/gu;

/**
 * What two copies of one post share: folded as search folds terms (case, digits of every script,
 * ZWNJ, Arabic and Persian letter forms), links and repost marks dropped, every number one number
 * and punctuation one space. "Acme ate my order (13)", "acme ate my order (8)" and "RT: Acme ate
 * my order" are one post three times.
 */
export function sampleKey(text: string): string {
  return searchForm(foldCase(text)).replace(URL_IN_TEXT, ' ').replace(REPOST_MARKS, ' ').replace(NUMBER, '0').replace(PUNCTUATION_AND_SPACE, ' ').trim();
}

/** The items of `groups` in turns, each group's first, then each one's second…: groups keep their order. */
function inTurns<T>(groups: readonly (readonly T[])[]): T[] {
  const out: T[] = [];
  for (let k = 0; groups.some((group) => k < group.length); k++) for (const group of groups) if (k < group.length) out.push(group[k]!);
  return out;
}

/** `items` grouped by `keyOf`, the groups in the order of their first item (the Map keeps it). */
function groupsOf<T>(items: readonly T[], keyOf: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return [...groups.values()];
}

/**
 * Up to `size` samples of a spike, from `candidates` ordered most negative first: one of each set
 * of copies (the most negative), then each language's next in turn, the language with the most
 * negative first, and within a language each source's next in turn. The first sample is the most
 * negative of all; a spike in five languages shows all five, not five copies of one post.
 */
export function pickSamples<T extends SampleCandidate>(candidates: readonly T[], size: number): T[] {
  const seen = new Set<string>();
  const distinct = candidates.filter((candidate) => {
    const key = sampleKey(candidate.text);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const languages = groupsOf(distinct, (c) => c.lang ?? '').map((language) => inTurns(groupsOf(language, (c) => c.sourceId ?? '')));
  return inTurns(languages).slice(0, size);
}
