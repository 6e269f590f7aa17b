import type { Queue } from 'bullmq';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { digestHandlers } from '../../src/workers/digests.worker.js';
import { createTestStack, type TestStack } from '../support/stack.js';
import { mention, seed } from '../support/seed.js';
import { startJsonReceiver, type JsonReceiver } from '../support/receiver.js';
import { startMailbox } from '../support/smtp.js';

// A scheduled digest with nothing to report (no brand mentioned in its period nor in the one
// before) is stored and posted to the webhook, but e-mails no one, and says why, with the state of
// the workspace's sources; one asked for is e-mailed as asked. And every rendering compares each
// brand's net sentiment with the window before's.

let s: TestStack;
let smtp: Awaited<ReturnType<typeof startMailbox>>;
let hooks: JsonReceiver<{ type: string; data: Record<string, any> }>;
let hookUrl: string;
let hookBodies: Array<{ type: string; data: Record<string, any> }>;
const HOUR = 3_600_000;
const SOURCE_ADDED = '2026-10-01T00:00:00.000Z';

beforeAll(async () => {
  smtp = await startMailbox();
  hooks = await startJsonReceiver();
  hookUrl = hooks.url;
  hookBodies = hooks.bodies;
  s = await createTestStack({ config: { SMTP_URL: smtp.url, MAIL_FROM: 'Earshot <digest@example.test>', RATE_LIMIT_PER_MINUTE: '1000000' } });
});
afterAll(async () => {
  await s.close();
  await smtp.close();
  await hooks.close();
});
beforeEach(() => {
  smtp.mails.length = 0;
  hookBodies.length = 0;
});

/** A workspace e-mailing its Monday 09:00 (Prague) digest to Ana, with a webhook, brands in two scripts and a feed. */
async function workspace(name: string) {
  const { id: workspaceId, key } = await s.workspace(name);
  const own = (await s.ok('POST', '/v1/brands', key, { name: 'Kafe Darya', role: 'own', query: '"kafe darya"' })).json.id as string;
  const rival = (await s.ok('POST', '/v1/brands', key, { name: 'کافه آروما', role: 'competitor', query: '"کافه آروما"' })).json.id as string;
  const sourceId = (await s.ok('POST', '/v1/sources', key, { type: 'rss', url: `http://127.0.0.1:9/${encodeURIComponent(name)}.xml` })).json.id as string;
  await s.drain();
  // Watching since before the periods below: an empty one is then the sources' doing, not their absence.
  await s.db.updateTable('sources').set({ created_at: new Date(SOURCE_ADDED) }).where('id', '=', sourceId).execute();
  await s.ok('PATCH', '/v1/workspace', key, { digestSchedule: '0 9 * * 1', digestTimeZone: 'Europe/Prague', digestRecipients: ['ana@example.test'], digestWebhookUrl: hookUrl });
  // The scheduler's runs are fired by hand below, at the instants they stand for.
  await (s.services.queues.queues.get('digests') as Queue).removeJobScheduler(`digest-${workspaceId}`);
  return { workspaceId, key, own, rival, sourceId };
}

/** The scheduler's job for a run at `at`, as BullMQ hands it over (made a week before, delayed until then), then every delivery it queued, done. */
async function fire(workspaceId: string, at: string): Promise<string> {
  const made = Date.parse(at) - 7 * 24 * HOUR;
  const job = { timestamp: made, opts: { delay: Date.parse(at) - made } } as never;
  const result = (await digestHandlers(s.services)['digests.compose']({ workspaceId }, { log: s.deps.log, job, token: undefined })) as { created: boolean; digestId: string };
  expect(result.created).toBe(true);
  await s.drain();
  return result.digestId;
}

const hooksOf = (workspaceId: string) => hookBodies.filter((b) => b.data.workspace.id === workspaceId);

describe('a scheduled digest with nothing to report', () => {
  it('is stored and posted to the webhook, but e-mailed to no one, and says why and which sources fail', async () => {
    const w = await workspace('Quiet week');
    // The feed has failed seven polls in a row; the second source is fine.
    await s.db
      .updateTable('sources')
      .set({ consecutive_failures: 7, last_error: 'HTTP 503 Service Unavailable', last_succeeded_at: new Date('2026-11-01T08:15:00Z') })
      .where('id', '=', w.sourceId)
      .execute();
    await s.ok('POST', '/v1/sources', w.key, { type: 'hackernews', query: 'kafe darya', baseUrl: 'http://127.0.0.1:9' });

    const id = await fire(w.workspaceId, '2026-11-16T08:00:00Z');

    expect(smtp.mails).toEqual([]);
    const got = (await s.ok('GET', `/v1/digests/${id}`, w.key)).json;
    expect(got).toMatchObject({ kind: 'scheduled', since: '2026-11-09T08:00:00.000Z', until: '2026-11-16T08:00:00.000Z', recipients: [] });
    expect(got.document.email).toEqual({ status: 'not_sent', reason: 'nothing_to_report' });
    expect(got.document.sources).toEqual({
      total: 2,
      enabled: 2,
      failing: 1,
      disabled: 0,
      partlyFailing: 0,
      recovered: 0,
      firstAddedAt: SOURCE_ADDED,
      failingSources: [{
        id: w.sourceId, type: 'rss', target: 'http://127.0.0.1:9/…', state: 'failing', consecutiveFailures: 7,
        lastError: 'HTTP 503 Service Unavailable', lastSucceededAt: '2026-11-01T08:15:00.000Z', enabled: true,
        // Its failures are seeded on the source alone, with no outage recorded.
        outages: [], outageCount: 0, hoursNotRead: 0,
      }],
    });
    // The webhook is machine-read: it learns the week was empty, and why it was not e-mailed.
    expect(got.deliveries.map((d: { channel: string; outcome: string }) => `${d.channel}:${d.outcome}`)).toEqual(['webhook:delivered']);
    const [hook] = hooksOf(w.workspaceId);
    expect(hook).toMatchObject({ type: 'digest.weekly', data: { id, kind: 'scheduled', email: { status: 'not_sent', reason: 'nothing_to_report' }, sources: { failing: 1 } } });
    expect(hook!.data.brands.map((b: { mentions: number; previousMentions: number }) => [b.mentions, b.previousMentions])).toEqual([[0, 0], [0, 0]]);
    // In the history, with no gap.
    expect((await s.ok('GET', '/v1/digests', w.key)).json.items.map((d: { id: string }) => d.id)).toContain(id);

    const text = (await s.ok('GET', `/v1/digests/${id}?format=text`, w.key)).text;
    expect(text).toContain('No mentions of any brand in this period.');
    expect(text).toContain("1 of the workspace's 2 sources is failing:\n  - rss http://127.0.0.1:9/…: 7 failures in a row (HTTP 503 Service Unavailable); last success 2026-11-01 09:15");
    expect(text).toContain('Not e-mailed: nothing to report, as no brand had a mention in this period or in the one before.');
    const html = (await s.ok('GET', `/v1/digests/${id}?format=html`, w.key)).text;
    // The feed (by its origin) and the error are the sources', isolated.
    expect(html).toContain('rss <bdi>http://127.0.0.1:9/…</bdi>: 7 failures in a row (<bdi>HTTP 503 Service Unavailable</bdi>); last success 2026-11-01 09:15</li>');
    expect(html).toContain('Not e-mailed: nothing to report');
    const md = (await s.ok('GET', `/v1/digests/${id}?format=markdown`, w.key)).text;
    expect(md).toContain('_Not e-mailed: nothing to report');
    expect(md).toContain('\n- rss http\\://127.0.0.1:9/…: 7 failures in a row \\(HTTP 503 Service Unavailable\\)');
  });

  it('asked for over the same period, is e-mailed as asked, saying the period was empty and the sources are fine', async () => {
    const w = await workspace('Quiet but asked');
    const made = await s.ok('POST', '/v1/digests', w.key, { since: '2026-11-09T08:00:00Z', until: '2026-11-16T08:00:00Z' });
    expect(made.json.document.email).toEqual({ status: 'queued', reason: null });
    await s.drain();

    expect(smtp.mails.map((m) => m.to)).toEqual([['ana@example.test']]);
    const { mail } = smtp.mails[0]!;
    expect(mail.text).toContain('No mentions of any brand in this period.');
    expect(mail.text).toContain("The workspace's enabled source fetches without errors: nothing fetched named a brand.");
    expect(mail.text).not.toContain('Not e-mailed');
    expect(hooksOf(w.workspaceId)).toHaveLength(1);
  });

  it('is e-mailed when its period drops to nothing after one with mentions, and not for the quiet periods after it', async () => {
    const w = await workspace('Gone quiet');
    // Mentions in the week before the first digest only.
    await seed(s.deps, { workspaceId: w.workspaceId, sourceId: w.sourceId, mentions: [mention({ at: '2026-11-12T10:00:00Z', brands: [w.own], label: 'positive' })] });

    const dropped = await fire(w.workspaceId, '2026-11-23T08:00:00Z');
    expect(smtp.mails.map((m) => m.to)).toEqual([['ana@example.test']]);
    expect(smtp.mails[0]!.mail.text).toContain('Kafe Darya (own): 0 mentions (was 1, −100%)');
    expect((await s.ok('GET', `/v1/digests/${dropped}`, w.key)).json).toMatchObject({ recipients: ['ana@example.test'], document: { email: { status: 'queued', reason: null } } });

    smtp.mails.length = 0;
    const quiet = await fire(w.workspaceId, '2026-11-30T08:00:00Z');
    expect(smtp.mails).toEqual([]);
    expect((await s.ok('GET', `/v1/digests/${quiet}`, w.key)).json).toMatchObject({ since: '2026-11-23T08:00:00.000Z', recipients: [], document: { email: { reason: 'nothing_to_report' } } });
    // Both periods were posted to the webhook.
    expect(hooksOf(w.workspaceId).map((h) => h.data.id)).toEqual([dropped, quiet]);
  });

  it('with a single mention in its period is e-mailed', async () => {
    const w = await workspace('One mention');
    await seed(s.deps, { workspaceId: w.workspaceId, sourceId: w.sourceId, mentions: [mention({ at: '2026-11-12T10:00:00Z', brands: [w.rival], label: 'negative' })] });
    const id = await fire(w.workspaceId, '2026-11-16T08:00:00Z');
    expect(smtp.mails.map((m) => m.to)).toEqual([['ana@example.test']]);
    const doc = (await s.ok('GET', `/v1/digests/${id}`, w.key)).json.document;
    expect(doc.email).toEqual({ status: 'queued', reason: null });
    // Every source read: the digest says nothing of them.
    expect(doc.sources).toMatchObject({ total: 1, failing: 0, failingSources: [] });
    expect(smtp.mails[0]!.mail.text).not.toMatch(/source/u);
  });
});

describe("each brand's net sentiment against the window before", () => {
  it('is in the JSON, the webhook and every rendering, in points, with no change from a window with nothing scored', async () => {
    const w = await workspace('Net change');
    await s.ok('PATCH', '/v1/workspace', w.key, { digestRecipients: [] });
    const at = (day: number, hour = 10) => `2026-11-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`;
    await seed(s.deps, {
      workspaceId: w.workspaceId,
      sourceId: w.sourceId,
      mentions: [
        // The window before: Kafe Darya 2 positive, 2 negative (0.00); nothing of کافه آروما.
        mention({ at: at(3), brands: [w.own], label: 'positive' }), mention({ at: at(4), brands: [w.own], label: 'positive' }),
        mention({ at: at(5), brands: [w.own], label: 'negative' }), mention({ at: at(6), brands: [w.own], label: 'negative' }),
        // The period: Kafe Darya 3 positive, 1 negative (+0.50); کافه آروما 1 positive (+1.00).
        mention({ at: at(10), brands: [w.own], label: 'positive' }), mention({ at: at(11), brands: [w.own], label: 'positive' }),
        mention({ at: at(12), brands: [w.own], label: 'positive' }), mention({ at: at(13), brands: [w.own], label: 'negative' }),
        mention({ at: at(14), brands: [w.rival], label: 'positive', lang: 'fa' }),
      ],
    });
    const made = await s.ok('POST', '/v1/digests', w.key, { since: '2026-11-09T00:00:00Z', until: '2026-11-16T00:00:00Z' });
    const brand = (id: string) => made.json.document.brands.find((b: { brandId: string }) => b.brandId === id);
    expect(brand(w.own)).toMatchObject({ mentions: 4, previousMentions: 4, netSentiment: 0.5, previousNetSentiment: 0, netSentimentChange: 0.5 });
    expect(brand(w.rival)).toMatchObject({ mentions: 1, previousMentions: 0, netSentiment: 1, previousNetSentiment: null, netSentimentChange: null });
    expect(made.json.document.email).toEqual({ status: 'not_sent', reason: 'no_recipients' });
    await s.drain();
    const [hook] = hooksOf(w.workspaceId);
    expect(hook!.data.brands.find((b: { brandId: string }) => b.brandId === w.own)).toMatchObject({ previousNetSentiment: 0, netSentimentChange: 0.5 });

    const id = made.json.id;
    const text = (await s.ok('GET', `/v1/digests/${id}?format=text`, w.key)).text;
    expect(text).toContain('Kafe Darya (own): 4 mentions (was 4, 0%), share of voice 80.0% (−20.0 pts), net sentiment +0.50 (was 0.00, +0.50)');
    expect(text).toContain('(competitor): 1 mention (was 0, new), share of voice 20.0% (+20.0 pts), net sentiment +1.00 (was –)');
    const md = (await s.ok('GET', `/v1/digests/${id}?format=markdown`, w.key)).text;
    expect(md).toContain('| Kafe Darya | own | 4 (was 4) | 0% | 80.0% (−20.0 pts) | +0.50 (was 0.00, +0.50) |');
    expect(md).toContain('| کافه آروما | competitor | 1 (was 0) | new | 20.0% (+20.0 pts) | +1.00 (was –) |');
    const html = (await s.ok('GET', `/v1/digests/${id}?format=html`, w.key)).text;
    expect(html).toContain('>+0.50 (was\u00A00.00, +0.50)</td>');
    expect(html).toContain('>+1.00 (was\u00A0–)</td>');
  });
});
