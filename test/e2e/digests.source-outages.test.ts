import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSource, fetchNow } from '../reliability/support.js';
import { startApi, type ApiServer, type Received, type Reply } from '../connectors/api-server.js';
import { rss } from '../support/feed-server.js';
import { createTestStack, type TestStack } from '../support/stack.js';

// A digest is about its period, not only the moment it is made: a feed that failed from Monday to
// Thursday and reads again by the run was not listed, so "no mentions of Acme on Tuesday" read
// the same as "the feed could not be read on Tuesday". The sources here fail and recover through
// the real poll path (a server on 127.0.0.1 answering 503, then the feed), which opens and closes
// their outages; the outages are then moved back into the digest's period, which ends at a whole
// hour before the polls.

const HOUR = 3_600_000;
const feed = (name: string): Reply => ({
  headers: { 'content-type': 'application/rss+xml; charset=utf-8' },
  body: rss([{ guid: `${name}-1`, title: `Acme in ${name}`, description: 'Acme opened a café.', link: `https://news.example/${name}`, pubDate: new Date(Date.now() - 5 * HOUR).toUTCString() }]),
});
/** Paths answering 503 until taken out. */
const down = new Set<string>();
const route = (req: Received): Reply => (down.has(req.path) ? { status: 503, body: 'Service Unavailable' } : feed(req.path.slice(1, -'.xml'.length)));

let s: TestStack;
let api: ApiServer;

beforeAll(async () => {
  s = await createTestStack({ config: { INGEST_THREADS: '0' } });
  api = await startApi(route);
});
afterAll(async () => {
  await s?.close();
  await api?.close();
});

/** The source at `path` fails a poll and reads at the next, `times` over: each an outage opened and closed by the poll path. */
async function failAndRecover(key: string, id: string, path: string, times: number) {
  for (let i = 0; i < times; i++) {
    down.add(path);
    await fetchNow(s, key, id);
    down.delete(path);
    await fetchNow(s, key, id);
  }
}

/** Moves the source's outages, oldest first, to these [start, end) epoch-ms stretches. */
async function moveOutages(sourceId: string, stretches: Array<[number, number]>) {
  const rows = await s.db.selectFrom('source_outages').select(['id', 'ended_at']).where('source_id', '=', sourceId).orderBy('started_at').execute();
  expect(rows, 'one closed outage per failed poll').toHaveLength(stretches.length);
  for (const [i, row] of rows.entries()) {
    expect(row.ended_at).not.toBeNull();
    const [start, end] = stretches[i]!;
    await s.db.updateTable('source_outages').set({ started_at: new Date(start), ended_at: new Date(end) }).where('id', '=', row.id).execute();
  }
}

/** An instant as the digest writes it in Asia/Kolkata (UTC+05:30, no daylight saving). */
const kolkata = (ms: number) => new Date(ms + 5.5 * HOUR).toISOString().slice(0, 16).replace('T', ' ');

describe('a source not read for part of the digest period, read again when it is made', () => {
  it('is listed with the stretches it was not read, in the workspace time zone, in JSON, text, HTML and Markdown', async () => {
    const { key } = await s.workspace('Výpadky během týdne');
    await s.ok('PATCH', '/v1/workspace', key, { digestTimeZone: 'Asia/Kolkata' });
    expect((await s.request('POST', '/v1/brands', { key, body: { name: 'Acme', role: 'own', query: 'acme' } })).status).toBe(201);
    const add = async (name: string) => (await addSource(s, key, { url: `${api.origin}/${name}.xml` })).id;
    const [steady, flaky, long, old, choppy, failing] = [await add('steady'), await add('flaky'), await add('long'), await add('old'), await add('choppy'), await add('failing')];
    for (const id of [steady, flaky, long, old, choppy]) await fetchNow(s, key, id);
    await failAndRecover(key, flaky, '/flaky.xml', 2);
    await failAndRecover(key, long, '/long.xml', 1);
    await failAndRecover(key, old, '/old.xml', 1);
    await failAndRecover(key, choppy, '/choppy.xml', 5);
    down.add('/failing.xml');
    await fetchNow(s, key, failing);

    const until = Math.floor(Date.now() / HOUR) * HOUR;
    const since = until - 7 * 24 * HOUR;
    // Two outages in the period: 24 h, then 2.5 h.
    await moveOutages(flaky, [[until - 50 * HOUR, until - 26 * HOUR], [until - 10 * HOUR, until - 7.5 * HOUR]]);
    // From before the period into it: the period's 3 h of it.
    await moveOutages(long, [[since - 5 * HOUR, since + 3 * HOUR]]);
    // Over before the period began: not listed.
    await moveOutages(old, [[since - 10 * HOUR, since - 2 * HOUR]]);
    // Five of an hour each: three listed, the rest counted.
    await moveOutages(choppy, [0, 1, 2, 3, 4].map((k): [number, number] => [until - (100 - 10 * k) * HOUR, until - (99 - 10 * k) * HOUR]));

    const made = await s.ok('POST', '/v1/digests', key, { since: new Date(since).toISOString(), until: new Date(until).toISOString(), deliver: false });
    const id = made.json.id as string;
    const document = (await s.ok('GET', `/v1/digests/${id}`, key)).json.document;
    const render = async (format: string) => (await s.ok('GET', `/v1/digests/${id}?format=${format}`, key)).text;
    const [text, html, markdown] = [await render('text'), await render('html'), await render('markdown')];

    expect(document.brands[0]).toMatchObject({ name: 'Acme' });
    expect(document.brands[0].mentions).toBeGreaterThan(0);
    expect(document.sources).toMatchObject({ total: 6, enabled: 6, failing: 4, disabled: 0, partlyFailing: 0, recovered: 3 });
    const listed = document.sources.failingSources as Array<Record<string, unknown>>;
    // The failing first, then the recovered, most hours not read first; neither the steady feed nor the one whose outage ended before the period.
    expect(listed.map((f) => f.id)).toEqual([failing, flaky, choppy, long]);
    const iso = (ms: number) => new Date(ms).toISOString();
    expect(listed[0]).toMatchObject({ state: 'failing', outages: [], outageCount: 0, hoursNotRead: 0 });
    expect(listed[1]).toMatchObject({
      state: 'recovered', consecutiveFailures: 0, lastError: null, enabled: true, outageCount: 2, hoursNotRead: 26.5,
      outages: [{ from: iso(until - 50 * HOUR), until: iso(until - 26 * HOUR) }, { from: iso(until - 10 * HOUR), until: iso(until - 7.5 * HOUR) }],
    });
    expect(listed[2]).toMatchObject({ state: 'recovered', outageCount: 5, hoursNotRead: 5 });
    expect(listed[2]!.outages).toHaveLength(3);
    expect(listed[3]).toMatchObject({ state: 'recovered', outageCount: 1, hoursNotRead: 3, outages: [{ from: iso(since), until: iso(since + 3 * HOUR) }] });

    const line = "4 of the workspace's 6 sources are not read in full (1 failing, 3 not read for part of the period), so this digest may miss mentions from them:";
    const flakyLine = `rss ${api.origin}/…: was not read from ${kolkata(until - 50 * HOUR)} to ${kolkata(until - 26 * HOUR)} (24 h), and from ${kolkata(until - 10 * HOUR)} to ${kolkata(until - 7.5 * HOUR)} (2.5 h)`;
    const choppyLine = `rss ${api.origin}/…: was not read from ${kolkata(until - 100 * HOUR)} to ${kolkata(until - 99 * HOUR)} (1 h), and from ${kolkata(until - 90 * HOUR)} to ${kolkata(until - 89 * HOUR)} (1 h), and from ${kolkata(until - 80 * HOUR)} to ${kolkata(until - 79 * HOUR)} (1 h); 2 more stretches, 5 h in all`;
    const longLine = `rss ${api.origin}/…: was not read from ${kolkata(since)} to ${kolkata(since + 3 * HOUR)} (3 h)`;
    const top = text.slice(0, text.indexOf('\nBrands\n'));
    expect(top).toContain(`\n\n${line}\n`);
    expect(top).toContain(`\n  - ${flakyLine}\n  - ${choppyLine}\n  - ${longLine}\n`);
    expect(top).not.toContain('and 1 more');

    expect(html).toContain(`${line.replaceAll("'", '&#39;')}</p>`);
    expect(html).toContain(`<bdi>${api.origin}/…</bdi>: was not read from ${kolkata(since)} to ${kolkata(since + 3 * HOUR)} (3 h)</li>`);
    expect(markdown).toContain(`/…: was not read from ${kolkata(until - 50 * HOUR)} to ${kolkata(until - 26 * HOUR)} \\(24 h\\), and from`);
    expect(markdown.indexOf('was not read from')).toBeLessThan(markdown.indexOf('## Brands'));
  });

  it('says the sources were not read for part of the period when every one reads now, and keeps the list to 10 with "and N more"', async () => {
    const { key } = await s.workspace('Dvanáct výpadků');
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push((await addSource(s, key, { url: `${api.origin}/many-${i}.xml` })).id);
    for (const [i, id] of ids.entries()) await failAndRecover(key, id, `/many-${i}.xml`, 1);
    const until = Math.floor(Date.now() / HOUR) * HOUR;
    // Source i was not read for i + 1 hours; all were added a month ago.
    for (const [i, id] of ids.entries()) await moveOutages(id, [[until - 30 * HOUR, until - (29 - i) * HOUR]]);
    await s.db.updateTable('sources').set({ created_at: sql`created_at - interval '30 days'` }).where('id', 'in', ids).execute();

    const made = await s.ok('POST', '/v1/digests', key, { until: new Date(until).toISOString(), deliver: false });
    expect(made.json.document.sources).toMatchObject({ total: 12, failing: 12, recovered: 12 });
    expect(made.json.document.sources.failingSources.map((f: { id: string }) => f.id)).toEqual(ids.slice(2).reverse());
    const text = (await s.ok('GET', `/v1/digests/${made.json.id}?format=text`, key)).text;
    expect(text).toContain("\n\n12 of the workspace's 12 sources were not read for part of the period:\n");
    expect(text).toContain(`(12 h)\n`);
    expect(text).toContain('\n  - and 2 more\n');
  });

  it('lists nothing of a source whose outages all ended before the period', async () => {
    const { key } = await s.workspace('Dávno');
    const id = (await addSource(s, key, { url: `${api.origin}/earlier.xml` })).id;
    await failAndRecover(key, id, '/earlier.xml', 1);
    const until = Math.floor(Date.now() / HOUR) * HOUR;
    await moveOutages(id, [[until - 9 * 24 * HOUR, until - 8 * 24 * HOUR]]);
    const made = await s.ok('POST', '/v1/digests', key, { until: new Date(until).toISOString(), deliver: false });
    expect(made.json.document.sources).toMatchObject({ total: 1, failing: 0, recovered: 0, failingSources: [] });
  });
});
