import { afterEach, describe, expect, it } from 'vitest';
import { MASTODON_LIMITS, mastodonConnector, prevMinId } from '../../src/connectors/mastodon.connector.js';
import { fixtureJson, itHandlesUpstreamFailures, pollOnce, startApi, type ApiServer, type Received, type Reply } from './api-server.js';

type Status = { id: string; created_at: string; uri: string; [key: string]: unknown };

const recorded = fixtureJson<Status[]>('mastodon/tag-timeline.json');
const NEWEST = recorded[0]!.id;

function status(offset: number, extra: Partial<Status> = {}): Status {
  const s = structuredClone(recorded[1]!);
  const id = String(BigInt(NEWEST) + BigInt(offset) * 65536n);
  return { ...s, id, uri: `https://mastodon.social/users/sam/statuses/${id}`, url: `https://mastodon.social/@sam/${id}`, content: `<p>acme post ${offset}</p>`, spoiler_text: '', ...extra };
}

const byIdDesc = (a: Status, b: Status) => (BigInt(b.id) > BigInt(a.id) ? 1 : BigInt(b.id) < BigInt(a.id) ? -1 : 0);

/** The tag timeline as Mastodon pages it: min_id gives the page just above it, Link names both directions. */
function timeline(db: Status[], origin: string, req: Received): Reply {
  const limit = Math.min(Number(req.query.get('limit') ?? 20), 40);
  const minId = req.query.get('min_id');
  const sorted = [...db].sort(byIdDesc);
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
    expect(result.state).toEqual({ minId: NEWEST });
  });

  it('on the next poll, asks for statuses above min_id and returns only those, skipping boosts', async () => {
    const config = await serve();
    const first = await pollOnce(mastodonConnector, { config });
    db.push(status(1), status(2), status(3, { reblog: structuredClone(recorded[0]) }));

    const second = await pollOnce(mastodonConnector, { config, state: first.state });
    expect(second.items.map((i) => i.itemKey)).toEqual([status(2).uri, status(1).uri]);
    expect(api.received[1]!.query.get('min_id')).toBe(NEWEST);
    expect(second.state).toEqual({ minId: status(3).id });
    const third = await pollOnce(mastodonConnector, { config, state: second.state });
    expect(third.items).toEqual([]);
    expect(third.notModified).toBe(true);
  });

  it('follows the Link header upwards through several pages', async () => {
    const config = await serve();
    const first = await pollOnce(mastodonConnector, { config });
    for (let i = 1; i <= 100; i++) db.push(status(i));

    const second = await pollOnce(mastodonConnector, { config, state: first.state });
    expect(new Set(second.items.map((i) => i.itemKey)).size).toBe(100);
    expect(api.received.slice(1).map((r) => r.query.get('min_id'))).toEqual([NEWEST, status(40).id, status(80).id]);
  });

  it('after a restart, a burst larger than one poll continues from the stored min_id without gaps or repeats', async () => {
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
    expect(parse({ instance: 'mastodon.social', hashtag: 'a,b,c,d,e' }).error?.issues[0]?.message).toBe('hashtag takes at most 4 comma-separated tags');
    expect(parse({ instance: 'mastodon.social', hashtag: 'no spaces' }).error?.issues[0]?.message).toBe('each hashtag must be letters, digits or underscores');
    expect(parse({ instance: 'not a host', hashtag: 'acme' }).error?.issues[0]?.path).toEqual(['instance']);
    expect(parse({ instance: 'mastodon.social', hashtag: 'čeština_2' }).success).toBe(true);
  });

  it('reads min_id from the rel="prev" link', () => {
    expect(prevMinId('<https://m.example/api/v1/timelines/tag/a?max_id=1>; rel="next", <https://m.example/api/v1/timelines/tag/a?min_id=9>; rel="prev"')).toBe('9');
    expect(prevMinId('<https://m.example/x?max_id=1>; rel="next"')).toBeNull();
    expect(prevMinId(undefined)).toBeNull();
  });

  itHandlesUpstreamFailures(mastodonConnector, (origin) => ({ instance: 'mastodon.social', hashtag: 'acme', baseUrl: origin }));
});
