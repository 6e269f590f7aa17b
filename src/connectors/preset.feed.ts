import { z } from 'zod';
import type { JsonValue, PollContext, PollResult } from './connector.types.js';
import { readState } from './api.request.js';
import { pollFeed } from './rss.connector.js';

/** Item keys remembered per preset source: more than a Google News search (100) or a YouTube channel feed (15) holds. */
export const MAX_PRESET_KEYS = 1_000;

const PresetState = z.object({ feed: z.unknown(), seen: z.array(z.string()) });

/**
 * The rss path for the Google News and YouTube presets, returning only items whose keys the
 * previous poll did not see: these feeds re-list the same items for days, and the scheduler
 * should not re-ingest a hundred known items every time one is added. The feed's own state
 * (ETag, Last-Modified, body hash) is kept under `feed`.
 */
export async function pollFeedPreset(url: string, ctx: Omit<PollContext<unknown>, 'config'>): Promise<PollResult> {
  const previous = readState(PresetState, ctx.state);
  const result = await pollFeed(url, { ...ctx, state: (previous?.feed ?? null) as JsonValue | null });
  if (result.notModified) return { ...result, state: { feed: result.state, seen: previous?.seen ?? [] } };
  const seen = new Set(previous?.seen ?? []);
  const items = result.items.filter((item) => !seen.has(item.itemKey));
  const keys = result.items.map((item) => item.itemKey).slice(0, MAX_PRESET_KEYS);
  return { ...result, items, state: { feed: result.state, seen: keys }, notModified: items.length === 0 };
}
