import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

// The Sources API under the inputs and edits a demanding user makes. `t` allows private
// networks (its URLs point at 127.0.0.1:9, which is never contacted: nothing here polls);
// `strict` does not, and uses a public address literal so no DNS is needed.

const PUBLIC = 'http://93.184.216.34';
let t: TestApp;
let strict: TestApp;
let key: string;
let workspaceId: string;
let strictKey: string;

beforeAll(async () => {
  t = await createTestApp({ config: { SECRET_KEY: randomBytes(32).toString('hex') } });
  strict = await createTestApp({ config: { ALLOW_PRIVATE_NETWORKS: 'false' } });
  ({ key, id: workspaceId } = await t.workspace('Sources'));
  strictKey = (await strict.workspace('Strict')).key;
});
afterAll(async () => {
  await t.close();
  await strict.close();
});

const feed = (name: string) => `http://127.0.0.1:9/${name}.xml`;

async function create(body: Record<string, unknown>) {
  const res = await t.request('POST', '/v1/sources', { key, body });
  expect(res.status, res.text).toBe(201);
  return res.json;
}

describe('what a type field may hold', () => {
  it('a NUL, a lone surrogate or a control character in a type field is a 400 naming the field, never a 500', async () => {
    const bodies: [Record<string, unknown>, string][] = [
      [{ type: 'rss', url: `${feed('nul')}?q=a\u0000b` }, 'url'],
      [{ type: 'rss', url: `${feed('surrogate')}?q=\ud800` }, 'url'],
      [{ type: 'hackernews', query: 'acme\u0000', baseUrl: 'http://127.0.0.1:9' }, 'query'],
      [{ type: 'hackernews', query: 'acme\udc00coffee', baseUrl: 'http://127.0.0.1:9' }, 'query'],
      [{ type: 'hackernews', query: 'acme\u0007coffee', baseUrl: 'http://127.0.0.1:9' }, 'query'],
    ];
    for (const [body, field] of bodies) {
      const res = await t.request('POST', '/v1/sources', { key, body });
      expect(res.status, `${JSON.stringify(body)}: ${res.text}`).toBe(400);
      expect(res.json.error.code).toBe('validation.failed');
      expect(res.json.error.fields.map((f: { field: string }) => f.field)).toContain(field);
    }
    const source = await create({ type: 'rss', url: feed('patched-nul') });
    const patched = await t.request('PATCH', `/v1/sources/${source.id}`, { key, body: { url: `${feed('patched-nul')}?\u0000` } });
    expect(patched.status, patched.text).toBe(400);
    expect(patched.json.error.fields[0].field).toBe('url');
  });

  it('non-ASCII paths and host names are kept as given', async () => {
    const url = 'http://127.0.0.1:9/فارسی/हिन्दी/bücher.xml';
    expect((await create({ type: 'rss', url })).url).toBe(url);
  });

  it('whitespace around a URL is not part of it', async () => {
    const created = await create({ type: 'rss', url: `  ${feed('padded')}\n` });
    expect(created.url).toBe(feed('padded'));
    const patched = await t.request('PATCH', `/v1/sources/${created.id}`, { key, body: { url: `\t${feed('padded-2')} ` } });
    expect(patched.json.url).toBe(feed('padded-2'));
  });
});

describe('every URL a source will fetch is checked when it is saved', () => {
  it("a reddit source's oauthBaseUrl on a loopback address is refused with sources.url_not_allowed, on create and on edit", async () => {
    const created = await strict.request('POST', '/v1/sources', {
      key: strictKey,
      body: { type: 'reddit', subreddit: 'acme', baseUrl: PUBLIC, oauthBaseUrl: 'http://127.0.0.1:9' },
    });
    expect(created.status, created.text).toBe(400);
    expect(created.json.error.code).toBe('sources.url_not_allowed');

    const ok = await strict.request('POST', '/v1/sources', { key: strictKey, body: { type: 'reddit', subreddit: 'acme', baseUrl: PUBLIC, oauthBaseUrl: PUBLIC } });
    expect(ok.status, ok.text).toBe(201);
    const patched = await strict.request('PATCH', `/v1/sources/${ok.json.id}`, { key: strictKey, body: { oauthBaseUrl: 'http://[::1]:9' } });
    expect(patched.status, patched.text).toBe(400);
    expect(patched.json.error.code).toBe('sources.url_not_allowed');
    expect((await strict.request('GET', `/v1/sources/${ok.json.id}`, { key: strictKey })).json.oauthBaseUrl).toBe(PUBLIC);
  });
});

describe('PATCH', () => {
  const stateOf = async (id: string) => (await t.db.selectFrom('sources').select(['state', 'next_fetch_at', 'first_polled_at']).where('id', '=', id).executeTakeFirstOrThrow());
  const later = new Date(Date.now() + 3_600_000);

  async function polledSource(name: string) {
    const source = await create({ type: 'rss', url: feed(name) });
    // As a successful poll leaves it: validators stored, next poll an hour away.
    await t.db
      .updateTable('sources')
      .set({ state: JSON.stringify({ etag: '"v1"', lastModified: null, bodyHash: 'abc' }), next_fetch_at: later, last_fetched_at: new Date(), first_polled_at: new Date() })
      .where('id', '=', source.id)
      .execute();
    return source;
  }

  it('repeating the stored URL keeps the HTTP validators and the schedule', async () => {
    const source = await polledSource('same-url');
    const res = await t.request('PATCH', `/v1/sources/${source.id}`, { key, body: { url: feed('same-url') } });
    expect(res.status, res.text).toBe(200);
    const after = await stateOf(source.id);
    expect(after.state).toEqual({ etag: '"v1"', lastModified: null, bodyHash: 'abc' });
    expect(after.next_fetch_at.getTime()).toBe(later.getTime());
  });

  it('the stored URL spelled another way is stored as written but keeps the validators and the schedule', async () => {
    const source = await polledSource('respelled');
    const respelled = 'HTTP://127.0.0.1:9/respelled.xml#latest';
    const res = await t.request('PATCH', `/v1/sources/${source.id}`, { key, body: { url: respelled } });
    expect(res.status, res.text).toBe(200);
    expect(res.json.url).toBe(respelled);
    const after = await stateOf(source.id);
    expect(after.state).toEqual({ etag: '"v1"', lastModified: null, bodyHash: 'abc' });
    expect(after.next_fetch_at.getTime()).toBe(later.getTime());
    // Its next poll is not a backlog: the feed's history was read already.
    expect(after.first_polled_at).not.toBeNull();
  });

  it('a new URL drops the old one\'s validators and is polled at once', async () => {
    const source = await polledSource('old-url');
    const res = await t.request('PATCH', `/v1/sources/${source.id}`, { key, body: { url: feed('new-url') } });
    expect(res.status, res.text).toBe(200);
    expect(res.json.url).toBe(feed('new-url'));
    const after = await stateOf(source.id);
    expect(after.state).toBeNull();
    expect(after.next_fetch_at.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('a PATCH that changes nothing writes nothing, so a poll in flight still records its result', async () => {
    const source = await create({ type: 'rss', url: feed('no-op'), intervalSeconds: 900 });
    // What the poll read when it started.
    const read = (await t.deps.sourceRepository.getForPoll(source.id))!;
    // ({} itself is a 400 asking for a field, as other resources answer: contract-audit.answers.test.ts.)
    for (const body of [{ enabled: true }, { intervalSeconds: 900 }, { type: 'rss', url: feed('no-op'), enabled: true }]) {
      const res = await t.request('PATCH', `/v1/sources/${source.id}`, { key, body });
      expect(res.status, res.text).toBe(200);
      expect(res.json.updatedAt, JSON.stringify(body)).toBe(source.updatedAt);
    }
    const recorded = await t.db
      .transaction()
      .execute((trx) =>
        t.deps.sourceRepository.recordSuccess(trx, source.id, { now: new Date(), status: 200, state: null, nextFetchAt: later, readAt: read.updated_at, counts: { read: 0, new: 0, matched: 0 } }),
      );
    expect(recorded).toBe(true);
  });

  it('null removes an optional field: a reddit source moves from a subreddit to a search, and drops its baseUrl', async () => {
    const source = await create({ type: 'reddit', subreddit: 'r/acme', baseUrl: 'http://127.0.0.1:9' });
    const moved = await t.request('PATCH', `/v1/sources/${source.id}`, { key, body: { query: 'acme coffee', subreddit: null } });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.json).toMatchObject({ query: 'acme coffee', baseUrl: 'http://127.0.0.1:9' });
    expect(moved.json).not.toHaveProperty('subreddit');
    const dropped = await t.request('PATCH', `/v1/sources/${source.id}`, { key, body: { baseUrl: null } });
    expect(dropped.status, dropped.text).toBe(200);
    expect(dropped.json).not.toHaveProperty('baseUrl');
    // A required field cannot be removed.
    const required = await t.request('PATCH', `/v1/sources/${source.id}`, { key, body: { query: null } });
    expect(required.status).toBe(400);
    expect(required.json.error.code).toBe('validation.failed');
    const rss = await create({ type: 'rss', url: feed('required') });
    const url = await t.request('PATCH', `/v1/sources/${rss.id}`, { key, body: { url: null } });
    expect(url.status).toBe(400);
    expect(url.json.error.fields).toEqual([{ field: 'url', message: 'is required and cannot be removed' }]);
    // Nor does null make an unknown field acceptable.
    const unknown = await t.request('PATCH', `/v1/sources/${source.id}`, { key, body: { colour: null } });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.fields).toEqual([{ field: 'colour', message: 'unknown field' }]);
  });

  it('new credentials for a source disabled because its credentials were refused enable it again, with a clean health record', async () => {
    const source = await create({ type: 'bluesky', query: 'acme', baseUrl: 'http://127.0.0.1:9', credentials: { identifier: 'acme.bsky.social', appPassword: 'abcd-efgh-ijkl-mnop' } });
    const backlogDone = new Date('2026-01-01T00:00:00Z');
    await t.db.updateTable('sources').set({ first_polled_at: backlogDone }).where('id', '=', source.id).execute();
    const refused = 'Bluesky refused the app password (HTTP 401); set new credentials with PATCH';
    await t.deps.sourceRepository.recordFailure(source.id, { now: new Date(), status: 401, error: refused, nextFetchAt: new Date(Date.now() + 3_600_000), disable: true });
    expect((await t.request('GET', `/v1/sources/${source.id}`, { key })).json).toMatchObject({ enabled: false, disabledReason: refused });

    const res = await t.request('PATCH', `/v1/sources/${source.id}`, { key, body: { credentials: { identifier: 'acme.bsky.social', appPassword: 'wxyz-wxyz-wxyz-wxyz' } } });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ enabled: true, disabledReason: null, consecutiveFailures: 0, lastStatus: null, lastError: null });
    expect(new Date(res.json.nextFetchAt).getTime()).toBeLessThanOrEqual(Date.now());
    // Same feed, same history: its next poll is not a backlog again.
    const row = await t.db.selectFrom('sources').select('first_polled_at').where('id', '=', source.id).executeTakeFirstOrThrow();
    expect(row.first_polled_at).toEqual(backlogDone);
  });

  it('credentials: null removes stored credentials', async () => {
    // Another search than the test above's: a workspace polls one search once.
    const source = await create({ type: 'bluesky', query: 'acme coffee', baseUrl: 'http://127.0.0.1:9', credentials: { identifier: 'acme.bsky.social', appPassword: 'abcd-efgh-ijkl-mnop' } });
    expect(source.hasCredentials).toBe(true);
    const res = await t.request('PATCH', `/v1/sources/${source.id}`, { key, body: { credentials: null } });
    expect(res.status, res.text).toBe(200);
    expect(res.json.hasCredentials).toBe(false);
    const row = await t.db.selectFrom('sources').select('credentials').where('id', '=', source.id).executeTakeFirstOrThrow();
    expect(row.credentials).toBeNull();
  });

  it('stored credentials never follow a source to another host unless they are given again', async () => {
    // A key holder who cannot read the credentials must not be able to point the source at a server
    // of theirs and have Earshot sign in there with them.
    const bluesky = await create({ type: 'bluesky', query: 'acme moves', baseUrl: 'http://127.0.0.1:9', credentials: { identifier: 'acme.bsky.social', appPassword: 'abcd-efgh-ijkl-mnop' } });
    const sealed = async (id: string) => (await t.db.selectFrom('sources').select(['credentials', 'config']).where('id', '=', id).executeTakeFirstOrThrow());
    const stored = await sealed(bluesky.id);

    const moved = await t.request('PATCH', `/v1/sources/${bluesky.id}`, { key, body: { baseUrl: 'http://127.0.0.2:8080/collect' } });
    expect(moved.status, moved.text).toBe(400);
    expect(moved.json.error.fields).toEqual([{ field: 'credentials', message: expect.stringContaining('must be given again in the same request (or null to remove them) to point this source at http://127.0.0.2:8080') }]);
    expect(moved.json.error.message).toContain('the stored credentials were given for http://127.0.0.1:9');
    expect(await sealed(bluesky.id)).toEqual(stored);

    // Another path on the same origin is the same server.
    expect((await t.request('PATCH', `/v1/sources/${bluesky.id}`, { key, body: { baseUrl: 'http://127.0.0.1:9/bsky' } })).status).toBe(200);
    // With the credentials again, or without any, the move is the owner's.
    const again = await t.request('PATCH', `/v1/sources/${bluesky.id}`, { key, body: { baseUrl: 'http://127.0.0.2:8080', credentials: { identifier: 'acme.bsky.social', appPassword: 'abcd-efgh-ijkl-mnop' } } });
    expect(again.status, again.text).toBe(200);
    expect(again.json).toMatchObject({ baseUrl: 'http://127.0.0.2:8080', hasCredentials: true });
    const dropped = await t.request('PATCH', `/v1/sources/${bluesky.id}`, { key, body: { baseUrl: 'http://127.0.0.3:8080', credentials: null } });
    expect(dropped.status, dropped.text).toBe(200);
    expect(dropped.json).toMatchObject({ baseUrl: 'http://127.0.0.3:8080', hasCredentials: false });

    // Reddit signs in at baseUrl and reads at oauthBaseUrl: either one moving counts.
    const reddit = await create({ type: 'reddit', subreddit: 'acmemoves', baseUrl: 'http://127.0.0.1:9', oauthBaseUrl: 'http://127.0.0.1:10', credentials: { clientId: 'client', clientSecret: 'secret' } });
    const oauth = await t.request('PATCH', `/v1/sources/${reddit.id}`, { key, body: { oauthBaseUrl: 'http://127.0.0.2:10' } });
    expect(oauth.status, oauth.text).toBe(400);
    expect(oauth.json.error.fields[0].field).toBe('credentials');
    // Fields that do not move it are edited as before.
    expect((await t.request('PATCH', `/v1/sources/${reddit.id}`, { key, body: { subreddit: 'acmemoved', intervalSeconds: 600 } })).status).toBe(200);
  });
});

describe('poll now', () => {
  it('a disabled source is not queued: 409 sources.disabled rather than a 202 for a poll that will never run', async () => {
    const source = await create({ type: 'rss', url: feed('disabled'), enabled: false });
    const res = await t.request('POST', `/v1/sources/${source.id}/fetch`, { key });
    expect(res.status, res.text).toBe(409);
    expect(res.json.error.code).toBe('sources.disabled');
    const enabled = await t.request('PATCH', `/v1/sources/${source.id}`, { key, body: { enabled: true } });
    expect(enabled.json.enabled).toBe(true);
    expect((await t.request('POST', `/v1/sources/${source.id}/fetch`, { key })).status).toBe(202);
  });
});

describe('/openapi.json says what the sources routes do', () => {
  it('documents the interval bounds on PATCH and the 409 of poll now', async () => {
    const doc = (await t.request('GET', '/openapi.json')).json;
    const patch = doc.components.schemas.UpdateSource.properties;
    expect(patch.intervalSeconds).toMatchObject({ minimum: 60, maximum: 604800 });
    expect(doc.paths['/v1/sources/{id}/fetch'].post.responses).toHaveProperty('409');
  });
});

describe('listing', () => {
  // created_at has microseconds and a JavaScript Date milliseconds: a cursor made from a Date
  // skipped a row created later in the same millisecond (the same for brands, keys, alert rules, digests).
  it('pages of one reach every source, even two created in the same millisecond', async () => {
    const { key: k, id: w } = await t.workspace('Same millisecond');
    for (const at of ['2026-01-01T00:00:00.123700Z', '2026-01-01T00:00:00.123400Z', '2026-01-01T00:00:00.122000Z']) {
      await t.db
        .insertInto('sources')
        .values({ workspace_id: w, type: 'rss', config: JSON.stringify({ url: feed(at) }), host: '127.0.0.1:9', created_at: sql<Date>`${at}::timestamptz` })
        .execute();
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { json: { items: { url: string }[]; nextCursor: string | null } } = await t.request('GET', `/v1/sources?limit=1${cursor ? `&cursor=${cursor}` : ''}`, { key: k });
      seen.push(...page.json.items.map((i) => i.url));
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(3);
  });

  it('sources of equal created_at page by id without loss or repeat', async () => {
    const { key: k, id: w } = await t.workspace('Same instant');
    const at = new Date('2026-01-02T00:00:00.000Z');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const row = await t.db.insertInto('sources').values({ workspace_id: w, type: 'rss', config: JSON.stringify({ url: feed(`same-${i}`) }), host: '127.0.0.1:9', created_at: at }).returning('id').executeTakeFirstOrThrow();
      ids.push(row.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { json: { items: { id: string }[]; nextCursor: string | null } } = await t.request('GET', `/v1/sources?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { key: k });
      seen.push(...page.json.items.map((i) => i.id));
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].sort().reverse());
    expect(workspaceId).not.toBe(w);
  });
});

describe('edits at the same time', () => {
  it('two PATCHes of different fields both take effect: neither writes over the other with the row it read', async () => {
    for (let round = 0; round < 5; round++) {
      const source = await create({ type: 'googlenews', query: `souběh ${round}`, lang: 'en', country: 'US', baseUrl: 'http://127.0.0.1:9' });
      const [a, b] = await Promise.all([
        t.request('PATCH', `/v1/sources/${source.id}`, { key, body: { lang: 'cs' } }),
        t.request('PATCH', `/v1/sources/${source.id}`, { key, body: { country: 'CZ', intervalSeconds: 3600 } }),
      ]);
      expect([a.status, b.status], `${a.text} ${b.text}`).toEqual([200, 200]);
      const stored = (await t.request('GET', `/v1/sources/${source.id}`, { key })).json;
      expect(stored, `round ${round}`).toMatchObject({ lang: 'cs', country: 'CZ', intervalSeconds: 3600 });
    }
  });
});

describe('a failing stretch when the source is pointed elsewhere', () => {
  it('ends: the new target does not inherit the old one’s outage, while other edits leave it open', async () => {
    const source = await create({ type: 'rss', url: feed('stará-adresa') });
    await sql`insert into source_outages (source_id, workspace_id, started_at) values (${source.id}, ${workspaceId}, now() - interval '1 hour')`.execute(t.db);
    const open = async () => (await sql<{ n: number }>`select count(*)::int as n from source_outages where source_id = ${source.id} and ended_at is null`.execute(t.db)).rows[0]!.n;

    expect((await t.request('PATCH', `/v1/sources/${source.id}`, { key, body: { intervalSeconds: 1800 } })).status).toBe(200);
    expect(await open()).toBe(1);
    expect((await t.request('PATCH', `/v1/sources/${source.id}`, { key, body: { url: feed('nová-adresa') } })).status).toBe(200);
    expect(await open()).toBe(0);
  });
});
