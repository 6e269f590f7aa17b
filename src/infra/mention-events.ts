import { Redis } from 'ioredis';
import { closeRedis } from './redis.js';
import type { Mention } from '../domain/mentions/mentions.usecases.js';
import type { Logger } from '../logger.js';

/** A new mention and its place in the workspace's live stream (mention_events.seq, commit order). */
export interface LiveEvent {
  seq: number;
  mention: Mention;
}

/**
 * New mentions travel from whichever process stored them to every API process through Redis
 * pub/sub, one channel per workspace. Delivery is best effort by design: a live client that
 * misses a message catches up through Last-Event-ID, which replays from Postgres. The channel
 * is named for the message's shape ({seq, mention}): processes of the version before, which
 * published bare mentions on `<prefix>:mentions:<id>`, and this one never read each other's.
 */
const channel = (prefix: string, workspaceId: string) => `${prefix}:live-events:${workspaceId}`;
/**
 * The ids of API keys just revoked, one channel for the deployment: every API process ends the
 * live streams of those keys at once, instead of at their next check of the key in Postgres.
 */
const revocationsChannel = (prefix: string) => `${prefix}:revoked-keys`;

export function createMentionPublisher({ redis, prefix }: { redis: Redis; prefix: string }) {
  return {
    async publish(workspaceId: string, events: LiveEvent[]): Promise<void> {
      if (events.length) await redis.publish(channel(prefix, workspaceId), JSON.stringify(events));
    },
    /** Tells every API process that these keys were revoked (already committed in Postgres). */
    async announceRevokedKeys(keyIds: string[]): Promise<void> {
      if (keyIds.length) await redis.publish(revocationsChannel(prefix), JSON.stringify(keyIds));
    },
  };
}

export type MentionPublisher = ReturnType<typeof createMentionPublisher>;

type Listener = (events: LiveEvent[]) => void;
/** Told that the subscription was lost and is back: what was published meanwhile never came. */
type GapListener = () => void;
/** Told that the process is shutting down: the stream should end now, cleanly, so its client reconnects. */
type EndListener = () => void;
/** Told that the key a stream was opened with has been revoked. */
type RevokedListener = () => void;

const SUBSCRIBE_TIMEOUT_MS = 5_000;

const isLiveEvent = (e: unknown): e is LiveEvent => {
  const { seq, mention } = (e ?? {}) as Partial<LiveEvent>;
  return Number.isSafeInteger(seq) && typeof mention === 'object' && mention !== null && typeof mention.id === 'string';
};

/** One subscriber connection per API process, shared by all live clients of all workspaces. */
export function createMentionSubscriber({ url, prefix, log }: { url: string; prefix: string; log: Logger }) {
  let redis: Redis | null = null;
  const listeners = new Map<string, Set<Listener>>();
  const gapListeners = new Map<Listener, GapListener>();
  const endListeners = new Map<Listener, EndListener>();
  /** Per API key id, the streams open with it. */
  const keyWatchers = new Map<string, Set<RevokedListener>>();
  const revocations = revocationsChannel(prefix);
  /** The revocations channel's subscription, made once per connection and kept; null until asked for, or after it failed. */
  let revocationsSubscribed: Promise<void> | null = null;
  let ending = false;

  /** Subscribes to `ch`, or fails after SUBSCRIBE_TIMEOUT_MS: the connection queues commands while Redis is away, and a live client gets a 503 instead of waiting. */
  async function subscribeWithin(ch: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error('subscribing to live events timed out'), { code: 'ETIMEDOUT' })), SUBSCRIBE_TIMEOUT_MS);
    });
    try {
      await Promise.race([connection().subscribe(ch), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  function revoked(message: string): void {
    let ids: unknown;
    try {
      ids = JSON.parse(message);
    } catch {
      ids = null;
    }
    if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) {
      log.warn({ channel: revocations }, 'key revocation message in an unknown shape skipped');
      return;
    }
    for (const id of ids as string[]) {
      for (const listener of keyWatchers.get(id) ?? []) {
        try {
          listener();
        } catch (err) {
          log.error({ err }, 'key revocation listener failed');
        }
      }
    }
  }

  function connection(): Redis {
    if (redis) return redis;
    const conn = new Redis(url, { maxRetriesPerRequest: null, connectionName: 'earshot-live' });
    redis = conn;
    conn.on('error', (err: Error) => log.debug({ err: { message: err.message } }, 'live subscriber connection error'));
    // Pub/sub keeps nothing: messages published while the connection was away are lost. Once it
    // is back and subscribed again (ioredis resubscribes; subscribing once more tells when that is
    // done), every stream is told, so it can read what it missed from Postgres.
    let lost = false;
    conn.on('close', () => void (lost = true));
    conn.on('ready', () => {
      if (!lost) return;
      lost = false;
      const channels = [...listeners.keys()];
      if (!channels.length) return;
      // Revocations published meanwhile are lost too: each stream told of the gap asks Postgres for its key.
      conn.subscribe(...channels, ...(revocationsSubscribed ? [revocations] : [])).then(
        () => {
          log.info({ channels: channels.length }, 'live subscriber back; streams catch up from Postgres');
          for (const ch of channels) for (const listener of listeners.get(ch) ?? []) gapListeners.get(listener)?.();
        },
        (err: unknown) => log.warn({ err: { message: (err as Error).message } }, 'live subscriber could not subscribe again'),
      );
    });
    conn.on('message', (ch: string, message: string) => {
      if (ch === revocations) return revoked(message);
      const set = listeners.get(ch);
      if (!set?.size) return;
      let events: LiveEvent[];
      try {
        events = JSON.parse(message) as LiveEvent[];
      } catch {
        return;
      }
      // A message in another shape (a process of an older version during an upgrade) is skipped:
      // nothing read from Redis may take the API process down.
      if (!Array.isArray(events) || !events.every(isLiveEvent)) {
        log.warn({ channel: ch }, 'live event message in an unknown shape skipped');
        return;
      }
      for (const listener of set) {
        try {
          listener(events);
        } catch (err) {
          log.error({ err }, 'live event listener failed');
        }
      }
    });
    return conn;
  }

  return {
    async subscribe(workspaceId: string, listener: Listener, onGap?: GapListener, onEnd?: EndListener): Promise<() => Promise<void>> {
      const ch = channel(prefix, workspaceId);
      let set = listeners.get(ch);
      if (!set) {
        const fresh = new Set<Listener>();
        listeners.set(ch, fresh);
        set = fresh;
        try {
          await subscribeWithin(ch);
        } catch (err) {
          if (listeners.get(ch) === fresh && fresh.size === 0) listeners.delete(ch);
          throw err;
        }
      }
      set.add(listener);
      if (onGap) gapListeners.set(listener, onGap);
      if (onEnd) {
        endListeners.set(listener, onEnd);
        // A stream that began as the shutdown started ends at once, like the others.
        if (ending) queueMicrotask(onEnd);
      }
      return async () => {
        set.delete(listener);
        gapListeners.delete(listener);
        endListeners.delete(listener);
        if (set.size === 0 && listeners.get(ch) === set) {
          listeners.delete(ch);
          await redis?.unsubscribe(ch).catch(() => {});
        }
      };
    },
    /**
     * Calls `onRevoked` when the API key `keyId` is announced revoked (announceRevokedKeys), by any
     * process; resolves once such an announcement would reach it. The returned function stops it.
     * Best effort, as all pub/sub: a stream still checks its key in Postgres now and then.
     */
    async watchKey(keyId: string, onRevoked: RevokedListener): Promise<() => void> {
      if (!revocationsSubscribed) {
        const subscribing = subscribeWithin(revocations);
        revocationsSubscribed = subscribing;
        subscribing.catch(() => {
          if (revocationsSubscribed === subscribing) revocationsSubscribed = null;
        });
      }
      await revocationsSubscribed;
      let set = keyWatchers.get(keyId);
      if (!set) keyWatchers.set(keyId, (set = new Set()));
      const watchers = set;
      watchers.add(onRevoked);
      return () => {
        watchers.delete(onRevoked);
        if (watchers.size === 0 && keyWatchers.get(keyId) === watchers) keyWatchers.delete(keyId);
      };
    },
    /**
     * Ends every live stream (the shutdown's first step): each ends its response cleanly with a
     * retry hint, rather than being cut when the server drops its connections, so clients
     * reconnect with their last event id, to another process or to this one restarted.
     */
    endStreams(): void {
      ending = true;
      for (const end of endListeners.values()) end();
    },
    async close(): Promise<void> {
      endListeners.clear();
      keyWatchers.clear();
      listeners.clear();
      gapListeners.clear();
      if (redis) await closeRedis(redis);
    },
  };
}

export type MentionSubscriber = ReturnType<typeof createMentionSubscriber>;
