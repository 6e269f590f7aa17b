import { decodeHTML } from 'entities';
import { textFromHtml } from './api.request.js';

/** Where a link in a post that names a Reddit path (`/r/…`, `/u/…`, `/wiki/…`) points. */
const REDDIT_ORIGIN = 'https://www.reddit.com';

/**
 * A link as Reddit's renderer writes it: `<a href="…">text</a>`, the text without markup. Every
 * part stops at the next quote or angle bracket, so a failed attempt reads on at most to the
 * second '<' after its start: linear over any input. A link around markup (`<a><em>…`) is not
 * matched, and keeps its text only.
 */
const HTML_LINK = /<a href="([^"<>]*)"[^<>]*>([^<>]*)<\/a>/g;

/**
 * The inline Markdown a fallback strips, one alternative per construct, in one linear pass: a
 * backslash escape (kept as its character), a link `[text](url)`, a spoiler's `>!` and `!<`, bold,
 * strike-through, and a `*` of emphasis (one that touches a word: `5 * 3` keeps it). Each part
 * stops at a character the next part needs, so nothing is read twice.
 */
const MARKDOWN_INLINE = /\\([\\`*_{}[\]()#+\-.!>~^|&<])|\[([^[\]\n]*)\]\(([^()\s]*)\)|>!|!<|\*\*|__|~~|\*(?=\S)|(?<=\S)\*/g;
/** `#Pros`, `## Cons`: Reddit's renderer takes a heading without the space CommonMark wants. */
const MARKDOWN_HEADING = /^ {0,3}#{1,6}[ \t]*/;
/** `> quoted`, `>> nested`; `>!` opens a spoiler instead. */
const MARKDOWN_QUOTE = /^ {0,3}(?:>(?!!)[ \t]?)+/;
const MARKDOWN_BULLET = /^[ \t]*[*+-][ \t]+/;
const MARKDOWN_RULE = /^ {0,3}(?:[-*_][ \t]*){3,}$/;
const SPACE_RUN = /[ \t\u00A0]{2,}/g;

/** The zero-width space Reddit's editor writes (as `&#x200B;`) to keep an empty paragraph. */
const ZWSP = 0x200b;

const isBlank = (code: number) => code === ZWSP || String.fromCharCode(code).trim() === '';

/**
 * `s` without the characters `edge` accepts at either end; a loop, as a trimming regex (`/\/+$/`,
 * `/\s+$/`) reads a long run of them once per character of the run.
 */
function trimEnds(s: string, edge: (code: number) => boolean): string {
  let start = 0;
  let end = s.length;
  while (start < end && edge(s.charCodeAt(start))) start++;
  while (end > start && edge(s.charCodeAt(end - 1))) end--;
  return s.slice(start, end);
}

/** Lines trimmed, and the empty ones (a paragraph of only `&#x200B;` among them) dropped, as htmlToText drops empty lines. */
function tidyLines(text: string): string {
  return text
    .split('\n')
    .map((line) => trimEnds(line, isBlank))
    .filter((line) => line !== '')
    .join('\n');
}

/** An http(s) URL for a link's target, a Reddit path made absolute; null for other schemes and in-page anchors. */
function absoluteTarget(href: string): string | null {
  const url = href.trim();
  if (url.startsWith('/') && !url.startsWith('//')) return `${REDDIT_ORIGIN}${url}`;
  return /^https?:\/\//i.test(url) ? url : null;
}

/** A URL or path as a reader compares it with a link's text: no scheme, `www.`, or slashes at its ends; lowercase. */
const bare = (s: string) => trimEnds(s.trim().replace(/^https?:\/\/(?:www\.)?/i, ''), (code) => code === 0x2f).toLowerCase();

/**
 * A link as a reader of plain text needs it: its text, then its target in parentheses unless the
 * text already says it (a bare URL, `r/name` linking to `/r/name`); the target alone when there
 * is no text. Links to other schemes keep their text only.
 */
function linkWithTarget(text: string, href: string): string {
  const target = absoluteTarget(href);
  if (target === null) return text;
  if (text.trim() === '') return target;
  return bare(text) === bare(target) || bare(text) === bare(href) ? text : `${text} (${target})`;
}

/**
 * Reddit's HTML as the other connectors' HTML is read (textFromHtml), with each link's target
 * written after its text. Reddit escapes the HTML once more (`&lt;div class="md"&gt;…`) unless
 * asked for `raw_json=1`; its rendering always holds a `<div>`, so HTML without a '<' is the
 * escaped form, unescaped first.
 */
function textFromRedditHtml(html: string): string {
  const markup = html.includes('<') ? html : decodeHTML(html);
  const linked = markup.replace(HTML_LINK, (whole, href: string, text: string) => {
    const written = linkWithTarget(decodeHTML(text), decodeHTML(href));
    // Back into the HTML, escaped, for textFromHtml to decode once with the rest.
    return written === decodeHTML(text) ? whole : `<a>${written.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</a>`;
  });
  return tidyLines(textFromHtml(linked));
}

/**
 * Plain text from Reddit's Markdown, when no HTML rendering came with it: headings, quotes,
 * bullets and rules lose their markers (so `#Pros` is no hashtag), emphasis, strike-through and
 * spoiler markers go, links keep their text and target, entities (`&#x200B;`, `&amp;`) are
 * decoded. Tables, code and anything rarer stay as written.
 */
export function textFromRedditMarkdown(markdown: string): string {
  const decoded = markdown.includes('&') ? decodeHTML(markdown) : markdown;
  return tidyLines(
    decoded
      .split('\n')
      .map((line) => {
        if (MARKDOWN_RULE.test(line)) return '';
        const unmarked = line.replace(MARKDOWN_HEADING, '').replace(MARKDOWN_QUOTE, '').replace(MARKDOWN_BULLET, '');
        return unmarked
          .replace(MARKDOWN_INLINE, (_, escaped: string | undefined, text: string | undefined, href: string | undefined) =>
            escaped !== undefined ? escaped : text !== undefined ? linkWithTarget(text, href!) : '',
          )
          .replace(SPACE_RUN, ' ');
      })
      .join('\n'),
  );
}

/**
 * The text of a post (`selftext`, `selftext_html`) or comment (`body`, `body_html`): Reddit's
 * own rendering where it sent one, which is what readers saw, else its Markdown cleaned up.
 */
export function redditText(html: string | null | undefined, markdown: string | null | undefined): string {
  if (html && html.trim() !== '') return textFromRedditHtml(html);
  return markdown ? textFromRedditMarkdown(markdown) : '';
}
