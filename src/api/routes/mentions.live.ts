import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { mentionMatches, toMention, type Mention } from '../../domain/mentions/mentions.usecases.js';
import { validationError } from '../../domain/validation.js';
import type { ApiDeps } from '../app.js';
import type { ApiEnv } from '../context.js';
import { MentionFilterFields, resolveMentionFilter } from '../filters.js';
import { bearer, commonErrors, errors } from '../schemas.js';

const HEARTBEAT_MS = 15_000;
/** Mentions replayed at most after a reconnect; a client gone longer should page the list instead. */
const REPLAY_MAX = 1000;

const LiveQuery = z.strictObject(MentionFilterFields);

/**
 * Server-Sent Events, one `event: mention` per new mention, ids increasing. Fed by Redis
 * pub/sub, so it works when the API and the workers are separate processes. A client that
 * reconnects with Last-Event-ID first gets what it missed, from Postgres.
 */
export function registerLiveMentionsRoute(app: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/mentions/live',
      tags: ['Mentions'],
      summary: 'New mentions as they arrive (Server-Sent Events)',
      description:
        'Each event is `event: mention`, `id: <mention id>`, `data: <Mention JSON>`. A comment line is sent every 15 s as a heartbeat. ' +
        'Reconnect with `Last-Event-ID` to receive what you missed (up to 1000 mentions).',
      security: bearer,
      request: {
        query: LiveQuery,
        headers: z.object({ 'last-event-id': z.string().optional().openapi({ description: 'The id of the last event received.' }) }),
      },
      responses: { 200: { description: 'An event stream', content: { 'text/event-stream': { schema: z.string() } } }, 404: errors[404], ...commonErrors },
    }),
    async (c) => {
      const workspaceId = c.get('principal').workspaceId;
      const lastEventId = c.req.header('last-event-id');
      if (lastEventId !== undefined && !/^\d{1,18}$/.test(lastEventId)) {
        throw validationError([{ field: 'Last-Event-ID', message: 'expected the id of a mention event' }]);
      }
      const { filter, q } = await resolveMentionFilter(deps, workspaceId, c.req.valid('query'), { since: new Date(0), until: new Date(8.64e15) });
      const { since: _s, until: _u, ...live } = filter;

      const pending: Mention[] = [];
      let wake: (() => void) | null = null;
      const nudge = () => {
        wake?.();
        wake = null;
      };
      // Subscribe before replaying, so nothing published in between is lost; ids deduplicate.
      const unsubscribe = await deps.subscriber.subscribe(workspaceId, (mentions) => {
        for (const m of mentions) if (mentionMatches(m, live, q)) pending.push(m);
        nudge();
      });

      return streamSSE(c, async (sse) => {
        let lastSent = lastEventId ? Number(lastEventId) : 0;
        let open = true;
        sse.onAbort(() => {
          open = false;
          nudge();
        });
        const send = async (m: Mention) => {
          if (Number(m.id) <= lastSent) return;
          lastSent = Number(m.id);
          await sse.writeSSE({ event: 'mention', id: m.id, data: JSON.stringify(m) });
        };
        try {
          await sse.write(': connected\n\n');
          if (lastEventId) {
            const missed = await deps.mentionRepository.since(workspaceId, Number(lastEventId), REPLAY_MAX);
            for (const row of missed) {
              const m = toMention(row);
              if (mentionMatches(m, live, q)) await send(m);
            }
          }
          while (open) {
            while (pending.length && open) await send(pending.shift()!);
            await new Promise<void>((resolve) => {
              wake = resolve;
              setTimeout(resolve, HEARTBEAT_MS).unref();
            });
            if (open && !pending.length) await sse.write(': heartbeat\n\n');
          }
        } finally {
          await unsubscribe();
        }
      });
    },
  );
}
