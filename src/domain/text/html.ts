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
/**
 * Every HTML element, obsolete and vendor ones included: a `<String>` or `<K, V>` is code someone
 * wrote about, not markup, since no browser knows such an element and feeds write code that way.
 */
const ELEMENTS = new Set([
  'a', 'abbr', 'acronym', 'address', 'applet', 'area', 'article', 'aside', 'audio', 'b', 'base', 'basefont', 'bdi', 'bdo',
  'bgsound', 'big', 'blink', 'blockquote', 'body', 'br', 'button', 'canvas', 'caption', 'center', 'cite', 'code', 'col',
  'colgroup', 'comment', 'content', 'data', 'datalist', 'dd', 'del', 'details', 'dfn', 'dialog', 'dir', 'div', 'dl', 'dt',
  'em', 'embed', 'fieldset', 'figcaption', 'figure', 'font', 'footer', 'form', 'frame', 'frameset', 'h1', 'h2', 'h3', 'h4',
  'h5', 'h6', 'head', 'header', 'hgroup', 'hr', 'html', 'i', 'iframe', 'ilayer', 'image', 'img', 'input', 'ins', 'isindex',
  'kbd', 'keygen', 'label', 'layer', 'legend', 'li', 'link', 'listing', 'main', 'map', 'mark', 'marquee', 'math', 'menu',
  'menuitem', 'meta', 'meter', 'multicol', 'nav', 'nextid', 'nobr', 'noembed', 'noframes', 'noindex', 'nolayer', 'noscript',
  'object', 'ol', 'optgroup', 'option', 'output', 'p', 'param', 'picture', 'plaintext', 'portal', 'pre', 'progress', 'q',
  'rb', 'rp', 'rt', 'rtc', 'ruby', 's', 'samp', 'script', 'search', 'section', 'select', 'slot', 'small', 'source',
  'spacer', 'span', 'strike', 'strong', 'style', 'sub', 'summary', 'sup', 'svg', 'table', 'tbody', 'td', 'template',
  'textarea', 'tfoot', 'th', 'thead', 'time', 'title', 'tr', 'track', 'tt', 'u', 'ul', 'var', 'video', 'wbr', 'xml', 'xmp',
]);
/** Elements that have no end tag. */
const VOID = new Set(['area', 'base', 'basefont', 'bgsound', 'br', 'col', 'embed', 'frame', 'hr', 'image', 'img', 'input', 'keygen', 'link', 'meta', 'param', 'source', 'spacer', 'track', 'wbr']);
/** The start of every end tag, with its name: see `lastEndTags`. */
const END_TAG = /<\/([a-zA-Z][a-zA-Z0-9:-]*)/g;
/** A whole end tag, with its name: see `afterEndTag`. */
const WHOLE_END_TAG = /<\/([a-zA-Z][a-zA-Z0-9:-]*)\s*>/g;

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
 * Whether a tag's name is markup's: an HTML element, a custom element (`<amp-img>`, a hyphen) or a
 * prefixed one (`<xhtml:p>`, Word's `<o:p>`). `name` is lowercase.
 */
function isElementName(name: string): boolean {
  if (ELEMENTS.has(name) || name.includes('-')) return true;
  const colon = name.indexOf(':');
  return colon > 0 && colon < name.length - 1 && name.indexOf(':', colon + 1) < 0;
}

/** Where the last end tag of each element name (lowercase) starts. One pass, so many open tags cost no more. */
function lastEndTags(html: string): Map<string, number> {
  const ends = new Map<string, number>();
  END_TAG.lastIndex = 0;
  for (let m = END_TAG.exec(html); m; m = END_TAG.exec(html)) ends.set(m[1]!.toLowerCase(), m.index);
  return ends;
}

/** Where the first end tag of `name` (lowercase) after `from` ends, or the end of the text. */
function afterEndTag(html: string, name: string, from: number): number {
  WHOLE_END_TAG.lastIndex = from;
  for (let m = WHOLE_END_TAG.exec(html); m; m = WHOLE_END_TAG.exec(html)) {
    if (m[1]!.toLowerCase() === name) return WHOLE_END_TAG.lastIndex;
  }
  return html.length;
}

/**
 * Reduces HTML to plain text: tags stripped (script and style dropped with their contents),
 * every HTML entity decoded (named, decimal, hex), block elements turned into line breaks,
 * whitespace collapsed to single spaces and lines without blank lines between them.
 * A '<' that does not start a tag ("a < b") is kept as text, and so is a tag no HTML element
 * has (`Vec<String>`, `Map<K, V>`).
 */
export function htmlToText(html: string): string {
  return toPlainText(html, false);
}

/**
 * htmlToText for a title, which is text as often as it is HTML (RSS 2.0 does not say): an
 * element's start tag is markup only when its end tag follows, or it has none (`<br>`), so
 * `List<Option>` and `if a <b and c> d` keep their words while `<b>bold</b>` is stripped.
 */
export function htmlTitleToText(html: string): string {
  return toPlainText(html, true);
}

function toPlainText(html: string, title: boolean): string {
  // No markup at all (most titles, many descriptions): what the scan below would leave is the
  // decoded text with its whitespace collapsed, without the scan.
  if (!html.includes('<')) return collapseSpace(html.includes('&') ? decodeHTML(html) : html).trim();
  const out: string[] = [];
  const text = (raw: string) => {
    if (raw) out.push(collapseSpace(raw.includes('&') ? decodeHTML(raw) : raw));
  };
  let at = 0;
  let ends: Map<string, number> | undefined;
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
    const fullName = rawName.toLowerCase();
    if (!isElementName(fullName)) {
      text(token);
      continue;
    }
    // XHTML from a feed may carry a namespace prefix (`<xhtml:p>`): the element is what follows it.
    const colon = fullName.indexOf(':');
    const name = colon < 0 ? fullName : fullName.slice(colon + 1);
    if (title && !slash && !VOID.has(name) && !token.endsWith('/>') && ((ends ??= lastEndTags(html)).get(fullName) ?? -1) < at) {
      text(token);
      continue;
    }
    if (!slash && DROPPED.has(name) && !token.endsWith('/>')) {
      at = afterEndTag(html, fullName, at);
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
