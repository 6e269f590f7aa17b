import { decodeHTML } from 'entities';

/**
 * Elements that start a new line of text. Everything else is inline, so Mastodon's
 * `<a class="mention hashtag">#<span>tag</span></a>` comes out as `#tag`.
 */
const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'br', 'dd', 'details', 'div', 'dl', 'dt', 'figcaption',
  'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'nav',
  'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'thead', 'tfoot', 'tr', 'ul',
]);
const CELL = new Set(['td', 'th']);
const DROPPED = new Set(['script', 'style', 'noscript', 'template', 'iframe', 'object', 'svg', 'math', 'head', 'title']);

/*
 * One token per match: a comment (unclosed runs to the end), CDATA, a start or end tag, or a
 * declaration. Attribute values may not contain '<', so every attempt stops at the next '<' and
 * a page of unclosed '<a "' cannot make the scan quadratic. The look-ahead after the tag name
 * stops the engine from handing the name's letters to the attribute part one by one: without
 * it, '<' and 60,000 letters with no '>' tried every split and took seconds.
 */
const TOKEN =
  /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[([\s\S]*?)(?:\]\]>|$)|<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)(?![a-zA-Z0-9:-])(?:[^<>"']|"[^"<]*"|'[^'<]*')*>|<[!?][^<>]*>/g;

/** Whitespace runs as single spaces; text that has none but single spaces is returned as it is. */
const collapseSpace = (text: string) => (/[^\S ]| {2}/.test(text) ? text.replace(/\s+/g, ' ') : text);

/**
 * Reduces HTML to plain text: tags stripped (script and style dropped with their contents),
 * every HTML entity decoded (named, decimal, hex), block elements turned into line breaks,
 * whitespace collapsed to single spaces and lines without blank lines between them.
 * A '<' that does not start a tag ("a < b") is kept as text.
 */
export function htmlToText(html: string): string {
  // No markup at all (most titles, many descriptions): what the scan below would leave is the
  // decoded text with its whitespace collapsed, without the scan.
  if (!html.includes('<')) return collapseSpace(html.includes('&') ? decodeHTML(html) : html).trim();
  const out: string[] = [];
  const text = (raw: string) => {
    if (raw) out.push(collapseSpace(raw.includes('&') ? decodeHTML(raw) : raw));
  };
  let at = 0;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(html); m; m = TOKEN.exec(html)) {
    text(html.slice(at, m.index));
    at = TOKEN.lastIndex;
    const [token, cdata, slash, rawName] = m;
    if (cdata !== undefined) {
      out.push(cdata.replace(/\s+/g, ' '));
      continue;
    }
    if (!rawName) continue; // comment or declaration
    // XHTML from a feed may carry a namespace prefix (`<xhtml:p>`): the element is what follows it.
    const colon = rawName.indexOf(':');
    const name = (colon < 0 ? rawName : rawName.slice(colon + 1)).toLowerCase();
    if (!slash && DROPPED.has(name) && !token.endsWith('/>')) {
      const close = new RegExp(`</${rawName}\\s*>`, 'gi');
      close.lastIndex = at;
      const end = close.exec(html);
      at = end ? close.lastIndex : html.length;
      TOKEN.lastIndex = at;
    } else if (BLOCK.has(name)) {
      out.push('\n');
    } else if (CELL.has(name)) {
      out.push(' ');
    }
  }
  text(html.slice(at));
  return out
    .join('')
    .split('\n')
    .map((line) => line.replace(/ {2,}/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}

/** Collapses whitespace in text that is already plain (Atom `type="text"`), keeping line breaks. */
export function tidyPlainText(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}
