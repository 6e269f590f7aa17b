import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestHandlers, syncDigestSchedule } from '../../src/workers/digests.worker.js';
import { createTestStack, type TestStack } from '../support/stack.js';
import { mention, seed } from '../support/seed.js';
import { BRANDS, PERIOD, currentWindow, previousWindow } from '../domain/swot/scenario.js';
import { startMailbox } from '../support/smtp.js';

let s: TestStack;
let key: string;
let workspaceId: string;
let smtp: Awaited<ReturnType<typeof startMailbox>>;
let hooks: Server;
let hookUrl: string;
const hookBodies: Array<{ body: string; headers: Record<string, string>; status: number }> = [];
const answers: number[] = [];

beforeAll(async () => {
  smtp = await startMailbox();
  hooks = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const status = answers.shift() ?? 200;
      hookBodies.push({ body, headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])), status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => hooks.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/digest`;

  s = await createTestStack({ config: { SMTP_URL: smtp.url, MAIL_FROM: 'Earshot <digest@example.test>' } });
  ({ key, id: workspaceId } = await s.workspace('Digest Co'));
  const ids: Record<string, string> = {};
  for (const b of BRANDS) ids[b.id] = (await s.request('POST', '/v1/brands', { key, body: { name: b.name, role: b.role, query: b.query } })).json.id;
  const sourceId = (await s.request('POST', '/v1/sources', { key, body: { type: 'rss', url: 'http://127.0.0.1:9/d.xml' } })).json.id;
  await seed(s.deps, {
    workspaceId,
    sourceId,
    mentions: [...currentWindow(), ...previousWindow()].map((m) =>
      mention({ at: m.occurredAt, brands: m.brandIds.map((b) => ids[b]!), label: m.label as 'positive', score: m.sentimentScore ?? 0, text: m.text ?? '', key: m.id, hashtags: m.id.startsWith('b-delay') ? ['betafail'] : [], url: `https://news.example.test/${m.id}` }),
    ),
  });
});
afterAll(async () => {
  await s.close();
  await smtp.close();
  hooks.close();
});

describe('digests', () => {
  it('settings validate the cron and show the digest webhook secret once', async () => {
    const bad = await s.request('PATCH', '/v1/workspace', { key, body: { digestSchedule: '61 8 * * 1' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.fields[0].field).toBe('digestSchedule');
    // A digest covers the time since the one before: one a minute would flood its receivers.
    for (const digestSchedule of ['* * * * *', '0,30 9 * * 1', '*/15 * * * *']) {
      const often = await s.request('PATCH', '/v1/workspace', { key, body: { digestSchedule } });
      expect(often.status, digestSchedule).toBe(400);
      expect(often.json.error.fields[0], digestSchedule).toMatchObject({ field: 'digestSchedule', message: expect.stringContaining('more often than once an hour') });
    }
    expect((await s.request('PATCH', '/v1/workspace', { key, body: { digestSchedule: '0 * * * *' } })).status).toBe(200);
    // Kept as named, not as ICU's older alias (Asia/Calcutta).
    const kolkata = await s.request('PATCH', '/v1/workspace', { key, body: { digestTimeZone: 'Asia/Kolkata' } });
    expect(kolkata.json.digestTimeZone).toBe('Asia/Kolkata');
    const zone = await s.request('PATCH', '/v1/workspace', { key, body: { digestTimeZone: 'Mars/Olympus' } });
    expect(zone.json.error.fields).toEqual([{ field: 'digestTimeZone', message: expect.stringContaining('unknown time zone "Mars/Olympus"') }]);
    const empty = await s.request('PATCH', '/v1/workspace', { key, body: {} });
    expect(empty.json.error.fields[0].message).toContain('digestSchedule, digestTimeZone, digestWebhookUrl, digestRecipients');
    const res = await s.request('PATCH', '/v1/workspace', {
      key,
      body: { digestWebhookUrl: hookUrl, digestRecipients: ['ana@example.test', 'petr@example.test'], digestSchedule: '0 9 * * 1', digestTimeZone: 'Europe/Prague' },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.digestWebhookSecret).toMatch(/^whsec_/);
    expect((await s.request('GET', '/v1/workspace', { key })).json).not.toHaveProperty('digestWebhookSecret');
    (globalThis as { secret?: string }).secret = res.json.digestWebhookSecret;
  });

  it('a digest made now is delivered by signed webhook (after two failures, once) and by e-mail with both parts', async () => {
    answers.push(500, 503);
    const made = await s.request('POST', '/v1/digests', { key, body: PERIOD });
    expect(made.status, made.text).toBe(201);
    const doc = made.json.document;
    expect(doc.brands.map((b: { name: string }) => b.name).sort()).toEqual(['Acme', 'Beta', 'Gamma']);
    expect(doc.swot).toMatchObject({ status: 'ok' });
    expect(doc.topNegative[0].text).toContain('Beta');
    expect(doc.trendingHashtags.map((t: { term: string }) => t.term)).toContain('betafail');
    expect(doc.sentimentTrend[0].days).toHaveLength(8); // Prague days over a UTC week
    await s.drain();

    const secret = (globalThis as { secret?: string }).secret!;
    expect(hookBodies.map((h) => h.status)).toEqual([500, 503, 200]);
    for (const h of hookBodies) expect(() => new Webhook(secret).verify(h.body, h.headers)).not.toThrow();
    expect(new Set(hookBodies.map((h) => h.headers['webhook-id'])).size).toBe(1);
    // The type is every digest's; data says which digest, and how it was made.
    expect(JSON.parse(hookBodies[2]!.body)).toMatchObject({ type: 'digest.weekly', data: { id: made.json.id, kind: 'manual', workspace: { name: 'Digest Co' } } });

    // A message per recipient: neither sees the other's address.
    expect(smtp.mails.map((m) => m.to).sort()).toEqual([['ana@example.test'], ['petr@example.test']]);
    for (const { to, mail } of smtp.mails) {
      expect(mail.to).toMatchObject({ value: [{ address: to[0] }] });
      expect(mail.html).toContain('Acme');
      expect(mail.text).toContain('Acme');
      expect(mail.attachments.some((a) => a.contentType === 'image/png')).toBe(true);
      // RFC 3834: out-of-office replies do not answer a digest.
      expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    }

    const got = await s.request('GET', `/v1/digests/${made.json.id}`, { key });
    const outcomes = (channel: string) => got.json.deliveries.filter((d: { channel: string }) => d.channel === channel).map((d: { outcome: string }) => d.outcome);
    expect(outcomes('webhook')).toEqual(['retry', 'retry', 'delivered']);
    expect(outcomes('email')).toEqual(['delivered', 'delivered']);
    // A delivered e-mail records the server's reply code to the message, as docs/analytics.md says.
    expect(got.json.deliveries.filter((d: { channel: string }) => d.channel === 'email').map((d: { status: number | null }) => d.status)).toEqual([250, 250]);
    expect(got.json.deliveries.filter((d: { channel: string }) => d.channel === 'email').map((d: { target: string }) => d.target).sort()).toEqual(['ana@example.test', 'petr@example.test']);
    expect(got.json.recipients).toEqual(['ana@example.test', 'petr@example.test']);
  });

  it('is served as JSON, Markdown, HTML and text', async () => {
    const [first] = (await s.request('GET', '/v1/digests', { key })).json.items;
    const md = await s.request('GET', `/v1/digests/${first.id}?format=markdown`, { key });
    expect(md.headers.get('content-type')).toContain('text/markdown');
    expect(md.text).toMatch(/^#/m);
    const html = await s.request('GET', `/v1/digests/${first.id}`, { key, headers: { accept: 'text/html' } });
    expect(html.headers.get('content-type')).toContain('text/html');
    expect(html.text).toContain('<svg');
    const text = await s.request('GET', `/v1/digests/${first.id}?format=text`, { key });
    expect(text.text).toContain('Acme');
    expect((await s.request('GET', `/v1/digests/${first.id}`, { key })).json.document.workspace.name).toBe('Digest Co');
    // The Accept header by its quality values, as a browser or a script sends it.
    const typeFor = async (accept: string) => (await s.request('GET', `/v1/digests/${first.id}`, { key, headers: { accept } })).headers.get('content-type');
    expect(await typeFor('text/html;q=0.5, text/markdown')).toContain('text/markdown');
    expect(await typeFor('text/markdown;q=0.1, application/json')).toContain('application/json');
    expect(await typeFor('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8')).toContain('text/html');
    expect(await typeFor('text/plain;q=0, text/*;q=0.5')).not.toContain('text/plain');
    expect(await typeFor('image/png')).toContain('application/json');
  });

  it("shows the SWOT evidence's sample mentions by their words and links, not by id", async () => {
    const [first] = (await s.request('GET', '/v1/digests', { key })).json.items;
    const doc = (await s.request('GET', `/v1/digests/${first.id}`, { key })).json.document;
    const opportunity = doc.swot.opportunities.find((i: { theme: string }) => i.theme.includes('delivery'));
    const [lead] = opportunity.evidence.sampleMentionIds;
    const sample = doc.swotSamples.find((m: { id: string }) => m.id === lead);
    expect(sample.url).toBe('https://news.example.test/b-delay-12'); // the most negative leads
    const html = (await s.request('GET', `/v1/digests/${first.id}?format=html`, { key })).text;
    const swot = html.slice(html.indexOf('>SWOT</h2>'));
    expect(swot).toContain('<a href="https://news.example.test/b-delay-12"');
    expect(swot).not.toContain('sample mentions');
    const text = (await s.request('GET', `/v1/digests/${first.id}?format=text`, { key })).text;
    expect(text.slice(text.indexOf('SWOT\n'))).toContain('\n        https://news.example.test/b-delay-12');
  });

  it('one scheduled digest per period, however many schedulers fire and restart', async () => {
    const ws = (await s.deps.workspaceRepository.getWorkspace(workspaceId))!;
    await Promise.all([syncDigestSchedule(s.services.queues, ws), syncDigestSchedule(s.services.queues, ws)]);
    await syncDigestSchedule(s.services.queues, ws); // a restart
    const queue = s.services.queues.queues.get('digests')!;
    expect((await queue.getJobSchedulers()).filter((j) => j.key === `digest-${workspaceId}`)).toHaveLength(1);

    const handlers = digestHandlers({ ...s.services, mailer: null });
    const fired = { timestamp: Date.parse('2026-11-16T08:00:00.412Z'), opts: {} } as never;
    const results = await Promise.all([1, 2, 3].map(() => handlers['digests.compose']({ workspaceId }, { log: s.deps.log, job: fired, token: undefined })));
    expect(results.filter((r) => (r as { created: boolean }).created)).toHaveLength(1);
    const scheduled = await s.db.selectFrom('digests').select(['period_start', 'period_end']).where('workspace_id', '=', workspaceId).where('kind', '=', 'scheduled').execute();
    expect(scheduled).toEqual([{ period_start: new Date('2026-11-09T08:00:00Z'), period_end: new Date('2026-11-16T08:00:00Z') }]);
  });
});
