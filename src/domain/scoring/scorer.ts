import { detectLanguage, languagesOfScript, markerLanguages, MIN_CONFIDENCE, writtenInScriptOf } from '../language/language.detect.js';
import { createSentimentAnalyser, sharedAnalyser, type Analysis, type SentimentAnalyser } from '../sentiment/sentiment.analyser.js';
import { labelFor } from '../sentiment/sentiment.label.js';
import { holdsRomanisedHindi } from '../sentiment/profile.hinglish.js';
import { LINK_HINT, TOKEN_PARTS } from '../sentiment/sentiment.tokens.js';
import { blankTerms } from './scorer.ignore.js';

export type SentimentLabel = 'positive' | 'neutral' | 'negative' | 'unscored';
export interface ScoreInput {
  title: string | null;
  text: string;
  langHint?: string | null;
  /**
   * The terms the post was matched on (BrandMatch.keywords: folded; '#tag', '@handle'): a brand's
   * name decides neither the language nor the sentiment ("Best Buy support was useless"), so these
   * phrases are left out where they occur (scorer.ignore.ts).
   */
  ignore?: readonly string[] | null;
}
export interface ScoreResult {
  /** ISO 639-1, null below the detector's confidence threshold. */
  lang: string | null;
  langConfidence: number;
  /** score in −1..1; 0 when unscored. */
  sentiment: { score: number; label: SentimentLabel; model: string };
}
export type DetectedLanguage = Pick<ScoreResult, 'lang' | 'langConfidence'>;
export interface Scorer {
  readonly model: string;
  /** The item's language alone: a declared one, or the detector's guess. */
  detect(input: ScoreInput): DetectedLanguage;
  /**
   * Language and sentiment. `detected` is `detect`'s answer for the same title, text and hint
   * without `ignore`, when it was asked already (matching may need the language before it knows
   * the terms): it is used when none of those terms occurs, else the language is detected again
   * without them.
   */
  score(input: ScoreInput, detected?: DetectedLanguage): ScoreResult;
}

/** Bump whenever any score can change: stored mentions keep this, and rescoring compares it. */
export const SENTIMENT_MODEL = 'earshot-sentiment@1.6.6';

/**
 * The sentiment model of a raw item: one that matched no brand when it was stored, so its
 * sentiment was not worked out (no one sees it), nor its language unless a brand's `lang:` filter
 * needed it or its source declared one. It is scored when a brand first links it (rematch), and
 * rescoring passes it by.
 */
export const NOT_SCORED = 'not-scored';

const ISO_639_1 = /^[a-z]{2}$/;
const PICTOGRAPHS = /[\p{Extended_Pictographic}\u{1F3FB}-\u{1F3FF}\uFE0F\u200D]/gu;
// The tokeniser's emoticons (":(", "<3", "xD"): a start character looked ahead for, then at most a few characters.
const EMOTICONS = new RegExp(TOKEN_PARTS.emoticon, 'gu');
const LINKS = new RegExp(TOKEN_PARTS.link, 'giu');
const TAGS_AND_HANDLES = /(?<![\p{L}\p{N}_])[#@\uFF03\uFF20][\p{L}\p{M}\p{N}_.]+/gu;
const LETTER = /\p{L}/u;
/**
 * The lexicon a post's emoji and emoticons alone are scored with: every profile gives them the same
 * valence (sentiment.emoji.ts, sentiment.emoticons.ts) and reads the marks around them alike, and
 * English's is the one most likely built already.
 */
const EMOJI_LEXICON = 'en';

/**
 * The language an API declares for a post (Bluesky's `langs`, Mastodon's `language`): it outranks a guess,
 * when it is one. Null, so that the text is detected, for a hint that is not an ISO 639-1 code
 * (`und`, a made-up value) and, given the text, for a language of another script than the text's
 * (a client's default language on a post written in Devanagari).
 */
export function declaredLanguage(langHint: string | null | undefined, body?: string): DetectedLanguage | null {
  const hint = langHint?.toLowerCase().split(/[-_]/)[0];
  if (!hint || !ISO_639_1.test(hint)) return null;
  if (body !== undefined && !writtenInScriptOf(hint, body)) return null;
  return { lang: hint, langConfidence: 1 };
}

export interface ScorerOptions {
  analyser?: SentimentAnalyser;
  /** Build every language profile now (~0.4 s, ~13 MB of heap) instead of on each language's first post. */
  preload?: boolean;
  /** Detection confidence below which `lang` is null; defaults to MIN_CONFIDENCE (0.35). */
  minLangConfidence?: number;
}

export function createScorer(options: ScorerOptions = {}): Scorer {
  const analyser = options.analyser ?? (options.preload ? createSentimentAnalyser({ preload: true }) : sharedAnalyser());
  const minConfidence = options.minLangConfidence ?? MIN_CONFIDENCE;
  const model = SENTIMENT_MODEL;
  const unscored = { score: 0, label: 'unscored' as const, model };

  const bodyOf = ({ title, text }: ScoreInput) => (title ? `${title}\n${text}` : text);
  /** The input without its ignored terms: the same object when there are none or none occurs. Title and text apart, as the matcher reads them. */
  const withoutIgnored = (input: ScoreInput): ScoreInput => {
    const { ignore } = input;
    if (!ignore?.length) return input;
    const title = input.title && blankTerms(input.title, ignore);
    const text = blankTerms(input.text, ignore);
    return title === input.title && text === input.text ? input : { ...input, title, text };
  };
  const detectBody = (body: string, langHint: string | null | undefined): DetectedLanguage => {
    const declared = declaredLanguage(langHint, body);
    if (declared) return declared;
    const { lang, confidence } = detectLanguage(body, minConfidence);
    return { lang, langConfidence: confidence };
  };

  /**
   * A language of the text's script whose lexicon knows its words, when the detector named none:
   * "Aplikace nefunguje", "शानदार फोन" have too few function words to detect, but their sentiment
   * words are Czech and Hindi only. Emoji are in every lexicon and are left out of the choice.
   * Words several languages know ("terrible service": en, es and fr) are scored when those
   * languages agree on the label, with the first of them in the script's order (English first);
   * when they disagree, the text stays unscored. A text whose only sentiment is its emoji
   * ("Acme 😍😍😍") is scored by them: every lexicon gives an emoji the same valence.
   *
   * A text holding English function words and no other language's (the detector's marker words,
   * too few to name it) is scored by the English lexicon or not at all. A sentiment lexicon is no
   * vocabulary: English everyday words are in none, so another lexicon that knows one is no sign of
   * its language. "Acme Coffee beans on sale" ("on") was scored with the one lexicon that knew a
   * word, French, whose "sale" is "dirty". Only English: the other Latin languages share function
   * words their marker lists do not all list ("en" is Spanish there and French too). So is a text
   * holding romanised Hindi ("koi problem nahi, accha hai"), whose words the English profile reads
   * (profile.hinglish.ts): German's "Problem" is no vote against them.
   *
   * Emoticons, like emoji, are in every lexicon and are left out of the choice.
   */
  const lexiconLanguage = (body: string): string | null => {
    const script = languagesOfScript(body);
    if (script.length < 2) return null;
    const marked = script.includes('en') ? markerLanguages(body) : undefined;
    const english = !!marked && ((marked.size === 1 && marked.has('en')) || holdsRomanisedHindi(body));
    const candidates = english ? ['en'] : script;
    const words = body.replace(PICTOGRAPHS, ' ').replace(EMOTICONS, ' ');
    let found: string | null = null;
    let label: SentimentLabel | null = null;
    for (const lang of candidates) {
      const analysis = analyser.analyse(words, lang);
      if (!analysis?.hits) continue;
      if (found && labelFor(analysis.score) !== label) return null;
      if (!found) [found, label] = [lang, labelFor(analysis.score)];
    }
    if (found || words === body) return found;
    return analyser.analyse(body, candidates[0]!)?.hits ? candidates[0]! : null;
  };

  /**
   * A brand post whose words were all terms naming the brand ("Lumen Coffee 😍😍", "😍😍 #LumenCoffee",
   * "Globex :("): with them left out, what is left is the writer's reaction to the brand, in emoji and
   * emoticons, and no script to choose a lexicon by. It is scored by them, as "Acme 😍😍😍" is with
   * its name read (lexiconLanguage), since every lexicon values them alike; its language stays what
   * detection or the source said. Tags, @handles and links beside them are no words of the post, but
   * any other letter is: "Lumen Coffee отлично 😍" and "Lumen Coffee ok 😍" stay unscored, as do emoji
   * that say nothing ("Lumen Coffee ☕"). A post of emoji alone is not a brand post: nothing in it says
   * what it reacts to (a reply, a photo), and it stays unscored.
   */
  const reactionOf = (body: string): Analysis | null => {
    if (languagesOfScript(body).length > 0) return null;
    const rest = (LINK_HINT.test(body) ? body.replace(LINKS, ' ') : body).replace(TAGS_AND_HANDLES, ' ');
    if (LETTER.test(rest.replace(PICTOGRAPHS, ' ').replace(EMOTICONS, ' '))) return null;
    const analysis = analyser.analyse(rest, EMOJI_LEXICON);
    return analysis?.hits ? analysis : null;
  };

  return {
    model,
    detect: (input) => detectBody(bodyOf(withoutIgnored(input)), input.langHint),
    score(input, detected) {
      const read = withoutIgnored(input);
      const body = bodyOf(read);
      const { lang, langConfidence } = (read === input ? detected : undefined) ?? detectBody(body, input.langHint);
      // `lang` stays null: the words chose a lexicon to score with, not a language to report or filter by.
      const scoreAs = lang ?? lexiconLanguage(body);
      const analysis = (scoreAs ? analyser.analyse(body, scoreAs) : null) ?? (read !== input ? reactionOf(body) : null);
      if (!analysis) return { lang, langConfidence, sentiment: unscored };
      return { lang, langConfidence, sentiment: { score: analysis.score, label: labelFor(analysis.score), model } };
    },
  };
}
