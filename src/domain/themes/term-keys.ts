import { hasStemmer, type Term } from '../text/terms.js';

/**
 * Term keys that do not hang on a language guess. Words of a mention whose language has a stemmer
 * are keyed by their stems ("outage" is `outag` in English); a mention whose language is unknown
 * (short posts often are) or has no stemmer keeps them as written, so the same word would count as
 * two terms. Stemmed mentions are read first and teach each written form its key; the others then
 * take the key their forms were taught, where they were (and their own where not), one term per
 * key. Callers read mentions in `stemmedFirst` order, across every window they compare, so that a
 * window's terms and the one before it are keyed alike.
 */
export function languageFreeKeys(): (terms: readonly Term[], lang: string | null | undefined) => readonly Term[] {
  const keyOf = new Map<string, string>();
  return (terms, lang) => {
    if (hasStemmer(lang)) {
      for (const term of terms) if (!keyOf.has(term.term)) keyOf.set(term.term, term.key);
      return terms;
    }
    const settled = new Map<string, Term>();
    for (const term of terms) {
      const key = keyOf.get(term.term) ?? term.key;
      if (!settled.has(key)) settled.set(key, key === term.key ? term : { term: term.term, key });
    }
    return [...settled.values()];
  };
}

/** Indices of `rows`: those in a stemmed language, then the rest, each in their order. */
export function stemmedFirst(rows: ReadonlyArray<{ lang?: string | null | undefined }>): { stemmed: number[]; rest: number[] } {
  const stemmed: number[] = [];
  const rest: number[] = [];
  rows.forEach((row, i) => (hasStemmer(row.lang) ? stemmed : rest).push(i));
  return { stemmed, rest };
}
