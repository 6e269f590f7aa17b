import { describe, expect, it } from 'vitest';
import { htmlToText, tidyPlainText } from '../../../src/domain/text/html.js';

describe('htmlToText', () => {
  it.each([
    ['tags are stripped, inline elements join without spaces', '<p>Hello <b>wor</b>ld</p>', 'Hello world'],
    ["Mastodon's hashtag link comes out as #tag", '<a href="https://m.example/tags/acme" class="mention hashtag" rel="tag">#<span>Acme</span></a> rocks', '#Acme rocks'],
    ["Mastodon's mention comes out as @user", '<span class="h-card"><a href="https://m.example/@bob" class="u-url mention">@<span>bob</span></a></span> hi', '@bob hi'],
    ['script and style contents are dropped', 'a<script>var x = "<p>";</script>b<style>p{}</style>c<SCRIPT src=x></SCRIPT>d', 'abcd'],
    ['an unclosed script drops the rest', 'keep<script>lost forever', 'keep'],
    ['named, decimal and hex entities are decoded', '&eacute;&#233;&#xE9;&nbsp;&amp;&lt;&gt;&quot;&#x1F600;&hellip;', 'ééé &<>"😀…'],
    ['block elements become line breaks and whitespace collapses', '<div>one</div>\n\n<p>two   three</p><br><ul><li>four</li><li>five</li></ul>', 'one\ntwo three\nfour\nfive'],
    ['table cells are separated by spaces', '<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>', 'a b\nc'],
    ['a "<" that starts no tag is text', 'a < b and c<d', 'a < b and c<d'],
    ['comments and doctypes vanish', '<!DOCTYPE html><!-- hidden -->shown<!-- unclosed', 'shown'],
    ['attributes with ">" in quotes do not leak', '<a title="x > y" href="/">link</a>', 'link'],
    ['non-breaking spaces collapse but zero-width non-joiners stay', 'می&zwnj;خواهم&nbsp;&nbsp;x', 'می\u200Cخواهم x'],
    ['an empty document is empty', '', ''],
    ['XHTML with a namespace prefix keeps its blocks', '<xhtml:div><xhtml:p>One <xhtml:em>two</xhtml:em></xhtml:p><xhtml:p>three</xhtml:p><xhtml:script>x</xhtml:script></xhtml:div>', 'One two\nthree'],
    // Text without a tag takes a shorter path; it must come out as the full scan would leave it.
    ['plain text keeps its single spaces and loses its edges', '  Plain text, no markup at all. ', 'Plain text, no markup at all.'],
    ['plain text: newlines, tabs and runs of spaces become one space', 'one\n\ntwo\tthree    four\r\nfive', 'one two three four five'],
    ['plain text: an escaped tag is text, not markup', '&lt;p&gt;not a paragraph&lt;/p&gt; &amp; more', '<p>not a paragraph</p> & more'],
    ['plain text: entities that decode to whitespace collapse too', 'a&#10;&#10;b&nbsp;&nbsp;c&#9;d', 'a b c d'],
    ['plain text of only whitespace is empty', ' \n\t\u00a0 ', ''],
  ])('%s', (_why, html, text) => {
    expect(htmlToText(html)).toBe(text);
  });

  it('stays linear on hostile markup (100k unclosed tags with open quotes)', () => {
    const hostile = '<a "'.repeat(100_000);
    const started = performance.now();
    htmlToText(hostile);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("stays linear on '<' and 200,000 letters with no '>' (the tag name does not backtrack into the attributes)", () => {
    const hostile = `hello <${'a'.repeat(200_000)}`;
    const started = performance.now();
    expect(htmlToText(hostile)).toBe(hostile);
    expect(htmlToText(`<p>${hostile} <b>x</b></p>`)).toBe(`${hostile} x`);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('tidyPlainText', () => {
  it('keeps the text as written, entities included, and tidies whitespace', () => {
    expect(tidyPlainText('  a &amp; <b>\n\n  c   d ')).toBe('a &amp; <b>\nc d');
  });
});
