import { formatterOf, type Formatter } from '../i18n/format.js';
import { directionOf, languageOf, type DigestLanguage } from '../i18n/languages.js';
import { messagesOf, type Messages } from '../i18n/messages.js';
import type { DigestDocument } from './digest.types.js';

/** What a rendering writes with: the language, its direction, its figures (f) and its words (m). */
export interface DigestLocale {
  lang: DigestLanguage;
  dir: 'ltr' | 'rtl';
  f: Formatter;
  m: Messages;
}

const locales = new Map<DigestLanguage, DigestLocale>();

export function localeOf(lang: DigestLanguage): DigestLocale {
  let locale = locales.get(lang);
  if (!locale) locales.set(lang, (locale = { lang, dir: directionOf(lang), f: formatterOf(lang), m: messagesOf(lang) }));
  return locale;
}

/** A digest is read in the language asked for, else the one it was composed in (English for one made before it was recorded). */
export const digestLocale = (doc: Pick<DigestDocument, 'language'>, lang?: DigestLanguage) => localeOf(lang ?? languageOf(doc.language));
