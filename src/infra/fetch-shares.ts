import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { keepRenewed, NOW_MS } from './host-slots.js';
import { luaScript } from './redis.js';

/**
 * Each workspace's fair share of the deployment's fetch slots (the fetch jobs its workers run at
 * once), kept in Redis so that it holds across worker processes.
 *
 * Per workspace, two sorted sets scored by expiry: `running`, a lease per fetch in progress (its
 * source id), renewed while it runs and lapsing when its worker dies, as host slots do; and
 * `queued`, the workspace's waiting work, the due fetches that could start now: marked by the
 * tick as it enqueues them (a source whose fetch is running, or whose host has no free slot, is
 * left out) and by a fetch that gave way, cleared when the fetch starts or is skipped. Marks
 * expire when no tick renews them, so a mark nothing clears (a source deleted before its fetch
 * ran) lasts two ticks at most. `active` indexes the workspaces with either.
 *
 * A fetch starts unless its workspace holds at least its share while another workspace waits
 * with fewer than the share running. The share is the slots over the workspaces with work
 * (running or waiting), the slots being at least this process's WORKER_CONCURRENCY and more than
 * every lease held (one slot is this fetch's own): other processes' slots count once they are
 * busy, which is when the share matters. A workspace alone, or beside workspaces that wait for
 * nothing, uses every slot. A fetch that gives way is put back for a moment (retryShortly) and
 * its slot goes to the next job in the queue, so a waiting workspace's fetch gets the next slot
 * that frees rather than its place behind another workspace's backlog.
 *
 * One round trip to take a turn, one to give it back; a workspace with nothing running takes one
 * without reading the others. Times are Redis's own, as for host slots.
 */

// Keeps `active`'s score for a workspace the latest expiry of anything it has.
const BUMP = `
local function bump(active, workspace, untilMs, keepMs)
  local score = redis.call('ZSCORE', active, workspace)
  if not score or tonumber(score) < untilMs then redis.call('ZADD', active, untilMs, workspace) end
  redis.call('PEXPIRE', active, keepMs)
end`;

// KEYS: active, running:<ws>, queued:<ws>. ARGV: ws, source, leaseMs, demandMs, minimum slots,
// the prefixes of running and queued keys (other workspaces' keys are read by name).
const acquire = luaScript(`
${NOW_MS}
${BUMP}
local ws, source = ARGV[1], ARGV[2]
local leaseMs, demandMs, slots = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local keepMs = math.max(leaseMs, demandMs)
redis.call('ZREM', KEYS[3], source)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local mine = redis.call('ZCARD', KEYS[2])
if mine > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
  local workspaces, running, waiting = 1, mine, {}
  for _, other in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
    if other ~= ws then
      local r, q = ARGV[6] .. other, ARGV[7] .. other
      redis.call('ZREMRANGEBYSCORE', r, '-inf', now)
      redis.call('ZREMRANGEBYSCORE', q, '-inf', now)
      local theirs, queued = redis.call('ZCARD', r), redis.call('ZCARD', q)
      if theirs + queued == 0 then
        redis.call('ZREM', KEYS[1], other)
      else
        workspaces = workspaces + 1
        running = running + theirs
        if queued > 0 then waiting[#waiting + 1] = theirs end
      end
    end
  end
  local share = math.ceil(math.max(slots, running + 1) / workspaces)
  if mine >= share then
    for _, theirs in ipairs(waiting) do
      if theirs < share then
        redis.call('ZADD', KEYS[3], now + demandMs, source)
        redis.call('PEXPIRE', KEYS[3], demandMs)
        bump(KEYS[1], ws, now + demandMs, keepMs)
        return 0
      end
    end
  end
end
redis.call('ZADD', KEYS[2], now + leaseMs, source)
redis.call('PEXPIRE', KEYS[2], leaseMs)
bump(KEYS[1], ws, now + leaseMs, keepMs)
return 1
`);

// As a host slot's renewal: only a lease still present is renewed.
const renew = luaScript(`
${NOW_MS}
${BUMP}
if not redis.call('ZSCORE', KEYS[2], ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[2], 'XX', now + tonumber(ARGV[3]), ARGV[2])
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[3]))
bump(KEYS[1], ARGV[1], now + tonumber(ARGV[3]), tonumber(ARGV[4]))
return 1
`);

// KEYS: active. ARGV: demandMs, keepMs, running prefix, queued prefix, host slots per host, then
// (ws, source, host slots key) triples. Returns how many were marked.
const mark = luaScript(`
${NOW_MS}
${BUMP}
local demandMs, keepMs, perHost = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[5])
local marked = 0
for i = 6, #ARGV, 3 do
  local ws, source, host = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  if not redis.call('ZSCORE', ARGV[3] .. ws, source) and redis.call('ZCOUNT', host, '(' .. now, '+inf') < perHost then
    local queued = ARGV[4] .. ws
    redis.call('ZADD', queued, now + demandMs, source)
    redis.call('PEXPIRE', queued, demandMs)
    bump(KEYS[1], ws, now + demandMs, keepMs)
    marked = marked + 1
  end
end
return marked
`);

const count = luaScript(`
${NOW_MS}
return redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf')
`);

export function createFetchShares({
  redis,
  prefix,
  slots,
  leaseMs,
  demandMs,
  hostSlots,
  log,
}: {
  redis: Redis;
  prefix: string;
  /** This process's fetch slots (WORKER_CONCURRENCY): the deployment has at least as many. */
  slots: number;
  /** How long a fetch's turn outlives its worker (renewed every third of it while the fetch runs). */
  leaseMs: number;
  /** How long a waiting mark lasts unless renewed: longer than the tick that renews it. */
  demandMs: number;
  /** Where host slots are kept: a fetch whose host has none free is not counted as waiting. */
  hostSlots: { keyOf: (host: string) => string; perHost: number };
  log?: Logger;
}) {
  const active = `${prefix}:fetch-share:active`;
  const runningPrefix = `${prefix}:fetch-share:running:`;
  const queuedPrefix = `${prefix}:fetch-share:queued:`;
  const keepMs = Math.max(leaseMs, demandMs);
  return {
    /** The tick's due fetches, as it enqueues them: their workspaces wait for slots. */
    async queued(fetches: Array<{ workspaceId: string; sourceId: string; host: string }>): Promise<number> {
      if (!fetches.length) return 0;
      const triples = fetches.flatMap((f) => [f.workspaceId, f.sourceId, hostSlots.keyOf(f.host)]);
      return (await mark(redis, [active], [demandMs, keepMs, runningPrefix, queuedPrefix, hostSlots.perHost, ...triples])) as number;
    },

    /**
     * A turn for the source's fetch: a release function, renewed until called, or null when the
     * workspace holds its share and another waits (the fetch then counts as waiting).
     */
    async acquire(workspaceId: string, sourceId: string): Promise<(() => Promise<void>) | null> {
      const running = runningPrefix + workspaceId;
      const keys = [active, running, queuedPrefix + workspaceId];
      const ok = (await acquire(redis, keys, [workspaceId, sourceId, leaseMs, demandMs, slots, runningPrefix, queuedPrefix])) as number;
      if (!ok) return null;
      const renewal = keepRenewed({
        renew: async () => ((await renew(redis, keys, [workspaceId, sourceId, leaseMs, keepMs])) as number) === 1,
        leaseMs,
        onLost: () => log?.warn({ workspaceId, sourceId, leaseMs }, "a fetch's turn in its workspace's share ran out before it was renewed; the workspace may run more fetches than its share"),
        onError: (err) => log?.warn({ err: { message: err.message }, workspaceId }, "renewing a fetch's turn in its workspace's share failed"),
      });
      return async () => {
        renewal.stop();
        await redis.zrem(running, sourceId);
      };
    },

    /** The source's fetch is no longer waiting: it was skipped (not due, disabled, the upstream asked to wait). */
    async forget(workspaceId: string, sourceId: string): Promise<void> {
      await redis.zrem(queuedPrefix + workspaceId, sourceId);
    },

    /** Fetches of the workspace holding a turn now (leases not yet lapsed). */
    async running(workspaceId: string): Promise<number> {
      return (await count(redis, [runningPrefix + workspaceId], [])) as number;
    },

    /** Fetches of the workspace marked as waiting now. */
    async waiting(workspaceId: string): Promise<number> {
      return (await count(redis, [queuedPrefix + workspaceId], [])) as number;
    },
  };
}

export type FetchShares = ReturnType<typeof createFetchShares>;
