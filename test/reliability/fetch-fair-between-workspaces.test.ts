import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerConcurrency } from '../../src/runtime.js';
import { createTestStack, type TestStack } from '../support/stack.js';
import { addSource, cleanupList, waitUntil } from './support.js';

// An audit found one workspace's 40 slow sources (servers dripping bytes until the 20 s timeout)
// holding all 8 fetch slots, and another workspace's feed polled 80 s late behind them. Here: 4
// slots, sources that drip for 2 s, and one Earshot on one host (politeness aside: 50 per host).

const SLOTS = 4;
const SLOW_MS = 2_000;

/**
 * Feeds on 127.0.0.1 that drip their bytes for `?ms=` milliseconds before ending, as slow servers
 * do; each path starts with a tag (its workspace's), and the server counts the tag's requests in
 * flight, so a test sees how many slots a workspace holds at once.
 */
async function startDrippingFeeds() {
  const arrived = new Map<string, number>();
  const inFlight = new Map<string, number>();
  const sockets = new Set<import('node:net').Socket>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const tag = url.pathname.split('/')[1]!;
    const ms = Number(url.searchParams.get('ms') ?? 0);
    arrived.set(url.pathname, Date.now());
    inFlight.set(tag, (inFlight.get(tag) ?? 0) + 1);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      clearInterval(drip);
      clearTimeout(done);
      inFlight.set(tag, inFlight.get(tag)! - 1);
    };
    res.on('close', end);
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
    res.write('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Slow</title>\n');
    const drip = setInterval(() => res.write('\n'), 200);
    const done = setTimeout(() => {
      res.end(`<item><guid>${url.pathname}</guid><title>Story ${url.pathname}</title><description>Nothing much</description></item></channel></rss>`);
      end();
    }, ms);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: (path: string, ms: number) => `http://127.0.0.1:${port}${path}?ms=${ms}`,
    /** When the path's request arrived, if it did. */
    arrivedAt: (path: string) => arrived.get(path),
    inFlight: (tag: string) => inFlight.get(tag) ?? 0,
    async close(): Promise<void> {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const cleanup = cleanupList();
let feeds: Awaited<ReturnType<typeof startDrippingFeeds>>;
beforeAll(async () => {
  feeds = await startDrippingFeeds();
  cleanup.add(() => feeds.close());
});
afterAll(() => cleanup.run());

/**
 * A test's own Earshot (database, queue prefix and so fetch slots), so the tests run at once: most
 * of their time is waiting for slow feeds. Feeds parsed on the event loop: a fresh ingest thread
 * loading its module would lengthen the first fetches.
 */
async function stack(): Promise<TestStack> {
  const s = await createTestStack({ config: { WORKER_CONCURRENCY: String(SLOTS), HOST_CONCURRENCY: '50', INGEST_THREADS: '0' }, concurrency: workerConcurrency({ WORKER_CONCURRENCY: SLOTS }) });
  cleanup.add(() => s.close());
  return s;
}

/** A scheduler tick, as the scheduler enqueues it (the stack runs none): it runs at once, a fetch slot aside. */
const tick = (s: TestStack) => s.services.queues.add('sources.tick', {});

async function slowSources(s: TestStack, key: string, tag: string, count: number, ms = SLOW_MS): Promise<void> {
  for (let i = 0; i < count; i++) await addSource(s, key, { url: feeds.url(`/${tag}/${i}`, ms) });
}

describe.concurrent('fetch slots shared between workspaces', () => {
  it("a workspace's one fast source is polled within one slow fetch of its tick, though another workspace's backlog of slow sources was queued first", async () => {
    const s = await stack();
    const backlog = await s.workspace('Backlog');
    const quiet = await s.workspace('Quiet');
    await slowSources(s, backlog.key, 'backlog', 12);
    await tick(s);
    await waitUntil('the backlog holding every slot', () => feeds.inFlight('backlog') === SLOTS);

    // Due now, queued behind the backlog's 8 waiting fetches: before, it waited for them all
    // (three rounds of 4 slow fetches, 6 s), now for the first slot that frees.
    await addSource(s, quiet.key, { url: feeds.url('/quiet/feed', 0) });
    const tickedAt = Date.now();
    await tick(s);
    const polledAt = await waitUntil('the quiet workspace polled', () => feeds.arrivedAt('/quiet/feed'), 20_000);
    expect(polledAt - tickedAt, 'ms from the tick to the quiet workspace’s request').toBeLessThan(SLOW_MS + 1_000);
    await s.drain(30_000);
  }, 60_000);

  it('a workspace alone with work uses every slot at once, other workspaces having sources that are not due', async () => {
    const s = await stack();
    // Workspaces whose sources were polled a moment ago, as another test's would be: due later.
    for (const name of ['Idle', 'Polled']) {
      const idle = await s.workspace(name);
      await slowSources(s, idle.key, name.toLowerCase(), 3);
      await s.db.updateTable('sources').set({ next_fetch_at: new Date(Date.now() + 3_600_000) }).where('workspace_id', '=', idle.id).execute();
    }
    const alone = await s.workspace('Alone');
    await slowSources(s, alone.key, 'alone', SLOTS + 2);
    await tick(s);
    await waitUntil(`${SLOTS} of the workspace's fetches in flight at once`, () => feeds.inFlight('alone') === SLOTS, 10_000);
    await s.drain(30_000);
  }, 60_000);

  it('a workspace beside another whose fetch runs but which waits for nothing takes every other slot', async () => {
    const s = await stack();
    const running = await s.workspace('Running');
    await slowSources(s, running.key, 'running', 1, 3 * SLOW_MS);
    await tick(s);
    await waitUntil("the other workspace's fetch in flight", () => feeds.inFlight('running') === 1);
    const busy = await s.workspace('Busy');
    await slowSources(s, busy.key, 'busy', SLOTS + 2);
    await tick(s);
    // A share (2 of 4) would bind here if it did not ask whether the other workspace waits.
    await waitUntil(`${SLOTS - 1} of the busy workspace's fetches in flight beside the other's`, () => feeds.inFlight('busy') === SLOTS - 1 && feeds.inFlight('running') === 1, 10_000);
    await s.drain(30_000);
  }, 60_000);
});
