import { createEnglishProfile } from './profile.en.js';
import { scoreTokens, type SentimentProfile } from './sentiment.engine.js';
import { createTokeniser, type Tokenised } from './sentiment.tokens.js';

export interface Analysis { score: number; hits: number }

export interface SentimentAnalyser {
  /** Languages with a lexicon good enough to score; anything else is left unscored. */
  readonly languages: readonly string[];
  /** null when the language has no profile: the caller must not guess. */
  analyse(text: string, lang: string): Analysis | null;
}

type ProfileFactory = () => SentimentProfile;

export const PROFILE_FACTORIES: ReadonlyMap<string, ProfileFactory> = new Map([['en', createEnglishProfile]]);

// ASCII emoticons worth recognising as tokens; longer lexicon entries are rare art (">-->--@").
function emoticonsOf(profile: SentimentProfile): string[] {
  return [...profile.lexicon.keys()].filter((k) => k.length >= 2 && k.length <= 4 && /^[!-~]+$/.test(k) && /^[^a-z0-9]/.test(k));
}

/**
 * Profiles are built on first use of a language and then shared by every call, so scoring a
 * text never copies a dictionary.
 */
export function createSentimentAnalyser(factories: ReadonlyMap<string, ProfileFactory> = PROFILE_FACTORIES): SentimentAnalyser {
  const built = new Map<string, { profile: SentimentProfile; tokenise: (text: string) => Tokenised }>();
  function get(lang: string) {
    let entry = built.get(lang);
    if (!entry) {
      const factory = factories.get(lang);
      if (!factory) return undefined;
      const profile = factory();
      entry = { profile, tokenise: createTokeniser(emoticonsOf(profile)) };
      built.set(lang, entry);
    }
    return entry;
  }
  return {
    languages: [...factories.keys()],
    analyse(text, lang) {
      const entry = get(lang);
      return entry ? scoreTokens(entry.profile, entry.tokenise(text)) : null;
    },
  };
}
