import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertEventId } from '../../src/domain/alerts/incidents.js';
import { cursorCodec, type Cursor } from '../../src/domain/pagination/cursor.js';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app.js';
import { mention, seed } from '../support/seed.js';

let t: TestApp;
let key: string;
let workspaceId: string;
beforeAll(async () => {
  t = await createTestApp();
  ({ key, id: workspaceId } = await t.workspace('Validation'));
});
afterAll(async () => t.close());

/**
 * A cursor signed with the server's own key for a list of a workspace, as only the server could
 * make one: what its values are checked for once its signature passes. A mention list read with
 * no filters names them as `[]:`.
 */
async function signed(cursor: Cursor, path: string, workspaceId: string): Promise<string> {
  const scope = path.slice('/v1/'.length);
  const list = scope === 'mentions' ? { scope, workspaceId, filters: '[]:' } : { scope, workspaceId };
  return encodeURIComponent(cursorCodec(list, await t.deps.cursorKeys()).encode(cursor));
}

/** Refused for its values: a 400 naming cursor, but not as one of other filters. */
function expectBadValue(res: { status: number; json: any }) {
  expectValidation(res, 'cursor');
  expect(res.json.error.fields[0].message).toBe('not a cursor of this list in this workspace');
}

function expectValidation(res: { status: number; json: any }, field: string) {
  expect(res.status).toBe(400);
  expect(res.json.error.code).toBe('validation.failed');
  expect(res.json.error.requestId).toEqual(expect.any(String));
  expect(res.json.error.fields.map((f: { field: string }) => f.field)).toContain(field);
  expect(res.json.error.message).toContain(field);
}

describe('bad input always gets a 400 that names the problem, never a 500', () => {
  it('unknown body fields are named', async () => {
    const res = await t.request('POST', '/v1/brands', { key, body: { name: 'a', role: 'own', query: 'a', colour: 'red' } });
    expectValidation(res, 'colour');
  });

  it('wrong types and values are named', async () => {
    expectValidation(await t.request('POST', '/v1/brands', { key, body: { name: 42, role: 'own', query: 'a' } }), 'name');
    expectValidation(await t.request('POST', '/v1/brands', { key, body: { name: 'a', role: 'boss', query: 'a' } }), 'role');
    expectValidation(await t.request('POST', '/v1/brands', { key, body: { name: 'a', role: 'own' } }), 'query');
    expectValidation(await t.request('POST', '/v1/brands', { key, body: [1, 2] }), 'body');
    expectValidation(await t.request('PATCH', '/v1/brands/x', { key, body: {} }), 'body');
  });

  it('limit above the maximum, below one, or not a number', async () => {
    expectValidation(await t.request('GET', '/v1/brands?limit=10000', { key }), 'limit');
    expectValidation(await t.request('GET', '/v1/brands?limit=0', { key }), 'limit');
    expectValidation(await t.request('GET', '/v1/brands?limit=ten', { key }), 'limit');
    // Decimal digits only: coercion would read these as 16, 100 and 7.
    for (const odd of ['0x10', '1e2', '%207%20', '7.0', '']) {
      expectValidation(await t.request('GET', `/v1/brands?limit=${odd}`, { key }), 'limit');
      expectValidation(await t.request('GET', `/v1/trending/hashtags?limit=${odd}`, { key }), 'limit');
    }
    expect((await t.request('GET', '/v1/brands?limit=200', { key })).status).toBe(200);
    expect((await t.request('GET', '/v1/trending/hashtags?limit=200', { key })).status).toBe(200);
  });

  it('limit says what is wrong with it: too large however many digits, below one, not a number, or given twice', async () => {
    // A workspace of its own: this asks many times, and the limiter counts per key.
    const { key } = await t.workspace('Limit messages');
    const limitMessage = async (path: string, query: string) => {
      const res = await t.request('GET', `${path}?${query}`, { key });
      expectValidation(res, 'limit');
      return res.json.error.fields.find((f: { field: string }) => f.field === 'limit').message as string;
    };
    for (const big of ['201', '10000', '99999999999', '9'.repeat(400), '0000000000201']) expect(await limitMessage('/v1/brands', `limit=${big}`), big).toBe('must be at most 200');
    expect(await limitMessage('/v1/brands', 'limit=000')).toBe('must be at least 1');
    for (const odd of ['ten', '0x10', '1e2', '-1', '7.0', '%D9%A5']) expect(await limitMessage('/v1/brands', `limit=${odd}`), odd).toMatch(/^expected a whole number/);
    expect((await t.request('GET', '/v1/brands?limit=0000000000200', { key })).status).toBe(200);
    // Every list shares the one limit schema.
    const lists = ['/v1/brands', '/v1/sources', '/v1/alert-rules', '/v1/alerts', '/v1/digests', '/v1/api-keys', '/v1/mentions', '/v1/trending/hashtags', '/v1/trending/keywords'];
    for (const list of lists) {
      expect(await limitMessage(list, 'limit=99999999999'), list).toBe('must be at most 200');
      expect(await limitMessage(list, 'limit=0'), list).toBe('must be at least 1');
      expect(await limitMessage(list, 'limit=1&limit=2'), list).toBe('given more than once; give it once');
    }
  });

  it('the OpenAPI document still gives limit as an integer 1–200 with its default, and cursor as a string', async () => {
    const doc = (await t.request('GET', '/openapi.json')).json;
    const param = (path: string, name: string) => doc.paths[path].get.parameters.find((p: { name: string }) => p.name === name);
    expect(param('/v1/brands', 'limit').schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 200, default: 50 });
    expect(param('/v1/trending/hashtags', 'limit').schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 200, default: 50 });
    expect(param('/v1/mentions', 'cursor').schema).toMatchObject({ type: 'string', maxLength: 2000 });
    expect(param('/v1/mentions', 'keyword').schema).toMatchObject({ type: 'string', minLength: 1, maxLength: 200 });
    expect(param('/v1/mentions', 'sentiment').schema).toMatchObject({ type: 'string', enum: ['positive', 'neutral', 'negative', 'unscored'] });
    expect(param('/v1/mentions', 'lang').schema).toMatchObject({ type: 'string', pattern: '^[a-zA-Z]{2}$' });
    // No example: /docs' Try it out would send it for since and until alike (openapi.examples.test.ts).
    expect(param('/v1/mentions', 'since').schema).toMatchObject({ type: 'string' });
    expect(param('/v1/mentions', 'since').schema).not.toHaveProperty('example');
    expect(param('/v1/mentions/live', 'since').description).toMatch(/Does not end the stream/);
  });

  it('lang= takes a language code in either case, as BCP 47 does, and refuses what is not one, naming lang', async () => {
    const ws = await t.workspace('Lang case');
    const { key } = ws;
    const brand = (await t.request('POST', '/v1/brands', { key, body: { name: 'Lang', role: 'own', query: 'acme' } })).json.id;
    const source = (await t.request('POST', '/v1/sources', { key, body: { type: 'rss', url: 'http://127.0.0.1:9/lang.xml' } })).json.id;
    const at = new Date(Date.now() - 3600_000);
    await seed(t.deps, { workspaceId: ws.id, sourceId: source, mentions: [mention({ at, brands: [brand], lang: 'cs' }), mention({ at, brands: [brand], lang: 'en' })] });
    expect((await t.request('GET', '/v1/mentions?lang=CS', { key })).json.items.map((m: { lang: string }) => m.lang)).toEqual(['cs']);
    for (const path of ['/v1/mentions', '/v1/mentions/export.csv', '/v1/trends/sentiment']) {
      expect((await t.request('GET', `${path}?lang=CS`, { key })).status, path).toBe(200);
      for (const bad of ['ces', 'c', 'č s', '12']) expectValidation(await t.request('GET', `${path}?lang=${encodeURIComponent(bad)}`, { key }), 'lang');
    }
  });

  it('a cursor given twice is named as given more than once', async () => {
    const { key } = await t.workspace('Cursor twice');
    const res = await t.request('GET', '/v1/brands?cursor=a&cursor=b', { key });
    expectValidation(res, 'cursor');
    expect(res.json.error.fields[0].message).toMatch(/more than once/);
  });

  it('unknown query parameters are named, so typos do not silently widen a filter', async () => {
    expectValidation(await t.request('GET', '/v1/brands?limt=5', { key }), 'limt');
  });

  it('a tampered cursor is refused', async () => {
    for (let i = 0; i < 3; i++) await t.request('POST', '/v1/brands', { key, body: { name: `b${i}`, role: 'own', query: `b${i}` } });
    const page = await t.request('GET', '/v1/brands?limit=1', { key });
    const cursor: string = page.json.nextCursor;
    expect(cursor).toEqual(expect.any(String));
    const [body, sum] = cursor.split('.');
    const forged = Buffer.from(JSON.stringify(['2001-01-01T00:00:00.000Z', '00000000-0000-0000-0000-000000000000'])).toString('base64url');
    for (const bad of [`${body}x.${sum}`, `${forged}.${sum}`, 'garbage', `${body}`, '...']) {
      expectValidation(await t.request('GET', `/v1/brands?cursor=${encodeURIComponent(bad)}`, { key }), 'cursor');
    }
  });

  it('a well-formed cursor carrying absurd values is refused before it reaches the database', async () => {
    for (const path of ['/v1/brands', '/v1/api-keys', '/v1/sources', '/v1/mentions']) {
      // The signature passes: a cursor with sane values is read.
      const sane = { k: '2026-01-01T00:00:00.000Z', id: path === '/v1/mentions' ? '1' : '00000000-0000-0000-0000-000000000000' };
      expect((await t.request('GET', `${path}?cursor=${await signed(sane, path, workspaceId)}`, { key })).status, path).toBe(200);
      for (const forged of [
        { k: 'not-a-date', id: '00000000-0000-0000-0000-000000000000' },
        { k: '2026-01-01T00:00:00Z', id: "x' or 1=1" },
        { k: 5, id: 'y' },
      ]) {
        expectBadValue(await t.request('GET', `${path}?cursor=${await signed(forged, path, workspaceId)}`, { key }));
      }
    }
  });

  it('a cursor with a valid checksum but a value Postgres cannot hold (an id past bigint, a year past timestamptz) is a 400, not a 500', async () => {
    const { key, id } = await t.workspace('Forged cursors');
    const uuid = '00000000-0000-0000-0000-000000000000';
    const at = '2026-01-01T00:00:00.000Z';
    const forged: Array<[path: string, cursor: Cursor]> = [
      ['/v1/mentions', { k: at, id: '99999999999999999999' }],
      ['/v1/mentions', { k: '-271821-04-20T00:00:00.000Z', id: '1' }],
      ['/v1/mentions', { k: '+275760-09-13T00:00:00.000Z', id: '1' }],
      ['/v1/mentions', { k: '0000-01-01T00:00:00.000Z', id: '1' }],
      ['/v1/mentions', { k: '2026-02-30T00:00:00.000Z', id: '1' }],
      ['/v1/mentions', { k: '7', id: '1' }],
      ['/v1/mentions', { k: -8.64e15, id: '1' }],
      ['/v1/brands', { k: '-271821-04-20T00:00:00.000Z', id: uuid }],
      ['/v1/sources', { k: '+275760-09-13T00:00:00.000Z', id: uuid }],
      ['/v1/api-keys', { k: '2026-01-01', id: uuid }],
    ];
    for (const [path, cursor] of forged) {
      expectBadValue(await t.request('GET', `${path}?cursor=${await signed(cursor, path, id)}`, { key }));
    }
  });

  it('a cursor from one list is refused by every other list, and still accepted by its own', async () => {
    const ws = await t.workspace('Cursors');
    const { key } = ws;
    const post = async (path: string, body: unknown) => (await t.request('POST', path, { key, body })).json;
    const brand = (await post('/v1/brands', { name: 'Own', role: 'own', query: 'acme' })).id;
    await post('/v1/brands', { name: 'Other', role: 'competitor', query: 'other' });
    const source = (await post('/v1/sources', { type: 'rss', url: 'http://127.0.0.1:9/a.xml' })).id;
    await post('/v1/sources', { type: 'rss', url: 'http://127.0.0.1:9/b.xml' });
    await post('/v1/api-keys', { name: 'second' });
    const rule = (await post('/v1/alert-rules', { brandId: brand, webhookUrl: 'http://127.0.0.1:9/hook' })).id;
    await post('/v1/alert-rules', { brandId: brand, webhookUrl: 'http://127.0.0.1:9/hook2' });
    for (let i = 0; i < 2; i++) await post('/v1/digests', { since: '2026-01-01T00:00:00Z', until: '2026-01-08T00:00:00Z' });
    await seed(t.deps, { workspaceId: ws.id, sourceId: source, mentions: [1, 2].map((h) => mention({ at: new Date(Date.now() - h * 3600_000), brands: [brand] })) });
    for (const id of [alertEventId(rule, new Date(Date.UTC(2026, 0, 1))), alertEventId(rule, new Date(Date.UTC(2026, 0, 2)))]) {
      await sql`insert into alerts (id, rule_id, workspace_id, brand_id, type, window_start, window_end, observed, total, expected, score, payload)
                values (${id}, ${rule}, ${ws.id}, ${brand}, 'alert.negative_spike', now(), now(), 1, 1, 1, 1, '{}')`.execute(t.db);
      await sql`insert into alert_deliveries (alert_id, rule_id, attempt, outcome, latency_ms) values (${id}, ${rule}, 1, 'retry', 5)`.execute(t.db);
    }

    const lists = ['/v1/brands', '/v1/sources', '/v1/api-keys', '/v1/alert-rules', '/v1/alerts', `/v1/alert-rules/${rule}/deliveries`, '/v1/digests', '/v1/mentions'];
    const cursors = new Map<string, string>();
    for (const list of lists) {
      const page = await t.request('GET', `${list}?limit=1`, { key });
      expect(page.json.nextCursor, list).toEqual(expect.any(String));
      cursors.set(list, page.json.nextCursor);
    }
    for (const [from, cursor] of cursors) {
      for (const list of lists) {
        const res = await t.request('GET', `${list}?limit=1&cursor=${encodeURIComponent(cursor)}`, { key });
        if (list === from) expect(res.status, `${from} on itself`).toBe(200);
        else expectValidation(res, 'cursor');
      }
    }
  });

  it('a day the calendar does not have is refused, not rolled over into the next month', async () => {
    const { key } = await t.workspace('Calendar');
    const brand = (await t.request('POST', '/v1/brands', { key, body: { name: 'Calendar', role: 'own', query: 'calendar' } })).json.id;
    const rule = (await t.request('POST', '/v1/alert-rules', { key, body: { brandId: brand, webhookUrl: 'http://127.0.0.1:9/hook' } })).json.id;
    for (const day of ['2026-02-30T00:00:00Z', '2026-04-31', '2026-02-29', '2026-06-31T23:00:00-05:00']) {
      const since = encodeURIComponent(day);
      for (const path of [`/v1/mentions?since=${since}`, `/v1/mentions/export.csv?since=${since}`, `/v1/share-of-voice?since=${since}`, `/v1/mentions?until=${since}`]) {
        const res = await t.request('GET', path, { key });
        expectValidation(res, path.includes('until=') ? 'until' : 'since');
        expect(res.json.error.message).toContain('is not a day of the calendar');
      }
      expectValidation(await t.request('POST', `/v1/alert-rules/${rule}/backtest`, { key, body: { since: day, until: '2026-07-01T00:00:00Z' } }), 'since');
    }
    // The day as written is what is checked: an offset that moves it into another UTC day is fine.
    for (const day of ['2028-02-29', '2026-02-28T23:30:00-05:00', '2026-04-30T00:30:00+02:00']) {
      expect((await t.request('GET', `/v1/mentions?since=${encodeURIComponent(day)}&until=2030-01-01T00:00:00Z`, { key })).status, day).toBe(200);
    }
  });

  it('a time outside 1900–9000 is a 400 naming it, never a 500 from Postgres on year 0', async () => {
    const { key } = await t.workspace('Far times');
    const brand = (await t.request('POST', '/v1/brands', { key, body: { name: 'Far', role: 'own', query: 'far' } })).json.id;
    for (const [query, field] of [
      ['since=0000-06-01&until=0000-06-02', 'since'],
      ['since=0000-12-31T00:00:00Z&until=0001-01-02T00:00:00Z', 'since'],
      ['since=1899-12-31T23:59:59Z&until=2026-01-01T00:00:00Z', 'since'],
      ['since=1900-01-01T00:00:00%2B01:00&until=2026-01-01T00:00:00Z', 'since'],
      ['since=2026-01-01T00:00:00Z&until=9999-12-31T23:59:59Z', 'until'],
    ] as const) {
      for (const path of [`/v1/trends/sentiment?brand=${brand}&interval=week&`, '/v1/mentions?', '/v1/share-of-voice?', '/v1/terms?']) {
        expectValidation(await t.request('GET', `${path}${query}`, { key }), field);
      }
    }
    expectValidation(await t.request('POST', '/v1/digests', { key, body: { since: '0000-06-01T00:00:00Z', until: '0000-06-08T00:00:00Z' } }), 'since');
    const edges = await t.request('GET', `/v1/trends/sentiment?brand=${brand}&interval=week&tz=Pacific/Kiritimati&since=1900-01-01T00:00:00Z&until=1900-03-01T00:00:00Z`, { key });
    expect(edges.status, edges.text).toBe(200);
    expect((await t.request('GET', '/v1/mentions?since=1900-01-01&until=9000-01-01', { key })).status).toBe(200);
  });

  it('a control character in a mention filter is a 400 naming it on the list, the export and the live stream, never a 500 from Postgres', async () => {
    const { key } = await t.workspace('Controls');
    const bad: Array<[field: string, value: string]> = [
      ['keyword', 'a%00'],
      ['keyword', 'a%1Fb'],
      ['keyword', 'a%7F'],
      ['hashtag', 'a%00b'],
      ['q', '%00'],
      ['q', 'acme%0B'],
      ['brand', '%00'],
      ['source', 'rss%01'],
    ];
    for (const [field, value] of bad) {
      for (const path of ['/v1/mentions', '/v1/mentions/export.csv', '/v1/mentions/live']) {
        const ac = new AbortController();
        const res = await t.app.request(`${path}?${field}=${value}`, { headers: { authorization: `Bearer ${key}` }, signal: ac.signal });
        if (res.headers.get('content-type')?.includes('event-stream')) ac.abort();
        const json = res.status === 200 ? null : await res.json();
        expectValidation({ status: res.status, json }, field);
      }
    }
    // Tabs and line breaks are spaces to the query language.
    expect((await t.request('GET', '/v1/mentions?q=acme%0Aor%09beta', { key })).status).toBe(200);
  });

  it('a query string that is not valid percent-encoded UTF-8 is a 400 naming the parameter, never searched as written', async () => {
    const { key } = await t.workspace('Encoding');
    const bad: Array<[field: string, value: string]> = [
      ['q', '%acme'], // %ac is one byte, and not UTF-8 alone
      ['q', '%FF'],
      ['q', '%ED%A0%80'], // an encoded lone surrogate
      ['hashtag', 'bulk%'],
      ['keyword', 'a%2'],
      ['since', '2026-01-01%G0'],
    ];
    for (const [field, value] of bad) {
      for (const path of ['/v1/mentions', '/v1/mentions/export.csv', '/v1/mentions/live', '/v1/share-of-voice']) {
        const ac = new AbortController();
        const res = await t.app.request(`${path}?${field}=${value}`, { headers: { authorization: `Bearer ${key}` }, signal: ac.signal });
        if (res.headers.get('content-type')?.includes('event-stream')) ac.abort();
        const json = (res.status === 200 ? null : await res.json()) as { error: { message: string } } | null;
        expectValidation({ status: res.status, json }, field);
        expect(json?.error.message, `${path}?${field}=${value}`).toContain('percent-encoded UTF-8');
      }
    }
    // A bad parameter name is named as the query's problem.
    expectValidation(await t.request('GET', '/v1/mentions?%E0%A4=1', { key }), 'query');
    // Valid encodings, + as a space, and a literal %25 pass.
    for (const query of ['q=%C5%A0koda', 'q=acme+coffee', 'keyword=100%25', 'q=%E0%A4%A8%E0%A4%AE%E0%A4%B8%E0%A5%8D%E0%A4%A4%E0%A5%87']) {
      expect((await t.request('GET', `/v1/mentions?${query}`, { key })).status, query).toBe(200);
    }
  });

  it('a NUL character anywhere in a JSON body is a 400 naming the field, never a 500 from Postgres', async () => {
    const ws = await t.workspace('Nul bodies');
    const { key } = ws;
    const brand = (await t.request('POST', '/v1/brands', { key, body: { name: 'Nul', role: 'own', query: 'nul' } })).json.id;
    const cases: Array<[method: string, path: string, body: unknown, field: string, auth: string]> = [
      ['POST', '/v1/workspaces', { name: 'a\u0000b' }, 'name', ADMIN_TOKEN],
      ['PATCH', '/v1/workspace', { name: 'a\u0000b' }, 'name', key],
      ['POST', '/v1/api-keys', { name: 'a\u0000b' }, 'name', key],
      ['POST', '/v1/brands', { name: 'a\u0000b', role: 'competitor', query: 'x' }, 'name', key],
      ['PATCH', `/v1/brands/${brand}`, { query: 'nul OR "a\u0000b"' }, 'query', key],
      ['PATCH', '/v1/workspace', { digestRecipients: ['a@example.com', 'b\u0000@example.com'] }, 'digestRecipients.1', key],
    ];
    for (const [method, path, body, field, auth] of cases) {
      const res = await t.request(method, path, { key: auth, body });
      expectValidation(res, field);
      expect(res.json.error.message, `${method} ${path}`).toContain('NUL');
    }
    // Other control characters in a name are refused too (a tab, a line break), naming the field.
    expectValidation(await t.request('PATCH', '/v1/workspace', { key, body: { name: 'Nul\tbodies' } }), 'name');
  });

  it('a filter that is empty once normalised is refused instead of widening to every mention', async () => {
    const { key } = await t.workspace('Empty filters');
    const cases: Array<[string, string]> = [
      ['hashtag=%23', 'hashtag'],
      ['hashtag=%20', 'hashtag'],
      ['hashtag=%20%23%20', 'hashtag'],
      ['keyword=%20', 'keyword'],
      ['brand=', 'brand'],
      ['source=', 'source'],
    ];
    for (const [query, field] of cases) {
      for (const path of ['/v1/mentions', '/v1/mentions/export.csv']) expectValidation(await t.request('GET', `${path}?${query}`, { key }), field);
    }
    expect((await t.request('GET', '/v1/mentions?hashtag=%23acme&keyword=%20acme%20', { key })).status).toBe(200);
  });

  it('a mention filter or window bound given twice is named as given more than once, on the list, the export and the live stream', async () => {
    const { key } = await t.workspace('Filters twice');
    const twice = ['keyword=a&keyword=b', 'hashtag=a&hashtag=a', 'brand=x&brand=y', 'sentiment=positive&sentiment=negative', 'source=rss&source=reddit', 'lang=cs&lang=sk', 'q=a&q=b', 'since=2026-01-01&since=2026-01-02', 'until=2026-01-01&until=2026-01-02'];
    for (const query of twice) {
      const field = query.slice(0, query.indexOf('='));
      for (const path of ['/v1/mentions', '/v1/mentions/export.csv', '/v1/mentions/live']) {
        const res = await t.request('GET', `${path}?${query}`, { key });
        expectValidation(res, field);
        expect(res.json.error.fields[0].message, `${path}?${query}`).toBe('given more than once; give it once');
      }
    }
  });

  it('a brand given twice to the analytics is named as given more than once', async () => {
    const { key } = await t.workspace('Analytics brand twice');
    const brand = '00000000-0000-4000-8000-000000000000';
    for (const path of ['/v1/trends/sentiment', '/v1/trending/keywords', '/v1/trending/hashtags']) {
      const res = await t.request('GET', `${path}?brand=${brand}&brand=${brand}`, { key });
      expectValidation(res, 'brand');
      // Before: "must be a string".
      expect(res.json.error.fields[0].message, path).toBe('given more than once; give it once');
    }
  });

  it('source= that is neither a source type nor a source id is a 400; an unknown id is a 404', async () => {
    const { key } = await t.workspace('Source filter');
    for (const path of ['/v1/mentions', '/v1/mentions/export.csv']) {
      const res = await t.request('GET', `${path}?source=twitter`, { key });
      expectValidation(res, 'source');
      expect(res.json.error.fields[0].message).toContain('rss');
      expect((await t.request('GET', `${path}?source=00000000-0000-4000-8000-000000000000`, { key })).status).toBe(404);
    }
    expect((await t.request('GET', '/v1/mentions?source=rss', { key })).status).toBe(200);
  });

  it('malformed JSON is named as the body', async () => {
    expectValidation(await t.request('POST', '/v1/brands', { key, raw: '{"name": "a",' }), 'body');
    expectValidation(await t.request('POST', '/v1/workspaces', { key: 'test-admin-token-0123456789', raw: 'nope' }), 'body');
  });

  it('a body that is not JSON at all is refused', async () => {
    const res = await t.request('POST', '/v1/brands', { key, raw: 'name=a', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('validation.failed');
  });

  it('a body over 256 KiB is refused before it is parsed', async () => {
    const res = await t.request('POST', '/v1/brands', { key, body: { name: 'x'.repeat(300 * 1024), role: 'own', query: 'x' } });
    expectValidation(res, 'body');
    expect(res.json.error.message).toContain('256 KiB');
  });

  it('unknown routes answer 404 with the envelope', async () => {
    const res = await t.request('GET', '/v1/nothing-here', { key });
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe('route.not_found');
  });

  it('a body nested thousands deep is a 400 naming where, never a 500, and the admin route answers 401 before reading one', async () => {
    const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
    const brand = await t.request('POST', '/v1/brands', { key, raw: `{"name":"n","role":"own","query":"a","x":${deep(6000)}}` });
    expect(brand.status, brand.text).toBe(400);
    expect(brand.json.error.fields[0]).toEqual({ field: `x${'.0'.repeat(31)}`, message: 'nests deeper than 32 levels' });

    // No credentials: the admin route judges the token first, whatever the body or query holds.
    for (const [path, raw] of [['/v1/workspaces', `{"name":${deep(6000)}}`], ['/v1/workspaces', '{"name":"a\\u0000"}'], ['/v1/workspaces?q=%FF', '{"name":"a"}']] as const) {
      const res = await t.request('POST', path, { raw });
      expect(res.status, `${path} ${raw.slice(0, 20)}`).toBe(401);
    }
    const admin = await t.request('POST', '/v1/workspaces', { key: ADMIN_TOKEN, raw: `{"name":${deep(6000)}}` });
    expect(admin.status).toBe(400);
  });

  it('a prototype key in a body is an unknown field on every route, sources included', async () => {
    for (const [method, path, raw] of [
      ['POST', '/v1/sources', '{"type":"rss","url":"http://127.0.0.1:9/proto.xml","__proto__":{"enabled":false}}'],
      ['POST', '/v1/brands', '{"name":"p","role":"own","query":"p","constructor":{"prototype":{"x":1}}}'],
    ] as const) {
      const res = await t.request(method, path, { key, raw });
      expect(res.status, path).toBe(400);
      expect(res.json.error.fields.map((f: { field: string }) => f.field), path).toEqual([raw.includes('__proto__') ? '__proto__' : 'constructor']);
    }
  });

  it('a key given twice in one object is a 400 naming it, escaped spellings and nested objects included', async () => {
    for (const [path, raw, field] of [
      ['/v1/brands', '{"name":"twice","role":"own","query":"acme","query":"acme OR globex"}', 'query'],
      ['/v1/brands', '{"name":"twice","role":"own","query":"acme","\\u0071uery":"globex"}', 'query'],
      ['/v1/alert-rules', '{"name":"x","brandId":"b","webhook":{"url":"https://a.example/h","url":"https://b.example/h"}}', 'webhook.url'],
      ['/v1/brands', '{"name":"a \\"quoted\\" name","role":"own","query":"x","list":[{"k":1},{"k":2,"k":3}]}', 'list.1.k'],
    ] as const) {
      const res = await t.request('POST', path, { key, raw });
      expect(res.status, raw).toBe(400);
      expect(res.json.error.fields, raw).toEqual([{ field, message: 'is given more than once' }]);
    }
    // The same key in two objects, and strings holding braces, quotes and commas, are fine.
    const ok = await t.request('POST', '/v1/brands', { key, raw: '{"name":"Twice {\\"a\\":1, \\"a\\":2}","role":"competitor","query":"\\"x, y\\""}' });
    expect(ok.status, ok.text).toBe(201);
  });

  it('a wrong method on a route that exists answers 405 with the methods it takes', async () => {
    const put = await t.request('PUT', '/v1/brands/some-id', { key, body: { name: 'a' } });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD, PATCH, DELETE');
    expect(put.json.error.code).toBe('route.method_not_allowed');
    expect(put.json.error.message).toBe('/v1/brands/some-id does not take PUT; it takes GET, HEAD, PATCH, DELETE');

    const deleteList = await t.request('DELETE', '/v1/mentions', { key });
    expect(deleteList.status).toBe(405);
    expect(deleteList.headers.get('allow')).toBe('GET, HEAD');

    const getFetch = await t.request('GET', '/v1/sources/some-id/fetch', { key });
    expect(getFetch.status).toBe(405);
    expect(getFetch.headers.get('allow')).toBe('POST');

    expect((await t.request('POST', '/healthz')).headers.get('allow')).toBe('GET, HEAD');
    // A path no route has is still a 404, whatever the method.
    expect((await t.request('PUT', '/v1/brands/a/b/c', { key })).status).toBe(404);
  });

  it('API answers are not cached and their type is not sniffed; a digest says its form follows Accept', async () => {
    for (const [method, path, body] of [['GET', '/v1/brands', undefined], ['POST', '/v1/api-keys', { name: 'cache check' }], ['GET', '/v1/nothing-here', undefined]] as const) {
      const res = await t.request(method, path, { key, ...(body ? { body } : {}) });
      expect(res.headers.get('cache-control'), path).toBe('no-store');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
    expect((await t.request('GET', '/healthz')).headers.get('x-content-type-options')).toBe('nosniff');
    const digest = await t.request('POST', '/v1/digests', { key, body: {} });
    expect(digest.status, digest.text).toBe(201);
    const html = await t.request('GET', `/v1/digests/${digest.json.id}`, { key, headers: { accept: 'text/html' } });
    expect(html.headers.get('vary')).toBe('Accept');
  });

  it('every answer carries a request id, and an incoming one is kept', async () => {
    const res = await t.request('GET', '/v1/brands', { key, headers: { 'x-request-id': 'trace-abc-123' } });
    expect(res.headers.get('x-request-id')).toBe('trace-abc-123');
  });
});
