import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deliverDigest, type DigestDelivery } from '../../src/domain/digests/digests.usecases.js';
import { MAX_ATTEMPTS } from '../../src/domain/webhooks/index.js';
import { createTestStack, type TestStack } from '../support/stack.js';
import { startMailbox } from '../support/smtp.js';

// Digest delivery per recipient: each address gets a message of its own, with its own outcome,
// retries and delivery history, to the recipients the digest was made for.

let s: TestStack;
let key: string;
let workspaceId: string;
let smtp: Awaited<ReturnType<typeof startMailbox>>;
let hooks: Server;
let hookBase: string;
/** RCPT TO refusals still to give, per address: a 4xx or 5xx reply code each. */
const refusals = new Map<string, number[]>();
/** Runs when an address is refused, before the server answers. */
const onRefused = new Map<string, () => Promise<void>>();
const HOUR = 3_600_000;

beforeAll(async () => {
  smtp = await startMailbox({
    onRcptTo(address, _session, callback) {
      const address_ = address.address;
      const code = address_.startsWith('refuse') ? 550 : address_.startsWith('always-busy') ? 450 : refusals.get(address_)?.shift();
      if (code === undefined) return callback();
      const refuse = () => callback(Object.assign(new Error(code >= 500 ? '5.1.1 no such mailbox here' : '4.2.1 mailbox busy, try later'), { responseCode: code }));
      const hook = onRefused.get(address_);
      onRefused.delete(address_);
      if (hook) void hook().then(refuse, refuse);
      else refuse();
    },
  });
  hooks = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url === '/slow') setTimeout(() => res.writeHead(200).end(), 250);
      else res.writeHead(req.url === '/down' ? 500 : 200).end();
    });
  });
  await new Promise<void>((r) => hooks.listen(0, '127.0.0.1', r));
  hookBase = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}`;
  s = await createTestStack({ config: { SMTP_URL: smtp.url, MAIL_FROM: 'Earshot <digest@example.test>' } });
  ({ key, id: workspaceId } = await s.workspace('Delivery Co'));
});
afterAll(async () => {
  await s.close();
  await smtp.close();
  hooks.close();
});
beforeEach(async () => {
  smtp.mails.length = 0;
  refusals.clear();
  onRefused.clear();
  // A workspace e-mails one digest asked for per MANUAL_MAIL_INTERVAL_MS: each test starts after the last one's.
  await s.db.updateTable('digests').set({ created_at: sql`created_at - interval '1 hour'` }).where('workspace_id', '=', workspaceId).execute();
  const res = await s.request('PATCH', '/v1/workspace', { key, body: { digestWebhookUrl: null, digestRecipients: [] } });
  expect(res.status, res.text).toBe(200);
});

async function recipients(list: string[]) {
  const res = await s.request('PATCH', '/v1/workspace', { key, body: { digestRecipients: list } });
  expect(res.status, res.text).toBe(200);
}

type Delivery = { channel: string; target: string; attempt: number; outcome: string; status: number | null; latencyMs: number | null; error: string | null };

async function makeAndDeliver(body: Record<string, unknown> = {}) {
  const made = await s.request('POST', '/v1/digests', { key, body });
  expect(made.status, made.text).toBe(201);
  await s.drain();
  const got = await s.request('GET', `/v1/digests/${made.json.id}`, { key });
  return { made: made.json, digest: got.json as { recipients: string[] | null; deliveries: Delivery[] } };
}

const historyOf = (deliveries: Delivery[], target: string) => deliveries.filter((d) => d.target === target).map((d) => `${d.attempt}:${d.outcome}`);

describe('digest e-mail, one message per recipient', () => {
  it('a recipient refused with 550 among several is recorded as failed with the server reply; the others get a message of their own, delivered', async () => {
    await recipients(['good1@example.com', 'refuse-me@example.com', 'good2@example.com']);
    const { digest } = await makeAndDeliver();

    expect(smtp.mails.map((m) => m.to).sort()).toEqual([['good1@example.com'], ['good2@example.com']]);
    // No one sees the other addresses.
    for (const { to, mail } of smtp.mails) expect(mail.to).toMatchObject({ value: [{ address: to[0] }] });
    expect(historyOf(digest.deliveries, 'good1@example.com')).toEqual(['1:delivered']);
    expect(historyOf(digest.deliveries, 'good2@example.com')).toEqual(['1:delivered']);
    expect(historyOf(digest.deliveries, 'refuse-me@example.com')).toEqual(['1:failed']);
    const refused = digest.deliveries.find((d) => d.target === 'refuse-me@example.com')!;
    expect(refused).toMatchObject({ channel: 'email', status: 550, error: expect.stringContaining('no such mailbox here') });
    expect(digest.deliveries.every((d) => !d.target.includes(','))).toBe(true);
  });

  it('a recipient written with a name gets the digest at its address, the name in its To header, encoded when not ASCII', async () => {
    const jana = 'Jana Nováková <jana@example.cz>';
    const petr = '"Novák, Petr" <petr@example.com>';
    // As mail clients show names, unquoted: the comma is still the name's.
    const eva = 'Svobodová, Eva <eva@example.com>';
    await recipients([jana, petr, eva]);
    const { digest } = await makeAndDeliver();

    expect(digest.recipients).toEqual([jana, petr, eva]);
    expect(smtp.mails.map((m) => m.to).sort()).toEqual([['eva@example.com'], ['jana@example.cz'], ['petr@example.com']]);
    const byAddress = new Map(smtp.mails.map(({ to, mail }) => [to[0], mail]));
    expect(byAddress.get('jana@example.cz')!.to).toMatchObject({ value: [{ address: 'jana@example.cz', name: 'Jana Nováková' }] });
    // The comma is the name's: one recipient, not two.
    expect(byAddress.get('petr@example.com')!.to).toMatchObject({ value: [{ address: 'petr@example.com', name: 'Novák, Petr' }] });
    expect(byAddress.get('eva@example.com')!.to).toMatchObject({ value: [{ address: 'eva@example.com', name: 'Svobodová, Eva' }] });
    for (const mail of byAddress.values()) {
      const header = mail.headerLines.find((h) => h.key === 'to')!.line;
      // RFC 2047: no server on the way needs SMTPUTF8 for the name.
      expect(header).toMatch(/^To: =\?UTF-8\?[BQ]\?[\x21-\x7e]+\?= <[a-z.]+@example\.(cz|com)>$/i);
    }
    expect(historyOf(digest.deliveries, jana)).toEqual(['1:delivered']);
    expect(historyOf(digest.deliveries, petr)).toEqual(['1:delivered']);
    expect(historyOf(digest.deliveries, eva)).toEqual(['1:delivered']);
  });

  it('a recipient refused with 450 is retried on its own until accepted; the other recipient gets one message', async () => {
    refusals.set('tempfail@example.com', [450, 450]);
    await recipients(['tempfail@example.com', 'good3@example.com']);
    const { digest } = await makeAndDeliver();

    expect(smtp.mails.map((m) => m.to).sort()).toEqual([['good3@example.com'], ['tempfail@example.com']]);
    expect(historyOf(digest.deliveries, 'good3@example.com')).toEqual(['1:delivered']);
    expect(historyOf(digest.deliveries, 'tempfail@example.com')).toEqual(['1:retry', '2:retry', '3:delivered']);
    expect(digest.deliveries.find((d) => d.target === 'tempfail@example.com')).toMatchObject({ status: 450, error: expect.stringContaining('mailbox busy') });
  });

  it('after the last attempt the history ends with failed, for a recipient and for the webhook', async () => {
    const hook = await s.request('PATCH', '/v1/workspace', { key, body: { digestWebhookUrl: `${hookBase}/down` } });
    expect(hook.status, hook.text).toBe(200);
    await recipients(['always-busy@example.com']);
    const { digest } = await makeAndDeliver();

    const expected = [...Array.from({ length: MAX_ATTEMPTS - 1 }, (_, i) => `${i + 1}:retry`), `${MAX_ATTEMPTS}:failed`];
    expect(historyOf(digest.deliveries, 'always-busy@example.com')).toEqual(expected);
    expect(historyOf(digest.deliveries, `${hookBase}/down`)).toEqual(expected);
    expect(smtp.mails).toEqual([]);
  });

  it('every attempt records its status and how long it took, by webhook and by e-mail', async () => {
    const hook = await s.request('PATCH', '/v1/workspace', { key, body: { digestWebhookUrl: `${hookBase}/slow` } });
    expect(hook.status, hook.text).toBe(200);
    await recipients(['timed@example.com', 'refuse-timed@example.com']);
    const { digest } = await makeAndDeliver();

    const byTarget = (target: string) => digest.deliveries.find((d) => d.target === target)!;
    // Before: no latencyMs at all. The webhook answers after 250 ms.
    expect(byTarget(`${hookBase}/slow`)).toMatchObject({ outcome: 'delivered', status: 200, latencyMs: expect.any(Number) });
    expect(byTarget(`${hookBase}/slow`).latencyMs).toBeGreaterThanOrEqual(240);
    expect(byTarget(`${hookBase}/slow`).latencyMs).toBeLessThan(10_000);
    for (const [target, outcome, status] of [['timed@example.com', 'delivered', 250], ['refuse-timed@example.com', 'failed', 550]] as const) {
      expect(byTarget(target)).toMatchObject({ outcome, status, latencyMs: expect.any(Number) });
      expect(byTarget(target).latencyMs).toBeGreaterThanOrEqual(0);
      expect(byTarget(target).latencyMs).toBeLessThan(10_000);
    }
  });

  it('a delivery job made anew, its count started over (Redis emptied), goes on from the attempts logged, per target, and stops at the last', async () => {
    const hook = await s.request('PATCH', '/v1/workspace', { key, body: { digestWebhookUrl: `${hookBase}/down` } });
    expect(hook.status, hook.text).toBe(200);
    await recipients(['always-busy-again@example.com']);
    const { made } = await makeAndDeliver({ deliver: false });
    // Every call is BullMQ's first attempt of a job that lost its history.
    const deliver = (delivery: DigestDelivery) => deliverDigest({ ...s.services, ...delivery, digestId: made.id, attempt: 1, now: new Date() });
    const outcomes: Record<string, string[]> = { webhook: [], email: [] };
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      outcomes.webhook!.push((await deliver({ channel: 'webhook' })).outcome);
      outcomes.email!.push((await deliver({ channel: 'email', to: 'always-busy-again@example.com' })).outcome);
    }

    // Before: attempt 1 logged eight times for each, every one a retry, and no end to them.
    const expected = [...Array.from({ length: MAX_ATTEMPTS - 1 }, (_, i) => `${i + 1}:retry`), `${MAX_ATTEMPTS}:failed`];
    const { json } = await s.request('GET', `/v1/digests/${made.id}`, { key });
    expect(historyOf(json.deliveries, `${hookBase}/down`)).toEqual(expected);
    expect(historyOf(json.deliveries, 'always-busy-again@example.com')).toEqual(expected);
    expect(outcomes.webhook!.at(-1)).toBe('failed');
  });

  it('a retry goes to the recipients the digest was made for, not to those on the list when it runs', async () => {
    // The first attempt is deferred; while it is, the list is changed to someone else.
    refusals.set('moving@example.com', [450]);
    onRefused.set('moving@example.com', async () => {
      await s.db.updateTable('workspaces').set({ digest_recipients: ['newcomer@example.com'] }).where('id', '=', workspaceId).execute();
    });
    await recipients(['moving@example.com']);
    const { digest } = await makeAndDeliver();

    expect(smtp.mails.map((m) => m.to)).toEqual([['moving@example.com']]);
    expect(historyOf(digest.deliveries, 'moving@example.com')).toEqual(['1:retry', '2:delivered']);
    expect(digest.deliveries.map((d) => d.target)).not.toContain('newcomer@example.com');
    expect(digest.recipients).toEqual(['moving@example.com']);
  });

  it('an e-mail job queued before recipients had jobs of their own goes out once to each recipient of its digest', async () => {
    await recipients(['old1@example.com', 'old2@example.com']);
    const { made } = await makeAndDeliver();
    smtp.mails.length = 0;
    // A digest whose e-mail had not gone out yet when the old job was queued: one that already
    // went out is not sent again (digest-deliveries-owed.test.ts).
    await s.db.deleteFrom('digest_deliveries').where('digest_id', '=', made.id).execute();
    await s.services.queues.add('digests.deliver', { digestId: made.id, channel: 'email' }, { jobId: `digest-${made.id}-email` });
    await s.drain();
    expect(smtp.mails.map((m) => m.to).sort()).toEqual([['old1@example.com'], ['old2@example.com']]);
  });
});

// The workspace has no recipients and no webhook here unless a test sets them (beforeEach).
describe('POST /v1/digests', () => {
  it('"deliver": false makes a digest without e-mailing or posting it', async () => {
    await recipients(['preview@example.com']);
    expect((await s.request('PATCH', '/v1/workspace', { key, body: { digestWebhookUrl: `${hookBase}/ok` } })).status).toBe(200);
    const { made, digest } = await makeAndDeliver({ deliver: false });
    expect(made).toMatchObject({ kind: 'manual', deliveries: [], recipients: [] });
    expect(smtp.mails).toEqual([]);
    expect(digest.deliveries).toEqual([]);
    const wrong = await s.request('POST', '/v1/digests', { key, body: { deliver: 'no' } });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error.fields[0].field).toBe('deliver');
  });

  it('a period longer than the maximum is a 400 naming since; a year is made', async () => {
    for (const since of ['1900-01-01T00:00:00Z', '2016-12-01T00:00:00Z']) {
      const res = await s.request('POST', '/v1/digests', { key, body: { since } });
      expect(res.status, since).toBe(400);
      expect(res.json.error.code).toBe('validation.failed');
      expect(res.json.error.fields, since).toEqual([{ field: 'since', message: expect.stringContaining('at most 366 days') }]);
    }
    const year = await s.request('POST', '/v1/digests', { key, body: { since: '2025-01-01T00:00:00Z', until: '2026-01-01T00:00:00Z' } });
    expect(year.status, year.text).toBe(201);
    const reversed = await s.request('POST', '/v1/digests', { key, body: { since: '2025-01-02T00:00:00Z', until: '2025-01-01T00:00:00Z' } });
    expect(reversed.json.error.fields).toEqual([{ field: 'since', message: 'must be before until' }]);
  });

  it('a future until without since is clamped to now: the week before the last whole hour', async () => {
    const lastHour = Math.floor(Date.now() / HOUR) * HOUR;
    const res = await s.request('POST', '/v1/digests', { key, body: { until: new Date(lastHour + 400 * 24 * HOUR).toISOString() } });
    expect(res.status, res.text).toBe(201);
    const until = Date.parse(res.json.until);
    expect([lastHour, lastHour + HOUR]).toContain(until); // the clock may pass an hour mid-test
    expect(until - Date.parse(res.json.since)).toBe(7 * 24 * HOUR);
  });

  it('takes no body at all, as its OpenAPI description says', async () => {
    const res = await s.request('POST', '/v1/digests', { key });
    expect(res.status, res.text).toBe(201);
    await s.drain();
  });
});

describe('/openapi.json for digests', () => {
  it('marks the body optional, documents deliver and the period cap, lists the delivery outcomes and describes the digest settings', async () => {
    const doc = (await s.request('GET', '/openapi.json')).json;
    const post = doc.paths['/v1/digests'].post;
    expect(post.requestBody.required).toBe(false);
    const create = doc.components.schemas.CreateDigest;
    expect(create.properties.deliver).toMatchObject({ type: 'boolean', description: expect.stringContaining('preview') });
    expect(post.description).toContain('366 days');
    const delivery = doc.components.schemas.DigestDelivery;
    expect(delivery.properties.outcome.enum).toEqual(['delivered', 'retry', 'failed', 'gone', 'refused']);
    const patch = doc.components.schemas.UpdateWorkspace.properties;
    expect(patch.digestSchedule.description).toMatch(/Null stops scheduled digests/);
    expect(patch.digestSchedule.description).toMatch(/at most hourly/);
    expect(patch.digestTimeZone.description).toContain('IANA');
    expect(patch.digestRecipients.description).toContain('e-mail addresses');
  });
});
