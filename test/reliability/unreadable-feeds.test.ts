import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../domain/feeds/support.js';
import { rss } from '../support/feed-server.js';
import type { TestStack } from '../support/stack.js';
import { addSource, cleanupList, fetchNow, getSource, storedItems, upstreamAndStack, type Upstream } from './support.js';

// An rss poll hands the fetched body to the ingest thread unread, and the thread reads it while it
// prepares the items. A body that cannot be read must still be a failure of that source, as a
// failing fetch is: recorded on it with a message that names the problem, backed off, nothing
// stored, the job done rather than failed; and the next good body must go through as if nothing
// had happened (no HTTP validators or body hash kept from the failed poll).

const cleanup = cleanupList();
let s: TestStack;
let upstream: Upstream;
let key: string;

beforeAll(async () => {
  ({ upstream, s, key } = await upstreamAndStack(cleanup, 'Unreadable feeds'));
});
afterAll(() => cleanup.run());

const fixture = (name: string) => readFileSync(FIXTURES + name, 'utf8');

describe('a fetched body that is not a readable feed', () => {
  const cases = [
    { name: 'an HTML page', body: fixture('html-page.html'), contentType: 'text/html; charset=utf-8', error: /serves an HTML page, not a feed/ },
    { name: 'billion laughs', body: fixture('billion-laughs.xml'), contentType: 'application/rss+xml', error: /not well-formed XML: Invalid character entity/ },
    { name: 'a truncated document', body: fixture('truncated.xml'), contentType: 'application/rss+xml', error: /not well-formed XML: Unclosed root tag/ },
  ];

  for (const { name, body, contentType, error } of cases) {
    it(`${name}: the source records the failure and backs off, nothing is stored, and the next good feed is read`, async () => {
      const path = `/unreadable-${upstream.routes.size}`;
      upstream.routes.set(path, { status: 200, headers: { 'content-type': contentType }, body });
      const { id } = await addSource(s, key, { url: upstream.url(path), intervalSeconds: 60 });

      await fetchNow(s, key, id);
      const failed = await getSource(s, key, id);
      expect(failed).toMatchObject({ consecutiveFailures: 1, enabled: true });
      expect(failed.lastError).toMatch(error);
      // One failure: the next poll comes after the interval ± 20 % jitter, not at once.
      const wait = new Date(failed.nextFetchAt).getTime() - new Date(failed.lastFetchedAt ?? Date.now()).getTime();
      expect(wait).toBeGreaterThanOrEqual(40_000);
      expect(await storedItems(s, id)).toHaveLength(0);
      const jobs = await s.services.queues.queues.get('fetch')!.getJobCounts('failed');
      expect(jobs.failed).toBe(0);

      upstream.routes.set(path, { status: 200, body: rss([{ guid: `${path}-1`, title: 'Acme is back', description: 'A readable item' }]) });
      await fetchNow(s, key, id);
      expect(await getSource(s, key, id)).toMatchObject({ consecutiveFailures: 0, lastStatus: 200, lastError: null });
      expect((await storedItems(s, id)).map((row) => row.item_key)).toEqual([`${path}-1`]);
    });
  }
});
