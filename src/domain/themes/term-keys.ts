import { hasStemmer, type Term } from '../text/terms.js';

/**
 * Term keys that do not hang on a language guess. Words of a mention whose language has a stemmer
 * are keyed by their stems ("outage" is `outag` in English); a mention whose language is unknown
 * (short posts often are) or has no stemmer keeps them as written, so the same word would count as
 * two terms. Stemmed mentions are read first and teach each written form its key; the others then
 * take the key their forms were taught, where they were (and their own where not), one term per
 * key. Callers read mentions in `stemmedFirst` order, across every window they compare, so that a
 * window's terms and the one before it are keyed alike.
 *
 * `perLanguage` qualifies each key with its language (`en:minut`, `cs:minut`): two languages'
 * stemmers can meet on one stem (English "minutes" and Czech "minut"), and themes are per
 * language. A mention without a stemmer takes the key, language included, that its form was
 * taught, or its own language's (`gu:…`, `:…` when unknown).
 */
export function languageFreeKeys({ perLanguage = false }: { perLanguage?: boolean } = {}): (terms: readonly Term[], lang: string | null | undefined) => readonly Term[] {
  const keyOf = new Map<string, string>();
  return (terms, lang) => {
    const qualifier = perLanguage ? `${languageCode(lang)}:` : '';
    if (hasStemmer(lang)) {
      const keyed = perLanguage ? terms.map((term) => ({ term: term.term, key: qualifier + term.key })) : terms;
      for (const term of keyed) if (!keyOf.has(term.term)) keyOf.set(term.term, term.key);
      return keyed;
    }
    const settled = new Map<string, Term>();
    for (const term of terms) {
      const key = keyOf.get(term.term) ?? qualifier + term.key;
      if (!settled.has(key)) settled.set(key, key === term.key ? term : { term: term.term, key });
    }
    return [...settled.values()];
  };
}

/** A language as keys are qualified with it: the ISO 639-1 code hasStemmer reads, '' when unknown. */
const languageCode = (lang: string | null | undefined) => (lang ?? '').toLowerCase().slice(0, 2);

/** The language part of a key `languageFreeKeys({ perLanguage: true })` made ('' for none), and its words. */
export function splitKey(key: string): { qualifier: string; words: string } {
  const at = key.indexOf(':');
  return { qualifier: key.slice(0, at + 1), words: key.slice(at + 1) };
}

/** Indices of `rows`: those in a stemmed language, then the rest, each in their order. */
export function stemmedFirst(rows: ReadonlyArray<{ lang?: string | null | undefined }>): { stemmed: number[]; rest: number[] } {
  const stemmed: number[] = [];
  const rest: number[] = [];
  rows.forEach((row, i) => (hasStemmer(row.lang) ? stemmed : rest).push(i));
  return { stemmed, rest };
}
