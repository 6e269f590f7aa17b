import type { SourceType } from '../domain/items/item.types.js';
import type { Connector } from './connector.types.js';
import { blueskyConnector } from './bluesky.connector.js';
import { googlenewsConnector } from './googlenews.connector.js';
import { hackernewsConnector } from './hackernews.connector.js';
import { mastodonConnector } from './mastodon.connector.js';
import { redditConnector } from './reddit.connector.js';
import { rssConnector } from './rss.connector.js';
import { youtubeConnector } from './youtube.connector.js';

/** Every source type and the connector that polls it. */
export const connectors: Record<SourceType, Connector<any>> = {
  rss: rssConnector,
  hackernews: hackernewsConnector,
  reddit: redditConnector,
  mastodon: mastodonConnector,
  bluesky: blueskyConnector,
  googlenews: googlenewsConnector,
  youtube: youtubeConnector,
};

export function connectorFor(type: SourceType): Connector<any> {
  const connector = connectors[type];
  if (!connector) throw new Error(`no connector for source type ${type}`);
  return connector;
}

export * from './connector.types.js';
export { estimateReach, VIEWERS_PER_INTERACTION } from './reach.js';
