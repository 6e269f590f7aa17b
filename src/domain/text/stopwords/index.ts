import { createRequire } from 'node:module';
import { foldCase } from '../tokens.js';
import { EXTRA_STOPWORDS } from './extra.js';

const require = createRequire(import.meta.url);

/** The languages with a stopword list; ISO 639-1 codes as language detection stores them. */
export const STOPWORD_LANGUAGES = ['en', 'cs', 'fa', 'hi', 'ne', 'gu', 'ta', 'es', 'de', 'fr', 'pt', 'ar'] as const;

// The `stopword` package names its lists by ISO 639-3.
const STOPWORD_PKG_KEY: Record<string, string> = {
  en: 'eng', cs: 'ces', fa: 'fas', hi: 'hin', gu: 'guj', es: 'spa', de: 'deu', fr: 'fra', pt: 'por', ar: 'ara',
};

function nlpjsStopwords(lang: string): string[] {
  const pkg = lang === 'en' ? '@nlpjs/lang-en-min' : `@nlpjs/lang-${lang}`;
  try {
    const mod = require(pkg) as Record<string, new () => { dictionary?: Record<string, unknown> }>;
    const Stopwords = Object.entries(mod).find(([name]) => name.startsWith('Stopwords'))?.[1];
    return Object.keys(Stopwords ? (new Stopwords().dictionary ?? {}) : {});
  } catch {
    return [];
  }
}

function packagedStopwords(lang: string): string[] {
  const key = STOPWORD_PKG_KEY[lang];
  if (!key) return [];
  const lists = require('stopword') as Record<string, unknown>;
  const list = lists[key];
  return Array.isArray(list) ? (list as string[]) : [];
}

const cache = new Map<string, ReadonlySet<string>>();

function listFor(lang: string): ReadonlySet<string> {
  let set = cache.get(lang);
  if (!set) {
    const words = [...packagedStopwords(lang), ...nlpjsStopwords(lang), ...(EXTRA_STOPWORDS[lang] ?? [])];
    set = new Set(words.map((w) => foldCase(w.trim())).filter(Boolean));
    cache.set(lang, set);
  }
  return set;
}

/**
 * The stopwords to apply to text in `lang`: that language's list (the `stopword` package and
 * @nlpjs lists together, our own for Nepali and Tamil) plus English, because posts in every
 * language quote English. An unknown language gets every list: a wrong guess costs a few real
 * words, where a missing list lets "of the" through as a theme.
 */
export function stopwordsFor(lang: string | null | undefined): ReadonlySet<string> {
  const code = lang?.toLowerCase().slice(0, 2);
  const key = code && (STOPWORD_LANGUAGES as readonly string[]).includes(code) ? code : '*';
  let set = cache.get(`mix:${key}`);
  if (!set) {
    const langs = key === '*' ? STOPWORD_LANGUAGES : [key, 'en'];
    set = new Set(langs.flatMap((l) => [...listFor(l)]));
    cache.set(`mix:${key}`, set);
  }
  return set;
}
