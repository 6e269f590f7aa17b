import { expect, it } from 'vitest';
import type { Connector } from '../../src/connectors/connector.types.js';
import { FeedParseError } from '../../src/domain/feeds/feed.types.js';
import { HttpError } from '../../src/infra/http/index.js';
import { SourceFetchError } from '../../src/connectors/connector.types.js';
import { NOW, pollFailure, pollOnce, startApi, testHttp, type Reply } from './api-server.js';

/** A feed server that answers If-None-Match with 304, as Google and YouTube do. */
export function feedReply(xml: string, etag: string, ifNoneMatch: string | undefined, contentType: string): Reply {
  if (ifNoneMatch === etag) return { status: 304, headers: { etag } };
  return { headers: { 'content-type': contentType, etag }, body: xml };
}

/** The failures a preset inherits from the rss path: the same statuses, and a typed error for a broken feed. */
export function itHandlesFeedFailures<C>(connector: Connector<C>, config: (origin: string) => unknown) {
  async function failWith(reply: Reply, maxBytes?: number) {
    const api = await startApi(() => reply);
    const http = testHttp(maxBytes ? { maxBytes } : {});
    try {
      return await pollFailure(pollOnce(connector, { config: config(api.origin), http }));
    } finally {
      await http.close();
      await api.close();
    }
  }

  it('when the feed answers 429 with Retry-After, the poll fails with the delay to wait', async () => {
    const err = await failWith({ status: 429, headers: { 'retry-after': '300' }, body: 'slow down' });
    expect((err as SourceFetchError).details).toMatchObject({ status: 429, retryAfterMs: 300_000 });
  });

  it('when the feed answers 500, the poll fails for the scheduler to back off, not for good', async () => {
    const err = await failWith({ status: 500, body: 'oops' });
    expect(err).toBeInstanceOf(SourceFetchError);
    expect((err as SourceFetchError).details.permanent).toBeFalsy();
  });

  it('when the body is not a feed, the poll fails with a typed parse error', async () => {
    const err = await failWith({ headers: { 'content-type': 'application/xml' }, body: '<rss><channel><item><title>cut' });
    expect(err).toBeInstanceOf(FeedParseError);
  });

  it('when the feed is larger than the client allows, the poll fails', async () => {
    const err = await failWith({ headers: { 'content-type': 'application/xml' }, body: `<rss>${' '.repeat(64 * 1024)}</rss>` }, 4096);
    expect((err as HttpError).kind).toBe('too_large');
  });

}
