import { afterEach, describe, expect, it } from 'vitest';
import { youtubeConnector } from '../../src/connectors/youtube.connector.js';
import { fixture, pollOnce, startApi, type ApiServer } from './api-server.js';
import { feedReply, itHandlesFeedFailures } from './feed-presets.js';

const CHANNEL = 'UCxAcmeChannel00000000A0';
const ATOM = fixture('youtube/videos.xml');
const NEW_ENTRY = `<entry><id>yt:video:NEWvideo001</id><yt:videoId>NEWvideo001</yt:videoId><title>Acme tips #3</title><link rel="alternate" href="https://www.youtube.com/watch?v=NEWvideo001"/><author><name>Acme</name></author><published>2026-11-22T11:00:00+00:00</published><media:group><media:description>Three tips.</media:description></media:group></entry>`;

let api: ApiServer;
let feed: { xml: string; etag: string };
async function serve() {
  feed = { xml: ATOM, etag: '"a"' };
  api = await startApi((req) => (req.path === '/feeds/videos.xml' ? feedReply(feed.xml, feed.etag, req.headers['if-none-match'], 'text/xml; charset=UTF-8') : { status: 404 }));
  return { channelId: CHANNEL, baseUrl: api.origin };
}
afterEach(async () => api?.close());

describe('youtube preset', () => {
  it("reads the channel's video feed", async () => {
    const config = await serve();
    const result = await pollOnce(youtubeConnector, { config });

    expect(Object.fromEntries(api.received[0]!.query)).toEqual({ channel_id: CHANNEL });
    expect(result.items.map((i) => i.itemKey)).toEqual(['yt:video:dQw4w9WgXcQ', 'yt:video:9bZkp7q19f0']);
    expect(result.items[0]).toMatchObject({
      title: 'Acme 4.0 in 5 minutes #acme',
      url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
      text: 'Everything new in Acme 4.0: ARM builds, faster dashboards and SSO for everyone.',
      author: 'Acme',
      hashtags: ['acme'],
      publishedAt: new Date('2026-11-21T16:00:05Z'),
    });
  });

  it('after a restart, returns only the new upload', async () => {
    const config = await serve();
    const first = await pollOnce(youtubeConnector, { config });
    feed = { xml: ATOM.replace('<entry>', `${NEW_ENTRY}<entry>`), etag: '"b"' };
    const second = await pollOnce(youtubeConnector, { config, state: first.state });
    expect(api.received[1]!.headers['if-none-match']).toBe('"a"');
    expect(second.items.map((i) => i.itemKey)).toEqual(['yt:video:NEWvideo001']);
  });

  it('accepts only channel ids, and says where to find one', () => {
    const parse = (v: unknown) => youtubeConnector.config.safeParse(v);
    expect(youtubeConnector.endpoint(parse({ channelId: CHANNEL }).data!)).toBe(`https://www.youtube.com/feeds/videos.xml?channel_id=${CHANNEL}`);
    expect(parse({ channelId: '@acme' }).error?.issues[0]?.message).toMatch(/part after \/channel\//);
    expect(parse({ channelId: `${CHANNEL}x` }).success).toBe(false);
    expect(parse({ channelId: CHANNEL, baseUrl: 'javascript:alert(1)' }).error?.issues[0]?.path).toEqual(['baseUrl']);
  });

  itHandlesFeedFailures(youtubeConnector, (origin) => ({ channelId: CHANNEL, baseUrl: origin }));
});
