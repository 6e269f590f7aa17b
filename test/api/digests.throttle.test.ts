import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDigest, MANUAL_MAIL_INTERVAL_MS } from '../../src/domain/digests/digests.usecases.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { mention, seed } from '../support/seed.js';

// Any key holder may set a workspace's digest recipients: without a limit, POST /v1/digests sent
// the operator's mail to 50 unconfirmed addresses on every call. A workspace e-mails at most one
// digest asked for per MANUAL_MAIL_INTERVAL_MS; the window is aged in the database, not waited out.

let t: TestApp;
beforeAll(async () => {
  // A server without SMTP_URL e-mails no digest, and so limits none (digests.without-smtp.test.ts).
  // These are made, never sent: no worker runs here, so nothing connects to the port.
  t = await createTestApp({ config: { SMTP_URL: 'smtp://127.0.0.1:9' } });
});
afterAll(async () => t.close());

const PERIOD = { since: '2026-11-30T00:00:00Z', until: '2026-12-07T00:00:00Z' };

async function workspaceMailing(name: string, recipients = ['ana@example.com', 'jiri@example.cz', 'ramesh@example.in']) {
  const w = await t.workspace(name);
  const res = await t.request('PATCH', '/v1/workspace', { key: w.key, body: { digestRecipients: recipients } });
  expect(res.status, res.text).toBe(200);
  return w;
}

const digestsOf = async (workspaceId: string) =>
  t.db.selectFrom('digests').select(['id', 'kind', 'recipients', 'created_at']).where('workspace_id', '=', workspaceId).orderBy('created_at').execute();

/** Moves the workspace's stored digests `ms` into the past, as if made that long before. */
async function age(workspaceId: string, ms: number) {
  await t.db.updateTable('digests').set({ created_at: sql`created_at - make_interval(secs => ${ms / 1000})` }).where('workspace_id', '=', workspaceId).execute();
}

describe('POST /v1/digests e-mails a workspace at most once per interval', () => {
  it('a second e-mailed digest within ten minutes is a 429 saying when the next may be sent, with Retry-After; nothing is made', async () => {
    expect(MANUAL_MAIL_INTERVAL_MS).toBe(10 * 60_000);
    const w = await workspaceMailing('Throttled Co');
    const first = await t.request('POST', '/v1/digests', { key: w.key, body: PERIOD });
    expect(first.status, first.text).toBe(201);
    expect(first.json.recipients).toHaveLength(3);

    const second = await t.request('POST', '/v1/digests', { key: w.key, body: PERIOD });
    expect(second.status, second.text).toBe(429);
    expect(second.json.error.code).toBe('digests.mail_throttled');
    const [stored] = await digestsOf(w.id);
    const nextAt = new Date(stored!.created_at.getTime() + MANUAL_MAIL_INTERVAL_MS).toISOString();
    expect(second.json.error.message).toContain(`the next may be e-mailed from ${nextAt}`);
    expect(second.json.error.message).toContain('"deliver": false');
    const retryAfter = Number(second.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(590);
    expect(retryAfter).toBeLessThanOrEqual(600);
    expect(second.json.error.retryAfterSeconds).toBe(retryAfter);
    expect(await digestsOf(w.id)).toHaveLength(1);

    // With no body at all too: the default is to deliver.
    expect((await t.request('POST', '/v1/digests', { key: w.key })).status).toBe(429);
  });

  it('the wait is counted from the last e-mailed digest: a minute before it ends still waits, after it one more is sent', async () => {
    const w = await workspaceMailing('Patient Co');
    expect((await t.request('POST', '/v1/digests', { key: w.key, body: PERIOD })).status).toBe(201);

    await age(w.id, MANUAL_MAIL_INTERVAL_MS - 60_000);
    const early = await t.request('POST', '/v1/digests', { key: w.key, body: PERIOD });
    expect(early.status).toBe(429);
    expect(Number(early.headers.get('retry-after'))).toBeGreaterThan(50);
    expect(Number(early.headers.get('retry-after'))).toBeLessThanOrEqual(60);

    await age(w.id, 61_000);
    const later = await t.request('POST', '/v1/digests', { key: w.key, body: PERIOD });
    expect(later.status, later.text).toBe(201);
    expect((await t.request('POST', '/v1/digests', { key: w.key, body: PERIOD })).status).toBe(429);
    expect(await digestsOf(w.id)).toHaveLength(2);
  });

  it('previews are not limited, and do not count', async () => {
    const w = await workspaceMailing('Preview Co');
    for (let i = 0; i < 5; i++) {
      const preview = await t.request('POST', '/v1/digests', { key: w.key, body: { ...PERIOD, deliver: false } });
      expect(preview.status, preview.text).toBe(201);
      expect(preview.json.recipients).toEqual([]);
    }
    expect((await t.request('POST', '/v1/digests', { key: w.key, body: PERIOD })).status).toBe(201);
    const preview = await t.request('POST', '/v1/digests', { key: w.key, body: { ...PERIOD, deliver: false } });
    expect(preview.status, preview.text).toBe(201);
  });

  it('requests at the same moment do not all pass the check: one is made, the others are refused', async () => {
    const w = await workspaceMailing('Burst Co');
    const answers = await Promise.all(Array.from({ length: 12 }, () => t.request('POST', '/v1/digests', { key: w.key, body: PERIOD })));
    expect(answers.map((a) => a.status).sort()).toEqual([201, ...Array<number>(11).fill(429)]);
    expect((await digestsOf(w.id)).filter((d) => d.recipients?.length)).toHaveLength(1);
  });

  it('is per workspace: another workspace e-mails at once', async () => {
    const a = await workspaceMailing('Alpha Mail');
    const b = await workspaceMailing('Beta Mail');
    expect((await t.request('POST', '/v1/digests', { key: a.key, body: PERIOD })).status).toBe(201);
    expect((await t.request('POST', '/v1/digests', { key: b.key, body: PERIOD })).status).toBe(201);
  });

  it('a workspace without recipients e-mails no one and is not limited', async () => {
    const w = await t.workspace('Nobody Co');
    for (let i = 0; i < 3; i++) expect((await t.request('POST', '/v1/digests', { key: w.key, body: PERIOD })).status).toBe(201);
  });

  it('scheduled digests are neither limited by a manual one nor counted against one', async () => {
    const w = await workspaceMailing('Scheduled Co');
    expect((await t.request('PATCH', '/v1/workspace', { key: w.key, body: { digestSchedule: '0 9 * * 1', digestTimeZone: 'Asia/Kolkata' } })).status).toBe(200);
    // Something to report in both scheduled periods (a period without a mention, after one without, e-mails no one):
    // a mention in the first, which the second compares with.
    const brand = (await t.request('POST', '/v1/brands', { key: w.key, body: { name: 'Scheduled', role: 'own', query: 'scheduled' } })).json.id;
    const sourceId = (await t.request('POST', '/v1/sources', { key: w.key, body: { type: 'rss', url: 'http://127.0.0.1:9/scheduled.xml' } })).json.id;
    await seed(t.deps, { workspaceId: w.id, sourceId, mentions: [mention({ at: '2026-12-03T10:00:00Z', brands: [brand] })] });
    expect((await t.request('POST', '/v1/digests', { key: w.key, body: PERIOD })).status).toBe(201);

    const scheduled = await makeDigest({ ...t.deps, workspaceId: w.id, kind: 'scheduled', scheduledAt: new Date('2026-12-07T03:30:00Z') });
    expect(scheduled).toMatchObject({ kind: 'scheduled', made: true });
    expect(scheduled!.deliveries).toHaveLength(3);

    await age(w.id, MANUAL_MAIL_INTERVAL_MS);
    const other = await makeDigest({ ...t.deps, workspaceId: w.id, kind: 'scheduled', scheduledAt: new Date('2026-12-14T03:30:00Z') });
    expect(other).toMatchObject({ kind: 'scheduled', made: true });
    expect((await t.request('POST', '/v1/digests', { key: w.key, body: PERIOD })).status).toBe(201);
  });

  it('the OpenAPI document gives the 429 with its code and Retry-After', async () => {
    const doc = (await t.request('GET', '/openapi.json')).json;
    const post = doc.paths['/v1/digests'].post;
    expect(post.description).toContain('digests.mail_throttled');
    expect(post.responses['429'].description).toContain('digests.mail_throttled');
    expect(post.responses['429'].headers['Retry-After']).toBeDefined();
  });
});
