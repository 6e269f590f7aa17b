import RssParser from 'rss-parser';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { htmlToText } from '../text/html.js';
import { mapInSlices, sliceIsOver, type RawFeed, type RawFeedItem, type TextConstruct } from './feed.items.js';
import { FEED_LIMITS, FeedParseError } from './feed.types.js';
import { MARKUP, TEXT, describe, hookXml2js } from './xml-feed.hooks.js';

/*
 * RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 through rss-parser's `parseString`, made safe:
 * - sax (under xml2js) knows only the predefined and HTML entities and ignores DTDs, so
 *   billion-laughs and XXE references are errors, not expansions; xml2js builds every node
 *   with a null prototype, so `<__proto__>` is just a key.
 * - xml2js runs in `async` mode: sax is fed 64 KiB per event-loop turn.
 * - rss-parser's builders are wrapped. Before one runs, the wrapper takes the children we read
 *   out of rss-parser's hands (rss-parser runs a backtracking regex over descriptions and throws
 *   on an unparseable Atom date, which would fail the whole feed), drops items past the cap, and
 *   records xml:base, which rss-parser does not expose. (An xml2js `validator` could do this as
 *   each element closes, but with one set xml2js builds an XPath string for every element; the
 *   parse stage of `npm run bench -- ingest --stages` fell from 68-71 to 58-61 µs per item
 *   without it.) The builders run inside xml2js's async loop, where an exception is swallowed
 *   and the promise never settles, so the wrapper also turns a failure into a value we can
 *   reject with.
 * - xml2js keeps an element's text under TEXT, a key no element can have; an exception inside
 *   its async loop rejects the parse; titles and bodies that hold elements reach us as their
 *   source, read as HTML in document order (xml-feed.hooks.ts).
 */

type XmlNode = Record<string, unknown>;

const RAW = 'earshot:raw:';
const ITEM_FIELDS = [
  '$', 'title', 'link', 'guid', 'id', 'dc:identifier',
  'content:encoded', 'content', 'description', 'summary', 'media:description', 'media:group', 'itunes:summary',
  'published', 'pubDate', 'dc:date', 'issued', 'created', 'dcterms:created', 'dcterms:issued', 'updated', 'modified', 'dcterms:modified',
  'author', 'dc:creator', 'itunes:author', 'category', 'dc:subject',
] as const;
const FEED_FIELDS = ['title', 'dc:title', 'link', 'author'] as const;
type Field = (typeof ITEM_FIELDS)[number] | (typeof FEED_FIELDS)[number];
/**
 * Each field's key under RAW, built once: a key concatenated at each use is a new string that V8
 * must look up in its string table before it can find the property, ~25 times per item.
 */
const RAW_KEY = Object.fromEntries([...ITEM_FIELDS, ...FEED_FIELDS].map((f) => [f, RAW + f])) as Readonly<Record<Field, string>>;
const ROOTS = ['rss', 'rdf:RDF', 'feed'] as const;
const BUILDERS = ['buildAtomFeed', 'buildRSS0_9', 'buildRSS1', 'buildRSS2'] as const;
const BUILD_FAILED = Symbol('build failed');

export async function parseXmlFeed(text: string): Promise<RawFeed> {
  await checkShape(text);
  try {
    return await parseOnce(text);
  } catch (error) {
    // Feeds often carry a bare '&' ("AT&T"); escape those and try once more.
    if (!(error instanceof FeedParseError) || !/entity/i.test(error.message)) throw error;
    const repaired = escapeBareAmpersands(text);
    if (repaired === text) throw error;
    return await parseOnce(repaired);
  }
}

async function parseOnce(text: string): Promise<RawFeed> {
  const state: DocumentState = { root: '', rootBase: null, channelBase: null };
  const parser = new RssParser({
    // A few milliseconds of sax work per event-loop turn.
    xml2js: { async: true, chunkSize: 64 * 1024, charkey: TEXT },
    defaultRSS: 2,
    customFields: {
      feed: FEED_FIELDS.map((f) => [RAW_KEY[f], RAW_KEY[f], { keepArray: true }]) as never,
      item: ITEM_FIELDS.map((f) => [RAW_KEY[f], RAW_KEY[f], { keepArray: true }]),
    },
  });
  guardBuilders(parser, (xml) => takeOurs(xml, state));
  hookXml2js(parser, text);

  let output: unknown;
  try {
    output = await parser.parseString(text);
  } catch (error) {
    throw fromParserError(error);
  }
  if (isNode(output) && BUILD_FAILED in output) {
    throw new FeedParseError('feeds.not_a_feed', `the document has a feed's root element but not a feed's structure (${describe(output[BUILD_FAILED])})`, { cause: output[BUILD_FAILED] });
  }
  const feed = output as { items?: unknown[] } & XmlNode;
  const atom = state.root === 'feed';
  const title = construct(first(feed[RAW_KEY.title]) ?? first(feed[RAW_KEY['dc:title']]), atom ? 'text' : 'html');
  return {
    title,
    link: pickLink(list(feed[RAW_KEY.link])),
    // Atom entries without an author inherit the feed's (RFC 4287 §4.2.1).
    author: atom ? authorOf(list(feed[RAW_KEY.author])) || null : null,
    bases: [state.rootBase, state.channelBase].filter((b): b is string => b !== null),
    items: await mapInSlices((feed.items ?? []).slice(0, FEED_LIMITS.maxItems), (item) => readItem(isNode(item) ? item : Object.create(null), atom)),
  };
}

function readItem(item: XmlNode, atom: boolean): RawFeedItem {
  const f = (name: (typeof ITEM_FIELDS)[number]) => list(item[RAW_KEY[name]]);
  const attrs = first(f('$'));
  const guid = first(f('guid'));
  const id = textOf(guid) || textOf(first(f('id'))) || (attr(attrs, 'rdf:about') ?? '').trim() || textOf(first(f('dc:identifier')));
  // RSS 2.0: a guid is the item's permalink unless isPermaLink="false".
  const permalinkCandidate = attr(guid, 'isPermaLink') === 'false' ? '' : textOf(guid) || (atom ? textOf(first(f('id'))) : '');
  const mediaGroup = first(f('media:group'));
  const bodies = [
    construct(first(f('content:encoded')), 'html'),
    construct(first(f('content')), atom ? 'text' : 'html'),
    construct(first(f('description')), 'html'),
    construct(first(f('summary')), atom ? 'text' : 'html'),
    construct(first(f('media:description')) ?? (isNode(mediaGroup) ? first(mediaGroup['media:description']) : undefined), 'text'),
    construct(first(f('itunes:summary')), 'text'),
  ].filter((b): b is TextConstruct => b !== null);
  return {
    id: id || null,
    link: pickLink(f('link')),
    permalink: /^https?:\/\//i.test(permalinkCandidate.trim()) ? permalinkCandidate : null,
    base: attr(attrs, 'xml:base'),
    title: construct(first(f('title')), atom ? 'text' : 'html'),
    bodies,
    author: authorOf(f('author')) || textOf(first(f('dc:creator'))) || textOf(first(f('itunes:author'))) || null,
    dates: (['published', 'pubDate', 'dc:date', 'issued', 'created', 'dcterms:created', 'dcterms:issued', 'updated', 'modified', 'dcterms:modified'] as const)
      .map((name) => textOf(first(f(name))))
      .filter((d) => d !== ''),
    categories: [...f('category'), ...f('dc:subject')].map((c) => attr(c, 'term') ?? attr(c, 'label') ?? textOf(c)),
  };
}

/** Moves the named children of an item or channel under our own keys, out of rss-parser's reach. */
function takeFields(node: XmlNode, fields: readonly Field[]): XmlNode {
  for (const name of fields) {
    if (!(name in node)) continue;
    // Attributes are kept where rss-parser expects them and copied in a shape `attr()` reads.
    node[RAW_KEY[name]] = name === '$' ? [{ $: node[name] }] : node[name];
    if (name !== '$') delete node[name];
  }
  return node;
}

interface DocumentState {
  /** The root element's name: rss, rdf:RDF or feed. */
  root: string;
  rootBase: string | null;
  channelBase: string | null;
}

/**
 * Runs on xml2js's document before rss-parser builds a feed from it: moves the fields we read
 * under our own keys (on the channel and on every item), keeps the first `maxItems` items, and
 * notes the root's and the channel's xml:base.
 */
function takeOurs(xml: unknown, state: DocumentState): void {
  if (!isNode(xml)) return;
  const root = ROOTS.find((name) => isNode(xml[name]));
  if (root === undefined) return;
  const node = xml[root] as XmlNode;
  state.root = root;
  state.rootBase = attr(node, 'xml:base');
  // Atom's feed element is its own channel; rss-parser reads the first channel of the others.
  const channel = root === 'feed' ? node : first(node.channel);
  if (!isNode(channel)) return;
  takeFields(channel, FEED_FIELDS);
  if (root !== 'feed') state.channelBase = attr(channel, 'xml:base');
  const owner = root === 'rss' ? channel : node;
  const key = root === 'feed' ? 'entry' : 'item';
  if (!Array.isArray(owner[key])) return;
  const items = (owner[key] as unknown[]).slice(0, FEED_LIMITS.maxItems);
  owner[key] = items.map((item) => (isNode(item) ? takeFields(item, ITEM_FIELDS) : item));
}

/** Wraps rss-parser's builders: `prepare` sees the document first, and a builder's exception becomes a value. */
function guardBuilders(parser: RssParser, prepare: (xml: unknown) => void): void {
  const target = parser as unknown as Record<string, (xml: unknown) => unknown>;
  for (const name of BUILDERS) {
    const build = target[name]!.bind(parser);
    target[name] = (xml: unknown) => {
      try {
        prepare(xml);
        return build(xml);
      } catch (error) {
        return { [BUILD_FAILED]: error };
      }
    };
  }
}

function fromParserError(error: unknown): FeedParseError {
  if (error instanceof FeedParseError) return error;
  const message = describe(error);
  if (/not recognized|Unable to parse XML/i.test(message)) {
    return new FeedParseError('feeds.not_a_feed', 'the document is XML but not RSS or Atom', { cause: error });
  }
  return new FeedParseError('feeds.malformed_xml', `the feed is not well-formed XML: ${message}`, { cause: error });
}

/*
 * Counts elements and nesting before any parsing, so a 16 MiB run of `<a>` or of one-element
 * items is refused in one cheap pass instead of building millions of objects. An element is
 * '<' and any character sax accepts to start a name (`<é/>`, `<:x/>` too). What sax reads as
 * text is skipped as it does: CDATA, comments, processing instructions, declarations
 * (`<!DOCTYPE …`, `<!ENTITY …>`) and quoted attribute values, so a '</' inside them does not
 * take a level off the depth. Elements inside a DOCTYPE's internal subset are counted: sax
 * builds them.
 */
const NAME_START = String.raw`:_A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD`;
const TAGS = new RegExp(
  String.raw`<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<!--[\s\S]*?(?:-->|$)|<\?[\s\S]*?(?:\?>|$)|<!(?:[^<>"']|"[^"]*"|'[^']*')*>?|<\/|<[${NAME_START}](?:[^<>"']|"[^"]*"|'[^']*')*>?`,
  'g',
);

async function checkShape(text: string): Promise<void> {
  const tags = new RegExp(TAGS.source, 'g'); // our own lastIndex: other parses run between slices
  let elements = 0;
  let depth = 0;
  let scanned = 0;
  let sliceStart = performance.now();
  for (let m = tags.exec(text); m; m = tags.exec(text)) {
    if ((++scanned & 1023) === 0 && sliceIsOver(sliceStart)) {
      await nextTurn();
      sliceStart = performance.now();
    }
    const tag = m[0];
    const second = tag.charCodeAt(1);
    if (second === 0x21 || second === 0x3f) continue; // '<!' or '<?'
    if (tag === '</') {
      depth -= 1;
      continue;
    }
    elements += 1;
    if (!tag.endsWith('/>')) depth += 1;
    if (elements > FEED_LIMITS.maxXmlElements || depth > FEED_LIMITS.maxDepth) {
      throw new FeedParseError(
        'feeds.too_complex',
        `the feed has more than ${FEED_LIMITS.maxXmlElements} elements or nests deeper than ${FEED_LIMITS.maxDepth} levels`,
      );
    }
  }
}

function escapeBareAmpersands(text: string): string {
  return text.replace(
    /<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<!--[\s\S]*?(?:-->|$)|&(?!#\d+;|#x[0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)/g,
    (m) => (m === '&' ? '&amp;' : m),
  );
}

/** A title or body; `defaultKind` is what the format says an untyped one is. */
function construct(node: unknown, defaultKind: TextConstruct['kind']): TextConstruct | null {
  if (typeof node === 'string') return { value: node, kind: defaultKind };
  if (!isNode(node)) return null;
  // Inline XHTML, or HTML left unescaped: its source, read as HTML like any other.
  const markup = first(node[MARKUP]);
  if (typeof markup === 'string') return { value: markup, kind: 'html' };
  const text = node[TEXT];
  const type = (attr(node, 'type') ?? '').toLowerCase();
  // Atom 0.3: mode="escaped" is markup that was escaped once.
  if (attr(node, 'mode') === 'escaped' && typeof text === 'string') return { value: text, kind: 'html' };
  // XHTML without elements is text that XML has already decoded.
  if (type.includes('xhtml') || typeof text !== 'string') return { value: textOf(node), kind: 'text' };
  if (type === '') return { value: text, kind: defaultKind };
  return { value: text, kind: type.includes('html') ? 'html' : type === 'text' || type.startsWith('text/') ? 'text' : defaultKind };
}

/** A feed's or a data document's media type; application/xhtml+xml is a page like text/html. */
const FEED_TYPE = /json|(?<!xhtml\+)xml/i;

/** Atom links carry href and rel; RSS links are text. The alternate (or unlabelled) HTML link wins. */
function pickLink(nodes: unknown[]): string | null {
  let fallback: string | null = null;
  for (const node of nodes) {
    const href = attr(node, 'href');
    if (href !== null) {
      const rel = attr(node, 'rel') ?? 'alternate';
      if (rel === 'alternate' && !FEED_TYPE.test(attr(node, 'type') ?? '')) return href;
      continue;
    }
    const text = textOf(node);
    if (text && fallback === null) fallback = text;
  }
  return fallback;
}

function authorOf(nodes: unknown[]): string {
  const author = nodes[0];
  if (isNode(author) && 'name' in author) return textOf(first(author.name));
  return textOf(author);
}

/** All the character data under a node, in xml2js's grouping (children of one name together). */
function textOf(node: unknown, depth = 0): string {
  if (typeof node === 'string') return node.trim();
  if (depth > FEED_LIMITS.maxDepth) return '';
  if (Array.isArray(node)) return node.map((n) => textOf(n, depth + 1)).filter(Boolean).join(' ');
  if (!isNode(node)) return '';
  const markup = first(node[MARKUP]);
  if (typeof markup === 'string') return htmlToText(markup);
  const parts = typeof node[TEXT] === 'string' ? [node[TEXT].trim()] : [];
  for (const key of Object.keys(node)) {
    if (key !== TEXT && key !== '$') parts.push(textOf(node[key], depth + 1));
  }
  return parts.filter(Boolean).join(' ');
}

function attr(node: unknown, name: string): string | null {
  if (!isNode(node) || !isNode(node.$)) return null;
  const value = node.$[name];
  return typeof value === 'string' ? value : null;
}

function isNode(value: unknown): value is XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

function first(value: unknown): unknown {
  return list(value)[0];
}
