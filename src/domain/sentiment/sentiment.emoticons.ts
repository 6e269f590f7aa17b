import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { TOKEN_PARTS } from './sentiment.tokens.js';

const require = createRequire(import.meta.url);

let vader: ReadonlyMap<string, number> | undefined;

/** VADER's lexicon (vader-sentiment, MIT): lowercase term → mean valence (−4..4), read once per process. */
export function vaderLexicon(): ReadonlyMap<string, number> {
  if (vader) return vader;
  const text = readFileSync(require.resolve('vader-sentiment/vader_lexicon.txt'), 'utf8');
  const lexicon = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [term, mean] = line.split('\t');
    if (term && mean) lexicon.set(term.toLowerCase(), Number(mean));
  }
  return (vader = lexicon);
}

const WHOLE_EMOTICON = new RegExp(`^(?:${TOKEN_PARTS.emoticon})$`, 'u');
let emoticons: ReadonlyMap<string, number> | undefined;

/**
 * VADER's emoticons (":)", ":(", ":-(", ":D", ";)", "<3", "</3", "xD": 129 that the tokeniser reads
 * as one, "xd" among them as a word) with VADER's values. Shared by every language, as emoji are
 * (sentiment.emoji.ts): ":(" says the same in a Czech, a Persian or a Tamil post as in an English
 * one. Before model 1.6.5 only the English lexicon had them.
 */
export function emoticonValences(): ReadonlyMap<string, number> {
  emoticons ??= new Map([...vaderLexicon()].filter(([term]) => WHOLE_EMOTICON.test(term)));
  return emoticons;
}
