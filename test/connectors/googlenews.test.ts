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
      title: 'Acme raises $40M Series B to expand observability platform - TechCrunch',
      url: 'https://news.google.com/rss/articles/CBMiWkFVX3lxTE1hY21lLXNlcmllcy1i?oc=5',
      publishedAt: new Date('2026-11-22T09:00:00Z'),
      engagement: null,
      authorFollowers: null,
    });
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
