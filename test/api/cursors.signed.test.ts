import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertEventId } from '../../src/domain/alerts/incidents.js';
import { createTestApp, type TestApp } from '../support/app.js';

// API.md: cursors are opaque and a tampered one is a 400. They are signed with an HMAC under a
// key only the server holds (SECRET_KEY, or one kept in Postgres), for one list of one workspace.

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const INVALID = 'cursor: not a cursor of this list in this workspace (altered, or issued for another list or workspace); start again without cursor';
const EARLIER_RELEASE = 'cursor: issued by an earlier version of Earshot, whose cursors this version no longer reads; start the list again without cursor';

function expectRefused(res: { status: number; json: any }, message = INVALID) {
  expect(res.status).toBe(400);
  expect(res.json.error).toMatchObject({ code: 'validation.failed', message, fields: [{ field: 'cursor' }] });
}

const base64url = (text: string) => Buffer.from(text).toString('base64url');

/** A cursor as the previous release wrote it: anyone who read the format could make one. */
function previousReleaseCursor(scope: string, k: string, id: string): string {
  const body = base64url(JSON.stringify([k, id]));
  return `${body}.${createHash('sha256').update(`earshot-cursor:${scope}:${body}`).digest('base64url').slice(0, 8)}`;
}

/** A workspace with `brands` brands, and the ids of its brand list, newest first. */
async function brandsOf(app: TestApp, name: string, brands: number) {
  const ws = await app.workspace(name);
  for (let i = 0; i < brands; i++) await app.ok('POST', '/v1/brands', ws.key, { name: `${name} ${i}`, role: 'own', query: `brand${i}` });
  const all = (await app.ok('GET', '/v1/brands', ws.key)).json.items as Array<{ id: string; createdAt: string }>;
  return { ...ws, all };
}

/** Follows a list one item a page, each page through the next app of `apps` (round robin). */
async function walk(apps: TestApp[], path: string, key: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; ; page++) {
    const res = await apps[page % apps.length]!.ok('GET', `${path}?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, key);
    ids.push(...res.json.items.map((i: { id: string }) => i.id));
    cursor = res.json.nextCursor;
    if (!cursor) return ids;
  }
}

describe('list cursors cannot be forged', () => {
  it("a cursor made by the previous release's published recipe, or with a made-up signature, is a 400", async () => {
    const ws = await brandsOf(t, 'Forged', 3);
    // A position the list never issued, with the checksum anyone could compute: no longer read.
    const recipe = previousReleaseCursor('brands', '2999-01-01T00:00:00.000Z', '00000000-0000-0000-0000-000000000000');
    expectRefused(await t.request('GET', `/v1/brands?limit=1&cursor=${encodeURIComponent(recipe)}`, { key: ws.key }), EARLIER_RELEASE);
    const [, second] = ws.all;
    const body = base64url(JSON.stringify([second!.createdAt, second!.id]));
    for (const forged of [
      `${body}.${randomBytes(16).toString('base64url')}`,
      `${body}.${'A'.repeat(22)}`,
      `${body}.${'é'.repeat(22)}`,
      `${body}.${randomBytes(32).toString('base64url')}`,
    ]) {
      expectRefused(await t.request('GET', `/v1/brands?limit=1&cursor=${encodeURIComponent(forged)}`, { key: ws.key }));
    }
  });

  it('a real cursor altered anywhere, in its body or its signature, is a 400', async () => {
    const ws = await brandsOf(t, 'Altered', 3);
    const cursor: string = (await t.ok('GET', '/v1/brands?limit=1', ws.key)).json.nextCursor;
    const [body, mac] = cursor.split('.') as [string, string];
    const flip = (s: string, at: number) => `${s.slice(0, at)}${s[at] === 'A' ? 'B' : 'A'}${s.slice(at + 1)}`;
    for (const altered of [`${flip(body, 3)}.${mac}`, `${body}.${flip(mac, 0)}`, `${body}.${flip(mac, mac.length - 1)}`, `${body}x.${mac}`, `${body}.${mac}.x`]) {
      expectRefused(await t.request('GET', `/v1/brands?limit=1&cursor=${encodeURIComponent(altered)}`, { key: ws.key }));
    }
    expect((await t.request('GET', `/v1/brands?limit=1&cursor=${encodeURIComponent(cursor)}`, { key: ws.key })).status).toBe(200);
  });

  it("another list's cursor is a 400, and so is another workspace's for the same list", async () => {
    const a = await brandsOf(t, 'Workspace A', 2);
    const b = await brandsOf(t, 'Workspace B', 2);
    for (const ws of [a, b]) {
      for (const url of ['http://127.0.0.1:9/one.xml', 'http://127.0.0.1:9/two.xml']) await t.ok('POST', '/v1/sources', ws.key, { type: 'rss', url });
    }
    const brandsCursor: string = (await t.ok('GET', '/v1/brands?limit=1', a.key)).json.nextCursor;
    const sourcesCursor: string = (await t.ok('GET', '/v1/sources?limit=1', a.key)).json.nextCursor;
    // Workspace B's brand list, handed A's position: refused, though both lists hold uuids and times.
    expectRefused(await t.request('GET', `/v1/brands?limit=1&cursor=${encodeURIComponent(brandsCursor)}`, { key: b.key }));
    expectRefused(await t.request('GET', `/v1/sources?limit=1&cursor=${encodeURIComponent(sourcesCursor)}`, { key: b.key }));
    expectRefused(await t.request('GET', `/v1/sources?limit=1&cursor=${encodeURIComponent(brandsCursor)}`, { key: a.key }));
    expectRefused(await t.request('GET', `/v1/brands?limit=1&cursor=${encodeURIComponent(sourcesCursor)}`, { key: a.key }));
  });

  it("a rule's delivery cursor is a 400 on another rule's deliveries", async () => {
    const ws = await brandsOf(t, 'Deliveries', 1);
    const brandId = ws.all[0]!.id;
    const rules: string[] = [];
    for (const hook of ['one', 'two']) rules.push((await t.ok('POST', '/v1/alert-rules', ws.key, { brandId, webhookUrl: `http://127.0.0.1:9/${hook}` })).json.id);
    for (const rule of rules) {
      const alert = alertEventId(rule, new Date(Date.UTC(2026, 0, 1)));
      await sql`insert into alerts (id, rule_id, workspace_id, brand_id, type, window_start, window_end, observed, total, expected, score, payload)
                values (${alert}, ${rule}, ${ws.id}, ${brandId}, 'alert.negative_spike', now(), now(), 1, 1, 1, 1, '{}')`.execute(t.db);
      for (const attempt of [1, 2]) await sql`insert into alert_deliveries (alert_id, rule_id, attempt, outcome, latency_ms) values (${alert}, ${rule}, ${attempt}, 'retry', 5)`.execute(t.db);
    }
    const cursor: string = (await t.ok('GET', `/v1/alert-rules/${rules[0]}/deliveries?limit=1`, ws.key)).json.nextCursor;
    expect((await t.request('GET', `/v1/alert-rules/${rules[0]}/deliveries?limit=1&cursor=${encodeURIComponent(cursor)}`, { key: ws.key })).status).toBe(200);
    expectRefused(await t.request('GET', `/v1/alert-rules/${rules[1]}/deliveries?limit=1&cursor=${encodeURIComponent(cursor)}`, { key: ws.key }));
  });

  it('a cursor the previous release issued is a 400 saying to start the list again without cursor', async () => {
    const ws = await brandsOf(t, 'Old format', 3);
    const old = previousReleaseCursor('brands', ws.all[0]!.createdAt, ws.all[0]!.id);
    const res = await t.request('GET', `/v1/brands?limit=1&cursor=${encodeURIComponent(old)}`, { key: ws.key });
    expectRefused(res, EARLIER_RELEASE);
    expect(res.json.error.fields[0].message).toBe('issued by an earlier version of Earshot');
  });
});

describe('a real cursor pages the whole list wherever it is read', () => {
  it('across two API processes on one database, and after a restart', async () => {
    const ws = await brandsOf(t, 'Two processes', 5);
    const other = await createTestApp({ deps: { db: t.db } });
    let ids: string[];
    try {
      ids = await walk([t, other], '/v1/brands', ws.key);
    } finally {
      await other.close();
    }
    expect(ids).toEqual(ws.all.map((b) => b.id));
    // A restart: a process that has not read the key yet takes a cursor issued before it started.
    const first: string = (await t.ok('GET', '/v1/brands?limit=2', ws.key)).json.nextCursor;
    const restarted = await createTestApp({ deps: { db: t.db } });
    try {
      const rest = await restarted.ok('GET', `/v1/brands?cursor=${encodeURIComponent(first)}`, ws.key);
      expect(rest.json.items.map((b: { id: string }) => b.id)).toEqual(ws.all.slice(2).map((b) => b.id));
    } finally {
      await restarted.close();
    }
    // One key for the installation, made once, however many processes asked for it.
    const { rows } = await sql<{ n: string }>`select count(*) as n from installation_secrets`.execute(t.db);
    expect(Number(rows[0]!.n)).toBe(1);
  });

  it('with SECRET_KEY, the key comes from it: processes started with it agree, and nothing is stored', async () => {
    const secret = randomBytes(32).toString('hex');
    const one = await createTestApp({ config: { SECRET_KEY: secret } });
    const two = await createTestApp({ config: { SECRET_KEY: secret }, deps: { db: one.db } });
    const third = await createTestApp({ config: { SECRET_KEY: randomBytes(32).toString('hex') }, deps: { db: one.db } });
    try {
      const ws = await brandsOf(one, 'Secret key', 4);
      expect(await walk([one, two], '/v1/brands', ws.key)).toEqual(ws.all.map((b) => b.id));
      const { rows } = await sql<{ n: string }>`select count(*) as n from installation_secrets`.execute(one.db);
      expect(Number(rows[0]!.n)).toBe(0);
      // A server with another SECRET_KEY did not issue it.
      const cursor: string = (await one.ok('GET', '/v1/brands?limit=1', ws.key)).json.nextCursor;
      expectRefused(await third.request('GET', `/v1/brands?limit=1&cursor=${encodeURIComponent(cursor)}`, { key: ws.key }));
    } finally {
      await third.close();
      await two.close();
      await one.close();
    }
  });
});
