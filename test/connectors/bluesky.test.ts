import { afterEach, describe, expect, it } from 'vitest';
import { BLUESKY_LIMITS, blueskyConnector } from '../../src/connectors/bluesky.connector.js';
import { SourceFetchError } from '../../src/connectors/connector.types.js';
import { matchQuery } from '../../src/domain/query/index.js';
import { fixtureJson, itHandlesUpstreamFailures, NOW, pollFailure, pollOnce, pollUntilQuiet, startApi, type ApiServer, type Received, type Reply } from './api-server.js';

type Post = { uri: string; indexedAt: string; record: { createdAt: string; text: string; langs?: string[]; [key: string]: unknown }; [key: string]: unknown };

const recorded = fixtureJson('bluesky/searchPosts.json');
const session = fixtureJson('bluesky/createSession.json');
const refreshed = fixtureJson('bluesky/refreshSession.json');
const MARK = Date.parse('2026-11-22T10:03:00.000Z'); // the newest post's sortAt (createdAt, before indexedAt)
const credentials = { identifier: 'earshot.bsky.social', appPassword: 'abcd-efgh-ijkl-mnop' };

function post(offset: number, at = MARK + offset * 1000): Post {
  const p = structuredClone(recorded.posts[0]) as Post;
  return { ...p, uri: `at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/p${offset}`, indexedAt: new Date(at + 400).toISOString(), record: { ...p.record, createdAt: new Date(at).toISOString(), text: `acme ${offset}` } };
}

const sortAt = (p: Post) => Math.min(Date.parse(p.indexedAt), Date.parse(p.record.createdAt));

/** searchPosts as the AppView answers it: since inclusive, until exclusive (on sortAt), latest first, opaque cursors. */
function search(db: Post[], req: Received): Reply {
  const since = req.query.get('since');
  const until = req.query.get('until');
  const hits = db
    .filter((p) => (since === null || sortAt(p) >= Date.parse(since)) && (until === null || sortAt(p) < Date.parse(until)))
    .sort((a, b) => sortAt(b) - sortAt(a));
  const offset = Number(req.query.get('cursor') ?? 0);
  const limit = Math.min(Number(req.query.get('limit') ?? 25), 100);
  const posts = hits.slice(offset, offset + limit);
  return { body: { posts, hitsTotal: hits.length, ...(offset + limit < hits.length ? { cursor: String(offset + limit) } : {}) } };
}

let api: ApiServer;
let db: Post[];
/** Access tokens the server takes; anything else that looks like one of its tokens has expired. */
let valid: Set<string>;
async function serve() {
  db = structuredClone(recorded.posts);
  valid = new Set([session.accessJwt, refreshed.accessJwt]);
  api = await startApi((req) => {
    const bearer = req.headers.authorization?.replace(/^Bearer /, '');
    if (req.path === '/xrpc/com.atproto.server.createSession') {
      const body = JSON.parse(req.body);
      return body.identifier === credentials.identifier && body.password === credentials.appPassword
        ? { body: session }
        : { status: 401, body: { error: 'AuthenticationRequired', message: 'Invalid identifier or password' } };
    }
    if (req.path === '/xrpc/com.atproto.server.refreshSession') {
      return bearer === session.refreshJwt ? { body: refreshed } : { status: 400, body: { error: 'ExpiredToken', message: 'Token has expired' } };
    }
    if (req.path === '/xrpc/app.bsky.feed.searchPosts') {
      if (bearer !== undefined && !valid.has(bearer)) return { status: 400, body: fixtureJson('bluesky/expired-token.json') };
      return search(db, req);
    }
    return { status: 404, body: { error: 'MethodNotImplemented' } };
  });
  return { query: 'acme', baseUrl: api.origin };
}
afterEach(async () => api?.close());

describe('bluesky connector', () => {
  it('on a first poll, searches latest posts and builds bsky.app links, languages and engagement', async () => {
    const config = await serve();
    const result = await pollOnce(blueskyConnector, { config });

    expect(result.items).toHaveLength(2);
    expect(result.items[0]).toMatchObject({
      itemKey: 'at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3lbx2m7kq2c2a',
      url: 'https://bsky.app/profile/ana.bsky.social/post/3lbx2m7kq2c2a',
      author: '@ana.bsky.social',
      text: 'Testei o Acme hoje e gostei muito! #acme @acme.bsky.social',
      hashtags: ['acme'],
      handles: ['acme.bsky.social'],
      langHint: 'pt',
      engagement: { favourites: 22, reposts: 4, replies: 1 },
      publishedAt: new Date('2026-11-22T10:03:00.000Z'),
    });
    // A handle that no longer verifies is shown by its DID, which always resolves.
    expect(result.items[1]).toMatchObject({ url: 'https://bsky.app/profile/did:plc:ewvi7nxzyoun6zhxrhs64oiz/post/3lbx1qqpx4k2x', langHint: null });
    expect(Object.fromEntries(api.received[0]!.query)).toEqual({ q: 'acme', sort: 'latest', limit: '100' });
    expect(api.received[0]!.headers.authorization).toBeUndefined();
    expect(result.state).toMatchObject({ mark: MARK, backlog: null });
  });

  it('when a handle or record key is not valid atproto syntax, the link stays on bsky.app and the author falls back to the DID', async () => {
    const config = await serve();
    const odd = (suffix: string, handle: string, rkey: string, did = 'did:plc:z72i7hdynmk6r22z27h6tvur'): Post => {
      const p = post(Number(suffix));
      return { ...p, uri: `at://${did}/app.bsky.feed.post/${rkey}`, author: { did, handle } };
    };
    db.push(
      odd('70', 'evil.example/../../phish?x=', '3lbx2m7kq2c70'),
      odd('71', 'ana.bsky.social', 'a?b#c'),
      odd('72', 'Ana.Bsky.Social', '3lbx2m7kq2c72'),
      odd('73', 'bad handle', '3lbx2m7kq2c73', 'did:web:x?y#z'),
    );
    const result = await pollOnce(blueskyConnector, { config });
    const byText = new Map(result.items.map((i) => [i.text, i]));
    expect(byText.get('acme 70')).toMatchObject({ url: 'https://bsky.app/profile/did:plc:z72i7hdynmk6r22z27h6tvur/post/3lbx2m7kq2c70', author: '@did:plc:z72i7hdynmk6r22z27h6tvur' });
    expect(byText.get('acme 71')).toMatchObject({ url: 'https://bsky.app/profile/ana.bsky.social/post/a%3Fb%23c', author: '@ana.bsky.social' });
    // Handles are case-insensitive; bsky.app shows them lowercase.
    expect(byText.get('acme 72')).toMatchObject({ url: 'https://bsky.app/profile/ana.bsky.social/post/3lbx2m7kq2c72', author: '@ana.bsky.social' });
    // Neither a valid handle nor a valid DID: no link to make, the post is kept.
    expect(byText.get('acme 73')).toMatchObject({ url: null, author: null });
    for (const item of result.items) if (item.url) expect(new URL(item.url).origin).toBe('https://bsky.app');
  });

  it('on the next poll, returns only new posts, including one indexed late within the look-back', async () => {
    const config = await serve();
    const first = await pollOnce(blueskyConnector, { config });
    db.push(post(60), post(61), post(-120));

    const second = await pollOnce(blueskyConnector, { config, state: first.state });
    expect(second.items.map((i) => i.text)).toEqual(['acme 61', 'acme 60', 'acme -120']);
    expect(api.received[1]!.query.get('since')).toBe(new Date(MARK - BLUESKY_LIMITS.lookbackMs).toISOString());
    const third = await pollOnce(blueskyConnector, { config, state: second.state });
    expect(third.items).toEqual([]);
  });

  it('writes out shortened links in full by their facets\' byte offsets, in any script before them', async () => {
    const config = await serve();
    const full = 'https://acme.example/news/2026/launch-day';
    /** A post whose text is `before`, `shown` (a link to `uri`) and `after`, with the facet counted in UTF-8 bytes as atproto does. */
    const linked = (offset: number, before: string, shown: string, uri: string, after = '') => {
      const p = post(offset);
      const byteStart = Buffer.byteLength(before);
      const facet = { index: { byteStart, byteEnd: byteStart + Buffer.byteLength(shown) }, features: [{ $type: 'app.bsky.richtext.facet#link', uri }] };
      return { ...p, record: { ...p.record, text: `${before}${shown}${after}`, facets: [facet] } };
    };
    // Offsets cutting a character in two, or past the text: left as written.
    const broken = linked(84, 'ஆக்மே ', 'acme.example/x...', full);
    const link = (byteStart: number, byteEnd: number) => ({ index: { byteStart, byteEnd }, features: [{ $type: 'app.bsky.richtext.facet#link', uri: full }] });
    broken.record.facets = [link(1, 9), link(0, 999)];
    db.push(
      linked(81, 'کتاب‌خوانی با آکمه 📚 ', 'acme.example/news/2026/lau...', full, ' 👍'),
      linked(82, 'आक्मे कॉफ़ी 😬 ', 'acme.example/news/2026/lau…', full),
      linked(83, 'Čeština: ', 'přečtěte si', full, ' dnes'),
      broken,
    );
    const result = await pollOnce(blueskyConnector, { config });
    const text = (offset: number) => result.items.find((i) => i.itemKey.endsWith(`/p${offset}`))?.text;

    expect(text(81)).toBe(`کتاب‌خوانی با آکمه 📚 ${full} 👍`);
    expect(text(82)).toBe(`आक्मे कॉफ़ी 😬 ${full}`);
    expect(text(83)).toBe(`Čeština: přečtěte si (${full}) dnes`);
    expect(text(84)).toBe('ஆக்மே acme.example/x...');
  });

  it('a post sharing a page through a link card says what the card shows, and stays its own mention at its own URL', async () => {
    const config = await serve();
    const card = { uri: 'https://news.example/2026/acme-recall?utm_source=bsky', title: 'Acme recalls product', description: 'Globex says the Acme kettle overheats.', thumb: 'bafkreithumb' };
    const p = post(90);
    db.push(
      { ...p, record: { ...p.record, text: 'wow 😬', embed: { $type: 'app.bsky.embed.external', external: card } } },
      // Only the AppView's view of the card, beside a quoted post.
      { ...post(91), embed: { $type: 'app.bsky.embed.recordWithMedia#view', record: {}, media: { $type: 'app.bsky.embed.external#view', external: { ...card, uri: 'https://news.example/2026/other' } } } },
      { ...post(92), record: { ...post(92).record, embed: { $type: 'app.bsky.embed.external', external: { uri: 'javascript:alert(1)', title: 'x', description: '' } } } },
    );
    const result = await pollOnce(blueskyConnector, { config });
    const item = (offset: number) => result.items.find((i) => i.itemKey.endsWith(`/p${offset}`))!;

    const at = (offset: number) => `https://bsky.app/profile/ana.bsky.social/post/p${offset}`;
    expect(item(90)).toMatchObject({ url: at(90), title: null, text: 'wow 😬\nAcme recalls product\nGlobex says the Acme kettle overheats.', author: '@ana.bsky.social' });
    expect(item(91)).toMatchObject({ url: at(91), text: 'acme 91\nAcme recalls product\nGlobex says the Acme kettle overheats.' });
    expect(item(92)).toMatchObject({ url: at(92), text: 'acme 92' });
    expect(matchQuery('"acme recalls"', { ...item(90), lang: null, sourceType: 'bluesky' })).not.toBeNull();
  });

  it('when a post is dated far in the future, it is returned but does not hold back the posts after it', async () => {
    const config = await serve();
    db.push(post(9999, Date.parse('2100-01-01T00:00:00Z')));
    const first = await pollOnce(blueskyConnector, { config });
    expect(first.items.map((i) => i.text)).toContain('acme 9999');
    db.push(post(60));

    const second = await pollOnce(blueskyConnector, { config, state: first.state });
    expect(second.items.map((i) => i.text)).toEqual(['acme 60']);
  });

  it('when a post says it was written in the future, it is dated when Bluesky indexed it', async () => {
    const config = await serve();
    const indexed = new Date(NOW.getTime() - 10 * 60_000);
    const dated = (offset: number, createdAt: string): Post => ({ ...post(offset), indexedAt: indexed.toISOString(), record: { ...post(offset).record, createdAt } });
    // 2099, and a client clock a few hours ahead: both later than the post was indexed.
    db.push(dated(1, '2099-01-01T00:00:00Z'), dated(2, new Date(NOW.getTime() + 3 * 3_600_000).toISOString()));

    const result = await pollOnce(blueskyConnector, { config });
    for (const text of ['acme 1', 'acme 2']) {
      expect(result.items.find((i) => i.text === text)).toMatchObject({ publishedAt: indexed, dateQuality: 'exact' });
    }
  });

  it('when the first poll finds nothing, the next polls read everything posted since, however much it is', async () => {
    const config = await serve();
    db.length = 0;
    const first = await pollOnce(blueskyConnector, { config });
    expect(first.items).toEqual([]);
    for (let i = 1; i <= 620; i++) db.push(post(i, NOW.getTime() + i * 1000));

    const later = await pollUntilQuiet(blueskyConnector, { config, state: first.state, now: new Date(NOW.getTime() + 3_600_000) });
    expect(new Set(later.keys)).toEqual(new Set(Array.from({ length: 620 }, (_, k) => post(k + 1).uri)));
    expect(later.keys).toHaveLength(620);
  });

  it('when the API lists posts and none of them can be read, the poll fails naming the first problem', async () => {
    const config = await serve();
    db = db.map((p) => ({ ...p, author: null }));
    const err = await pollFailure(pollOnce(blueskyConnector, { config }));
    expect(err).toBeInstanceOf(SourceFetchError);
    expect(err.message).toMatch(/^Bluesky search listed 2 entries and none could be read; the first is invalid at posts\[0\]\.author: /);
  });

  it('when every post on a page fails validation, reads on to the pages below it', async () => {
    const config = await serve();
    const first = await pollOnce(blueskyConnector, { config });
    for (let i = 1; i <= 300; i++) {
      const p = post(i);
      // The middle page: posts without an author, which the schema refuses.
      db.push(i > 100 && i <= 200 ? { ...p, author: null } : p);
    }

    const second = await pollOnce(blueskyConnector, { config, state: first.state });
    expect(second.items.map((i) => i.text)).toEqual([...Array.from({ length: 100 }, (_, k) => `acme ${300 - k}`), ...Array.from({ length: 100 }, (_, k) => `acme ${100 - k}`)]);
  });

  it('follows the cursor through several pages', async () => {
    const config = await serve();
    const first = await pollOnce(blueskyConnector, { config });
    for (let i = 1; i <= 250; i++) db.push(post(i));

    const second = await pollOnce(blueskyConnector, { config, state: first.state });
    expect(new Set(second.items.map((i) => i.itemKey)).size).toBe(250);
    expect(api.received.slice(1).map((r) => r.query.get('cursor'))).toEqual([null, '100', '200']);
  });

  it('after a restart, a burst larger than one poll is caught up from the stored state without gaps or repeats', async () => {
    const config = await serve();
    const first = await pollOnce(blueskyConnector, { config });
    for (let i = 1; i <= 620; i++) db.push(post(i));

    const second = await pollOnce(blueskyConnector, { config, state: first.state });
    expect(second.items).toHaveLength(BLUESKY_LIMITS.maxPages * BLUESKY_LIMITS.perPage);
    const third = await pollOnce(blueskyConnector, { config, state: second.state });
    const fourth = await pollOnce(blueskyConnector, { config, state: third.state });

    expect(third.items).toHaveLength(120);
    expect(api.received[1 + BLUESKY_LIMITS.maxPages]!.query.get('until')).toBe(new Date(MARK + 121_000 + 1).toISOString());
    expect(fourth.items).toEqual([]);
    const all = [...second.items, ...third.items].map((i) => i.itemKey);
    expect(new Set(all)).toEqual(new Set(Array.from({ length: 620 }, (_, k) => post(k + 1).uri)));
  });

  it('after a burst, a poll with nothing new reads one page rather than the whole ten-minute margin again', async () => {
    const config = await serve();
    const first = await pollOnce(blueskyConnector, { config });
    for (let i = 1; i <= 550; i++) db.push(post(i));
    const caughtUp = await pollUntilQuiet(blueskyConnector, { config, state: first.state });
    expect(caughtUp.keys).toHaveLength(550);

    const before = api.received.length;
    const quiet = await pollOnce(blueskyConnector, { config, state: caughtUp.state });
    expect(quiet.items).toEqual([]);
    expect(api.received.length - before).toBe(1);
    expect(quiet.state).toMatchObject({ mark: MARK + 550_000, backlog: null });
  });

  it('with an app password, logs in once and searches with the access token on every poll', async () => {
    const config = await serve();
    const first = await pollOnce(blueskyConnector, { config, credentials });
    db.push(post(5));
    const second = await pollOnce(blueskyConnector, { config, credentials, state: first.state });

    expect(second.items.map((i) => i.text)).toEqual(['acme 5']);
    const logins = api.to('createSession');
    expect(logins).toHaveLength(1);
    expect(logins[0]!.method).toBe('POST');
    expect(JSON.parse(logins[0]!.body)).toEqual({ identifier: credentials.identifier, password: credentials.appPassword });
    for (const r of api.to('searchPosts')) expect(r.headers.authorization).toBe(`Bearer ${session.accessJwt}`);
    // The stored state is not encrypted: neither the app password nor the session tokens may end up in it.
    expect(JSON.stringify([first.state, second.state])).not.toMatch(/abcd-efgh-ijkl-mnop|access-1|refresh-1/);
  });

  it('when the access token has expired, refreshes the session once and retries', async () => {
    const config = await serve();
    const first = await pollOnce(blueskyConnector, { config, credentials });
    valid.delete(session.accessJwt);
    db.push(post(5));

    const second = await pollOnce(blueskyConnector, { config, credentials, state: first.state });
    expect(second.items.map((i) => i.text)).toEqual(['acme 5']);
    const sequence = api.received.slice(2).map((r) => `${r.path.split('.').at(-1)} ${r.headers.authorization}`);
    expect(sequence).toEqual([`searchPosts Bearer ${session.accessJwt}`, `refreshSession Bearer ${session.refreshJwt}`, `searchPosts Bearer ${refreshed.accessJwt}`]);

    await pollOnce(blueskyConnector, { config, credentials, state: second.state });
    expect(api.received.at(-1)!.headers.authorization).toBe(`Bearer ${refreshed.accessJwt}`);
    expect(api.to('createSession')).toHaveLength(1);
  });

  it('when the token is refused even after a refresh, the poll fails after one refresh and the next one logs in afresh', async () => {
    const config = await serve();
    await pollOnce(blueskyConnector, { config, credentials });
    valid.clear();

    const err = await pollFailure(pollOnce(blueskyConnector, { config, credentials }));
    expect(err).toBeInstanceOf(SourceFetchError);
    expect((err as SourceFetchError).details.permanent).toBeFalsy();
    expect(api.to('refreshSession')).toHaveLength(1);
    expect(api.to('searchPosts')).toHaveLength(3);

    valid.add(session.accessJwt);
    await pollOnce(blueskyConnector, { config, credentials });
    expect(api.to('createSession')).toHaveLength(2);
  });

  it('when the app password is wrong, the source stops for good without echoing it', async () => {
    const config = await serve();
    const err = await pollFailure(pollOnce(blueskyConnector, { config, credentials: { ...credentials, appPassword: 'wrong-pass-word-1234' } }));
    expect((err as SourceFetchError).details).toMatchObject({ status: 401, permanent: true });
    expect(err.message).toContain('AuthenticationRequired');
    expect(err.message).not.toContain('wrong-pass-word-1234');
    expect(api.to('searchPosts')).toHaveLength(0);
  });

  it('when createSession or refreshSession answers with a cut-off or failed body, the error does not quote the tokens', async () => {
    const cutOff = '{"did":"did:plc:x","accessJwt":"SECRET-BSKY-JWT-eyJ0eXAiOiJhdCtqd3QifQ","refreshJwt":"SECRET-BSKY-REFRESH"';
    let createReply: Reply = { body: cutOff };
    api = await startApi((req) => {
      if (req.path === '/xrpc/com.atproto.server.createSession') return createReply;
      if (req.path === '/xrpc/com.atproto.server.refreshSession') return { body: cutOff };
      return { status: 400, body: fixtureJson('bluesky/expired-token.json') };
    });
    const config = { query: 'acme', baseUrl: api.origin };

    const cut = await pollFailure(pollOnce(blueskyConnector, { config, credentials }));
    expect(cut.message).toContain(`createSession answered HTTP 200 from ${api.origin}/xrpc/com.atproto.server.createSession with malformed JSON`);
    createReply = { status: 500, body: cutOff };
    const failed = await pollFailure(pollOnce(blueskyConnector, { config, credentials }));
    expect(failed.message).toContain('HTTP 500');
    createReply = { body: session };
    const refresh = await pollFailure(pollOnce(blueskyConnector, { config, credentials }));
    expect(refresh.message).toContain(`refreshSession answered HTTP 200 from ${api.origin}/xrpc/com.atproto.server.refreshSession with malformed JSON`);
    for (const err of [cut, failed, refresh]) expect(err.message).not.toMatch(/SECRET-BSKY/);
  });

  it('when public search is refused, says that an account is needed and how to give it, and stops the source', async () => {
    const refusals: Array<[Reply, string]> = [
      [{ status: 403, headers: { 'content-type': 'text/html' }, body: '<html><head><title>403 Forbidden</title></head><body><h1>403 Forbidden</h1><p>Request forbidden by administrative rules.</p></body></html>' }, 'HTTP 403: 403 Forbidden / Request forbidden by administrative rules.'],
      [{ status: 403, body: { error: 'AuthMissing', message: 'Authentication Required' } }, 'HTTP 403: AuthMissing'],
      [{ status: 401, body: { error: 'AuthMissing', message: 'Authentication Required' } }, 'HTTP 401: AuthMissing'],
    ];
    for (const [reply, said] of refusals) {
      await api?.close();
      api = await startApi(() => reply);
      const err = await pollFailure(pollOnce(blueskyConnector, { config: { query: 'acme', baseUrl: api.origin } }));
      expect((err as SourceFetchError).details).toMatchObject({ status: reply.status, permanent: true });
      expect(err.message.replace(api.origin.slice('http://'.length), 'HOST')).toContain(`Bluesky search needs an account: HOST refused to search without one (${said}), so polling stopped. `);
      expect(err.message).toContain('"credentials": {"identifier": "yourname.bsky.social", "appPassword": "xxxx-xxxx-xxxx-xxxx"}');
    }
  });

  it('when public search answers the first page but refuses the cursor of the next, says that an account is needed', async () => {
    const config = await serve();
    const busy = Array.from({ length: 150 }, (_, i) => post(-i));
    db.push(...busy);
    await api.close();
    api = await startApi((req) => (req.query.has('cursor') ? { status: 403, body: 'Request forbidden by administrative rules.' } : search(db, req)));
    const err = await pollFailure(pollOnce(blueskyConnector, { config: { ...config, baseUrl: api.origin } }));
    expect((err as SourceFetchError).details).toMatchObject({ status: 403, permanent: true });
    expect(err.message).toMatch(/^Bluesky search needs an account: .*\(HTTP 403: Request forbidden by administrative rules\.\)/);
  });

  itHandlesUpstreamFailures(blueskyConnector, (origin) => ({ query: 'acme', baseUrl: origin }));

  describe('with credentials', () => {
    itHandlesUpstreamFailures(blueskyConnector, (origin) => ({ query: 'acme', baseUrl: origin }), credentials);
  });
});
