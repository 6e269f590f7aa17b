import { z } from 'zod';

/**
 * Characters a name must not hold: control characters and line or paragraph separators (a CR/LF
 * or U+2028 in a name is a header or a log line injected), and format characters drawn as nothing
 * or reordering the text around them (a zero-width space or a left-to-right mark making a second
 * "Acme", a right-to-left override spelling "exe.gnp" as "png.exe"). ZWNJ and ZWJ shape Persian
 * and Indic names, and stay.
 */
const UNFIT = /[\p{Cc}\p{Zl}\p{Zp}]|(?![\u200C\u200D])\p{Cf}/u;
/** A surrogate not in a pair: not text at all, and Postgres would store U+FFFD in its place. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * A name people read (a workspace's, an API key's, a brand's): trimmed, 1–200 characters, valid
 * Unicode, none of them UNFIT, and stored in NFC, so one typed with combining marks (Š as S + ˇ)
 * is the same name as one typed precomposed.
 */
export const DisplayName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .refine((name) => !LONE_SURROGATE.test(name), 'must be valid Unicode text (a lone surrogate)')
  .refine((name) => !UNFIT.test(name), 'must not contain control characters, line breaks or invisible formatting characters (a zero-width space, a direction mark or override, a soft hyphen)')
  .transform((name) => name.normalize('NFC'));
