import { francAll } from 'franc-min';

export interface DetectedLanguage { lang: string | null; confidence: number }

const ISO3_TO_1 = new Map([
  ['eng', 'en'], ['ces', 'cs'], ['pes', 'fa'], ['hin', 'hi'], ['npi', 'ne'], ['guj', 'gu'], ['tam', 'ta'],
  ['spa', 'es'], ['deu', 'de'], ['fra', 'fr'], ['por', 'pt'], ['arb', 'ar'],
]);
const ONLY = [...ISO3_TO_1.keys()];

export function detectLanguage(text: string): DetectedLanguage {
  const ranked = francAll(text, { only: ONLY, minLength: 3 });
  const [first, second] = ranked;
  if (!first || first[0] === 'und') return { lang: null, confidence: 0 };
  const confidence = second ? 1 - second[1] : 1;
  return confidence < 0.02 ? { lang: null, confidence } : { lang: ISO3_TO_1.get(first[0]) ?? null, confidence };
}
