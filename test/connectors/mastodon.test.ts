import { afterEach, describe, expect, it } from 'vitest';
import { MASTODON_LIMITS, mastodonConnector, nextMaxId, positionOf } from '../../src/connectors/mastodon.connector.js';
import { SourceFetchError } from '../../src/connectors/connector.types.js';
import { fixtureJson, itHandlesUpstreamFailures, pollFailure, pollOnce, pollUntilQuiet, startApi, type ApiServer, type Received, type Reply } from './api-server.js';

type Status = { id: string; created_at: string; uri: string; [key: string]: unknown };

const recorded = fixtureJson<Status[]>('mastodon/tag-timeline.json');
const NEWEST = recorded[0]!.id;
/** The newest recorded status's position: the millisecond its snowflake id encodes. */
const MARK = Number(BigInt(NEWEST) >> 16n);

function status(offset: number, extra: Partial<Status> = {}): Status {
  const s = structuredClone(recorded[1]!);
  const id = String(BigInt(NEWEST) + BigInt(offset) * 65536n);
  return { ...s, id, uri: `https://mastodon.social/users/sam/statuses/${id}`, url: `https://mastodon.social/@sam/${id}`, content: `<p>acme post ${offset}</p>`, spoiler_text: '', ...extra };
}

const byIdDesc = (a: Status, b: Status) => (BigInt(b.id) > BigInt(a.id) ? 1 : BigInt(b.id) < BigInt(a.id) ? -1 : 0);

/**
 * The tag timeline as Mastodon pages it, newest first: max_id gives the page just below it, min_id
 * the page just above it, and Link names both directions.
 */
function timeline(db: Status[], origin: string, req: Received): Reply {
  const limit = Math.min(Number(req.query.get('limit') ?? 20), 40);
  const minId = req.query.get('min_id');
  const maxId = req.query.get('max_id');
  const sorted = [...db].sort(byIdDesc).filter((s) => maxId === null || BigInt(s.id) < BigInt(maxId));
  const page = minId
    ? sorted.filter((s) => BigInt(s.id) > BigInt(minId)).slice(-limit)
    : sorted.slice(0, limit);
  if (page.length === 0) return { body: [] };
  const self = `${origin}${req.path}`;
  const link = `<${self}?max_id=${page.at(-1)!.id}>; rel="next", <${self}?min_id=${page[0]!.id}>; rel="prev"`;
  return { headers: { link }, body: page };
}

let api: ApiServer;
let db: Status[];
async function serve() {
  db = structuredClone(recorded);
  api = await startApi((req) => (req.path.startsWith('/api/v1/timelines/tag/') ? timeline(db, api.origin, req) : { status: 404, body: { error: 'Record not found' } }));
  return { instance: 'mastodon.social', hashtag: 'acme', baseUrl: api.origin };
}
afterEach(async () => api?.close());

describe('mastodon connector', () => {
  it('on a first poll, reads the newest page of the tag with authors as @user@instance', async () => {
    const config = await serve();
    const result = await pollOnce(mastodonConnector, { config });

    expect(result.items.map((i) => i.itemKey)).toEqual(recorded.map((s) => s.uri));
    expect(result.items[0]).toMatchObject({
      url: 'https://chaos.social/@lena/113520114998700001',
      title: null,
      text: 'Endlich läuft #Acme bei uns stabil & schnell. Danke @acme!',
      author: '@lena@chaos.social',
      hashtags: ['acme'],
      handles: ['acme'],
      langHint: 'de',
      engagement: { favourites: 17, reposts: 5, replies: 2 },
      authorFollowers: 842,
      publishedAt: new Date('2026-11-22T10:04:31Z'),
    });
    expect(result.items[1]).toMatchObject({ author: '@sam@mastodon.social', text: 'product rant\nThe new #acme dashboard is slower than the old one.\nWhy <3 spinners?', langHint: 'en' });
    expect(api.received).toHaveLength(1);
    expect(api.received[0]!.path).toBe('/api/v1/timelines/tag/acme');
    expect(Object.fromEntries(api.received[0]!.query)).toEqual({ limit: '40' });
    expect(result.state).toMatchObject({ mark: MARK, backlog: null });
  });

  it('on the next poll, reads down to the margin below the mark and returns only new statuses, skipping boosts', async () => {
    const config = await serve();
    const first = await pollOnce(mastodonConnector, { config });
    db.push(status(1), status(2), status(3, { reblog: structuredClone(recorded[0]) }));

    const second = await pollOnce(mastodonConnector, { config, state: first.state });
    expect(second.items.map((i) => i.itemKey)).toEqual([status(2).uri, status(1).uri]);
    expect(Object.fromEntries(api.received[1]!.query)).toEqual({ limit: '40' });
    expect(second.state).toMatchObject({ mark: MARK + 2, backlog: null });
    const third = await pollOnce(mastodonConnector, { config, state: second.state });
    expect(third.items).toEqual([]);
    expect(third.notModified).toBe(true);
  });

  it('on a server whose ids are ULIDs (GoToSocial), the mark still moves with the newest status', async () => {
    // ULIDs: 26 characters, ordered by time as text. This server lists above min_id as Mastodon does.
    const ulid = (n: number) => `01JD${String(n).padStart(22, '0')}`;
    const statuses = [1, 2, 3].map((n) => ({ ...structuredClone(recorded[1]!), id: ulid(n), uri: `https://gts.example/statuses/${ulid(n)}`, url: `https://gts.example/@sam/${ulid(n)}`, content: `<p>acme ${n}</p>` }));
    api = await startApi((req) => {
      const minId = req.query.get('min_id');
      const page = statuses.filter((st) => minId === null || st.id > minId).sort((a, b) => (a.id < b.id ? 1 : -1));
      return { body: page };
    });
    const config = { instance: 'gts.example', hashtag: 'acme', baseUrl: api.origin };
    const first = await pollOnce(mastodonConnector, { config });
    expect(first.state).toMatchObject({ mark: positionOf(ulid(3)) });
    statuses.push({ ...statuses[0]!, id: ulid(4), uri: `https://gts.example/statuses/${ulid(4)}`, content: '<p>acme 4</p>' });
    const second = await pollOnce(mastodonConnector, { config, state: first.state });
    expect(second.items.map((i) => i.itemKey)).toEqual([`https://gts.example/statuses/${ulid(4)}`]);
  });

  it('follows the Link header down through several pages', async () => {
    const config = await serve();
    const first = await pollOnce(mastodonConnector, { config });
    for (let i = 1; i <= 100; i++) db.push(status(i));

    const second = await pollOnce(mastodonConnector, { config, state: first.state });
    expect(new Set(second.items.map((i) => i.itemKey)).size).toBe(100);
    expect(api.received.slice(1).map((r) => r.query.get('max_id'))).toEqual([null, status(61).id, status(21).id]);
  });

  it('when a status reaches the instance late, listed below statuses already read, the next poll returns it, once', async () => {
    const config = await serve();
    const first = await pollOnce(mastodonConnector, { config });
    db.push(status(1000));
    const second = await pollOnce(mastodonConnector, { config, state: first.state });
    expect(second.items.map((i) => i.itemKey)).toEqual([status(1000).uri]);

    // Published 30 s before the newest status read, on another server: its id is from then.
    const remote = status(1000 - 30_000, { uri: 'https://remote.example/users/bob/statuses/1', account: { ...recorded[0]!.account as object, acct: 'bob@remote.example' } });
    db.push(remote);
    const third = await pollOnce(mastodonConnector, { config, state: second.state });
    expect(third.items.map((i) => i.itemKey)).toEqual([remote.uri]);
    expect(third.items[0]!.author).toBe('@bob@remote.example');
    const fourth = await pollOnce(mastodonConnector, { config, state: third.state });
    expect(fourth.items).toEqual([]);
  });

  it('reads a state stored before the look-back ({minId}) as a mark at that id, without losing what came since', async () => {
    const config = await serve();
    db.push(status(1), status(2));
    const result = await pollOnce(mastodonConnector, { config, state: { minId: NEWEST } });
    // The newest status read then is read again (ingestion deduplicates it by key); nothing is skipped.
    expect(result.items.map((i) => i.itemKey)).toEqual([status(2).uri, status(1).uri, recorded[0]!.uri, recorded[1]!.uri]);
    expect(result.state).toMatchObject({ mark: MARK + 2, backlog: null });
  });

  it('after a restart, a burst larger than one poll continues from the stored max_id without gaps or repeats', async () => {
    const config = await serve();
    const first = await pollOnce(mastodonConnector, { config });
    for (let i = 1; i <= 230; i++) db.push(status(i));

    const second = await pollOnce(mastodonConnector, { config, state: first.state });
    expect(second.items).toHaveLength(MASTODON_LIMITS.maxPages * MASTODON_LIMITS.perPage);
    const third = await pollOnce(mastodonConnector, { config, state: second.state });
    const fourth = await pollOnce(mastodonConnector, { config, state: third.state });
    expect(third.items).toHaveLength(30);
    expect(fourth.items).toEqual([]);
    const all = [...second.items, ...third.items].map((i) => i.itemKey);
    expect(new Set(all)).toEqual(new Set(Array.from({ length: 230 }, (_, k) => status(k + 1).uri)));
  });

  it('after a burst, a poll with nothing new reads one page rather than the whole margin again, and one late status still reads on', async () => {
    const config = await serve();
    const first = await pollOnce(mastodonConnector, { config });
    for (let i = 1; i <= 230; i++) db.push(status(i));
    const caughtUp = await pollUntilQuiet(mastodonConnector, { config, state: first.state });
    expect(caughtUp.keys).toHaveLength(230);

    let before = api.received.length;
    const quiet = await pollOnce(mastodonConnector, { config, state: caughtUp.state });
    expect(quiet.items).toEqual([]);
    expect(api.received.length - before).toBe(1);

    // A status that federated late, published in the millisecond of one read before: on the first
    // page, which therefore brings something new, so the next page is read too.
    const late = status(229);
    db.push({ ...late, id: String(BigInt(late.id) + 1n), uri: `${late.uri}-late` });
    before = api.received.length;
    const next = await pollOnce(mastodonConnector, { config, state: quiet.state });
    expect(next.items.map((i) => i.itemKey)).toEqual([`${late.uri}-late`]);
    expect(api.received.length - before).toBe(2);
  });

  it('when a full page has no status that parses and no Link header, steps over it to the statuses below', async () => {
    db = [...Array.from({ length: 40 }, (_, k) => status(k + 6, { content: null })), ...Array.from({ length: 5 }, (_, k) => status(k + 1))];
    api = await startApi((req) => ({ ...timeline(db, api.origin, req), headers: {} }));
    const config = { instance: 'mastodon.social', hashtag: 'acme', baseUrl: api.origin };

    const result = await pollOnce(mastodonConnector, { config, state: { mark: MARK, seen: [], backlog: null } });
    expect(result.items.map((i) => i.itemKey)).toEqual([5, 4, 3, 2, 1].map((k) => status(k).uri));
    expect(api.received.map((r) => r.query.get('max_id'))).toEqual([null, status(6).id]);
    // Only statuses read are positions: the unreadable page is stepped over again next time.
    expect(result.state).toMatchObject({ mark: MARK + 5, backlog: null });
  });

  it('when the tag is empty on the first poll, the next polls read every status posted since, not only the newest page', async () => {
    const config = await serve();
    db.length = 0;
    // The source is created when the newest recorded status is posted; the tag is empty then.
    const first = await pollOnce(mastodonConnector, { config, now: new Date(MARK) });
    expect(first.items).toEqual([]);
    // A campaign tag followed before launch; then the launch, more than one poll reads.
    for (let i = 1; i <= 230; i++) db.push(status(i));

    const later = await pollUntilQuiet(mastodonConnector, { config, state: first.state, now: new Date(MARK + 3_600_000) });
    expect(new Set(later.keys)).toEqual(new Set(Array.from({ length: 230 }, (_, k) => status(k + 1).uri)));
    expect(later.keys).toHaveLength(230);
  });

  it('when the timeline lists statuses and none of them can be read, the poll fails naming the first problem', async () => {
    const config = await serve();
    db.splice(0, db.length, ...db.map((s) => ({ ...s, account: null })));
    const err = await pollFailure(pollOnce(mastodonConnector, { config }));
    expect(err).toBeInstanceOf(SourceFetchError);
    expect(err.message).toMatch(/^Mastodon listed 2 entries and none could be read; the first is invalid at \[0\]\.account: /);
    expect((err as SourceFetchError).details.status).toBe(200);
  });

  it('when a status has an id no Mastodon server hands out, it is returned but the mark stays with the real ones', async () => {
    const odd = (id: string) => status(0, { id, uri: `https://mastodon.social/users/sam/statuses/odd-${id}` });
    const future = String(BigInt(Date.parse('2100-01-01T00:00:00Z')) << 16n);
    const page = [odd('99999999999999999999999'), odd('zzz'), odd(future), status(1)];
    api = await startApi(() => ({ body: page }));
    const config = { instance: 'mastodon.social', hashtag: 'acme', baseUrl: api.origin };

    const result = await pollOnce(mastodonConnector, { config, state: { mark: MARK, seen: [], backlog: null } });
    expect(result.items).toHaveLength(4);
    expect(result.state).toMatchObject({ mark: MARK + 1 });
    // A state such an id stored earlier starts afresh from the newest page instead of staying stuck.
    for (const minId of ['zzz', future]) {
      const afresh = await pollOnce(mastodonConnector, { config, state: { minId } });
      expect(afresh.state).toMatchObject({ mark: MARK + 1 });
    }
  });

  it('reads up to four comma-separated tags, the first in the path and the rest as any[]', async () => {
    const config = await serve();
    await pollOnce(mastodonConnector, { config: { ...config, hashtag: '#Acme, acmecorp,AcmeHQ' } });
    expect(api.received[0]!.path).toBe('/api/v1/timelines/tag/acme');
    expect(api.received[0]!.query.getAll('any[]')).toEqual(['acmecorp', 'acmehq']);
    expect(mastodonConnector.endpoint(mastodonConnector.config.parse({ instance: 'https://Mastodon.Social/', hashtag: 'a,b' }))).toBe(
      'https://mastodon.social/api/v1/timelines/tag/a?any%5B%5D=b',
    );
  });

  it('refuses more than four tags and instances that are not host names', () => {
    const parse = (v: unknown) => mastodonConnector.config.safeParse(v);
    expect(parse({ instance: 'mastodon.social', hashtag: 'a,b,c,d,e' }).error?.issues[0]?.message).toBe('must hold at most 4 comma-separated tags');
    expect(parse({ instance: 'mastodon.social', hashtag: 'no spaces' }).error?.issues[0]).toMatchObject({ path: ['hashtag'], message: expect.stringMatching(/^"no spaces" is not a Mastodon hashtag/) });
    expect(parse({ instance: 'not a host', hashtag: 'acme' }).error?.issues[0]?.path).toEqual(['instance']);
    expect(parse({ instance: 'mastodon.social', hashtag: 'čeština_2' }).success).toBe(true);
  });

  it('reads max_id from the rel="next" link, and positions from the ids of Mastodon, GoToSocial and Akkoma', () => {
    expect(nextMaxId('<https://m.example/api/v1/timelines/tag/a?max_id=1>; rel="next", <https://m.example/api/v1/timelines/tag/a?min_id=9>; rel="prev"')).toBe('1');
    expect(nextMaxId('<https://m.example/x?min_id=9>; rel="prev"')).toBeNull();
    expect(nextMaxId(undefined)).toBeNull();
    const at = Date.parse('2026-11-22T10:04:31.123Z');
    expect(positionOf(String((BigInt(at) << 16n) | 0xbeefn))).toBe(at);
    expect(positionOf('01JD5ZB7JV0000000000000000')).toBe(Date.parse('2024-11-20T23:43:28.347Z'));
    // An Akkoma flake id: 64 bits of milliseconds, 48 of worker and 16 of sequence, in base62.
    const flake = (BigInt(at) << 64n) | (0x0242ac110002n << 16n) | 7n;
    const digits = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    let text = '';
    for (let n = flake; n > 0n; n /= 62n) text = digits[Number(n % 62n)] + text;
    expect(positionOf(text.padStart(18, '0'))).toBe(at);
    expect(positionOf('zzz')).toBeNull();
  });

  itHandlesUpstreamFailures(mastodonConnector, (origin) => ({ instance: 'mastodon.social', hashtag: 'acme', baseUrl: origin }));
});
