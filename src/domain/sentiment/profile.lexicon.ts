import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** AFINN lists run −5..5, SentiCon and Pattern −1..1; the engine works on VADER's −4..4. */
const SCALE: Record<string, number> = { afinn: 0.8, senticon: 3, pattern: 3 };

export interface Stemmer { stemWord(word: string): string }

export interface LoadedLexicon {
  words: Map<string, number>;
  /** Multi-word entries ("खड़े हो सकते हैं"), for the engine's phrase table. */
  phrases: Array<[string, number]>;
  stemmer: Stemmer;
}

function valueOf(entry: unknown): number | undefined {
  if (typeof entry === 'number') return entry;
  // Pattern's French list stores { polarity, … } objects.
  if (entry && typeof entry === 'object' && 'polarity' in entry && typeof entry.polarity === 'number') return entry.polarity;
  return undefined;
}

/**
 * Loads the sentiment lists an @nlpjs/lang-<code> package ships (AFINN translations, SentiCon,
 * Pattern) and its stemmer. Keys are NFC-folded through `normalise`, so lookups and lexicon
 * agree on spelling variants the language's own rules merge.
 */
export function loadNlpjsLexicon(lang: string, normalise: (word: string) => string, { keepStopwords = false } = {}): LoadedLexicon {
  const pkg = `@nlpjs/lang-${lang}`;
  const dir = path.join(path.dirname(require.resolve(`${pkg}/package.json`)), 'src', 'sentiment');
  const mod = require(pkg) as Record<string, new () => unknown>;
  const Stemmer = Object.entries(mod).find(([name]) => name.startsWith('Stemmer'))![1] as new () => Stemmer;
  const Stopwords = Object.entries(mod).find(([name]) => name.startsWith('Stopwords'))?.[1] as (new () => { dictionary?: Record<string, unknown> }) | undefined;
  // Function words carry no sentiment; the translated lists still score some ("con" −5 in Spanish).
  const stopwords = new Set(Object.keys(Stopwords && !keepStopwords ? (new Stopwords().dictionary ?? {}) : {}));
  const words = new Map<string, number>();
  const phrases: Array<[string, number]> = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json') && !f.startsWith('negations'))) {
    const scale = SCALE[file.split('_')[0]!] ?? 1;
    const list = require(path.join(dir, file)) as Record<string, unknown>;
    for (const [rawKey, entry] of Object.entries(list)) {
      const value = valueOf(entry);
      const key = normalise(rawKey.normalize('NFC').toLowerCase().trim());
      if (value === undefined || value === 0 || !key || !/\p{L}/u.test(key) || stopwords.has(key)) continue;
      if (/\s/u.test(key)) phrases.push([key.split(/\s+/u).join(' '), value * scale]);
      else if (!words.has(key)) words.set(key, value * scale);
    }
  }
  return { words, phrases, stemmer: new Stemmer() };
}

/** Maps stems to the mean valence of the lexicon words that share them, for inflected forms. */
export function stemIndex(words: ReadonlyMap<string, number>, stemmer: Stemmer): Map<string, number> {
  const sums = new Map<string, { total: number; n: number }>();
  for (const [word, value] of words) {
    for (const stem of new Set([word, stemmer.stemWord(word)])) {
      const s = sums.get(stem) ?? { total: 0, n: 0 };
      s.total += value;
      s.n++;
      sums.set(stem, s);
    }
  }
  return new Map([...sums].map(([stem, s]) => [stem, s.total / s.n]));
}
