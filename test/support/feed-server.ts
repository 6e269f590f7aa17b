import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface Route {
  status?: number;
  headers?: Record<string, string>;
  body: string | Buffer;
}

/**
 * A real HTTP server on 127.0.0.1 serving feeds (or any payload) from a mutable route table,
 * with ETag / If-None-Match like a well-behaved feed host, and a log of what it received.
 */
export async function startFeedServer() {
  const routes = new Map<string, Route | ((req: IncomingMessage) => Route)>();
  const requests: Array<{ path: string; headers: IncomingMessage['headers'] }> = [];
  const server: Server = createServer((req, res) => {
    requests.push({ path: req.url ?? '/', headers: req.headers });
    const entry = routes.get(req.url ?? '/');
    if (!entry) {
      res.writeHead(404).end('not found');
      return;
    }
    const route = typeof entry === 'function' ? entry(req) : entry;
    const body = typeof route.body === 'string' ? Buffer.from(route.body) : route.body;
    const etag = `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;
    if ((route.status ?? 200) === 200 && req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag }).end();
      return;
    }
    res.writeHead(route.status ?? 200, { 'content-type': 'application/rss+xml; charset=utf-8', etag, ...route.headers }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    routes,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type FeedServer = Awaited<ReturnType<typeof startFeedServer>>;

export interface FeedItem {
  guid: string;
  title: string;
  description: string;
  link?: string;
  pubDate?: string;
  author?: string;
}

const esc = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** An RSS 2.0 document in the shape real feeds have. */
export function rss(items: FeedItem[], title = 'Test feed'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>${esc(title)}</title><link>https://example.com/</link><description>t</description>
${items
  .map(
    (i) => `<item><guid isPermaLink="false">${esc(i.guid)}</guid><title>${esc(i.title)}</title>
<description>${esc(i.description)}</description>${i.link ? `<link>${esc(i.link)}</link>` : ''}${i.pubDate ? `<pubDate>${i.pubDate}</pubDate>` : ''}${
      i.author ? `<dc:creator>${esc(i.author)}</dc:creator>` : ''
    }</item>`,
  )
  .join('\n')}
</channel></rss>`;
}
