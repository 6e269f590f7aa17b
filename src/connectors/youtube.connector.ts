import { z } from 'zod';
import type { Connector } from './connector.types.js';
import { apiUrl, baseUrlField } from './api.request.js';
import { pollFeedPreset } from './preset.feed.js';

const YOUTUBE = 'https://www.youtube.com';

export const YouTubeConfig = z.strictObject({
  channelId: z
    .string()
    .trim()
    .regex(
      /^UC[A-Za-z0-9_-]{22}$/,
      'must be a channel id: UC followed by 22 letters, digits, - or _ (the part after /channel/ in the channel URL; @handles are not ids)',
    )
    .describe('The channel id: UC followed by 22 letters, digits, - or _ (the part after /channel/ in the channel URL; an @handle is not an id).'),
  baseUrl: baseUrlField(YOUTUBE),
});
export type YouTubeConfig = z.infer<typeof YouTubeConfig>;

/** The channel's public Atom feed: its 15 newest uploads. */
export function youtubeFeedUrl(config: YouTubeConfig): string {
  return apiUrl(config.baseUrl ?? YOUTUBE, '/feeds/videos.xml', { channel_id: config.channelId });
}

export const youtubeConnector: Connector<YouTubeConfig> = {
  type: 'youtube',
  config: YouTubeConfig,
  endpoint: youtubeFeedUrl,
  poll: (ctx) => pollFeedPreset(youtubeFeedUrl(ctx.config), ctx),
};
