import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import type { LiveFilter } from '../../domain/mentions/mentions.repository.js';
import { mentionMatches, toMention, type Mention } from '../../domain/mentions/mentions.usecases.js';
import { AppError } from '../../domain/errors.js';
import { validationError } from '../../domain/validation.js';
import { authenticate } from '../../domain/workspaces/workspaces.usecases.js';
import type { LiveEvent } from '../../infra/mention-events.js';
import type { ApiDeps } from '../app.js';
import type { ApiEnv } from '../context.js';
import { MentionFilterFields, WindowQuery, isoTimeToDate, resolveMentionFilter } from '../filters.js';
import { bearer, commonErrors, errors } from '../schemas.js';

/** Mentions replayed at most after a reconnect; a client gone longer should page the list instead. */
const REPLAY_MAX = 1000;
/** Events read per replay query; with `q=`, which filters in memory, at most REPLAY_SCAN_PAGES of them. */
const REPLAY_PAGE = 1000;
const REPLAY_SCAN_PAGES = 20;
/** Events queued for a client that reads slower than they come; past this its stream ends, and it resumes from Postgres. */
const PENDING_MAX = 10_000;
/**
 * The reconnection time sent with a replay that stopped short. Each part is bounded work (one
 * page, or REPLAY_SCAN_PAGES with `q=`), so a client far behind catches up in a few seconds,
 * yet does not query back to back.
 */
const RESUME_RETRY_MS = 250;
/**
 * The reconnection time restored when a replay reaches the end: an EventSource keeps the last
 * `retry:` for every later reconnection, and one after an outage should not come at the catch-up
 * pace. 3 s is what Chrome and undici use when told nothing.
 */
const LIVE_RETRY_MS = 3000;
/** The reconnection delay a stream ended by a shutdown asks for: a restart or another process is ready by then. */
const SHUTDOWN_RETRY_MS = 1000;
/**
 * How old the last answer about the key may be when the stream writes (at most a heartbeat). A
 * revocation normally arrives at once by Redis (watchKey); this bounds what a lost announcement
 * (Redis away, a message missed) lets through, at one indexed read a second per busy stream.
 */
const KEY_RECHECK_MS = 1000;

/** The codes of the `event: error` that ends a stream whose key no longer opens it. */
type KeyRefusal = 'auth.key_revoked' | 'auth.key_expired';

const LiveQuery = z.strictObject({
  ...MentionFilterFields,
  since: WindowQuery.since.openapi({ description: 'Inclusive: only mentions that occurred at or after this time. Does not end the stream.' }),
  until: WindowQuery.until.openapi({ description: 'Exclusive: only mentions that occurred before this time. Does not end the stream.' }),
});

/**
 * Server-Sent Events, one `event: mention` per new mention. Fed by Redis pub/sub, so it works
 * when the API and the workers are separate processes. Event ids are the workspace's live-event
 * sequence, which follows commit order: a client that reconnects with Last-Event-ID first gets
 * every matching mention committed after that event, from Postgres. A replay too long for one
 * response ends it with the id to resume from, and the client's reconnection gets the next part:
 * going live with events still unsent would lose them without the client knowing.
 */
export function registerLiveMentionsRoute(app: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  /** Live streams open in this process, per workspace (LIVE_STREAMS_PER_WORKSPACE). */
  const openStreams = new Map<string, number>();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/mentions/live',
      operationId: 'streamMentions',
      tags: ['Mentions'],
      summary: 'New mentions as they arrive (Server-Sent Events)',
      description:
        'Each event is `event: mention`, `id: <event sequence>`, `data: <Mention JSON>` (the mention\'s own id is `data.id`). ' +
        'A comment line is sent every 15 s (LIVE_HEARTBEAT_MS) as a heartbeat. ' +
        'When the API key is revoked (DELETE /v1/api-keys/{id}: at once, on every server; nothing more is sent) or expires, the stream sends one last event and ends: ' +
        '`event: error`, `data: {"error":{"code":"auth.key_revoked"|"auth.key_expired","message","requestId"}}`, the API\'s error envelope, with no `id:`. ' +
        'A reconnection with that key would get 401, so close the client (an EventSource\'s own `error` event, on a dropped connection, has no `data`). ' +
        'A client that takes nothing for two heartbeats is cut off (reconnect with `Last-Event-ID`). ' +
        'A workspace holds at most LIVE_STREAMS_PER_WORKSPACE streams (default 20) on one server: past it, 429 `mentions.too_many_streams`. ' +
        'Reconnect with `Last-Event-ID` to receive, first, what was committed after that event. ' +
        'One response replays at most 1000 mentions (with `q=`, it reads at most 20,000 events); when more are waiting, it ends instead of going live, ' +
        'its last message holding only `id: <last event read>` and `retry: 250`, with no `data:`, so no event is dispatched. ' +
        'An EventSource reconnects with that id by itself and gets the next part; other clients should reconnect with it as `Last-Event-ID`. ' +
        'The id can be past the last mention sent, as `q=` reads past events it does not match. A replay that reaches the newest event sends `retry: 3000` and goes live. ' +
        'An event can repeat after a reconnect, so keep the last ids seen. Should the process that stored a mention die, or lose Redis, ' +
        'between storing it and publishing it, connected clients get its event from Postgres within about three heartbeats, ' +
        'possibly after later ones (each stream counts the events stored against those it was told of, every heartbeat).',
      security: bearer,
      request: {
        query: LiveQuery,
        headers: z.object({ 'last-event-id': z.string().optional().openapi({ description: 'The id of the last event received.' }) }),
      },
      responses: { 200: { description: 'An event stream', content: { 'text/event-stream': { schema: z.string() } } }, 404: errors[404], ...commonErrors },
    }),
    async (c) => {
      const { workspaceId } = c.get('principal');
      // An empty id is none: SSE's own `id:` with no value resets it, and some clients send it so.
      const lastEventId = c.req.header('last-event-id')?.trim() || undefined;
      if (lastEventId !== undefined && !/^\d{1,15}$/.test(lastEventId)) {
        throw validationError([{ field: 'Last-Event-ID', message: 'expected the id of a mention event' }]);
      }
      const query = c.req.valid('query');
      const since = query.since ? isoTimeToDate(query.since) : undefined;
      const until = query.until ? isoTimeToDate(query.until) : undefined;
      if (since && until && since >= until) throw validationError([{ field: 'since', message: 'must be before until' }]);
      // The list's window is replaced by the stream's own, open unless asked for.
      const { filter, q } = await resolveMentionFilter(deps, workspaceId, query, { since: new Date(0), until: new Date(0) });
      const live: LiveFilter = { ...filter, since, until };
      // A mention occurred when published, or when fetched if its date was unreadable (mentions.occurred_at).
      const inWindow = (m: Mention) => {
        const at = new Date(m.publishedAt ?? m.fetchedAt);
        return (!since || at >= since) && (!until || at < until);
      };
      const token = c.req.header('authorization')!.replace(/^Bearer\s+/i, '').trim();
      const { keyExpiresAt } = c.get('principal');

      const pending: LiveEvent[] = [];
      let wake: (() => void) | null = null;
      const nudge = () => {
        wake?.();
        wake = null;
      };
      // Subscribe before replaying, so nothing committed in between is lost; the replay's seqs
      // deduplicate. Live events may arrive out of seq order (two polls publishing at once), so
      // they are never compared with one another.
      let overflowed = false;
      // Every event of the workspace this stream has been told of, matching or not: what a sweep
      // compares with the events stored (see `sweep`).
      const seen = new Set<number>();
      // Set when the subscription was lost and is back: what was published meanwhile never came.
      let gap = false;
      // Set when the process shuts down: the stream ends with a retry hint.
      let ending = false;
      // Set when the key is announced revoked (by whichever process revoked it): nothing more goes out.
      let revoked = false;
      const streamsOpen = openStreams.get(workspaceId) ?? 0;
      if (streamsOpen >= deps.config.LIVE_STREAMS_PER_WORKSPACE) {
        throw new AppError(
          'mentions.too_many_streams',
          429,
          `this workspace already has ${streamsOpen} live streams open on this server, the most it may (LIVE_STREAMS_PER_WORKSPACE); close one, or let dashboards share one`,
          { retryAfterSeconds: Math.ceil(deps.config.LIVE_HEARTBEAT_MS / 1000) },
        );
      }
      // Counted from here; the stream's end (or a subscription that fails) gives it back.
      openStreams.set(workspaceId, streamsOpen + 1);
      const closeStream = () => {
        const left = (openStreams.get(workspaceId) ?? 1) - 1;
        if (left > 0) openStreams.set(workspaceId, left);
        else openStreams.delete(workspaceId);
      };
      const { keyId } = c.get('principal');
      let unsubscribe: () => Promise<void> = async () => {};
      let unwatch: () => void;
      try {
        unsubscribe = await deps.subscriber.subscribe(
          workspaceId,
          (events) => {
            for (const e of events) {
              seen.add(e.seq);
              if (inWindow(e.mention) && mentionMatches(e.mention, live, q)) pending.push(e);
            }
            if (pending.length > PENDING_MAX) {
              overflowed = true;
              pending.length = 0;
            }
            if (pending.length || overflowed) nudge();
          },
          () => {
            gap = true;
            nudge();
          },
          () => {
            ending = true;
            nudge();
          },
        );
        unwatch = await deps.subscriber.watchKey(keyId, () => {
          revoked = true;
          nudge();
        });
      } catch (err) {
        closeStream();
        await unsubscribe();
        throw err;
      }

      const heartbeatMs = deps.config.LIVE_HEARTBEAT_MS;
      const response = streamSSE(c, async (sse) => {
        let open = true;
        sse.onAbort(() => {
          open = false;
          nudge();
        });
        /**
         * Ends the stream at once, dropping the connection and whatever it still buffers: a client
         * that stopped reading must not hold its stream (and its queue of events) for good.
         */
        const cut = () => {
          deps.metrics.liveStreamsCut.inc({ reason: 'stalled' });
          open = false;
          sse.abort();
          (c.env as { outgoing?: { destroy(): void } } | undefined)?.outgoing?.destroy();
          nudge();
        };
        /** Writes, unless the client has not taken a write for two heartbeats: that cuts the stream. */
        const writeOrCut = async (text: string): Promise<boolean> => {
          let timer: NodeJS.Timeout | undefined;
          const stalled = new Promise<true>((resolve) => {
            timer = setTimeout(() => resolve(true), 2 * heartbeatMs);
          });
          const timedOut = await Promise.race([sse.write(text).then(() => false as const), stalled]);
          clearTimeout(timer);
          if (timedOut) cut();
          return open;
        };
        // Never since the key was watched: a revocation between the request's authentication and
        // the watch was announced to nobody, so the first write asks Postgres.
        let keyCheckedAt = 0;
        const recheckMs = Math.min(KEY_RECHECK_MS, heartbeatMs);
        /**
         * Why the key no longer opens the stream, or null while it does. Its expiry is known from
         * the start; a revocation is announced at once (watchKey), and asked of Postgres as well
         * when the last answer is older than recheckMs, in case an announcement was lost.
         */
        const keyRefusal = async (): Promise<KeyRefusal | null> => {
          if (revoked) return 'auth.key_revoked';
          const now = new Date();
          if (keyExpiresAt && keyExpiresAt <= now) return 'auth.key_expired';
          if (now.getTime() - keyCheckedAt < recheckMs) return null;
          keyCheckedAt = now.getTime();
          const valid = await authenticate({ token, now, workspaceRepository: deps.workspaceRepository });
          // An announcement that came while Postgres answered is newer than the answer.
          if (valid && !revoked) return null;
          if (revoked) return 'auth.key_revoked';
          // The expiry is fixed when a key is made, so a key refused before it is revoked (or its workspace deleted).
          return keyExpiresAt && keyExpiresAt <= new Date() ? 'auth.key_expired' : 'auth.key_revoked';
        };
        /**
         * For a key no longer valid, nothing more reaches the client but one `event: error` saying
         * why, in the error envelope, and the stream ends: a client that reconnected would only get
         * 401s, and without the reason it cannot tell this end from a dropped connection.
         */
        const endForKey = async (code: KeyRefusal) => {
          deps.metrics.liveStreamsCut.inc({ reason: 'key' });
          const message =
            code === 'auth.key_expired'
              ? `the API key expired at ${keyExpiresAt!.toISOString()}; reconnect with a valid key`
              : 'the API key was revoked; reconnect with a valid key';
          const envelope = { error: { code, message, requestId: c.get('requestId') } };
          await writeOrCut(`event: error\ndata: ${JSON.stringify(envelope)}\n\n`);
          open = false;
          nudge();
        };
        /**
         * Writes, unless the key was revoked or expired (checked before each write: a revocation
         * announced, or found in Postgres), which ends the stream with the reason, or the client has not taken a
         * write for two heartbeats, which cuts it. A write waits while the client does not read, so
         * nothing else is checked meanwhile.
         */
        const write = async (text: string): Promise<boolean> => {
          if (!open) return false;
          const refused = await keyRefusal();
          if (refused) {
            await endForKey(refused);
            return false;
          }
          return writeOrCut(text);
        };
        // Every event sent, live or replayed: none is sent twice.
        const sent = new Set<number>();
        // The newest event this stream has read or sent: where it catches up from after a gap.
        let lastSeq = 0;
        // One data line: JSON.stringify never writes a raw line break.
        const send = (seq: number, m: Mention) => {
          lastSeq = Math.max(lastSeq, seq);
          sent.add(seq);
          return write(`event: mention\nid: ${seq}\ndata: ${JSON.stringify(m)}\n\n`);
        };
        /** Sends the matching events after `from` from Postgres; false when it stopped short and ended the response. */
        const replay = async (from: number): Promise<boolean> => {
          // The last event read, sent or not: where the next part starts if this one stops short.
          let after = from;
          let reachedEnd = false;
          let sentNow = 0;
          scan: for (let page = 0; page < REPLAY_SCAN_PAGES && sentNow < REPLAY_MAX && open; page++) {
            const rows = await deps.mentionRepository.eventsAfter(workspaceId, after, live, REPLAY_PAGE);
            for (const row of rows) {
              if (sentNow >= REPLAY_MAX || !open) break scan;
              const seq = Number(row.seq);
              seen.add(seq);
              const m = toMention(row);
              if (!sent.has(seq) && (!q || mentionMatches(m, {}, q))) {
                sentNow++;
                await send(seq, m);
              }
              after = seq;
            }
            if (rows.length < REPLAY_PAGE) {
              reachedEnd = true;
              break;
            }
          }
          lastSeq = Math.max(lastSeq, after);
          if (!open) return false;
          if (!reachedEnd) {
            // Written raw: writeSSE always adds a data line, and an empty one still dispatches a
            // message. Without data, an EventSource only takes the id as its last event id
            // (HTML, "dispatch the event", steps 1-2), then reconnects with it when this ends.
            // Without q= nothing was read past the last mention sent; with it, the id also
            // skips the events read and not matched, so a part that matched none still moves on.
            await write(`id: ${after}\nretry: ${RESUME_RETRY_MS}\n\n`);
            return false;
          }
          return true;
        };
        /*
         * A publish can be lost after its event was stored (the storing process died, or lost Redis,
         * in between). Every heartbeat, the workspace's events above the newest seq known two
         * heartbeats ago are counted; when the store holds more than this stream was told of, they
         * are read again (`sent` keeps what went out already). A publish still on its way costs one
         * such read, no duplicate. Counting is an index-only read of the primary key.
         */
        const floors: number[] = [];
        const sweep = async (): Promise<boolean> => {
          let newest = lastSeq;
          for (const seq of seen) if (seq > newest) newest = seq;
          floors.push(newest);
          if (floors.length < 3) return true;
          const floor = floors.shift()!;
          let told = 0;
          for (const seq of seen) {
            if (seq <= floor) seen.delete(seq);
            else told++;
          }
          for (const seq of sent) if (seq <= floor) sent.delete(seq);
          const stored = await deps.mentionRepository.countEventsAfter(workspaceId, floor);
          if (stored.count <= told) return true;
          deps.metrics.liveSweeps.inc();
          if (!(await replay(floor))) return false;
          // What the replay did not read (another filter's events, a mention unmatched since) is
          // accounted for: the floor passes it within two heartbeats, rather than it being read at every one.
          lastSeq = Math.max(lastSeq, stored.newest);
          return true;
        };
        deps.metrics.liveStreams.inc();
        try {
          await sse.write(': connected\n\n');
          if (lastEventId) {
            if (!(await replay(Number(lastEventId)))) return;
            if (!(await write(`retry: ${LIVE_RETRY_MS}\n\n`))) return;
          } else {
            // Read after subscribing: every event after it comes live, or from a catch-up after a gap.
            lastSeq = await deps.mentionRepository.lastEventSeq(workspaceId);
          }
          let heartbeatAt = Date.now() + heartbeatMs;
          const expiresAtMs = keyExpiresAt?.getTime() ?? Infinity;
          while (open && !overflowed && !ending) {
            // Revoked: the reason goes out at once, not with the next write.
            if (revoked) {
              await endForKey('auth.key_revoked');
              break;
            }
            if (gap) {
              gap = false;
              // A revocation announced while the subscription was away never came: Postgres is asked.
              keyCheckedAt = 0;
              const refused = await keyRefusal();
              if (refused) {
                await endForKey(refused);
                break;
              }
              if (!(await replay(lastSeq))) return;
            }
            // Past PENDING_MAX the queue is dropped and the stream ends: the client resumes from Postgres.
            while (pending.length && open && !overflowed && !ending) {
              const e = pending.shift()!;
              if (!sent.has(e.seq)) await send(e.seq, e.mention);
            }
            // A key revoked or expired while its stream is open ends the stream (write checks it);
            // one that expires is told so when it does, not up to a heartbeat later.
            if (Date.now() >= Math.min(heartbeatAt, expiresAtMs)) {
              if (!(await write(': heartbeat\n\n'))) break;
              if (!(await sweep())) return;
              heartbeatAt = Date.now() + heartbeatMs;
            }
            // Not open: a write above ended the stream (the key refused, the client cut), and it ends now, not after a wait.
            if (!open || pending.length || overflowed || gap || revoked) continue;
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, Math.max(0, Math.min(heartbeatAt, expiresAtMs) - Date.now()));
              wake = () => {
                clearTimeout(timer);
                resolve();
              };
            });
          }
          // Shutting down: the client reconnects soon, to another process or to this one restarted,
          // and resumes from its last event id.
          if (ending && open) await write(`retry: ${SHUTDOWN_RETRY_MS}\n\n`);
        } finally {
          closeStream();
          deps.metrics.liveStreams.dec();
          unwatch();
          await unsubscribe();
        }
      });
      // Proxies pass the stream through as it is written: nginx buffers a response unless told
      // not to (X-Accel-Buffering), which would hold back events and the heartbeats that keep
      // its idle timeout from closing the connection.
      response.headers.set('X-Accel-Buffering', 'no');
      response.headers.set('Cache-Control', 'no-cache, no-transform');
      return response;
    },
  );
}
