import { sharedEnglishProfile } from './profile.en.js';
import { createLanguageProfile } from './profile.languages.js';
import { LANGUAGE_RULES } from './profile.rules.js';
import { scoreTokens, type SentimentProfile } from './sentiment.engine.js';
import { createTokeniser } from './sentiment.tokens.js';

export interface Analysis { score: number; hits: number }

export interface SentimentAnalyser {
  /** Languages with a lexicon good enough to score; anything else is left unscored. */
  readonly languages: readonly string[];
  /** null when the language has no profile: the caller must not guess. */
  analyse(text: string, lang: string): Analysis | null;
}

type ProfileFactory = () => SentimentProfile;

/** Languages with a lexicon worth scoring: English, and every language with rules (Gujarati's lexicon is all hand-written). */
export const PROFILE_FACTORIES: ReadonlyMap<string, ProfileFactory> = new Map<string, ProfileFactory>([
  ['en', sharedEnglishProfile],
  ...Object.keys(LANGUAGE_RULES).map((lang): [string, ProfileFactory] => [lang, () => createLanguageProfile(lang)]),
]);

/**
 * Profiles are built on first use of a language (or all at once with `preload`) and then shared
 * by every call, so scoring a text never copies a dictionary.
 */
export function createSentimentAnalyser({
  factories = PROFILE_FACTORIES,
  preload = false,
}: { factories?: ReadonlyMap<string, ProfileFactory>; preload?: boolean } = {}): SentimentAnalyser {
  // Clause ends bound negation: "no hassle, easy return" negates only "hassle".
  const tokenise = createTokeniser({ clauses: true });
  const built = new Map<string, SentimentProfile>();
  function get(lang: string) {
    let profile = built.get(lang);
    if (!profile) {
      const factory = factories.get(lang);
      if (!factory) return undefined;
      profile = factory();
      built.set(lang, profile);
    }
    return profile;
  }
  // A profile takes 30–130 ms to build; a worker that must not pause mid-batch builds them all up front.
  if (preload) for (const lang of factories.keys()) get(lang);
  return {
    languages: [...factories.keys()],
    analyse(text, lang) {
      const profile = get(lang);
      return profile ? scoreTokens(profile, tokenise(text)) : null;
    },
  };
}

let processAnalyser: SentimentAnalyser | undefined;

/**
 * The process's analyser, its profiles built on each language's first use: every scorer made
 * without one of its own, and the themes' clause readings, share it rather than each building
 * the same profiles again (30–130 ms and a few MB each).
 */
export function sharedAnalyser(): SentimentAnalyser {
  processAnalyser ??= createSentimentAnalyser();
  return processAnalyser;
}
