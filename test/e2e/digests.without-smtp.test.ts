import type { Queue } from 'bullmq';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { digestHandlers } from '../../src/workers/digests.worker.js';
import { mention, seed } from '../support/seed.js';
import { startJsonReceiver, type JsonReceiver } from '../support/receiver.js';
import { startMailbox } from '../support/smtp.js';
import { createTestStack, type TestStack } from '../support/stack.js';

// Audit F3: on a server without SMTP_URL, digest recipients were taken without a word, each digest
// said its e-mail was `queued`, the mail then failed for good ("SMTP_URL is not set"), and that
// mail that never went out still started the 10-minute throttle. Now the workspace says e-mail
// cannot be delivered, a digest says it was not e-mailed and why, nothing is queued or recorded
// as failed, the throttle is not started, and a scheduled digest logs one warning naming SMTP_URL.

const HOUR = 3_600_000;
const lines: Array<Record<string, unknown>> = [];
let s: TestStack;
let hooks: JsonReceiver<{ type: string; data: Record<string, any> }>;
let hookUrl: string;
let hookBodies: Array<{ type: string; data: Record<string, any> }>;

beforeAll(async () => {
  hooks = await startJsonReceiver();
  hookUrl = hooks.url;
  hookBodies = hooks.bodies;
  const log = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(JSON.parse(line)) } });
  // No SMTP_URL: the server cannot send e-mail.
  s = await createTestStack({ log, config: { RATE_LIMIT_PER_MINUTE: '1000000' } });
});
afterAll(async () => {
  await s.close();
  await hooks.close();
});
beforeEach(() => {
  hookBodies.length = 0;
});

async function mailingWorkspace(name: string) {
  const w = await s.workspace(name);
  const patched = await s.request('PATCH', '/v1/workspace', { key: w.key, body: { digestRecipients: ['marketing@example.com'], digestWebhookUrl: hookUrl } });
  expect(patched.status, patched.text).toBe(200);
  return { ...w, patched };
}

type Delivery = { channel: string; target: string; outcome: string; error: string | null };
const digestsQueue = () => s.services.queues.queues.get('digests') as Queue;

describe('a server without SMTP_URL', () => {
  it('takes digest recipients, and its workspace settings say that e-mail is not configured here', async () => {
    const w = await mailingWorkspace('Unmailed settings');
    expect(w.patched.json).toMatchObject({ digestRecipients: ['marketing@example.com'], digestEmail: 'not_configured' });
    expect((await s.ok('GET', '/v1/workspace', w.key)).json.digestEmail).toBe('not_configured');
  });

  it('makes a digest asked for that says it was not e-mailed because SMTP is not configured, and queues and fails no e-mail', async () => {
    const w = await mailingWorkspace('Unmailed manual');
    const made = await s.request('POST', '/v1/digests', { key: w.key, body: {} });
    expect(made.status, made.text).toBe(201);
    expect(made.json.document.email).toEqual({ status: 'not_sent', reason: 'smtp_not_configured' });
    expect(made.json.recipients).toEqual([]);
    await s.drain();

    const got = (await s.ok('GET', `/v1/digests/${made.json.id}`, w.key)).json as { recipients: string[]; deliveries: Delivery[]; document: { email: unknown } };
    expect(got.document.email).toEqual({ status: 'not_sent', reason: 'smtp_not_configured' });
    // The webhook still gets it, saying why it was not e-mailed; no e-mail attempt is faked.
    expect(got.deliveries.map((d) => `${d.channel}:${d.outcome}`)).toEqual(['webhook:delivered']);
    expect(hookBodies.filter((b) => b.data.id === made.json.id).map((b) => b.data.email)).toEqual([{ status: 'not_sent', reason: 'smtp_not_configured' }]);
    expect(await digestsQueue().getFailedCount()).toBe(0);
    expect(lines.filter((l) => l.digestId === made.json.id && l.channel === 'email')).toEqual([]);
  });

  it('does not throttle the next digest asked for: nothing was e-mailed', async () => {
    const w = await mailingWorkspace('Unmailed twice');
    expect((await s.request('POST', '/v1/digests', { key: w.key, body: {} })).status).toBe(201);
    const second = await s.request('POST', '/v1/digests', { key: w.key, body: {} });
    expect(second.status, second.text).toBe(201);
    expect(second.json.document.email).toEqual({ status: 'not_sent', reason: 'smtp_not_configured' });
  });

  it('makes a scheduled digest with recipients that e-mails no one, posts the webhook, owes nothing, and logs one warning naming SMTP_URL', async () => {
    const w = await mailingWorkspace('Unmailed weekly');
    await s.ok('PATCH', '/v1/workspace', w.key, { digestSchedule: '0 9 * * 1', digestTimeZone: 'Europe/Prague' });
    await digestsQueue().removeJobScheduler(`digest-${w.id}`);
    // Something to report: a quiet week is e-mailed to no one anyway, for another reason.
    const brand = (await s.ok('POST', '/v1/brands', w.key, { name: 'Kafe Darya', role: 'own', query: '"kafe darya"' })).json.id as string;
    const sourceId = (await s.ok('POST', '/v1/sources', w.key, { type: 'rss', url: 'http://127.0.0.1:9/unmailed.xml' })).json.id as string;
    await s.drain();
    await seed(s.services, { workspaceId: w.id, sourceId, mentions: [mention({ at: '2026-11-12T10:00:00Z', brands: [brand] })] });

    const at = '2026-11-16T08:00:00Z';
    const made = Date.parse(at) - 7 * 24 * HOUR;
    const job = { timestamp: made, opts: { delay: Date.parse(at) - made } } as never;
    const compose = () => digestHandlers(s.services)['digests.compose']({ workspaceId: w.id }, { log: s.services.log, job, token: undefined }) as Promise<{ created: boolean; digestId: string }>;
    const from = lines.length;
    const first = await compose();
    expect(first.created).toBe(true);
    // A retry of the same run finds the digest made: no second warning.
    expect(await compose()).toEqual({ created: false, digestId: first.digestId });
    await s.drain();

    const got = (await s.ok('GET', `/v1/digests/${first.digestId}`, w.key)).json as { recipients: string[]; deliveries: Delivery[]; document: { email: unknown } };
    expect(got.recipients).toEqual([]);
    expect(got.document.email).toEqual({ status: 'not_sent', reason: 'smtp_not_configured' });
    expect(got.deliveries.map((d) => `${d.channel}:${d.outcome}`)).toEqual(['webhook:delivered']);
    expect(await digestsQueue().getFailedCount()).toBe(0);
    const warnings = lines.slice(from).filter((l) => l.level === 40 && l.digestId === first.digestId);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ workspaceId: w.id, recipients: 1, msg: expect.stringContaining('SMTP_URL') });
    // Postgres owes no e-mail for it: the sweep has nothing to queue again, now or later.
    const redeliver = await digestHandlers(s.services)['digests.redeliver']({}, { log: s.services.log, job: {} as never, token: undefined });
    expect(redeliver).toMatchObject({ owed: 0, requeued: 0 });
  });
});

describe('a server with SMTP_URL', () => {
  let m: TestStack;
  let smtp: Awaited<ReturnType<typeof startMailbox>>;
  beforeAll(async () => {
    smtp = await startMailbox();
    m = await createTestStack({ config: { SMTP_URL: smtp.url, MAIL_FROM: 'Earshot <digest@example.test>' } });
  });
  afterAll(async () => {
    await m.close();
    await smtp.close();
  });

  it('says e-mail is configured, queues the digest e-mail, sends it, and throttles the next one asked for', async () => {
    const w = await m.workspace('Mailed Co');
    const patched = await m.request('PATCH', '/v1/workspace', { key: w.key, body: { digestRecipients: ['marketing@example.com'] } });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.json.digestEmail).toBe('configured');
    expect((await m.ok('GET', '/v1/workspace', w.key)).json.digestEmail).toBe('configured');

    const made = await m.request('POST', '/v1/digests', { key: w.key, body: {} });
    expect(made.status, made.text).toBe(201);
    expect(made.json.document.email).toEqual({ status: 'queued', reason: null });
    expect(made.json.recipients).toEqual(['marketing@example.com']);
    await m.drain();
    expect(smtp.mails.map((x) => x.to)).toEqual([['marketing@example.com']]);
    const got = (await m.ok('GET', `/v1/digests/${made.json.id}`, w.key)).json as { deliveries: Delivery[] };
    expect(got.deliveries.map((d) => `${d.channel}:${d.outcome}`)).toEqual(['email:delivered']);

    const second = await m.request('POST', '/v1/digests', { key: w.key, body: {} });
    expect(second.status, second.text).toBe(429);
    expect(second.json.error.code).toBe('digests.mail_throttled');
  });
});

describe('the OpenAPI document', () => {
  it('lists smtp_not_configured among the reasons a digest is not e-mailed, and the workspace’s read-only digestEmail', async () => {
    const doc = (await s.request('GET', '/openapi.json')).json;
    const email = doc.components.schemas.DigestEmail;
    expect(email.properties.reason.enum).toContain('smtp_not_configured');
    expect(email.properties.reason.description).toContain('SMTP_URL');
    const workspace = doc.components.schemas.Workspace;
    expect(workspace.properties.digestEmail).toMatchObject({ enum: ['configured', 'not_configured'], description: expect.stringContaining('SMTP_URL') });
    expect(workspace.required).toContain('digestEmail');
    expect(doc.components.schemas.UpdateWorkspace.properties).not.toHaveProperty('digestEmail');
  });
});
