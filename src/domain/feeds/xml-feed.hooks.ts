import type RssParser from 'rss-parser';
import type { EventEmitter } from 'node:events';
import { FeedParseError } from './feed.types.js';

/*
 * What we change in the xml2js parser that rss-parser builds, before it reads a byte:
 * - the key of an element's text. xml2js's default, `_`, is also a legal element name:
 *   `<item><guid>g</guid><_>x</_></item>` made the text an array and xml2js threw inside its
 *   async loop. '#text' cannot be a name (nor can '$', the attributes' key). rss-parser reads
 *   `_` too, but only in fields we take out of its hands first.
 * - an exception inside that loop rejects the parse instead of leaving it hanging;
 * - titles and bodies that hold elements reach us as their source (keepMarkup).
 */

/** Where xml2js puts an element's text: pass as its `charkey`. */
export const TEXT = '#text';
/** The source of an element's content when it holds elements; '#' keeps it apart from element names. */
export const MARKUP = '#markup';
/** Elements read as titles and bodies; the only ones whose inner markup is kept as source. */
const TEXT_ELEMENTS = new Set(['title', 'dc:title', 'content:encoded', 'content', 'description', 'summary', 'media:description', 'itunes:summary']);

/** Installs the hooks on `parser`'s xml2js parser; `source` is the text it will be given. */
export function hookXml2js(parser: RssParser, source: string): void {
  const xml = (parser as unknown as { xmlParser: Xml2jsParser }).xmlParser;
  rejectOnCrash(xml);
  keepMarkup(xml, source);
}

/** The parts of xml2js's Parser (an EventEmitter over a sax parser) that we reach into. */
interface Xml2jsParser extends EventEmitter {
  saxParser: SaxParser;
  /** Text not yet handed to sax; the async loop writes it a chunk per turn. */
  remaining: string;
}
interface SaxParser {
  /** UTF-16 units read so far: just past the '>' in onopentag. */
  position: number;
  /** Just past the '<' of the tag being read: in onclosetag, the end tag's. */
  startTagPosition: number;
  onopentag: (tag: { name: string; attributes: Record<string, unknown>; isSelfClosing: boolean }) => void;
  onclosetag: (name: string) => void;
  ontext: (text: string) => void;
  oncdata: (text: string) => void;
}

/**
 * xml2js catches an exception thrown while sax reads a chunk and emits it with the exception as
 * the event's *name* (lib/parser.js, processAsync), which nothing listens to: the promise would
 * never settle. Such an emission becomes the 'error' rss-parser waits for. After any error the
 * rest of the text is dropped, or the loop would go on building objects nobody will read.
 */
function rejectOnCrash(xml: Xml2jsParser): void {
  const emit = xml.emit.bind(xml);
  xml.emit = (event: unknown, ...args: unknown[]): boolean => {
    const named = typeof event === 'string' || typeof event === 'symbol';
    if (!named || event === 'error') xml.remaining = '';
    if (named) return emit(event, ...args);
    // Already settled (the listeners go with the first 'end' or 'error'): nothing to tell.
    if (xml.listenerCount('error') === 0) return false;
    return emit('error', new FeedParseError('feeds.parse_failed', `the XML parser failed: ${describe(event)}`, { cause: event }));
  };
}

/**
 * xml2js groups an element's children by name and its text apart from them, so
 * `Hello <b>world</b> and …` would come back as "Hello and … world". For the elements we read
 * as text, the children never reach xml2js: when such an element holds any, its content is
 * handed on as a `#markup` child holding the source between its tags, which we read as HTML.
 * Only these few elements pay for it, and nothing is built for their children.
 */
function keepMarkup(xml: Xml2jsParser, source: string): void {
  const sax = xml.saxParser;
  const { onopentag: open, onclosetag: close, ontext: text, oncdata: cdata } = sax;
  let inside = 0; // 1 in a text element, more in the elements under it
  let start = 0;
  let hasChildren = false;
  sax.onopentag = (tag) => {
    if (inside > 0) {
      inside += 1;
      hasChildren = true;
      return;
    }
    open(tag);
    if (TEXT_ELEMENTS.has(tag.name)) {
      inside = 1;
      start = sax.position;
      hasChildren = false;
    }
  };
  sax.onclosetag = (name) => {
    if (inside > 1) {
      inside -= 1;
      return;
    }
    if (inside === 1) {
      inside = 0;
      if (hasChildren) {
        open({ name: MARKUP, attributes: {}, isSelfClosing: false });
        text(source.slice(start, sax.startTagPosition - 1));
        close(MARKUP);
      }
    }
    close(name);
  };
  sax.ontext = (t) => {
    if (inside <= 1) text(t);
  };
  sax.oncdata = (t) => {
    if (inside <= 1) cdata(t);
  };
}

/** An error as one line of at most 300 characters, for a FeedParseError's message. */
export function describe(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim().slice(0, 300);
}
