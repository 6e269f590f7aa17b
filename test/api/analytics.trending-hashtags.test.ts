import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRENDING_MIN_MENTIONS } from '../../src/domain/analytics/analytics.usecases.js';
import { createRematchRepository } from '../../src/domain/brands/rematch.repository.js';
import { unlinkBrand } from '../../src/domain/brands/rematch.usecases.js';
import type { LinkRepository } from '../../src/domain/mentions/links.repository.js';
import { pollSource } from '../../src/domain/sources/poll.usecases.js';
import { maintenanceHandlers } from '../../src/workers/maintenance.worker.js';
import { rss, type FeedItem } from '../support/feed-server.js';
import { mention, seed } from '../support/seed.js';
import { createTestStack, type TestStack } from '../support/stack.js';
import { addSource, cleanupList, pollDepsOf, startUpstream, type Upstream } from '../reliability/support.js';

// Without brand=, trending hashtags count mentions, not (brand, mention) links: a mention of two
// brands counts once, as the mention list (hashtag=) lists it once. Each way a mention's brands
// change is followed here: a poll storing it, the same poll processed again, a rematch giving
// it a brand (its first or another one) or taking one away, and a brand's deletion.

const cleanup = cleanupList();
let s: TestStack;
let upstream: Upstream;

const DAY = 86_400_000;
/**
 * Every mention of a scenario is stored this many times (as different items): trending lists a
 * tag from TRENDING_MIN_MENTIONS mentions on, and a count under it would read as 0.
 */
const K = TRENDING_MIN_MENTIONS;
const times = <T>(make: (copy: number) => T): T[] => Array.from({ length: K }, (_, copy) => make(copy));
/** The counts a scenario expects, per copy of its mentions. */
const timesK = (counts: Record<string, number>) => Object.fromEntries(Object.entries(counts).map(([tag, n]) => [tag, n * K]));
const ctx = () => ({ log: s.services.log, job: {} as never, token: undefined });
const handlers = () => maintenanceHandlers(s.services);

beforeAll(async () => {
  upstream = await startUpstream();
  cleanup.add(() => upstream.close());
  // Ingest on the event loop (no threads), and no rate limit: this file reads the API a lot.
  s = await createTestStack({ config: { INGEST_THREADS: '0', RATE_LIMIT_PER_MINUTE: '1000000' } });
  cleanup.add(() => s.close());
  // Rematches and unlinks run when the test says so, not when a worker picks them up.
  await s.stopWorkers();
});
afterAll(() => cleanup.run());

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

async function getOk(key: string, path: string): Promise<Json> {
  const res = await s.request('GET', path, { key });
  expect(res.status, `${path}: ${res.text}`).toBe(200);
  return res.json;
}

/** How many mentions the mention list gives for a hashtag in [since, until). */
async function listed(key: string, tag: string, since: string, until: string): Promise<number> {
  let n = 0;
  let cursor: string | null = null;
  do {
    const page: Json = await getOk(
      key,
      `/v1/mentions?hashtag=${encodeURIComponent(tag)}&since=${since}&until=${until}&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    n += page.items.length;
    cursor = page.nextCursor;
  } while (cursor);
  return n;
}

/** Workspace-wide trending counts per tag in the window, and the mention list's count of each tag asked about. */
async function counts(key: string, window: string, tags: readonly string[]) {
  const trending = await getOk(key, `/v1/trending/hashtags?${window}&limit=100`);
  const byTag = new Map<string, number>(trending.items.map((i: Json) => [i.term, i.mentions]));
  const out: { trending: Record<string, number>; list: Record<string, number> } = { trending: {}, list: {} };
  for (const tag of tags) {
    out.trending[tag] = byTag.get(tag) ?? 0;
    out.list[tag] = await listed(key, tag, trending.since, trending.until);
  }
  return out;
}

/** Trending and the mention list both count `perCopy` × K mentions per tag. */
async function expectCounted(key: string, window: string, perCopy: Record<string, number>, step: string) {
  const expected = timesK(perCopy);
  const got = await counts(key, window, Object.keys(expected));
  expect(got.list, `${step}: the mention list`).toEqual(expected);
  expect(got.trending, `${step}: workspace-wide trending hashtags`).toEqual(expected);
}

async function brand(key: string, name: string, query: string, role = 'competitor'): Promise<string> {
  const res = await s.request('POST', '/v1/brands', { key, body: { name, role, query } });
  expect(res.status, res.text).toBe(201);
  return res.json.id;
}

async function rematch(workspaceId: string, brandId: string) {
  await handlers()['brands.rematch']({ workspaceId, brandId }, ctx());
}

async function remove(key: string, workspaceId: string, brandId: string, { unlink = true } = {}) {
  expect((await s.request('DELETE', `/v1/brands/${brandId}`, { key })).status).toBe(204);
  if (unlink) await handlers()['brands.unlink']({ workspaceId, brandId }, ctx());
}

/** A window of whole past days around the seeded dates. */
const MAY = 'since=2026-05-08T00:00:00Z&until=2026-05-15T00:00:00Z';
/** The last two days and today: polled items are dated an hour or two ago. */
function recentDays(): string {
  const today = Math.floor(Date.now() / DAY) * DAY;
  return `since=${new Date(today - 2 * DAY).toISOString()}&until=${new Date(today + DAY).toISOString()}`;
}

describe('workspace-wide trending hashtags count each mention once', () => {
  it('a mention of two brands stored by a poll counts once, in Hindi, Persian and Czech alike', async () => {
    const ws = await s.workspace('Poll of two brands');
    await brand(ws.key, 'Acme', 'acme', 'own');
    await brand(ws.key, 'Globex', 'globex');
    const at = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000).toUTCString();
    const items: FeedItem[] = times((i) => [
      { guid: `both-${i}`, title: `Acme meets Globex ${i}`, description: 'acme and globex #सम्मेलन #ایران_خودرو #Příběh', pubDate: at },
      { guid: `one-${i}`, title: `Acme alone ${i}`, description: 'only acme #příběh', pubDate: at },
      // A raw item: no brand, so neither listed nor counted.
      { guid: `none-${i}`, title: `Nobody ${i}`, description: 'nobody here #příběh #सम्मेलन', pubDate: at },
    ]).flat();
    upstream.routes.set('/two-brands', { body: rss(items) });
    const { id } = await addSource(s, ws.key, { url: upstream.url('/two-brands') });
    expect(await pollSource({ ...pollDepsOf(s), sourceId: id, now: new Date() })).toMatchObject({ outcome: 'polled', items: 3 * K, matched: 2 * K });

    await expectCounted(ws.key, recentDays(), { सम्मेलन: 1, ایران_خودرو: 1, příběh: 2 }, 'after the poll');
  });

  it('a poll processed twice at once, then retried, counts each mention of two brands once', async () => {
    const ws = await s.workspace('Poll twice');
    await brand(ws.key, 'Acme', 'acme', 'own');
    await brand(ws.key, 'Globex', 'globex');
    const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 2 * 3_600_000;
    const tags = ['#सम्मेलन', '#ایران_خودرو', '#příběh'];
    const items: FeedItem[] = times((copy) =>
      tags.map((tag, i) => ({
        guid: `twice-${copy}-${i}`,
        title: `Acme and Globex ${copy}-${i}`,
        description: `acme globex news ${copy}-${i} ${tag}`,
        link: `https://twice.example.com/${copy}/${i}`,
        pubDate: new Date(hour - i * 60_000).toUTCString(),
      })),
    ).flat();
    upstream.routes.set('/twice', { body: rss(items) });
    const { id } = await addSource(s, ws.key, { url: upstream.url('/twice') });
    const deps = pollDepsOf(s);
    upstream.hold();
    const runs = [pollSource({ ...deps, sourceId: id, now: new Date() }), pollSource({ ...deps, sourceId: id, now: new Date() })];
    await upstream.arrived('/twice', 2);
    upstream.release();
    for (const o of await Promise.all(runs)) expect(o).toMatchObject({ outcome: 'polled', items: 3 * K });

    const window = recentDays();
    await expectCounted(ws.key, window, { सम्मेलन: 1, ایران_خودرو: 1, příběh: 1 }, 'after two runs at once');

    // The job's retry after its first attempt committed: every item offered to the store again.
    upstream.routes.set('/twice', { body: rss(items, 'Retitled') });
    expect(await pollSource({ ...deps, sourceId: id, now: new Date() })).toMatchObject({ outcome: 'polled', inserted: 0 });
    await expectCounted(ws.key, window, { सम्मेलन: 1, ایران_خودرو: 1, příběh: 1 }, 'after the retry');
  });

  it('a rematch that gives a matched mention a second brand does not count it again', async () => {
    const ws = await s.workspace('Second brand');
    const acme = await brand(ws.key, 'Acme', 'acme', 'own');
    const src = (await addSource(s, ws.key, { url: 'http://127.0.0.1:9/second.xml' })).id;
    await seed(s.services, {
      workspaceId: ws.id,
      sourceId: src,
      mentions: times(() => [
        mention({ at: '2026-05-10T09:00:00Z', brands: [acme], hashtags: ['příběh'], text: 'acme and globex' }),
        mention({ at: '2026-05-11T09:00:00Z', brands: [acme], hashtags: ['příběh'], text: 'acme alone' }),
      ]).flat(),
    });
    await expectCounted(ws.key, MAY, { příběh: 2 }, 'as stored');

    // A brand created later: its rematch links the first mention, already counted through Acme.
    const globex = await brand(ws.key, 'Globex', 'globex');
    await rematch(ws.id, globex);
    const links = await s.db.selectFrom('mention_brands').select('mention_id').where('brand_id', '=', globex).execute();
    expect(links).toHaveLength(K);
    await expectCounted(ws.key, MAY, { příběh: 2 }, 'after Globex is matched against history');
  });

  it('a rematch that matches raw mentions counts each of them once, and not again the ones already counted', async () => {
    const ws = await s.workspace('Raw matched');
    const acme = await brand(ws.key, 'Acme', 'acme', 'own');
    const src = (await addSource(s, ws.key, { url: 'http://127.0.0.1:9/raw.xml' })).id;
    await seed(s.services, {
      workspaceId: ws.id,
      sourceId: src,
      mentions: times(() => [
        mention({ at: '2026-05-10T09:00:00Z', brands: [acme], hashtags: ['ایران_خودرو'], text: 'acme and globex' }),
        // Raw: no brand matched them when they were stored.
        mention({ at: '2026-05-10T10:00:00Z', brands: [], hashtags: ['ایران_خودرو', 'सम्मेलन'], text: 'globex alone' }),
        mention({ at: '2026-05-12T10:00:00Z', brands: [], hashtags: ['सम्मेलन'], text: 'globex again' }),
        mention({ at: '2026-05-12T11:00:00Z', brands: [], hashtags: ['सम्मेलन'], text: 'nobody' }),
      ]).flat(),
    });
    await expectCounted(ws.key, MAY, { ایران_خودرو: 1, सम्मेलन: 0 }, 'as stored');

    const globex = await brand(ws.key, 'Globex', 'globex');
    await rematch(ws.id, globex);
    await expectCounted(ws.key, MAY, { ایران_خودرو: 2, सम्मेलन: 2 }, 'after Globex is matched against history');
    // Run again (a retried job): nothing changes twice.
    await rematch(ws.id, globex);
    await expectCounted(ws.key, MAY, { ایران_خودرو: 2, सम्मेलन: 2 }, 'after the rematch ran again');
  });

  it('a narrowed query takes a mention out only when it loses its last brand', async () => {
    const ws = await s.workspace('Narrowed');
    const acme = await brand(ws.key, 'Acme', 'acme', 'own');
    const globex = await brand(ws.key, 'Globex', 'globex');
    const src = (await addSource(s, ws.key, { url: 'http://127.0.0.1:9/narrowed.xml' })).id;
    await seed(s.services, {
      workspaceId: ws.id,
      sourceId: src,
      mentions: times(() => [
        mention({ at: '2026-05-10T09:00:00Z', brands: [acme, globex], hashtags: ['příběh', 'सम्मेलन'], text: 'acme and globex' }),
        mention({ at: '2026-05-10T10:00:00Z', brands: [globex], hashtags: ['příběh'], text: 'globex alone' }),
      ]).flat(),
    });
    await expectCounted(ws.key, MAY, { příběh: 2, सम्मेलन: 1 }, 'as stored');

    // Globex no longer wants mentions that also say acme: the first keeps Acme, and its count.
    expect((await s.request('PATCH', `/v1/brands/${globex}`, { key: ws.key, body: { query: 'globex -acme' } })).status).toBe(200);
    await rematch(ws.id, globex);
    await expectCounted(ws.key, MAY, { příběh: 2, सम्मेलन: 1 }, 'after Globex is narrowed');

    // Acme no longer wants mentions that also say globex: the first has no brand left.
    expect((await s.request('PATCH', `/v1/brands/${acme}`, { key: ws.key, body: { query: 'acme -globex' } })).status).toBe(200);
    await rematch(ws.id, acme);
    await expectCounted(ws.key, MAY, { příběh: 1, सम्मेलन: 0 }, 'after Acme is narrowed');
  });

  it('deleting one of two brands keeps the count; deleting the last one takes the mention out with the mention list', async () => {
    const ws = await s.workspace('Deleted brands');
    const acme = await brand(ws.key, 'Acme', 'acme', 'own');
    const globex = await brand(ws.key, 'Globex', 'globex');
    const initech = await brand(ws.key, 'Initech', 'initech');
    const src = (await addSource(s, ws.key, { url: 'http://127.0.0.1:9/deleted.xml' })).id;
    await seed(s.services, {
      workspaceId: ws.id,
      sourceId: src,
      mentions: times(() => [
        mention({ at: '2026-05-10T09:00:00Z', brands: [acme, globex], hashtags: ['सम्मेलन'], text: 'acme and globex' }),
        mention({ at: '2026-05-11T09:00:00Z', brands: [globex, initech], hashtags: ['सम्मेलन', 'příběh'], text: 'globex and initech' }),
        mention({ at: '2026-05-11T10:00:00Z', brands: [initech], hashtags: ['příběh'], text: 'initech alone' }),
      ]).flat(),
    });
    await expectCounted(ws.key, MAY, { सम्मेलन: 2, příběh: 2 }, 'as stored');

    // Every mention of Globex has another brand: nothing leaves.
    await remove(ws.key, ws.id, globex);
    await expectCounted(ws.key, MAY, { सम्मेलन: 2, příběh: 2 }, 'after deleting Globex');

    // Acme was the first mention's last brand: the mention list lets it go at once (mention reads
    // leave out brands whose unlink is pending, and the mentions they alone held); trending's
    // rollups let it go when the unlink job has run, a moment later; after it, both agree.
    await remove(ws.key, ws.id, acme, { unlink: false });
    const pending = await counts(ws.key, MAY, ['सम्मेलन', 'příběh']);
    expect(pending.list, 'after deleting Acme, before its unlink job: the list').toEqual(timesK({ सम्मेलन: 1, příběh: 2 }));
    expect(pending.trending, 'after deleting Acme, before its unlink job: trending').toEqual(timesK({ सम्मेलन: 2, příběh: 2 }));
    await handlers()['brands.unlink']({ workspaceId: ws.id, brandId: acme }, ctx());
    await expectCounted(ws.key, MAY, { सम्मेलन: 1, příběh: 2 }, 'after deleting Acme');

    await remove(ws.key, ws.id, initech);
    await expectCounted(ws.key, MAY, { सम्मेलन: 0, příběh: 0 }, 'after deleting the last brand');
  });

  it('an unlink whose mentions a rematch returned to the raw store after it chose them does not take them out twice', async () => {
    const ws = await s.workspace('Unlink after a rematch');
    const acme = await brand(ws.key, 'Acme', 'acme', 'own');
    const globex = await brand(ws.key, 'Globex', 'globex');
    const initech = await brand(ws.key, 'Initech', 'initech');
    const src = (await addSource(s, ws.key, { url: 'http://127.0.0.1:9/unlink-race.xml' })).id;
    await seed(s.services, {
      workspaceId: ws.id,
      sourceId: src,
      mentions: times(() => [
        mention({ at: '2026-05-10T09:00:00Z', brands: [acme, globex], hashtags: ['ایران_خودرو'], text: 'acme and globex' }),
        mention({ at: '2026-05-10T10:00:00Z', brands: [globex, initech], hashtags: ['ایران_خودرو'], text: 'globex and initech' }),
      ]).flat(),
    });
    await expectCounted(ws.key, MAY, { ایران_خودرو: 2 }, 'as stored');

    // Acme is deleted, and its unlink job picks the mentions that carry it; before its batch takes
    // the workspace's lock, Globex's narrowed rematch commits and leaves the first ones with no brand.
    expect((await s.request('DELETE', `/v1/brands/${acme}`, { key: ws.key })).status).toBe(204);
    expect((await s.request('PATCH', `/v1/brands/${globex}`, { key: ws.key, body: { query: 'globex -acme' } })).status).toBe(200);
    const linkRepository: LinkRepository = {
      ...s.services.linkRepository,
      async carrying(workspaceId, brandId, limit) {
        const ids = await s.services.linkRepository.carrying(workspaceId, brandId, limit);
        if (ids.length) await rematch(ws.id, globex);
        return ids;
      },
    };
    await unlinkBrand({ ...s.services, rematchRepository: createRematchRepository({ db: s.db }), linkRepository, workspaceId: ws.id, brandId: acme });
    await expectCounted(ws.key, MAY, { ایران_خودرو: 1 }, 'after the rematch and the unlink');
  });
});
