import { afterEach, describe, expect, it } from 'vitest';
import { googlenewsConnector } from '../../src/connectors/googlenews.connector.js';
import { fixture, pollOnce, startApi, type ApiServer } from './api-server.js';
import { feedReply, itHandlesFeedFailures } from './feed-presets.js';

const RSS = fixture('googlenews/search.rss');
const NEW_ITEM = `<item><title>Acme named a leader in observability - Forbes</title><link>https://news.google.com/rss/articles/CBMiNEW?oc=5</link><guid isPermaLink="false">CBMiNEW</guid><pubDate>Sun, 22 Nov 2026 11:00:00 GMT</pubDate><description>Forbes</description><source url="https://www.forbes.com">Forbes</source></item>`;

let api: ApiServer;
let feed: { xml: string; etag: string };
async function serve() {
  feed = { xml: RSS, etag: '"v1"' };
  api = await startApi((req) => (req.path === '/rss/search' ? feedReply(feed.xml, feed.etag, req.headers['if-none-match'], 'application/rss+xml; charset=utf-8') : { status: 404 }));
  return { query: 'acme', baseUrl: api.origin };
}
afterEach(async () => api?.close());

describe('googlenews preset', () => {
  it('builds the RSS search URL with hl, gl and ceid and reads its items', async () => {
    const config = await serve();
    const result = await pollOnce(googlenewsConnector, { config });

    expect(Object.fromEntries(api.received[0]!.query)).toEqual({ q: 'acme', hl: 'en-US', gl: 'US', ceid: 'US:en' });
    expect(result.items.map((i) => i.itemKey)).toEqual(['CBMiWkFVX3lxTE1hY21lLXNlcmllcy1i', 'CBMiVkFVX3lxTE9hY21lLW91dGFnZQ']);
    expect(result.items[0]).toMatchObject({
      title: 'Acme raises $40M Series B to expand observability platform',
      text: '',
      author: 'TechCrunch',
      // A newer article id: Google's encrypted reference to the article, which only Google resolves.
      url: 'https://news.google.com/rss/articles/CBMiWkFVX3lxTE1hY21lLXNlcmllcy1i?oc=5',
      publishedAt: new Date('2026-11-22T09:00:00Z'),
      engagement: null,
      authorFollowers: null,
    });
  });

  it('a story cluster is its lead article: its headline alone, its publisher as author, and its own URL where the id holds it', async () => {
    const config = await serve();
    const article = 'https://finance.example/2026/11/acme-stock-falls';
    const url = Buffer.from(article);
    const id = Buffer.concat([Buffer.from([0x08, 0x13, 0x22, url.length]), url, Buffer.from([0xd2, 0x01, 0x00])]).toString('base64url');
    const li = (headline: string, publisher: string, href: string) =>
      `&lt;li&gt;&lt;a href="${href}" target="_blank"&gt;${headline}&lt;/a&gt;&amp;nbsp;&amp;nbsp;&lt;font color="#6f6f6f"&gt;${publisher}&lt;/font&gt;&lt;/li&gt;`;
    const cluster = `<item><title>Acme stock falls 10% - Finance Daily</title><link>https://news.google.com/rss/articles/${id}?oc=5</link><guid isPermaLink="false">${id}</guid><pubDate>Sun, 22 Nov 2026 11:30:00 GMT</pubDate><description>&lt;ol&gt;${li('Acme stock falls 10%', 'Finance Daily', `https://news.google.com/rss/articles/${id}?oc=5`)}${li('Why Globex wins when Acme loses - a look', 'Other Paper', 'https://news.google.com/rss/articles/CBMiOTHER?oc=5')}&lt;/ol&gt;</description><source url="https://finance.example">Finance Daily</source></item>`;
    const hindi = `<item><title>आक्मे कॉफ़ी ने #नया स्टोर खोला - दैनिक समाचार</title><link>https://news.google.com/rss/articles/CBMiHI?oc=5</link><guid isPermaLink="false">CBMiHI</guid><pubDate>Sun, 22 Nov 2026 11:20:00 GMT</pubDate><description>&lt;a href="https://news.google.com/rss/articles/CBMiHI?oc=5"&gt;आक्मे कॉफ़ी ने #नया स्टोर खोला&lt;/a&gt;&amp;nbsp;&amp;nbsp;&lt;font color="#6f6f6f"&gt;दैनिक समाचार&lt;/font&gt;</description><source url="https://dainik.example">दैनिक समाचार</source></item>`;
    feed = { xml: RSS.replace('<item>', `${cluster}${hindi}<item>`), etag: '"v2"' };

    const result = await pollOnce(googlenewsConnector, { config });
    expect(result.items[0]).toMatchObject({ itemKey: id, title: 'Acme stock falls 10%', text: '', author: 'Finance Daily', url: article });
    expect(result.items[1]).toMatchObject({ title: 'आक्मे कॉफ़ी ने #नया स्टोर खोला', text: '', author: 'दैनिक समाचार', url: 'https://news.google.com/rss/articles/CBMiHI?oc=5', hashtags: ['नया'] });
  });

  it('on later polls, sends the ETag, and returns only items it has not seen when the feed changes', async () => {
    const config = await serve();
    const first = await pollOnce(googlenewsConnector, { config });
    const unchanged = await pollOnce(googlenewsConnector, { config, state: first.state });
    expect(api.received[1]!.headers['if-none-match']).toBe('"v1"');
    expect(unchanged).toMatchObject({ items: [], notModified: true, status: 304 });

    feed = { xml: RSS.replace('<item>', `${NEW_ITEM}<item>`), etag: '"v2"' };
    // A restart: nothing but the stored state carries over to this poll.
    const changed = await pollOnce(googlenewsConnector, { config, state: unchanged.state });
    expect(changed.items.map((i) => i.itemKey)).toEqual(['CBMiNEW']);
    expect(changed.notModified).toBe(false);
  });

  it('takes a language and a country, and refuses malformed ones', () => {
    const parse = (v: unknown) => googlenewsConnector.config.safeParse(v);
    expect(googlenewsConnector.endpoint(parse({ query: 'acme a.s.', lang: 'cs', country: 'cz' }).data!)).toBe(
      'https://news.google.com/rss/search?q=acme+a.s.&hl=cs&gl=CZ&ceid=CZ%3Acs',
    );
    expect(parse({ query: 'acme', lang: 'czech' }).error?.issues[0]?.path).toEqual(['lang']);
    expect(parse({ query: 'acme', country: 'CZE' }).error?.issues[0]?.message).toMatch(/two-letter country code/);
    expect(parse({ query: 'acme', url: 'https://x' }).success).toBe(false);
  });

  itHandlesFeedFailures(googlenewsConnector, (origin) => ({ query: 'acme', baseUrl: origin }));
});
