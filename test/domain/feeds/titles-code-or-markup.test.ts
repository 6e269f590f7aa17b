import { describe, expect, it } from 'vitest';
import { htmlTitleToText, htmlToText } from '../../../src/domain/text/html.js';
import { parse } from './support.js';

// RSS 2.0 does not say whether a title is text or HTML, and feeds write both: developer tools'
// titles are full of generics (`Vec&lt;String&gt;`, escaped once as text must be), while other
// feeds put `<b>` or a link in theirs. Only real markup is stripped: a known element whose end
// tag follows (or that has none). Descriptions are HTML, so every known element there is markup,
// but no HTML element is called `String`; entity-escaped markup in them is text.

const rssItem = (title: string, description = 'd') =>
  parse(`<?xml version="1.0"?><rss version="2.0"><channel><title>Dev news</title><link>https://dev.example/</link>
<item><guid>g-1</guid><title>${title}</title><description>${description}</description></item></channel></rss>`).then((feed) => feed.items[0]!);

describe('an RSS title', () => {
  it.each([
    ['a generic type written as escaped text', 'Acme SDK: use Vec&lt;String&gt; instead of &amp;str', 'Acme SDK: use Vec<String> instead of &str'],
    ['a brand inside a generic', 'Migrating to List&lt;AcmeClient&gt;', 'Migrating to List<AcmeClient>'],
    ['a map type', 'Map&lt;K, V&gt; and HashMap&lt;String, Vec&lt;u8&gt;&gt;', 'Map<K, V> and HashMap<String, Vec<u8>>'],
    ['comparisons', 'if a &lt;b and c&gt; d, then a &lt; b &gt; c', 'if a <b and c> d, then a < b > c'],
    ['a heart', 'We &lt;3 Acme', 'We <3 Acme'],
    ['a generic named like an element (Option, Object, Template)', 'Option&lt;Object&gt; vs Array&lt;Template&gt;', 'Option<Object> vs Array<Template>'],
    ['a component named like an element', 'The new &lt;Button&gt; in Acme UI', 'The new <Button> in Acme UI'],
    ['bold written as escaped HTML', '&lt;b&gt;Acme&lt;/b&gt; wins', 'Acme wins'],
    ['a link written as escaped HTML', 'Read &lt;a href="https://acme.example/x"&gt;the Acme post&lt;/a&gt; now', 'Read the Acme post now'],
    ['markup in CDATA', '<![CDATA[<em>Acme</em> &amp; <i>Škoda</i> &lt;3]]>', 'Acme & Škoda <3'],
    ['a line break', 'Acme&lt;br&gt;Škoda', 'Acme\nŠkoda'],
    ['Hindi with an escaped generic', 'आक्मे SDK में Result&lt;T, E&gt;', 'आक्मे SDK में Result<T, E>'],
    ['a script with its end tag', 'Acme&lt;script&gt;alert(1)&lt;/script&gt; news', 'Acme news'],
  ])('keeps its words: %s', async (_why, title, text) => {
    expect((await rssItem(title)).title).toBe(text);
  });

  it('in Atom, type="html", is read the same way; type="text" is never markup', async () => {
    const feed = await parse(`<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>urn:f</id>
<entry><id>urn:1</id><title type="html">Vec&lt;String&gt; and &lt;b&gt;bold&lt;/b&gt;</title></entry>
<entry><id>urn:2</id><title type="text">&lt;b&gt;Acme&lt;/b&gt;</title></entry></feed>`);
    expect(feed.items.map((i) => i.title)).toEqual(['Vec<String> and bold', '<b>Acme</b>']);
  });

  it("a feed's own title is read as a title too", async () => {
    const feed = await parse('<rss version="2.0"><channel><title>Notes on Vec&lt;T&gt;</title><item><guid>1</guid><title>x</title></item></channel></rss>');
    expect(feed.title).toBe('Notes on Vec<T>');
  });
});

describe('an RSS description', () => {
  it.each([
    ['real markup is stripped', '&lt;p&gt;Acme &lt;b&gt;wins&lt;/b&gt;&lt;/p&gt;', 'Acme wins'],
    ['a generic escaped once keeps its words', 'Use Vec&lt;String&gt; in Acme', 'Use Vec<String> in Acme'],
    ['markup escaped twice is text', '&lt;p&gt;Use Vec&amp;lt;String&amp;gt; or &amp;lt;b&amp;gt;&lt;/p&gt;', 'Use Vec<String> or <b>'],
    ['escaped markup inside CDATA is text', '<![CDATA[<p>Use Vec&lt;String&gt;, not &lt;b&gt;</p>]]>', 'Use Vec<String>, not <b>'],
    ["prefixed and custom elements are markup (Word's st1:City, amp-img)", '&lt;p&gt;Acme in &lt;st1:City&gt;Praha&lt;/st1:City&gt; &lt;amp-img src="x"&gt;&lt;/amp-img&gt;news&lt;/p&gt;', 'Acme in Praha news'],
    ['an unclosed element is markup, as in any page', '&lt;p&gt;Acme &lt;b&gt;wins', 'Acme wins'],
  ])('%s', async (_why, description, text) => {
    expect((await rssItem('t', description)).text).toBe(text);
  });
});

describe('htmlTitleToText and htmlToText', () => {
  it('keep a C++ scope and a name with no element in it', () => {
    expect(htmlToText('<p>Use <std::string> or <T></p>')).toBe('Use <std::string> or <T>');
    expect(htmlTitleToText('Use <std::string> or <T>')).toBe('Use <std::string> or <T>');
  });

  it('stay linear on hostile titles: 300,000 unclosed start tags, or as many names', () => {
    const started = performance.now();
    const open = '<b>x'.repeat(300_000);
    expect(htmlTitleToText(open)).toBe(open);
    htmlTitleToText(Array.from({ length: 100_000 }, (_, i) => `<p${i}:b>x`).join(''));
    htmlToText(`${'<script>x</script>'.repeat(50_000)}<script>${'y'.repeat(100_000)}`);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
