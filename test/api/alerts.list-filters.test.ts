import { CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlertRepository } from '../../src/domain/alerts/alerts.repository.js';
import { alertEventId } from '../../src/domain/alerts/index.js';
import type { DB } from '../../src/infra/db/schema.js';
import { createTestApp, type TestApp } from '../support/app.js';

// GET /v1/alerts with filters (alerts audit, finding 10): one rule's, one brand's, one type's
// alerts, or those of a time range, without paging through the whole workspace; a cursor bound to
// its filters; foreign ids answered as /v1/mentions?brand= answers them; and each filter on an index.

const HOUR = 3_600_000;
const OPEN = 'alert.negative_spike';
const RESOLVED = 'alert.negative_spike.resolved';

let t: TestApp;
let key: string;
let workspaceId: string;
let kofi: string;
let zeta: string;
let kofiRule: string;
let kofiSlowRule: string;
let zetaRule: string;
let other: { key: string; brand: string; rule: string };
/** Six hours ago, on the hour: alert n was raised at T0 + n hours (n = 0…5, per rule). */
const T0 = Math.floor(Date.now() / HOUR) * HOUR - 6 * HOUR;

type Listed = { id: string; ruleId: string; brandId: string; type: string; createdAt: string };

/**
 * Alerts stored as evaluations store them, then dated: each rule raised an alert every hour from
 * T0 on, an opening and a resolution in turn.
 */
async function alertsOf(rule: string, brandId: string, ws: string, offsetMinutes: number) {
  await t.deps.alertRepository.transaction(async (trx) => {
    for (let n = 0; n < 6; n++) {
      const id = alertEventId(rule, new Date(T0 + n * HOUR), n % 2 === 0 ? '' : 'resolved');
      const inserted = await t.deps.alertRepository.insertAlert(trx, {
        id,
        ruleId: rule,
        workspaceId: ws,
        brandId,
        type: n % 2 === 0 ? OPEN : RESOLVED,
        windowStart: new Date(T0 + n * HOUR - HOUR),
        windowEnd: new Date(T0 + n * HOUR),
        observed: 20,
        total: 30,
        expected: 1.5,
        score: 9,
        reason: n % 2 === 0 ? 'count' : null,
        sampleMentionIds: [],
        payload: {},
      });
      expect(inserted).toBe(true);
      await sql`update alerts set created_at = ${new Date(T0 + n * HOUR + offsetMinutes * 60_000)} where id = ${id}`.execute(trx);
    }
  });
}

async function post(k: string, path: string, body: unknown): Promise<string> {
  const res = await t.request('POST', path, { key: k, body });
  expect(res.status, res.text).toBe(201);
  return res.json.id;
}

beforeAll(async () => {
  t = await createTestApp();
  ({ key, id: workspaceId } = await t.workspace('Alert filters'));
  kofi = await post(key, '/v1/brands', { name: 'Kofi', role: 'own', query: 'kofi' });
  zeta = await post(key, '/v1/brands', { name: 'Zeta', role: 'competitor', query: 'zeta' });
  kofiRule = await post(key, '/v1/alert-rules', { brandId: kofi, webhookUrl: 'http://127.0.0.1:9/kofi' });
  kofiSlowRule = await post(key, '/v1/alert-rules', { brandId: kofi, webhookUrl: 'http://127.0.0.1:9/kofi-slow', windowMinutes: 240 });
  zetaRule = await post(key, '/v1/alert-rules', { brandId: zeta, webhookUrl: 'http://127.0.0.1:9/zeta' });
  const b = await t.workspace('Someone else');
  const theirBrand = await post(b.key, '/v1/brands', { name: 'Kofi', role: 'own', query: 'kofi' });
  other = { key: b.key, brand: theirBrand, rule: await post(b.key, '/v1/alert-rules', { brandId: theirBrand, webhookUrl: 'http://127.0.0.1:9/theirs' }) };
  await alertsOf(kofiRule, kofi, workspaceId, 1);
  await alertsOf(kofiSlowRule, kofi, workspaceId, 2);
  await alertsOf(zetaRule, zeta, workspaceId, 3);
  await alertsOf(other.rule, theirBrand, b.id, 4);
});
afterAll(async () => t.close());

const list = async (query: string, k = key) => {
  const res = await t.request('GET', `/v1/alerts${query}`, { key: k });
  expect(res.status, res.text).toBe(200);
  return res.json as { items: Listed[]; nextCursor: string | null };
};

/** Every page of a list, walked with `limit`. */
async function walk(query: string, limit: number): Promise<Listed[]> {
  const items: Listed[] = [];
  let cursor: string | null = null;
  do {
    const sep = query ? '&' : '?';
    const page = await list(`${query}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(page.items.length).toBeLessThanOrEqual(limit);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

const newestFirst = (items: Listed[]) => [...items].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));

describe('GET /v1/alerts filters', () => {
  it('rule= lists only that rule\'s alerts, newest first; the id in capitals is the same rule', async () => {
    const { items } = await list(`?rule=${kofiRule}`);
    expect(items).toHaveLength(6);
    expect(items.every((a) => a.ruleId === kofiRule)).toBe(true);
    expect(items).toEqual(newestFirst(items));
    expect((await list(`?rule=${kofiRule.toUpperCase()}`)).items).toEqual(items);
  });

  it("brand= lists the alerts raised for that brand, by every rule watching it, and nobody else's", async () => {
    const { items } = await list(`?brand=${kofi}`);
    expect(items).toHaveLength(12);
    expect(new Set(items.map((a) => a.ruleId))).toEqual(new Set([kofiRule, kofiSlowRule]));
    expect(items.every((a) => a.brandId === kofi)).toBe(true);
    expect((await list(`?brand=${zeta.toUpperCase()}`)).items.map((a) => a.ruleId)).toEqual(Array(6).fill(zetaRule));
  });

  it('type= lists openings or resolutions only', async () => {
    const resolved = (await list(`?type=${RESOLVED}`)).items;
    expect(resolved).toHaveLength(9);
    expect(resolved.every((a) => a.type === RESOLVED)).toBe(true);
    expect((await list(`?type=${OPEN}&rule=${zetaRule}`)).items.map((a) => a.type)).toEqual([OPEN, OPEN, OPEN]);
  });

  it('since= and until= bound when the alert was raised, since inclusive and until exclusive, with or without an offset', async () => {
    // Kofi's rule raised alerts at T0 + n h + 1 min: [T0 + 2 h + 1 min, T0 + 4 h + 1 min) holds n = 2 and 3.
    const since = new Date(T0 + 2 * HOUR + 60_000).toISOString();
    const until = new Date(T0 + 4 * HOUR + 60_000).toISOString();
    const { items } = await list(`?rule=${kofiRule}&since=${since}&until=${until}`);
    expect(items.map((a) => a.createdAt)).toEqual([new Date(T0 + 3 * HOUR + 60_000).toISOString(), since]);
    // The same instant written in Prague's winter time.
    const pragueSince = new Date(T0 + 2 * HOUR + 60_000 + HOUR).toISOString().replace('Z', '+01:00');
    expect((await list(`?rule=${kofiRule}&since=${encodeURIComponent(pragueSince)}&until=${until}`)).items).toEqual(items);
    // A bound alone.
    const all = await list('');
    const recent = await list(`?since=${new Date(T0 + 5 * HOUR).toISOString()}`);
    expect(recent.items.map((a) => a.id)).toEqual(all.items.filter((a) => a.createdAt >= new Date(T0 + 5 * HOUR).toISOString()).map((a) => a.id));
    expect(recent.items).toHaveLength(3);
  });

  it('filters combine, and a rule of one brand asked for with another brand lists nothing', async () => {
    const { items } = await list(`?brand=${kofi}&type=${OPEN}&since=${new Date(T0 + HOUR).toISOString()}`);
    expect(items.map((a) => [a.ruleId, a.createdAt])).toEqual([
      [kofiSlowRule, new Date(T0 + 4 * HOUR + 120_000).toISOString()],
      [kofiRule, new Date(T0 + 4 * HOUR + 60_000).toISOString()],
      [kofiSlowRule, new Date(T0 + 2 * HOUR + 120_000).toISOString()],
      [kofiRule, new Date(T0 + 2 * HOUR + 60_000).toISOString()],
    ]);
    expect((await list(`?rule=${zetaRule}&brand=${kofi}`)).items).toEqual([]);
  });

  it('pages keep to the filters: walking brand= two at a time gives every alert of the brand once, in order', async () => {
    const whole = (await list(`?brand=${kofi}`)).items;
    const walked = await walk(`?brand=${kofi}`, 2);
    expect(walked.map((a) => a.id)).toEqual(whole.map((a) => a.id));
    const walkedResolved = await walk(`?type=${RESOLVED}&until=${new Date(T0 + 5 * HOUR).toISOString()}`, 2);
    expect(walkedResolved.map((a) => a.id)).toEqual((await list(`?type=${RESOLVED}&until=${new Date(T0 + 5 * HOUR).toISOString()}`)).items.map((a) => a.id));
    expect(walkedResolved).toHaveLength(6);
    // Unfiltered paging still works.
    expect((await walk('', 5)).map((a) => a.id)).toEqual((await list('')).items.map((a) => a.id));
  });

  it('a cursor sent back with other filters is a 400 naming cursor, whichever filter changed', async () => {
    const first = await list(`?brand=${kofi}&limit=2`);
    expect(first.nextCursor).not.toBeNull();
    const cursor = encodeURIComponent(first.nextCursor!);
    const unfiltered = (await list('?limit=2')).nextCursor!;
    const changed = [
      `?brand=${zeta}&limit=2&cursor=${cursor}`,
      `?limit=2&cursor=${cursor}`,
      `?brand=${kofi}&type=${OPEN}&limit=2&cursor=${cursor}`,
      `?brand=${kofi}&rule=${kofiRule}&limit=2&cursor=${cursor}`,
      `?brand=${kofi}&since=${new Date(T0).toISOString()}&limit=2&cursor=${cursor}`,
      `?brand=${kofi}&until=${new Date(T0 + 5 * HOUR).toISOString()}&limit=2&cursor=${cursor}`,
      `?brand=${kofi}&limit=2&cursor=${encodeURIComponent(unfiltered)}`,
    ];
    for (const query of changed) {
      const res = await t.request('GET', `/v1/alerts${query}`, { key });
      expect(res.status, `${query}: ${res.text}`).toBe(400);
      expect(res.json.error).toMatchObject({ code: 'validation.failed', fields: [{ field: 'cursor', message: 'belongs to other filters' }] });
    }
    // The same filters, written differently (an id in capitals), are the same filters.
    const next = await t.request('GET', `/v1/alerts?brand=${kofi.toUpperCase()}&limit=2&cursor=${cursor}`, { key });
    expect(next.status, next.text).toBe(200);
  });

  it('an unknown or invalid filter is a 400 naming it', async () => {
    const cases: Array<[string, string]> = [
      ['?brandId=' + kofi, 'brandId'],
      ['?deliveryStatus=failed', 'deliveryStatus'],
      ['?type=alert.positive_spike', 'type'],
      ['?type=', 'type'],
      ['?rule=', 'rule'],
      // A rule's name, or anything else that is no id: a 400 naming rule, as brand= answers a name.
      ['?rule=nope', 'rule'],
      ['?rule=Kofi%20spikes', 'rule'],
      [`?rule=${kofiRule}&rule=${zetaRule}`, 'rule'],
      ['?brand=', 'brand'],
      ['?since=yesterday', 'since'],
      ['?until=2026-02-30', 'until'],
      [`?since=${new Date(T0 + HOUR).toISOString()}&until=${new Date(T0).toISOString()}`, 'since'],
      [`?since=${new Date(T0).toISOString()}&until=${new Date(T0).toISOString()}`, 'since'],
    ];
    for (const [query, field] of cases) {
      const res = await t.request('GET', `/v1/alerts${query}`, { key });
      expect(res.status, `${query}: ${res.text}`).toBe(400);
      expect(res.json.error.code, query).toBe('validation.failed');
      expect(res.json.error.fields.map((f: { field: string }) => f.field), query).toEqual([field]);
    }
  });

  it("another workspace's rule or brand, or an id that is none, is a 404, as brand= is for mentions; its alerts never show", async () => {
    const probes: Array<[string, string]> = [
      [`?rule=${other.rule}`, 'alert_rules.not_found'],
      ['?rule=00000000-0000-4000-8000-000000000000', 'alert_rules.not_found'],
      [`?brand=${other.brand}`, 'brands.not_found'],
      ['?brand=00000000-0000-4000-8000-000000000000', 'brands.not_found'],
    ];
    // What is not an id at all (a brand's name, most often) is a 400 naming brand, as on /v1/mentions.
    for (const path of ['/v1/alerts?brand=nope', '/v1/mentions?brand=nope']) {
      const res = await t.request('GET', path, { key });
      expect([res.status, res.json.error.fields], path).toEqual([400, [{ field: 'brand', message: expect.stringContaining('GET /v1/brands') }]]);
    }
    for (const [query, code] of probes) {
      const res = await t.request('GET', `/v1/alerts${query}`, { key });
      expect(res.status, `${query}: ${res.text}`).toBe(404);
      expect(res.json.error.code).toBe(code);
      if (query.startsWith('?brand=')) {
        const mentions = await t.request('GET', `/v1/mentions${query}`, { key });
        expect([mentions.status, mentions.json.error.code], 'as /v1/mentions?brand= answers').toEqual([404, code]);
      }
    }
    // Their own filter shows them only theirs, and ours is a 404 to them.
    expect((await list(`?brand=${other.brand}`, other.key)).items.map((a) => a.ruleId)).toEqual(Array(6).fill(other.rule));
    expect((await t.request('GET', `/v1/alerts?rule=${kofiRule}`, { key: other.key })).status).toBe(404);
  });
});

describe('the filtered lists are read through an index', () => {
  it('rule= reads alerts_rule_page and brand= reads alerts_brand_page, not every alert of the workspace', async () => {
    // Enough alerts for an index to pay: 3,000 of one busy rule of the workspace.
    await sql`
      insert into alerts (id, rule_id, workspace_id, brand_id, type, window_start, window_end, observed, total, expected, score, payload, created_at)
      select 'evt_bulk' || n, ${zetaRule}, ${workspaceId}, ${zeta}, ${OPEN}, now(), now(), 1, 1, 1, 1, '{}', now() - n * interval '1 minute'
      from generate_series(1, 3000) n`.execute(t.db);
    await sql`analyze alerts`.execute(t.db);

    // The repository's own queries, as it sends them, explained on the same connection.
    const captured: CompiledQuery[] = [];
    const pool = new pg.Pool({ connectionString: t.config.DATABASE_URL, max: 1 });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), log: (e) => void (e.level === 'query' && captured.push(e.query)) });
    try {
      const repo = createAlertRepository({ db });
      const plan = async (filter: Parameters<typeof repo.listAlerts>[1], after?: { createdAt: string; id: string }) => {
        captured.length = 0;
        await repo.listAlerts(workspaceId, filter, { limit: 50, after });
        const query = captured[0]!;
        const { rows } = await db.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain ${query.sql}`, [...query.parameters]));
        return rows.map((r) => r['QUERY PLAN']).join('\n');
      };
      expect(await plan({ ruleId: kofiRule })).toContain('alerts_rule_page');
      expect(await plan({ ruleId: kofiRule, type: OPEN, since: new Date(T0) }, { createdAt: new Date().toISOString(), id: 'evt_zzzzzzzzzzzzzzzzzzzzzzzzzz' })).toContain('alerts_rule_page');
      expect(await plan({ brandId: kofi })).toContain('alerts_brand_page');
    } finally {
      await db.destroy();
    }
  });
});

describe('the API description', () => {
  it('documents the filters of GET /v1/alerts and what the rule says of fires the cooldown held back', async () => {
    const doc = (await t.request('GET', '/openapi.json')).json;
    const params = doc.paths['/v1/alerts'].get.parameters as { name: string; in: string; description?: string }[];
    expect(params.map((p) => p.name)).toEqual(['rule', 'brand', 'type', 'since', 'until', 'limit', 'cursor']);
    expect(params.find((p) => p.name === 'brand')!.description).toContain('alerts raised for it');
    expect(params.find((p) => p.name === 'since')!.description).toContain('createdAt');
    expect(doc.paths['/v1/alerts'].get.description).toContain('other filters');
    expect(Object.keys(doc.paths['/v1/alerts'].get.responses)).toContain('404');
    const rule = doc.components.schemas.AlertRule;
    expect(rule.required).toEqual(expect.arrayContaining(['suppressedCount', 'lastSuppressedAt']));
    expect(rule.properties.suppressedCount.description).toContain('cooldown');
    expect(rule.properties.lastSuppressedAt.description).toContain('why was there no alert');
  });
});
