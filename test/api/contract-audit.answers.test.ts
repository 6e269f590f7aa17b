import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mention } from '../../src/domain/mentions/mentions.usecases.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { mention, seed } from '../support/seed.js';

// The API contract audit's findings on what bad input is told (/tmp/audit-contract.md 4, 5, 8, 9,
// 12, 13): each answer names the field and what it takes, as the neighbouring ones already did.

let t: TestApp;
let ws: { id: string; key: string };
let brand: string;
let source: string;
const at = new Date(Date.now() - 3_600_000);

beforeAll(async () => {
  t = await createTestApp({ config: { RATE_LIMIT_PER_MINUTE: '100000' } });
  ws = await t.workspace('Contract answers');
  brand = (await t.ok('POST', '/v1/brands', ws.key, { name: 'Café', role: 'own', query: 'cafe' })).json.id;
  source = (await t.ok('POST', '/v1/sources', ws.key, { type: 'rss', url: 'http://127.0.0.1:9/contract.xml' })).json.id;
  await seed(t.deps, { workspaceId: ws.id, sourceId: source, mentions: [mention({ at, brands: [brand], text: 'tagged', hashtags: ['café'] })] });
});
afterAll(async () => t.close());

const fieldsOf = (res: { json: any }) => res.json?.error?.fields as { field: string; message: string }[];

describe('hashtag= holds what a hashtag can hold', () => {
  it.each([
    ['café,fail', "takes one hashtag, not a list; a hashtag may contain only letters, digits and _"],
    ['#café,#fail', "takes one hashtag, not a list; a hashtag may contain only letters, digits and _"],
    ['café!', "a hashtag may contain only letters, digits and _ (after an optional leading '#'), not '!'; a tag ends at the first other character"],
    ['café.', "a hashtag may contain only letters, digits and _ (after an optional leading '#'), not '.'; a tag ends at the first other character"],
    ['café,', "a hashtag may contain only letters, digits and _ (after an optional leading '#'), not ','; a tag ends at the first other character"],
    ['##café', "a hashtag may contain only letters, digits and _ (after an optional leading '#'), not '#'; a tag ends at the first other character"],
    ['2024', 'a hashtag needs a letter: tags of digits only (#2024) are not collected, so none would match'],
  ])('%s is a 400 naming hashtag, on the list, the export and the live stream', async (value, message) => {
    for (const path of ['/v1/mentions', '/v1/mentions/export.csv', '/v1/mentions/live']) {
      const res = await t.request('GET', `${path}?hashtag=${encodeURIComponent(value)}`, { key: ws.key });
      expect(res.status, `${path} ${value}`).toBe(400);
      expect(fieldsOf(res), `${path} ${value}`).toEqual([{ field: 'hashtag', message }]);
    }
  });

  it('an empty hashtag= is told once, not twice', async () => {
    const res = await t.request('GET', '/v1/mentions?hashtag=', { key: ws.key });
    expect(fieldsOf(res)).toEqual([{ field: 'hashtag', message: 'must not be empty' }]);
  });

  it("a tag with or without its '#' (or '＃'), in NFD, or with a soft hyphen inside, still finds it", async () => {
    for (const value of ['café', '#café', '＃café', 'CAFÉ', 'cafe\u0301', 'ca\u00ADfé', 'cafe']) {
      const res = await t.request('GET', `/v1/mentions?hashtag=${encodeURIComponent(value)}`, { key: ws.key });
      expect(res.status, `${value}: ${res.text}`).toBe(200);
      expect(res.json.items.map((m: Mention) => m.text), value).toEqual(['tagged']);
    }
  });
});

describe('the rest of the audit', () => {
  it('PATCH /v1/sources/:id {} is a 400 asking for a field, as the other resources answer, and changes nothing', async () => {
    const before = await t.ok('GET', `/v1/sources/${source}`, ws.key);
    const res = await t.request('PATCH', `/v1/sources/${source}`, { key: ws.key, body: {} });
    expect(res.status, res.text).toBe(400);
    expect(fieldsOf(res)).toEqual([{ field: 'body', message: 'give at least one field to change: url, intervalSeconds or enabled' }]);
    expect((await t.ok('GET', `/v1/sources/${source}`, ws.key)).json).toEqual(before.json);
    // An unknown field is still named as such, not as "give at least one".
    expect(fieldsOf(await t.request('PATCH', `/v1/sources/${source}`, { key: ws.key, body: { colour: 'red' } }))).toEqual([{ field: 'colour', message: 'unknown field' }]);
    expect((await t.request('PATCH', `/v1/sources/${source}`, { key: ws.key, body: { intervalSeconds: 900 } })).status).toBe(200);
  });

  it('NEAR with a distance of five digits or more is too large, not missing', async () => {
    for (const [distance, shown] of [['99999', '99999'], ['000051', '51'], ['9'.repeat(40), `${'9'.repeat(12)}…`]] as const) {
      const res = await t.request('GET', `/v1/mentions?q=${encodeURIComponent(`x NEAR/${distance} y`)}`, { key: ws.key });
      expect(res.status).toBe(400);
      expect(res.json.error).toMatchObject({ code: 'query.invalid', position: 2, message: `q: NEAR distance ${shown} at 2 is too large; the limit is 50` });
    }
    expect((await t.request('GET', `/v1/mentions?q=${encodeURIComponent('x NEAR/00003 y')}`, { key: ws.key })).status).toBe(200);
  });

  it('brand= with a list of ids is told it takes one id, not that it was a name', async () => {
    for (const path of ['/v1/mentions', '/v1/mentions/export.csv', '/v1/trends/sentiment']) {
      const res = await t.request('GET', `${path}?brand=${brand},${brand}`, { key: ws.key });
      expect(fieldsOf(res), path).toEqual([{ field: 'brand', message: 'takes one brand id, not a list' }]);
    }
    expect(fieldsOf(await t.request('GET', '/v1/mentions?brand=Caf%C3%A9', { key: ws.key }))[0]?.message).toMatch(/^takes a brand id, not a name/);
  });

  it('a time zone is answered and stored in its IANA spelling, whatever the letter case it came in', async () => {
    for (const [asked, spelled] of [
      ['asia/kolkata', 'Asia/Kolkata'],
      ['EUROPE/KYIV', 'Europe/Kyiv'],
      ['america/argentina/buenos_aires', 'America/Argentina/Buenos_Aires'],
      ['america/port-au-prince', 'America/Port-au-Prince'],
      ['Asia/Kolkata', 'Asia/Kolkata'],
      ['utc', 'UTC'],
    ] as const) {
      const trend = await t.request('GET', `/v1/trends/sentiment?brand=${brand}&tz=${encodeURIComponent(asked)}`, { key: ws.key });
      expect(trend.status, trend.text).toBe(200);
      expect(trend.json.tz, asked).toBe(spelled);
      const patched = await t.request('PATCH', '/v1/workspace', { key: ws.key, body: { digestTimeZone: asked } });
      expect(patched.status, patched.text).toBe(200);
      expect(patched.json.digestTimeZone, asked).toBe(spelled);
      expect((await t.ok('GET', '/v1/workspace', ws.key)).json.digestTimeZone, asked).toBe(spelled);
    }
  });

  it('a space before a time offset is named, in a query string with %2B or -, and in a body', async () => {
    const named = (offset: string, joined: string) => `has a space before its UTC offset (${offset}): write the offset right after the time (${joined})`;
    const list = async (since: string) => fieldsOf(await t.request('GET', `/v1/mentions?since=${since}`, { key: ws.key }));
    expect(await list('2026-12-05T10:00:00%20%2B01:00')).toEqual([{ field: 'since', message: named('+01:00', '2026-12-05T10:00:00%2B01:00') }]);
    expect(await list('2026-12-05T10:00:00%20-05:00')).toEqual([{ field: 'since', message: named('-05:00', '2026-12-05T10:00:00-05:00') }]);
    expect(await list('2026-12-05T10:00:00%20Z')).toEqual([{ field: 'since', message: named('Z', '2026-12-05T10:00:00Z') }]);
    const body = await t.request('POST', '/v1/digests', { key: ws.key, body: { since: '2026-12-05T10:00:00 +01:00', until: '2026-12-06T10:00:00Z', deliver: false } });
    expect(body.status, body.text).toBe(400);
    expect(fieldsOf(body)).toEqual([{ field: 'since', message: named('+01:00', '2026-12-05T10:00:00+01:00') }]);
  });

  it('an offset of hours only is named, and a lost + before one gets its minutes in the hint', async () => {
    const list = async (since: string) => fieldsOf(await t.request('GET', `/v1/mentions?since=${since}`, { key: ws.key }));
    expect(await list('2026-12-05T10:00:00%2B05')).toEqual([{ field: 'since', message: 'has an offset of hours only (+05): write its minutes too (2026-12-05T10:00:00%2B05:00)' }]);
    expect(await list('2026-12-05T10:00:00+05')).toEqual([
      { field: 'since', message: "has a space before its UTC offset (05): a '+' in a URL's query string is read as a space, so write it as %2B (2026-12-05T10:00:00%2B05:00)" },
    ]);
    const body = await t.request('POST', '/v1/digests', { key: ws.key, body: { since: '2026-12-05T10:00:00-05', until: '2026-12-06T10:00:00Z', deliver: false } });
    expect(fieldsOf(body)).toEqual([{ field: 'since', message: 'has an offset of hours only (-05): write its minutes too (2026-12-05T10:00:00-05:00)' }]);
  });
});
