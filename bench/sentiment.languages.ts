import type { SentimentAnalyser } from '../src/domain/sentiment/sentiment.analyser.js';
export function reportOtherLanguages(_analyser: SentimentAnalyser): void {}
