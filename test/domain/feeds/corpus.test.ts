import { describe, expect, it } from 'vitest';
import { FEED_LIMITS, FeedParseError, type FeedErrorCode, type ParsedFeedItem } from '../../../src/domain/feeds/feed.types.js';
import { errorCode, parse, readFixture } from './support.js';

type ItemExpectation = Partial<Omit<ParsedFeedItem, 'publishedAt'>> & { publishedAt?: string | null };
type Case =
  | { file: string; items: number; title?: string | null; link?: string | null; first?: ItemExpectation; why: string }
  | { file: string; error: FeedErrorCode; why: string };

// fetchedAt is 2026-11-22T12:00:00Z, the feed URL https://feeds.example.com/path/feed.xml.
const CORPUS: Case[] = [
  {
    file: 'rss-0.91.xml', items: 3, title: 'WriteTheWeb', link: 'http://writetheweb.com/',
    why: 'RSS 0.91 with the Netscape DOCTYPE (an external DTD that is never fetched)',
    first: { itemKey: 'http://writetheweb.com/read.php?item=24', url: 'http://writetheweb.com/read.php?item=24', title: 'Giving the world a pluggable Gnutella', publishedAt: null, dateQuality: 'unknown' },
  },
  {
    file: 'rss-0.92.xml', items: 2, title: 'Dave Winer: Grateful Dead',
    why: 'RSS 0.92 items without title, link or guid are keyed by a content hash; escaped HTML is stripped',
    first: { url: null, title: null, hashtags: [], publishedAt: null },
  },
  {
    file: 'rss-1.0-rdf.rdf', items: 2, title: 'Meerkat', link: 'http://meerkat.oreillynet.com/',
    why: 'RSS 1.0 (RDF): rdf:about is the key, dc:date the date, dc:creator the author, dc:subject a category',
    first: { itemKey: 'http://c.moreover.com/click/here.pl?r123', title: 'XML: A Disruptive Technology', author: 'Simon St.Laurent (mailto:simonstl@simonstl.com)', publishedAt: '2026-11-20T14:30:00.000Z', dateQuality: 'exact', categories: ['XML'] },
  },
  {
    file: 'rss-2.0.xml', items: 3, title: 'Liftoff News', link: 'http://liftoff.msfc.nasa.gov/',
    why: 'RSS 2.0: guid key, link url, description stripped, hashtags and handles extracted',
    first: {
      itemKey: 'http://liftoff.msfc.nasa.gov/2026/11/20.html#item573', url: 'http://liftoff.msfc.nasa.gov/news/2026/news-starcity.asp', title: 'Star City',
      text: "How do Americans get ready to work with Russians aboard the International Space Station? They take a crash course in culture, language and protocol at Russia's Star City. #ISS @nasa",
      author: 'Neil Armstrong', publishedAt: '2026-11-20T09:39:21.000Z', dateQuality: 'exact', hashtags: ['iss'], handles: ['nasa'], categories: ['Space', 'Russia'],
    },
  },
  {
    file: 'rss-2.0-content-encoded.xml', items: 1, title: 'A WordPress Blog',
    why: 'content:encoded wins over description; script and style are dropped; CDATA titles decoded',
    first: { itemKey: 'https://wp.example.net/?p=1042', url: 'https://wp.example.net/2026/11/21/acme-rocket-3/', title: 'Acme launches the Rocket 3 – first look', text: 'Acme’s Rocket 3 is here.\nWe tried it for a week. #AcmeRocket\nFast\nLoud', author: 'Marta Novak', hashtags: ['acmerocket'], categories: ['Reviews', 'Acme'] },
  },
  {
    file: 'rss-2.0-dublin-core.xml', items: 1,
    why: 'dc:date with an offset and dc:creator in RSS 2.0',
    first: { publishedAt: '2026-11-21T13:30:00.000Z', author: 'Jana Svobodová', categories: ['Metadata'] },
  },
  {
    file: 'rss-2.0-media.xml', items: 1,
    why: 'media:group/media:description is the body when nothing else is',
    first: { itemKey: 'photo-881', text: 'Shot at dawn with the new Acme lens. #sunrise #photography', hashtags: ['sunrise', 'photography'], publishedAt: '2026-11-21T06:12:00.000Z' },
  },
  {
    file: 'rss-2.0-itunes.xml', items: 1, title: 'Hiking Treks',
    why: 'podcast feed: itunes:summary body, itunes:author author, a non-URL guid gives no url',
    first: { itemKey: 'D03EEC9B-B1B4-475B-92C8-54F853FA2A22', url: null, title: 'Hiking Treks Trailer', text: 'Apple Podcasts trailer for Hiking Treks. Get ready for #hiking season.', author: 'Sunset Explorers', publishedAt: '2019-01-08T01:15:00.000Z', hashtags: ['hiking'] },
  },
  {
    file: 'atom-1.0.xml', items: 2, title: 'dive into mark', link: 'http://example.org/',
    why: 'Atom 1.0: alternate link (not the enclosure), published before updated, xhtml content, category term',
    first: { itemKey: 'tag:example.org,2003:3.2397', url: 'http://example.org/2005/04/02/atom', title: 'Atom draft-07 snapshot', text: '[Update: The Atom draft is finished.]', author: 'Mark Pilgrim', publishedAt: '2026-11-21T12:29:29.000Z', categories: ['atom'] },
  },
  {
    file: 'atom-0.3.xml', items: 1, title: 'dive into mark', link: 'http://diveintomark.org/',
    why: "Atom 0.3: issued is the date, escaped-mode title and content are HTML, the feed's author is inherited",
    first: { itemKey: 'tag:diveintomark.org,2003:3.2397', author: 'Mark Pilgrim', title: 'Pie-in-the-sky & fairy tales', text: 'Big pie news.', publishedAt: '2026-11-22T01:56:01.000Z', dateQuality: 'exact' },
  },
  {
    file: 'atom-xml-base.xml', items: 2, link: 'https://news.example.com/blog/',
    why: "xml:base on the entry resolves against the feed's xml:base",
    first: { url: 'https://news.example.com/blog/2026/11/relative-post.html', title: 'Entry with its own base' },
  },
  {
    file: 'rss-relative-links.xml', items: 3, link: 'https://feeds.example.com/site/',
    why: 'without xml:base, item links resolve against the site link, which resolves against the feed URL',
    first: { itemKey: 'https://feeds.example.com/site/posts/one.html', url: 'https://feeds.example.com/site/posts/one.html', publishedAt: '2026-11-21T10:00:00.000Z' },
  },
  {
    file: 'rss-entities.xml', items: 1, title: 'Entities & escapes',
    why: 'named, decimal, hex and HTML entities; double-encoded entities decoded once more',
    first: { url: 'https://entities.example.org/a?x=1&y=2', title: 'Café “Crème” & more …', text: 'Fish &amp; chips <3 😀 été' },
  },
  {
    file: 'rss-cdata.xml', items: 1, title: 'CDATA everywhere', link: 'https://cdata.example.com/',
    why: 'CDATA in every field; a lone "<" stays text; <br/> and <div> become line breaks',
    first: { itemKey: 'https://cdata.example.com/story?id=7&ref=rss', url: 'https://cdata.example.com/story?id=7&ref=rss', title: 'Tom & Jerry return', text: 'Line one\nLine two\nSays a < b && c > d', publishedAt: '2026-11-21T10:00:00.000Z' },
  },
  {
    file: 'mastodon.rss', items: 1, title: 'Acme Corp',
    why: "Mastodon's hashtag and mention markup comes out as #tag and @handle",
    first: { itemKey: 'https://social.example/@acme/113512345678901234', title: null, text: 'Rocket 3 ships today! Thanks @bob #AcmeRocket #Launch\nhttps://acme.example/rocket-3', hashtags: ['acmerocket', 'launch'], handles: ['bob'], categories: ['acmerocket', 'launch'] },
  },
  {
    file: 'jsonfeed-1.0.json', items: 2, title: 'My Example Feed', link: 'https://example.org/',
    why: "JSON Feed 1.0 with the singular author; an item without one inherits the feed's",
    first: { itemKey: '2', url: 'https://example.org/second-item', title: null, text: 'This is a second item. #jsonfeed', author: 'Manton Reece', publishedAt: '2026-11-21T21:30:00.000Z', hashtags: ['jsonfeed'] },
  },
  {
    file: 'jsonfeed-1.1.json', items: 2, title: 'Micro.blog timeline', link: 'https://micro.example/manton',
    why: 'JSON Feed 1.1: numeric id, relative url, content_html preferred, authors, tags deduplicated, a non-object item skipped',
    first: { itemKey: '1234567', url: 'https://micro.example/manton/2026/11/21/rocket.html', title: null, text: 'Watching the Acme launch with @jean & friends. #Rocket3', author: 'Manton', publishedAt: '2026-11-21T20:00:00.000Z', hashtags: ['rocket3'], handles: ['jean'], categories: ['Rockets', 'Acme'] },
  },
  {
    file: 'dates-odd.xml', items: 8,
    why: 'RFC 822 with a trailing "(UTC)" comment',
    first: { itemKey: 'zone-comment', publishedAt: '2026-11-22T10:00:00.000Z', dateQuality: 'exact' },
  },
  {
    file: 'dates-missing-absurd.xml', items: 6,
    why: 'a missing date is unknown, never "now"',
    first: { itemKey: 'missing', publishedAt: null, dateQuality: 'unknown' },
  },
  {
    file: 'czech-windows-1250.xml', items: 1, title: 'Zprávy z Prahy',
    why: 'Czech text decoded upstream; the prolog still says windows-1250; hashtags with diacritics',
    first: { title: 'Žluťoučký kůň úpěl ďábelské ódy', hashtags: ['rocket3', 'praha', 'českárepublika'], publishedAt: '2026-11-21T09:00:00.000Z' },
  },
  {
    file: 'persian-windows-1256.xml', items: 1, title: 'خبرگزاری نمونه',
    why: 'Persian with zero-width non-joiners kept inside words and hashtags',
    first: { title: 'می‌خواهم موشک جدید را ببینم', text: 'محصول جدید شرکت Acme بسیار خوب است. #موشک #فناوری‌نو', hashtags: ['موشک', 'فناوری‌نو'], publishedAt: '2026-11-21T09:00:00.000Z' },
  },
  {
    file: 'hindi.xml', items: 1, title: 'समाचार',
    why: 'Devanagari hashtags with matras and viramas; IST read as India time',
    first: { title: 'नया रॉकेट लॉन्च हुआ', hashtags: ['रॉकेट', 'भारत'], publishedAt: '2026-11-21T05:30:00.000Z' },
  },
  {
    file: 'tamil-atom.xml', items: 1, title: 'தமிழ் செய்திகள்',
    why: 'Tamil in Atom html content',
    first: { title: 'புதிய ராக்கெட் அறிமுகம்', hashtags: ['ராக்கெட்', 'தமிழ்நாடு'], publishedAt: '2026-11-21T03:30:00.000Z' },
  },
  {
    file: 'large-item.xml', items: 2, title: 'Very large item',
    why: `a ~290 KB item is cut to ${FEED_LIMITS.maxTextChars} characters and the next item still arrives`,
    first: { itemKey: 'large-1', hashtags: ['longread'] },
  },
  { file: 'empty-rss.xml', items: 0, title: 'Nothing yet', link: 'https://empty.example.com/', why: 'an RSS channel without items' },
  { file: 'empty-atom.xml', items: 0, title: 'Empty Atom', link: null, why: 'an Atom feed without entries' },
  { file: 'empty-jsonfeed.json', items: 0, title: 'Empty JSON Feed', why: 'a JSON Feed without items' },
  { file: 'empty-document.xml', error: 'feeds.not_a_feed', why: 'a body of whitespace' },
  { file: 'truncated.xml', error: 'feeds.malformed_xml', why: 'a download cut off mid-item' },
  { file: 'malformed-mismatched.xml', error: 'feeds.malformed_xml', why: 'mismatched tags' },
  { file: 'html-page.html', error: 'feeds.not_a_feed', why: 'an HTML page served as the feed' },
  { file: 'xhtml-page.xml', error: 'feeds.not_a_feed', why: 'a well-formed XHTML page served as the feed' },
  { file: 'xml-not-a-feed.xml', error: 'feeds.not_a_feed', why: 'XML that is a sitemap, not a feed' },
  { file: 'not-xml.txt', error: 'feeds.not_a_feed', why: 'a plain-text error message' },
  { file: 'jsonfeed-wrong-version.json', error: 'feeds.invalid_json_feed', why: 'JSON with a version that is not JSON Feed' },
  { file: 'jsonfeed-broken.json', error: 'feeds.invalid_json_feed', why: 'truncated JSON' },
  { file: 'billion-laughs.xml', error: 'feeds.malformed_xml', why: 'entities declared in a DTD are never expanded' },
  { file: 'xxe-file.xml', error: 'feeds.malformed_xml', why: 'an external entity is never resolved' },
  {
    file: 'xxe-unreferenced.xml', items: 1, title: 'Declared but never used',
    why: 'a DTD with external entities and an external subset is ignored',
    first: { title: 'Harmless item', text: 'The DTD declares external entities; nothing reads them.' },
  },
  {
    file: 'proto-pollution.xml', items: 1, title: 'Prototype pollution attempt',
    why: '<__proto__>, <constructor> and <prototype> are plain element names',
    first: { itemKey: 'proto-1', url: 'https://proto.example.com/1', title: 'Item with poisoned children', categories: ['__proto__'] },
  },
  {
    file: 'proto-pollution.json', items: 1, title: 'JSON pollution',
    why: '"__proto__" keys in a JSON Feed are plain keys',
    first: { itemKey: 'p1', title: 'Poisoned', text: 'text' },
  },
  {
    file: 'bare-ampersand.xml', items: 1, title: 'AT&T Newsroom',
    why: 'bare ampersands are escaped and the feed read again; CDATA is left alone',
    first: { itemKey: 'att-5', url: 'https://newsroom.example.com/story?id=5&lang=en', title: 'AT&T and Acme & friends', text: 'Kept as is inside CDATA: R&D & more' },
  },
  {
    file: 'rss-no-version.xml', items: 1, title: 'No version attribute',
    why: '<rss> without a version is read as RSS 2.0',
    first: { itemKey: 'https://noversion.example.com/1', title: 'Still RSS' },
  },
  {
    file: 'atom-xhtml-inline.xml', items: 2, title: 'Inline XHTML', link: 'https://xhtml.example.com/',
    why: 'inline XHTML titles and content are read in document order; an application/xhtml+xml alternate link is the url',
    first: {
      itemKey: 'tag:xhtml.example.com,2026:1', url: 'https://xhtml.example.com/2026/rocket-3', title: 'Rocket 3 is here',
      text: 'Hello world and @bob said #launch today & <tomorrow>.\nGo #Acme now', hashtags: ['launch', 'acme'], handles: ['bob'],
    },
  },
  {
    file: 'rss-inline-html.xml', items: 1, title: 'Unescaped HTML',
    why: 'HTML left unescaped in an RSS title and description keeps every word in its place',
    first: { itemKey: 'inline-1', title: 'Acme Rocket news', text: 'Acme Rocket launches #today\nwith @ada & friends', hashtags: ['today'], handles: ['ada'] },
  },
  {
    file: 'rss-guid-permalink.xml', items: 3,
    why: 'a permalink guid is the url; identical hash-keyed items are kept once',
    first: { itemKey: 'https://guid.example.com/posts/permalink', url: 'https://guid.example.com/posts/permalink' },
  },
];

describe('the feed parser corpus', () => {
  it('covers at least 30 fixtures', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(30);
  });

  for (const c of CORPUS) {
    if ('error' in c) {
      it(`${c.file}: ${c.why} → ${c.error}`, async () => {
        const work = parse(readFixture(c.file));
        await expect(work).rejects.toBeInstanceOf(FeedParseError);
        expect(await errorCode(work)).toBe(c.error);
      });
      continue;
    }
    it(`${c.file}: ${c.why}`, async () => {
      const feed = await parse(readFixture(c.file));
      expect(feed.items).toHaveLength(c.items);
      if (c.title !== undefined) expect(feed.title).toBe(c.title);
      if (c.link !== undefined) expect(feed.link).toBe(c.link);
      if (!c.first) return;
      const first = feed.items[0]!;
      const actual = { ...first, publishedAt: first.publishedAt?.toISOString() ?? null };
      expect(actual).toMatchObject(c.first);
    });
  }
});

describe('details the corpus table cannot show', () => {
  it('every item of the odd-dates feed gets the instant its writer meant', async () => {
    const feed = await parse(readFixture('dates-odd.xml'));
    expect(Object.fromEntries(feed.items.map((i) => [i.itemKey, i.publishedAt?.toISOString()]))).toEqual({
      'zone-comment': '2026-11-22T10:00:00.000Z',
      'named-zone': '2026-11-20T22:45:00.000Z',
      'no-seconds': '2026-11-20T15:15:00.000Z',
      'iso-in-pubdate': '2026-11-19T17:40:05.250Z',
      'long-names': '2026-11-19T07:00:00.000Z',
      'js-date': '2026-11-18T08:00:00.000Z',
      'dc-date-only': '2026-11-17T00:00:00.000Z',
      'numeric-colon': '2026-11-16T06:30:00.000Z',
    });
    expect(feed.items.every((i) => i.dateQuality === 'exact')).toBe(true);
  });

  it('unknown dates stay unknown and absurd ones are clamped into [1995-01-01, fetchedAt]', async () => {
    const feed = await parse(readFixture('dates-missing-absurd.xml'));
    const byKey = Object.fromEntries(feed.items.map((i) => [i.itemKey, [i.publishedAt?.toISOString() ?? null, i.dateQuality]]));
    expect(byKey).toEqual({
      missing: [null, 'unknown'],
      garbage: [null, 'unknown'],
      epoch: ['1995-01-01T00:00:00.000Z', 'clamped'],
      future: ['2026-11-22T12:00:00.000Z', 'clamped'],
      'slightly-ahead': ['2026-11-22T20:00:00.000Z', 'exact'],
      impossible: [null, 'unknown'],
    });
  });

  it('a very large item is cut to the text limit and its HTML is still stripped', async () => {
    const [large] = (await parse(readFixture('large-item.xml'))).items;
    expect(large!.text.length).toBe(FEED_LIMITS.maxTextChars);
    expect(large!.text.startsWith('Acme rockets are discussed at length in this very long post. Lorem ipsum')).toBe(true);
    expect(large!.text).not.toMatch(/<\/?p>/);
  });

  it('links that are not http(s) are dropped and protocol-relative ones take https from the feed', async () => {
    const feed = await parse(readFixture('rss-relative-links.xml'));
    expect(feed.items.map((i) => [i.itemKey, i.url])).toEqual([
      ['https://feeds.example.com/site/posts/one.html', 'https://feeds.example.com/site/posts/one.html'],
      ['script-url', null],
      ['https://cdn.example.net/story', 'https://cdn.example.net/story'],
    ]);
  });

  it("a JSON Feed item without an author takes the feed's", async () => {
    const feed = await parse(readFixture('jsonfeed-1.0.json'));
    expect(feed.items.map((i) => i.author)).toEqual(['Manton Reece', 'Brent Simmons']);
  });

  it('an absolute-path link under xml:base resolves against the base host', async () => {
    const feed = await parse(readFixture('atom-xml-base.xml'));
    expect(feed.items[1]!.url).toBe('https://news.example.com/top-level.html');
  });

  it('an opaque guid is the key but not the url; a hash key is stable across fetches', async () => {
    const text = readFixture('rss-guid-permalink.xml');
    const [, opaque, hashed] = (await parse(text)).items;
    expect(opaque).toMatchObject({ itemKey: 'https://guid.example.com/posts/not-a-link', url: null });
    expect(hashed!.itemKey).toMatch(/^sha256:[0-9a-f]{64}$/);
    const later = await parse(text).then((f) => f.items[2]!.itemKey);
    expect(later).toBe(hashed!.itemKey);
  });

  it('feeds parsed at the same time do not mix (each parse has its own XML parser)', async () => {
    const files = ['rss-2.0.xml', 'atom-1.0.xml', 'rss-1.0-rdf.rdf', 'large-item.xml', 'mastodon.rss', 'jsonfeed-1.1.json', 'truncated.xml'];
    const settle = (file: string) => parse(readFixture(file)).then((feed) => feed, (error: FeedParseError) => error.code);
    const one = [];
    for (const file of files) one.push(await settle(file));
    const together = await Promise.all(files.map(settle));
    expect(together).toEqual(one);
  });

  it('inline XHTML keeps its words in document order, prefixed or not', async () => {
    const feed = await parse(readFixture('atom-xhtml-inline.xml'));
    expect(feed.items.map((i) => i.text)).toEqual(['Hello world and @bob said #launch today & <tomorrow>.\nGo #Acme now', 'One two\nthree']);
  });

  it('an RSS description with unescaped inline HTML keeps the words inside its elements', async () => {
    const xml = '<rss version="2.0"><channel><title>x</title><item><guid>g</guid><description>Acme <b>Rocket</b> launches #today</description></item></channel></rss>';
    expect((await parse(xml)).items[0]).toMatchObject({ text: 'Acme Rocket launches #today', hashtags: ['today'] });
  });

  it('an Atom alternate link typed application/xhtml+xml is the url; feed-typed alternates are not', async () => {
    const xml = `<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>
      <entry><id>urn:uuid:1</id><link rel="alternate" type="application/xhtml+xml" href="https://site.example/2026/post"/></entry>
      <entry><id>urn:uuid:2</id><link rel="alternate" type="application/atom+xml" href="https://site.example/2026/comments.atom"/>
        <link rel="alternate" type="application/json" href="https://site.example/2026/feed.json"/><link rel="alternate" type="text/html" href="https://site.example/2026/page"/></entry></feed>`;
    expect((await parse(xml)).items.map((i) => i.url)).toEqual(['https://site.example/2026/post', 'https://site.example/2026/page']);
  });

  it('JSON Feed numeric ids beyond 2^53 are not keys: two such items both arrive, keyed by their urls', async () => {
    const json = `{"version":"https://jsonfeed.org/version/1.1","items":[
      {"id":9007199254740993,"url":"https://j.example/a","content_text":"first item"},
      {"id":9007199254740992,"url":"https://j.example/b","content_text":"second item"},
      {"id":9007199254740991,"url":"https://j.example/c","content_text":"third item"}]}`;
    expect((await parse(json)).items.map((i) => i.itemKey)).toEqual(['https://j.example/a', 'https://j.example/b', '9007199254740991']);
  });

  it('Atom entries with html-typed titles and content are stripped to text', async () => {
    const feed = await parse(readFixture('atom-1.0.xml'));
    expect(feed.items[1]).toMatchObject({ title: 'Second entry', text: 'Escaped & typed HTML #atom', hashtags: ['atom'] });
  });
});
