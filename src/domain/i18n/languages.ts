/**
 * The languages a digest is written in: the workspace's `digestLanguage`, recorded in each digest
 * it composes, and `?lang=` of GET /v1/digests/{id}. English is the default, and the language of
 * digests made before one was recorded.
 */
export const DIGEST_LANGUAGES = ['en', 'cs', 'fa', 'hi', 'ne', 'gu', 'ta'] as const;

export type DigestLanguage = (typeof DIGEST_LANGUAGES)[number];

export const DEFAULT_DIGEST_LANGUAGE: DigestLanguage = 'en';

export const isDigestLanguage = (value: unknown): value is DigestLanguage =>
  typeof value === 'string' && (DIGEST_LANGUAGES as readonly string[]).includes(value);

/** The language a stored digest is read in: its own, or English for one made before it was recorded (or holding an unknown code). */
export const languageOf = (recorded: unknown): DigestLanguage => (isDigestLanguage(recorded) ? recorded : DEFAULT_DIGEST_LANGUAGE);

/** Persian is written right to left; the others left to right. */
export const directionOf = (lang: DigestLanguage): 'ltr' | 'rtl' => (lang === 'fa' ? 'rtl' : 'ltr');
