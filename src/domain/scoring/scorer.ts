import { detectLanguage, MIN_CONFIDENCE } from '../language/language.detect.js';
import { createSentimentAnalyser, type SentimentAnalyser } from '../sentiment/sentiment.analyser.js';
import { labelFor } from '../sentiment/sentiment.label.js';

export type SentimentLabel = 'positive' | 'neutral' | 'negative' | 'unscored';
export interface ScoreInput { title: string | null; text: string; langHint?: string | null }
export interface ScoreResult {
  /** ISO 639-1, null below the detector's confidence threshold. */
  lang: string | null;
  langConfidence: number;
  /** score in −1..1; 0 when unscored. */
  sentiment: { score: number; label: SentimentLabel; model: string };
}
export interface Scorer { readonly model: string; score(input: ScoreInput): ScoreResult }

/** Bump whenever any score can change: stored mentions keep this, and rescoring compares it. */
export const SENTIMENT_MODEL = 'earshot-sentiment@1.2.0';

export interface ScorerOptions {
  analyser?: SentimentAnalyser;
  /** Build every language profile now (~0.4 s, ~13 MB of heap) instead of on each language's first post. */
  preload?: boolean;
  /** Detection confidence below which `lang` is null; defaults to MIN_CONFIDENCE (0.35). */
  minLangConfidence?: number;
}

export function createScorer(options: ScorerOptions = {}): Scorer {
  const analyser = options.analyser ?? createSentimentAnalyser({ preload: options.preload });
  const minConfidence = options.minLangConfidence ?? MIN_CONFIDENCE;
  const model = SENTIMENT_MODEL;
  const unscored = { score: 0, label: 'unscored' as const, model };

  return {
    model,
    score({ title, text, langHint }) {
      const body = title ? `${title}\n${text}` : text;
      // A source that declares its language (a feed's <language>, an API field) outranks a guess.
      const hint = langHint ? langHint.toLowerCase().split(/[-_]/)[0] : undefined;
      const { lang, confidence: langConfidence } = hint ? { lang: hint, confidence: 1 } : detectLanguage(body, minConfidence);
      const analysis = lang ? analyser.analyse(body, lang) : null;
      if (!analysis) return { lang, langConfidence, sentiment: unscored };
      return { lang, langConfidence, sentiment: { score: analysis.score, label: labelFor(analysis.score), model } };
    },
  };
}
