/**
 * Mention text is hostile input: markup, bidi overrides that reorder what follows them, control
 * characters and words long enough to break a layout. Everything from a mention passes here.
 */

// Bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) reorder the text after
// them; C0/C1 controls other than tab and newline have no business in a digest. ZWNJ/ZWJ stay:
// they are part of Persian and Indic spelling.
const UNSAFE_CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFEFF]/gu;
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Removes unsafe controls and folds every run of white space to one space. */
export function cleanText(text: string): string {
  return text.normalize('NFC').replace(UNSAFE_CONTROLS, '').replace(/\s+/gu, ' ').trim();
}

/** At most `max` grapheme clusters, cut at a cluster boundary, with an ellipsis when cut. */
export function excerpt(text: string, max = 240): string {
  const clean = cleanText(text);
  if (clean.length <= max) return clean;
  const clusters: string[] = [];
  for (const { segment } of segmenter.segment(clean)) {
    if (clusters.length === max) return `${clusters.join('').trimEnd()}…`;
    clusters.push(segment);
  }
  return clusters.join('');
}

/** Splits words longer than `every` clusters into chunks, so a renderer can offer breaks. */
export function chunkLongWords(text: string, every = 30): string[][] {
  return text.split(' ').map((word) => {
    if (word.length <= every) return [word];
    const chunks: string[] = [];
    let chunk = '';
    let count = 0;
    for (const { segment } of segmenter.segment(word)) {
      chunk += segment;
      if (++count === every) {
        chunks.push(chunk);
        chunk = '';
        count = 0;
      }
    }
    if (chunk) chunks.push(chunk);
    return chunks;
  });
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes for HTML text and attribute values (and for SVG/XML). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/gu, (c) => HTML_ESCAPES[c]!);
}

/** Cleaned, escaped text with <wbr> inside very long words. */
export function htmlText(text: string, max?: number): string {
  return chunkLongWords(excerpt(text, max)).map((chunks) => chunks.map(escapeHtml).join('<wbr>')).join(' ');
}

/**
 * Cleaned text with Markdown and inline HTML neutralised, safe inside a table cell or list item.
 * Text never starts a line here (white space is folded), so only inline syntax is escaped, plus
 * `://` and `www.` so a URL in a mention is not turned into a link by GitHub-flavoured autolinks.
 */
export function markdownText(text: string, max?: number): string {
  return markdownEscape(excerpt(text, max));
}

/** markdownText's escaping alone, for a piece of a line that was cleaned and cut as a whole. */
export function markdownEscape(text: string): string {
  return text
    .replace(/&/gu, '&amp;').replace(/</gu, '&lt;').replace(/>/gu, '&gt;')
    .replace(/[\\`*_{}[\]()#|~]/gu, (c) => `\\${c}`)
    .replace(/:\/\//gu, '\\://').replace(/\bwww\./giu, (w) => `${w.slice(0, 3)}\\.`);
}

/** The URL when it is http(s) and parses; anything else (javascript:, data:, junk) is not linked. */
export function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}
