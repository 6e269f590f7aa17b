import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEED_LIMITS, FeedParseError, type ParsedFeed } from '../../../src/domain/feeds/feed.types.js';
import { FIXTURES, errorCode, parse, readFixture } from './support.js';

const SECRET = 'earshot-secret-7f3a9c-must-never-appear';

describe('XML entities: nothing is expanded, nothing is fetched, no file is read', () => {
  let hits = 0;
  let server: ReturnType<typeof createServer>;
  let base = '';
  let secretFile = '';

  beforeAll(async () => {
    secretFile = path.join(mkdtempSync(path.join(tmpdir(), 'earshot-xxe-')), 'secret.txt');
    writeFileSync(secretFile, SECRET);
    server = createServer((_req, res) => {
      hits += 1;
      res.end(`<!ENTITY leak "${SECRET}">`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('billion laughs is refused as malformed in well under a second without growing the heap', async () => {
    const before = process.memoryUsage().heapUsed;
    const started = performance.now();
    expect(await errorCode(parse(readFixture('billion-laughs.xml')))).toBe('feeds.malformed_xml');
    expect(performance.now() - started).toBeLessThan(1000);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(32 * 1024 * 1024);
  });

  it('a referenced file:// entity is an error whose message holds none of the file', async () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://${secretFile}">]>
      <rss version="2.0"><channel><title>t</title><item><title>&xxe;</title><description>x &xxe; y</description></item></channel></rss>`;
    const error = await parse(xml).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FeedParseError);
    expect((error as FeedParseError).code).toBe('feeds.malformed_xml');
    expect(JSON.stringify({ message: (error as Error).message, stack: (error as Error).stack })).not.toContain(SECRET);
  });

  it('external DTDs and entities that are declared but unused are never fetched nor read', async () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE rss SYSTEM "${base}/evil.dtd" [
        <!ENTITY % remote SYSTEM "${base}/param.dtd"> %remote;
        <!ENTITY file SYSTEM "file://${secretFile}">
      ]><rss version="2.0"><channel><title>t</title><item><guid>g</guid><title>plain</title></item></channel></rss>`;
    const feed = await parse(xml);
    expect(feed.items.map((i) => i.title)).toEqual(['plain']);
    expect(JSON.stringify(feed)).not.toContain(SECRET);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(hits).toBe(0);
  });

  it('an entity pointing at a local HTTP server is refused and the server sees no request', async () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY net SYSTEM "${base}/leak">]>
      <rss version="2.0"><channel><item><title>&net;</title></item></channel></rss>`;
    expect(await errorCode(parse(xml))).toBe('feeds.malformed_xml');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(hits).toBe(0);
  });
});

describe('prototype pollution', () => {
  const prototypeShape = () => ({
    names: Object.getOwnPropertyNames(Object.prototype).sort(),
    toString: Object.prototype.toString,
    proto: Object.getPrototypeOf(Object.prototype) as unknown,
  });

  for (const file of ['proto-pollution.xml', 'proto-pollution.json']) {
    it(`${file}: <__proto__>, <constructor> and <prototype> change no prototype`, async () => {
      const before = prototypeShape();
      const feed = await parse(readFixture(file));
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
      expect(prototypeShape()).toEqual(before);
      expect(Object.getPrototypeOf(feed)).toBe(Object.prototype);
      for (const item of feed.items) {
        expect(Object.getPrototypeOf(item)).toBe(Object.prototype);
        expect(Object.keys(item).sort()).toEqual(
          ['author', 'categories', 'dateQuality', 'handles', 'hashtags', 'itemKey', 'publishedAt', 'text', 'title', 'url'],
        );
      }
    });
  }
});

describe('limits', () => {
  it(`keeps the first ${FEED_LIMITS.maxItems} items of a longer feed`, async () => {
    const items = Array.from({ length: FEED_LIMITS.maxItems + 1000 }, (_, i) => `<item><guid>g${i}</guid><title>t${i}</title></item>`);
    const feed = await parse(`<rss version="2.0"><channel>${items.join('')}</channel></rss>`);
    expect(feed.items).toHaveLength(FEED_LIMITS.maxItems);
    expect(feed.items.at(-1)!.itemKey).toBe(`g${FEED_LIMITS.maxItems - 1}`);
  });

  it('refuses a document of hundreds of thousands of tiny elements quickly, before building them', async () => {
    const xml = `<rss version="2.0"><channel><item><description>${'<a>b</a>'.repeat(FEED_LIMITS.maxXmlElements)}</description></item></channel></rss>`;
    const started = performance.now();
    expect(await errorCode(parse(xml))).toBe('feeds.too_complex');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses hundreds of thousands of elements whose names start with a non-ASCII letter or ":"', async () => {
    for (const name of ['é', ':x', 'ж']) {
      const xml = `<rss version="2.0"><channel><item><description>${`<${name}/>`.repeat(FEED_LIMITS.maxXmlElements)}</description></item></channel></rss>`;
      expect(await errorCode(parse(xml)), name).toBe('feeds.too_complex');
    }
  });

  it('a "</" in a processing instruction, a declaration or an attribute value takes no level off the depth', async () => {
    const depth = FEED_LIMITS.maxDepth + 5;
    const deep = `${'<x>'.repeat(depth)}deep${'</x>'.repeat(depth)}`;
    const item = (inner: string) => `<rss version="2.0"><channel><item><guid>g</guid><description>${inner}</description></item></channel></rss>`;
    const padding = '</'.repeat(depth * 2);
    for (const xml of [
      `<?pad ${padding} ?>${item(deep)}`,
      `<!DOCTYPE rss [<!ENTITY pad "${padding}">]>${item(deep)}`,
      item(`${'<x a="</">'.repeat(depth)}deep${'</x>'.repeat(depth)}`),
    ]) {
      expect(await errorCode(parse(xml))).toBe('feeds.too_complex');
    }
  });

  it('refuses nesting deeper than the limit', async () => {
    const depth = FEED_LIMITS.maxDepth + 5;
    const xml = `<rss version="2.0"><channel><item><description>${'<x>'.repeat(depth)}${'</x>'.repeat(depth)}</description></item></channel></rss>`;
    expect(await errorCode(parse(xml))).toBe('feeds.too_complex');
  });

  it('refuses JSON nested millions deep before JSON.parse can hold the event loop', async () => {
    const deep = `{"version":"https://jsonfeed.org/version/1.1","items":${'['.repeat(2_000_000)}${']'.repeat(2_000_000)}}`;
    const started = performance.now();
    expect(await errorCode(parse(deep))).toBe('feeds.too_complex');
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('refuses a JSON Feed of millions of tiny values before JSON.parse can hold the event loop', async () => {
    for (const unit of ['{}', '0', '[]']) {
      const json = `{"version":"https://jsonfeed.org/version/1.1","items":[${Array(5_000_000).fill(unit).join(',')}]}`;
      const started = performance.now();
      expect(await errorCode(parse(json)), unit).toBe('feeds.too_complex');
      expect(performance.now() - started).toBeLessThan(500);
    }
  });

  it('brackets inside JSON strings do not count as nesting', async () => {
    const feed = await parse(JSON.stringify({ version: 'https://jsonfeed.org/version/1', items: [{ id: 'b', content_text: '[{'.repeat(500) + '\\"' }] }));
    expect(feed.items[0]!.text).toBe('[{'.repeat(500) + '\\"');
  });

  it('refuses text longer than the fetcher could ever deliver', async () => {
    expect(await errorCode(parse(' '.repeat(FEED_LIMITS.maxInputChars + 1)))).toBe('feeds.too_large');
  });

  it('an element named "_" (the name xml2js once kept text under) is an element like any other, not a parse that hangs', async () => {
    const started = performance.now();
    for (const child of ['<_>x</_>', '<_/>', '<_ a="1">x<_>y</_></_>']) {
      const feed = await parse(`<rss version="2.0"><channel><title>t</title><item><guid>g1</guid><title>kept</title>${child}</item></channel></rss>`);
      expect(feed.items.map((i) => [i.itemKey, i.title])).toEqual([['g1', 'kept']]);
    }
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('an RSS root without a channel is a typed error, not a promise that never settles', async () => {
    expect(await errorCode(parse('<rss version="2.0"/>'))).toBe('feeds.not_a_feed');
    expect(await errorCode(parse('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"></rdf:RDF>'))).toBe('feeds.not_a_feed');
  });
});

// Every outcome must be a feed or a FeedParseError, within a time bound: never a hang, never a crash.
async function outcome(text: string): Promise<'feed' | string> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`parse did not settle within 5 s for input of ${text.length} chars`)), 5000);
  });
  try {
    const feed: ParsedFeed = await Promise.race([parse(text), hang]);
    expect(Array.isArray(feed.items)).toBe(true);
    return 'feed';
  } catch (error) {
    if (!(error instanceof FeedParseError)) throw error;
    return error.code;
  } finally {
    clearTimeout(timer);
  }
}

const CORPUS_TEXTS = readdirSync(FIXTURES)
  .filter((f) => !f.startsWith('large-'))
  .map((f) => readFixture(f));

describe('fuzzed and truncated feeds', () => {
  it('items whose children have unusual but legal names parse or fail with a FeedParseError', async () => {
    const names = ['_', '__proto__', 'constructor', 'toString', 'cdata', 'é', ':x', 'x:y', 'title', 'link', 'guid', 'content', 'description', 'summary', 'media:group', 'media:description'];
    const attrs = ['', ' href="x"', ' type="xhtml"', ' type="html"', ' _="1"', ' __proto__="1"', ' mode="escaped"'];
    const child: fc.Memo<string> = fc.memo((n) =>
      fc.tuple(fc.constantFrom(...names), fc.constantFrom(...attrs), n > 1 ? fc.array(child(n - 1), { maxLength: 2 }) : fc.constant([]), fc.constantFrom('', 'v', ' ')).map(
        ([name, attr, kids, text]) => (kids.length === 0 && text === '' ? `<${name}${attr}/>` : `<${name}${attr}>${text}${kids.join('')}</${name}>`),
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.array(child(3), { minLength: 1, maxLength: 4 }), async (atom, kids) => {
        await outcome(
          atom
            ? `<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><id>e</id>${kids.join('')}</entry></feed>`
            : `<rss version="2.0"><channel><title>t</title><item><guid>g</guid>${kids.join('')}</item></channel></rss>`,
        );
      }),
      { numRuns: 300 },
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('every prefix of every fixture parses or fails with a FeedParseError', async () => {
    const codes = new Set<string>();
    for (const text of CORPUS_TEXTS) {
      const step = Math.max(1, Math.floor(text.length / 40));
      for (let cut = 0; cut < text.length; cut += step) codes.add(await outcome(text.slice(0, cut)));
    }
    expect(codes).toContain('feeds.malformed_xml');
    expect(codes).toContain('feeds.invalid_json_feed');
  });

  it('random edits of real feeds parse or fail with a FeedParseError, each within the time bound', async () => {
    const edit = fc.record({
      doc: fc.integer({ min: 0, max: CORPUS_TEXTS.length - 1 }),
      at: fc.nat(),
      remove: fc.nat({ max: 64 }),
      insert: fc.oneof(
        fc.string({ maxLength: 16 }),
        fc.constantFrom('<', '>', '&', '&amp', ']]>', '<![CDATA[', '<!--', '"', '</item>', '<item>', '<entry>', '{', '}', '\u0000', '\uFFFF', '&#0;', '&#x110000;', '<__proto__>'),
        // Element names that are legal XML but special to xml2js or rare: `_` was its text key.
        fc.constantFrom('<_>', '</_>', '<_/>', '<_>x</_>', '<$>', '<é/>', '<:x/>', '<cdata/>', '<#text/>', '<constructor/>', '<?pi </ ?>', '<x a="</">'),
      ),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 8 }), async (edits) => {
        let text = CORPUS_TEXTS[edits[0]!.doc]!;
        for (const e of edits) {
          const at = e.at % (text.length + 1);
          text = text.slice(0, at) + e.insert + text.slice(at + e.remove);
        }
        await outcome(text);
      }),
      { numRuns: 400, interruptAfterTimeLimit: 60_000 },
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('arbitrary strings, XML-looking or not, parse or fail with a FeedParseError', async () => {
    const xmlish = fc
      .array(fc.constantFrom('<rss version="2.0">', '<channel>', '<item>', '<title>', 'text', '&lt;', '</title>', '</item>', '<feed>', '<entry>', '</entry>', '<![CDATA[', ']]>', '<!DOCTYPE x [<!ENTITY a "b">]>', '&a;', '</channel>', '</rss>', '<_>', '</_>', '<_/>', '<é>', '</é>', '<description>', '</description>', '<b>', '</b>'), { maxLength: 30 })
      .map((parts) => parts.join(''));
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), xmlish), async (text) => {
        await outcome(text);
      }),
      { numRuns: 400 },
    );
  });
});
