import { describe, expect, it } from 'vitest';
import { canonicalUrl } from '../../../src/domain/mentions/canonical-url.js';

describe('canonicalUrl', () => {
  it.each([
    ['scheme, www., tracking parameters, a trailing slash and a fragment', 'https://www.news.example.com/scoop/?utm_source=wire#top', 'http://news.example.com/scoop?utm_medium=rss'],
    ['the order of query parameters', 'https://example.com/a?b=2&a=1', 'https://example.com/a?a=1&b=2'],
    ['a default port', 'https://example.com:443/a', 'https://example.com/a'],
  ])('%s: still the same story', (_why, a, b) => {
    expect(canonicalUrl(a)).toBe(canonicalUrl(b));
    expect(canonicalUrl(a)).not.toBeNull();
  });

  it('hash-bang routes are different stories', () => {
    expect(canonicalUrl('https://example.com/#!/post/1')).toBe('example.com#!/post/1');
    expect(canonicalUrl('https://example.com/app/#!/post/2?x=1')).toBe('example.com/app#!/post/2?x=1');
  });

  it("a site's home page identifies no story, so items that all link there are not merged", () => {
    for (const home of ['https://example.com/', 'https://www.example.com', 'http://example.com/?utm_source=rss', 'https://example.com/#top']) {
      expect(canonicalUrl(home), home).toBeNull();
    }
    expect(canonicalUrl('https://example.com/?p=42')).toBe('example.com?p=42');
    expect(canonicalUrl('https://example.com/news')).toBe('example.com/news');
  });

  it('anything that is not an http(s) URL has no canonical form', () => {
    expect(canonicalUrl(null)).toBeNull();
    expect(canonicalUrl('mailto:a@example.com')).toBeNull();
    expect(canonicalUrl('not a url')).toBeNull();
  });
});
