import { Redis } from 'ioredis';
import type { Mention } from '../domain/mentions/mentions.usecases.js';
import type { Logger } from '../logger.js';

/**
 * New mentions travel from whichever process stored them to every API process through Redis
 * pub/sub, one channel per workspace. Delivery is best effort by design: a live client that
 * misses a message catches up through Last-Event-ID, which replays from Postgres.
 */
const channel = (prefix: string, workspaceId: string) => `${prefix}:mentions:${workspaceId}`;

export function createMentionPublisher({ redis, prefix }: { redis: Redis; prefix: string }) {
  return {
    async publish(workspaceId: string, mentions: Mention[]): Promise<void> {
      if (mentions.length) await redis.publish(channel(prefix, workspaceId), JSON.stringify(mentions));
    },
  };
}

export type MentionPublisher = ReturnType<typeof createMentionPublisher>;

type Listener = (mentions: Mention[]) => void;

/** One subscriber connection per API process, shared by all live clients of all workspaces. */
export function createMentionSubscriber({ url, prefix, log }: { url: string; prefix: string; log: Logger }) {
  let redis: Redis | null = null;
  const listeners = new Map<string, Set<Listener>>();

  function connection(): Redis {
    if (redis) return redis;
    redis = new Redis(url, { maxRetriesPerRequest: null, connectionName: 'earshot-live' });
    redis.on('error', (err: Error) => log.debug({ err: { message: err.message } }, 'live subscriber connection error'));
    redis.on('message', (ch: string, message: string) => {
      const set = listeners.get(ch);
      if (!set?.size) return;
      let mentions: Mention[];
      try {
        mentions = JSON.parse(message) as Mention[];
      } catch {
        return;
      }
      for (const listener of set) listener(mentions);
    });
    return redis;
  }

  return {
    async subscribe(workspaceId: string, listener: Listener): Promise<() => Promise<void>> {
      const ch = channel(prefix, workspaceId);
      let set = listeners.get(ch);
      if (!set) {
        set = new Set();
        listeners.set(ch, set);
        await connection().subscribe(ch);
      }
      set.add(listener);
      return async () => {
        set.delete(listener);
        if (set.size === 0 && listeners.get(ch) === set) {
          listeners.delete(ch);
          await redis?.unsubscribe(ch).catch(() => {});
        }
      };
    },
    async close(): Promise<void> {
      listeners.clear();
      if (redis) await redis.quit().catch(() => redis?.disconnect());
    },
  };
}

export type MentionSubscriber = ReturnType<typeof createMentionSubscriber>;
