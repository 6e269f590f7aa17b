import Sentiment from 'sentiment';
import { detectLanguage } from '../language/language.detect.js';

export type SentimentLabel = 'positive' | 'neutral' | 'negative' | 'unscored';
export interface ScoreInput { title: string | null; text: string; langHint?: string | null }
export interface ScoreResult {
  lang: string | null;
  langConfidence: number;
  sentiment: { score: number; label: SentimentLabel; model: string };
}
export interface Scorer { readonly model: string; score(input: ScoreInput): ScoreResult }

export const MODEL = 'earshot-sentiment@0.1.0';
const NEUTRAL_BAND = 0.05;

export function createScorer(): Scorer {
  const engine = new Sentiment();
  return {
    model: MODEL,
    score({ title, text, langHint }) {
      const body = title ? `${title}\n${text}` : text;
      const detected = detectLanguage(body);
      const lang = langHint ?? detected.lang;
      if (lang !== 'en') return { lang, langConfidence: detected.confidence, sentiment: { score: 0, label: 'unscored', model: MODEL } };
      const raw = engine.analyze(body).score;
      const score = raw / Math.sqrt(raw * raw + 15);
      const label = score >= NEUTRAL_BAND ? 'positive' : score <= -NEUTRAL_BAND ? 'negative' : 'neutral';
      return { lang, langConfidence: detected.confidence, sentiment: { score, label, model: MODEL } };
    },
  };
}
