// This file's process runs in India's time zone (UTC+05:30), so a time read as the server's local
// time instead of UTC would shift every window below by five and a half hours.
process.env.TZ = 'Asia/Kolkata';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { mention, seed } from '../support/seed.js';

let t: TestApp;
let key: string;
let brand: string;

beforeAll(async () => {
  t = await createTestApp();
  const ws = await t.workspace('Times');
  key = ws.key;
  brand = (await t.request('POST', '/v1/brands', { key, body: { name: 'Acme', role: 'own', query: 'acme' } })).json.id;
  const source = (await t.request('POST', '/v1/sources', { key, body: { type: 'rss', url: 'http://127.0.0.1:9/times.xml' } })).json.id;
  // One mention at 20:10 UTC, one at 14:40 UTC (20:10 in Kolkata).
  await seed(t.deps, {
    workspaceId: ws.id,
    sourceId: source,
    mentions: [mention({ at: '2026-12-06T20:10:00Z', brands: [brand], text: 'utc' }), mention({ at: '2026-12-06T14:40:00Z', brands: [brand], text: 'local' })],
  });
});
afterAll(() => t.close());

const texts = async (query: string) => {
  const res = await t.request('GET', `/v1/mentions?${query}`, { key });
  expect(res.status, res.text).toBe(200);
  return res.json.items.map((m: { text: string }) => m.text);
};

describe('times without an offset are UTC, whatever the server time zone', () => {
  it('the process really runs off UTC', () => {
    expect(new Date('2026-12-06T20:00:00').toISOString()).toBe('2026-12-06T14:30:00.000Z');
  });

  it('since and until without an offset, with a T or a space, name UTC times', async () => {
    for (const [since, until] of [
      ['2026-12-06T20:00:00', '2026-12-06T20:30:00'],
      ['2026-12-06 20:00:00', '2026-12-06 20:30:00'],
      ['2026-12-06T20:00', '2026-12-06T20:30'],
      ['2026-12-06T20:00:00Z', '2026-12-06T20:30:00Z'],
    ]) {
      expect(await texts(`since=${encodeURIComponent(since!)}&until=${encodeURIComponent(until!)}`), since).toEqual(['utc']);
    }
    // An explicit offset is honoured: 20:00–20:30 in Kolkata is 14:30–15:00 UTC.
    expect(await texts(`since=${encodeURIComponent('2026-12-06T20:00:00+05:30')}&until=${encodeURIComponent('2026-12-06T20:30:00+05:30')}`)).toEqual(['local']);
  });

  it("RFC 3339's lower-case t and z are accepted", async () => {
    expect(await texts('since=2026-12-06t20:00:00z&until=2026-12-06t20:30:00z')).toEqual(['utc']);
  });

  it('the CSV export and the analytics read the same windows', async () => {
    const csv = await t.request('GET', `/v1/mentions/export.csv?since=2026-12-06T20:00:00&until=2026-12-06T20:30:00&bom=false`, { key });
    expect(csv.status, csv.text).toBe(200);
    expect(csv.text).toContain('utc');
    expect(csv.text).not.toContain('local');
    const sov = await t.request('GET', `/v1/share-of-voice?since=2026-12-06T20:00:00&until=2026-12-06T21:00:00`, { key });
    expect(sov.status, sov.text).toBe(200);
    expect(JSON.stringify(sov.json)).toContain('"mentions":1');
  });
});
