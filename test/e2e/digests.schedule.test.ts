import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queue } from 'bullmq';
import type { DigestDocument } from '../../src/domain/digests/index.js';
import { digestDeliveryJobId, digestHandlers, syncDigestSchedule } from '../../src/workers/digests.worker.js';
import { makeDigest } from '../../src/domain/digests/digests.usecases.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { mention, seed } from '../support/seed.js';

// Scheduled digests in zones whose offset is not a whole hour (Asia/Kolkata +05:30,
// Asia/Kathmandu +05:45, Australia/Adelaide +09:30/+10:30, America/St_Johns −03:30/−02:30):
// each period ends at its scheduled instant and starts where the one before ended, so every
// mention is in exactly one digest, and every figure of a digest counts exactly its period.

let t: TestApp;

beforeAll(async () => {
  // An SMTP_URL, so that digests are made for their recipients; no worker runs here to send them.
  t = await createTestApp({ config: { RATE_LIMIT_PER_MINUTE: '1000000', SMTP_URL: 'smtp://127.0.0.1:9' } });
});
afterAll(async () => t.close());

const HOUR = 3_600_000;

async function scheduledWorkspace(name: string, digestSchedule: string, digestTimeZone: string) {
  const { id: workspaceId, key } = await t.workspace(name);
  const brand = await t.request('POST', '/v1/brands', { key, body: { name, role: 'own', query: `"${name}"` } });
  expect(brand.status, brand.text).toBe(201);
  const source = await t.request('POST', '/v1/sources', { key, body: { type: 'rss', url: `http://127.0.0.1:9/${encodeURIComponent(name)}.xml` } });
  expect(source.status, source.text).toBe(201);
  const settings = await t.request('PATCH', '/v1/workspace', { key, body: { digestSchedule, digestTimeZone } });
  expect(settings.status, settings.text).toBe(200);
  return { workspaceId, key, brandId: brand.json.id as string, sourceId: source.json.id as string };
}

/**
 * Mentions of the brand, all positive with the same hashtag and keyword, so that every section counts
 * them. Each text carries its time (numbers are no terms): copies of one text count once in trending keywords.
 */
async function mentionsAt(w: { workspaceId: string; brandId: string; sourceId: string }, times: string[]) {
  await seed(t.deps, {
    workspaceId: w.workspaceId,
    sourceId: w.sourceId,
    mentions: times.map((at) => mention({ at, brands: [w.brandId], label: 'positive', score: 0.7, hashtags: ['kulfi'], text: `kulfi ${Date.parse(at)}` })),
  });
}

/** The scheduler's job for a run at `at`, as BullMQ hands it to the handler: made at the run before, delayed until this one. */
async function fire(workspaceId: string, at: string, jitter = 0): Promise<DigestDocument> {
  const handlers = digestHandlers({ ...t.deps, mailer: null });
  const made = Date.parse(at) - 7 * 24 * HOUR;
  const job = { timestamp: made, opts: { delay: Date.parse(at) + jitter - made } } as never;
  const result = (await handlers['digests.compose']({ workspaceId }, { log: t.deps.log, job, token: undefined })) as { created: boolean; digestId?: string };
  expect(result.created, at).toBe(true);
  const row = await t.deps.digestRepository.byId(result.digestId!);
  return row!.document as unknown as DigestDocument;
}

const count = (times: string[], since: number, until: number) => times.filter((at) => Date.parse(at) >= since && Date.parse(at) < until).length;
const iso = (at: string) => new Date(at).toISOString();

/**
 * Every figure of the digest against the seeded mentions of its period and of the equal window
 * before it: the brand table, each local day of the trend, the top mentions, trending hashtags and
 * keywords, and the SWOT's counts and window.
 */
function expectEveryFigureCounts(doc: DigestDocument, times: string[]) {
  const since = Date.parse(doc.period.since);
  const until = Date.parse(doc.period.until);
  const current = count(times, since, until);
  const previous = count(times, 2 * since - until, since);
  const trending = current >= 3 && current > previous ? { mentions: current, previous } : undefined;
  // A keyword or hashtag must also rise by more than chance (docs/analytics.md): 3 after 1 is no rise.
  const rising = trending && current - previous >= 2 * Math.sqrt(previous + 1) ? trending : undefined;
  const [brand] = doc.brands;
  const days = doc.sentimentTrend[0]!.days;
  expect({
    brand: { mentions: brand!.mentions, previous: brand!.previousMentions },
    days: days.map((d) => d.mentions),
    top: doc.topPositive.map((m) => m.occurredAt).sort(),
    hashtag: doc.trendingHashtags.find((h) => h.term === 'kulfi'),
    keyword: doc.trendingKeywords.find((k) => k.term === 'kulfi'),
    swot: { since: doc.swot!.since, until: doc.swot!.until, of: doc.swot!.sample!.of, previousOf: doc.swot!.sample!.previousOf },
  }).toEqual({
    brand: { mentions: current, previous },
    days: days.map((d) => count(times, Date.parse(d.since!), Date.parse(d.until!))),
    top: times.filter((at) => Date.parse(at) >= since && Date.parse(at) < until).map(iso).sort(),
    hashtag: rising && expect.objectContaining(rising),
    keyword: rising && expect.objectContaining(rising),
    swot: { since: doc.period.since, until: doc.period.until, of: current, previousOf: previous },
  });
  // The local days tile the period.
  expect(days[0]!.since).toBe(doc.period.since);
  expect(days.at(-1)!.until).toBe(doc.period.until);
  for (let i = 1; i < days.length; i++) expect(days[i]!.since).toBe(days[i - 1]!.until);
}

/** Each seeded mention from the first digest's start to the last one's end is in exactly one of them. */
function expectEachMentionOnce(docs: DigestDocument[], times: string[]) {
  const first = Date.parse(docs[0]!.period.since);
  const last = Date.parse(docs.at(-1)!.period.until);
  const counted = times.filter((at) => Date.parse(at) >= first && Date.parse(at) < last).map((at) => [at, docs.filter((d) => d.topPositive.some((m) => m.occurredAt === iso(at))).length]);
  expect(counted).toEqual(counted.map(([at]) => [at, 1]));
}

/** Consecutive digests end at their runs and each starts where the one before ended. */
function expectTiling(docs: DigestDocument[], runs: string[]) {
  expect(docs.map((d) => d.period.until)).toEqual(runs.map(iso));
  for (let i = 1; i < docs.length; i++) expect(docs[i]!.period.since, `digest ${i}`).toBe(docs[i - 1]!.period.until);
}

describe('scheduled digests in Asia/Kolkata (+05:30)', () => {
  it('end at 09:00 local (03:30 UTC) and start where the one before ended: a mention at 03:15 UTC is in exactly one, the one made at 03:30', async () => {
    const w = await scheduledWorkspace('Chai Kolkata', '0 9 * * 1', 'Asia/Kolkata');
    const times = [
      '2026-11-09T03:20:00Z', // the window before the first digest
      '2026-11-09T03:40:00Z',
      '2026-11-12T10:00:00Z',
      '2026-11-16T03:05:00Z',
      '2026-11-16T03:15:00Z', // 08:45 local: before the Monday digest, so in it
      '2026-11-16T03:25:00Z',
      '2026-11-16T03:35:00Z', // 09:05 local: after it, so in the next one
      '2026-11-16T03:50:00Z',
      '2026-11-20T12:00:00Z',
      '2026-11-23T03:29:00Z',
      '2026-11-23T03:31:00Z', // after the second digest
    ];
    await mentionsAt(w, times);
    const runs = ['2026-11-16T03:30:00Z', '2026-11-23T03:30:00Z'];
    const docs = [await fire(w.workspaceId, runs[0]!), await fire(w.workspaceId, runs[1]!)];
    expect(docs[0]!.topPositive.map((m) => m.occurredAt), 'the digest made at 09:00 local').toContain('2026-11-16T03:15:00.000Z');
    expect(docs.map((d) => d.period)).toEqual([
      { since: '2026-11-09T03:30:00.000Z', until: '2026-11-16T03:30:00.000Z', timeZone: 'Asia/Kolkata' },
      { since: '2026-11-16T03:30:00.000Z', until: '2026-11-23T03:30:00.000Z', timeZone: 'Asia/Kolkata' },
    ]);
    expect(docs[1]!.topPositive.map((m) => m.occurredAt)).not.toContain('2026-11-16T03:15:00.000Z');
    expectTiling(docs, runs);
    expectEachMentionOnce(docs, times);
    for (const doc of docs) expectEveryFigureCounts(doc, times);
    // Local days from 09:00 on the first Monday to 09:00 on the next.
    expect(docs[0]!.sentimentTrend[0]!.days.map((d) => d.date)).toEqual(['2026-11-09', '2026-11-10', '2026-11-11', '2026-11-12', '2026-11-13', '2026-11-14', '2026-11-15', '2026-11-16']);
  });

  it('end at the instant BullMQ schedules the run for, on the half hour', async () => {
    const w = await scheduledWorkspace('Chai Scheduler', '0 9 * * 1', 'Asia/Kolkata');
    const ws = (await t.deps.workspaceRepository.getWorkspace(w.workspaceId))!;
    await syncDigestSchedule(t.deps.queues, ws);
    const queue = t.deps.queues.queues.get('digests') as Queue;
    const job = (await queue.getDelayed()).find((j) => j.repeatJobKey === `digest-${w.workspaceId}`)!;
    const runAt = job.timestamp + (job.opts.delay ?? 0);
    // Monday 09:00 in Kolkata is 03:30 UTC.
    expect(new Date(runAt).toISOString()).toMatch(/T03:30:00\.000Z$/);
    const result = (await digestHandlers({ ...t.deps, mailer: null })['digests.compose']({ workspaceId: w.workspaceId }, { log: t.deps.log, job, token: undefined })) as { digestId: string };
    const row = (await t.deps.digestRepository.byId(result.digestId))!;
    expect({ since: row.period_start.getTime(), until: row.period_end.getTime() }).toEqual({ since: runAt - 7 * 24 * HOUR, until: runAt });
    await queue.removeJobScheduler(`digest-${w.workspaceId}`);
  });
});

describe('a scheduled digest in Asia/Kathmandu (+05:45)', () => {
  it('ends at 09:00 local (03:15 UTC) and compares with the equal window before it, both to the minute', async () => {
    const w = await scheduledWorkspace('Momo Kathmandu', '0 9 * * 1', 'Asia/Kathmandu');
    const times = ['2026-11-09T03:10:00Z', '2026-11-09T03:20:00Z', '2026-11-13T06:00:00Z', '2026-11-16T03:10:00Z', '2026-11-16T03:20:00Z'];
    await mentionsAt(w, times);
    // With milliseconds, as a job may carry: the run is at a whole minute.
    const doc = await fire(w.workspaceId, '2026-11-16T03:15:00Z', 412);
    expect(doc.period).toEqual({ since: '2026-11-09T03:15:00.000Z', until: '2026-11-16T03:15:00.000Z', timeZone: 'Asia/Kathmandu' });
    expect({ mentions: doc.brands[0]!.mentions, previous: doc.brands[0]!.previousMentions }).toEqual({ mentions: 3, previous: 1 });
    expectEveryFigureCounts(doc, times);
  });
});

describe('scheduled digests in Australia/Adelaide (+09:30, +10:30 in summer)', () => {
  it('tile time when summer time starts: the week of the change is 167 hours, and no hour is counted twice', async () => {
    const w = await scheduledWorkspace('Pie Floater Spring', '0 9 * * 1', 'Australia/Adelaide');
    const times = [
      '2026-09-24T12:00:00Z',
      '2026-09-27T22:30:00Z', // Monday 08:00 ACST: in the first digest only
      '2026-09-27T23:15:00Z',
      '2026-09-27T23:45:00Z',
      '2026-10-01T12:00:00Z',
      '2026-10-04T22:15:00Z', // Monday 08:45 ACDT
      '2026-10-04T22:45:00Z',
      '2026-10-08T12:00:00Z',
    ];
    await mentionsAt(w, times);
    // Summer time starts on Sunday 2026-10-04 at 02:00 ACST: Monday 09:00 is 23:30 UTC before, 22:30 UTC after.
    const runs = ['2026-09-27T23:30:00Z', '2026-10-04T22:30:00Z', '2026-10-11T22:30:00Z'];
    const docs = [];
    for (const run of runs) docs.push(await fire(w.workspaceId, run));
    expectEachMentionOnce(docs, times);
    expect(docs.map((d) => [d.period.since, d.period.until])).toEqual([
      ['2026-09-20T23:30:00.000Z', '2026-09-27T23:30:00.000Z'],
      ['2026-09-27T23:30:00.000Z', '2026-10-04T22:30:00.000Z'],
      ['2026-10-04T22:30:00.000Z', '2026-10-11T22:30:00.000Z'],
    ]);
    expectTiling(docs, runs);
    expectEachMentionOnce(docs, times);
    for (const doc of docs) expectEveryFigureCounts(doc, times);
  });

  it('tile time when summer time ends: the week of the change is 169 hours, and no hour falls out', async () => {
    const w = await scheduledWorkspace('Pie Floater Autumn', '0 9 * * 1', 'Australia/Adelaide');
    const times = [
      '2026-03-26T12:00:00Z',
      '2026-03-29T22:20:00Z', // Monday 08:50 ACDT
      '2026-03-29T22:40:00Z', // Monday 09:10 ACDT: in the second digest
      '2026-04-02T12:00:00Z',
      '2026-04-05T23:10:00Z', // Monday 08:40 ACST
      '2026-04-05T23:40:00Z', // after the second digest
    ];
    await mentionsAt(w, times);
    // Summer time ends on Sunday 2026-04-05 at 03:00 ACDT: Monday 09:00 is 22:30 UTC before, 23:30 UTC after.
    const runs = ['2026-03-29T22:30:00Z', '2026-04-05T23:30:00Z'];
    const docs = [await fire(w.workspaceId, runs[0]!), await fire(w.workspaceId, runs[1]!)];
    expectEachMentionOnce(docs, times);
    expect(docs.map((d) => [d.period.since, d.period.until])).toEqual([
      ['2026-03-22T22:30:00.000Z', '2026-03-29T22:30:00.000Z'],
      ['2026-03-29T22:30:00.000Z', '2026-04-05T23:30:00.000Z'],
    ]);
    expectTiling(docs, runs);
    expectEachMentionOnce(docs, times);
    for (const doc of docs) expectEveryFigureCounts(doc, times);
  });
});

describe('daily digests at local midnight in America/St_Johns (−02:30, −03:30 in winter)', () => {
  it('each cover one local day, the 25-hour one too, though every midnight falls inside a UTC hour', async () => {
    const w = await scheduledWorkspace('Toutons St Johns', '0 0 * * *', 'America/St_Johns');
    const times = [
      '2026-10-31T02:20:00Z', // 10-30 23:50 NDT
      '2026-10-31T02:40:00Z', // 10-31 00:10 NDT
      '2026-11-01T02:20:00Z', // 10-31 23:50 NDT
      '2026-11-01T02:40:00Z', // 11-01 00:10 NDT
      '2026-11-02T03:00:00Z', // 11-01 23:30 NST, in the day's 25th hour
      '2026-11-02T03:40:00Z', // 11-02 00:10 NST
    ];
    await mentionsAt(w, times);
    // Summer time ends on 2026-11-01 at 02:00 NDT: midnight is 02:30 UTC before, 03:30 UTC after.
    const runs = ['2026-11-01T02:30:00Z', '2026-11-02T03:30:00Z'];
    const docs = [await fire(w.workspaceId, runs[0]!), await fire(w.workspaceId, runs[1]!)];
    expect(docs.map((d) => [d.period.since, d.period.until])).toEqual([
      ['2026-10-31T02:30:00.000Z', '2026-11-01T02:30:00.000Z'],
      ['2026-11-01T02:30:00.000Z', '2026-11-02T03:30:00.000Z'],
    ]);
    expect(docs.map((d) => d.sentimentTrend[0]!.days.map((day) => [day.date, day.mentions]))).toEqual([[['2026-10-31', 2]], [['2026-11-01', 2]]]);
    expectTiling(docs, runs);
    expectEachMentionOnce(docs, times);
    for (const doc of docs) expectEveryFigureCounts(doc, times);
  });
});

describe('a scheduled digest after the schedule changed', () => {
  it('starts where the last scheduled digest ended, not at the new schedule\'s previous run', async () => {
    const w = await scheduledWorkspace('Chai Rescheduled', '0 9 * * 1', 'Asia/Kolkata');
    const monday = await fire(w.workspaceId, '2026-11-16T03:30:00Z');
    // From Mondays at 09:00 to Wednesdays at 18:45.
    expect((await t.request('PATCH', '/v1/workspace', { key: w.key, body: { digestSchedule: '45 18 * * 3' } })).status).toBe(200);
    const wednesday = await fire(w.workspaceId, '2026-11-18T13:15:00Z');
    expect(wednesday.period).toMatchObject({ since: monday.period.until, until: '2026-11-18T13:15:00.000Z' });
  });

  it('covers the runs it missed, up to four periods; after a longer pause it starts at the run before', async () => {
    const w = await scheduledWorkspace('Chai Paused', '0 9 * * 1', 'Asia/Kolkata');
    const first = await fire(w.workspaceId, '2026-09-07T03:30:00Z');
    // Three Mondays missed: the digest covers all four weeks.
    const caughtUp = await fire(w.workspaceId, '2026-10-05T03:30:00Z');
    expect(caughtUp.period).toMatchObject({ since: first.period.until, until: '2026-10-05T03:30:00.000Z' });
    // Switched back on after two months: one week, not nine.
    const resumed = await fire(w.workspaceId, '2026-12-07T03:30:00Z');
    expect(resumed.period).toMatchObject({ since: '2026-11-30T03:30:00.000Z', until: '2026-12-07T03:30:00.000Z' });
  });
});

describe('a scheduled digest stored by an attempt that then failed', () => {
  it('is delivered by the retry, which queues each delivery not yet attempted, and only those, to the recipients it was made for', async () => {
    const w = await scheduledWorkspace('Chai Retried', '0 9 * * 1', 'Asia/Kolkata');
    const settings = await t.request('PATCH', '/v1/workspace', { key: w.key, body: { digestWebhookUrl: 'http://127.0.0.1:9/digest-hook', digestRecipients: ['ana@example.test', 'petr@example.test'] } });
    expect(settings.status, settings.text).toBe(200);
    // Something to report: a period without a single mention, after one without, is e-mailed to no one.
    await mentionsAt(w, ['2026-11-12T10:00:00Z']);
    const queue = t.deps.queues.queues.get('digests') as Queue;
    const at = '2026-11-16T03:30:00Z';
    // The first attempt stored the digest and failed before it queued anything.

    const stored = await makeDigest({ ...t.deps, workspaceId: w.workspaceId, kind: 'scheduled', scheduledAt: new Date(at) });
    expect(stored).toMatchObject({ made: true, recipients: ['ana@example.test', 'petr@example.test'] });
    const jobOf = (delivery: Parameters<typeof digestDeliveryJobId>[1]) => queue.getJob(digestDeliveryJobId(stored!.id, delivery));
    expect(await jobOf({ channel: 'webhook' })).toBeUndefined();
    // Its e-mail to Ana had been attempted already; the webhook and Petr's had not.
    await t.deps.digestRepository.recordAttempt({ digestId: stored!.id, channel: 'email', target: 'ana@example.test', attempt: 1, outcome: 'delivered', status: null, latencyMs: null });
    // The list changed before the retry: the digest still goes to those it was made for.
    expect((await t.request('PATCH', '/v1/workspace', { key: w.key, body: { digestRecipients: ['zoe@example.test'] } })).status).toBe(200);

    const handlers = digestHandlers({ ...t.deps, mailer: null });
    const made = Date.parse(at) - 7 * 24 * HOUR;
    const job = { timestamp: made, opts: { delay: Date.parse(at) - made } } as never;
    const retry = await handlers['digests.compose']({ workspaceId: w.workspaceId }, { log: t.deps.log, job, token: undefined });
    expect(retry).toEqual({ created: false, digestId: stored!.id });
    expect(await jobOf({ channel: 'webhook' })).toBeDefined();
    expect((await jobOf({ channel: 'email', to: 'petr@example.test' }))?.data).toEqual({ digestId: stored!.id, channel: 'email', to: 'petr@example.test' });
    expect(await jobOf({ channel: 'email', to: 'ana@example.test' })).toBeUndefined();
    expect(await jobOf({ channel: 'email', to: 'zoe@example.test' })).toBeUndefined();
    await queue.remove(digestDeliveryJobId(stored!.id, { channel: 'webhook' }));
    await queue.remove(digestDeliveryJobId(stored!.id, { channel: 'email', to: 'petr@example.test' }));
  });
});

describe("a deleted workspace's digest scheduler", () => {
  const schedulerIds = async () => (await (t.deps.queues.queues.get('digests') as Queue).getJobSchedulers(0, -1)).map((s) => s.key).sort();
  const deleteWorkspace = (id: string) => t.deps.db.deleteFrom('workspaces').where('id', '=', id).execute();

  it('is removed by its next run, which makes nothing and does not fail', async () => {
    const gone = await scheduledWorkspace('Gone weekly', '0 8 * * 1', 'Europe/Prague');
    const kept = await scheduledWorkspace('Kept weekly', '0 8 * * 1', 'Europe/Prague');
    expect(await schedulerIds()).toEqual(expect.arrayContaining([`digest-${gone.workspaceId}`, `digest-${kept.workspaceId}`]));
    await deleteWorkspace(gone.workspaceId);

    const handlers = digestHandlers({ ...t.deps, mailer: null });
    const job = { timestamp: Date.parse('2026-11-23T07:00:00Z'), opts: { delay: 0 } } as never;
    const result = await handlers['digests.compose']({ workspaceId: gone.workspaceId }, { log: t.deps.log, job, token: undefined });
    expect(result).toEqual({ created: false, workspaceDeleted: true });
    const ids = await schedulerIds();
    expect(ids).not.toContain(`digest-${gone.workspaceId}`);
    expect(ids).toContain(`digest-${kept.workspaceId}`);
  });

  it('is removed by the reconcile, which keeps every present workspace’s', async () => {
    const gone = await scheduledWorkspace('Gone daily', '0 9 * * *', 'Asia/Kolkata');
    const kept = await scheduledWorkspace('Kept daily', '0 9 * * *', 'Asia/Kolkata');
    await deleteWorkspace(gone.workspaceId);
    expect(await schedulerIds()).toContain(`digest-${gone.workspaceId}`);

    const handlers = digestHandlers({ ...t.deps, mailer: null });
    const result = (await handlers['digests.reconcile']({}, { log: t.deps.log, job: {} as never, token: undefined })) as { removed: number };
    expect(result.removed).toBe(1);
    const ids = await schedulerIds();
    expect(ids).not.toContain(`digest-${gone.workspaceId}`);
    expect(ids).toContain(`digest-${kept.workspaceId}`);
    const present = (await t.deps.workspaceRepository.digestSchedules()).filter((ws) => ws.digest_schedule !== null).map((ws) => `digest-${ws.id}`).sort();
    expect(ids.filter((id) => id.startsWith('digest-'))).toEqual(present);
  });
});

describe('scheduled digests switched off (digestSchedule null)', () => {
  const schedulerIds = async () => (await (t.deps.queues.queues.get('digests') as Queue).getJobSchedulers(0, -1)).map((s) => s.key);
  const digestsOf = (workspaceId: string) => t.deps.db.selectFrom('digests').select(['kind']).where('workspace_id', '=', workspaceId).execute();

  it('lose their scheduler, make nothing from a run already queued, stay off through a reconcile, and come back with a cron', async () => {
    const w = await scheduledWorkspace('Quiet weekly', '0 8 * * 1', 'Europe/Prague');
    await mentionsAt(w, ['2026-11-20T10:00:00Z']);
    expect(await schedulerIds()).toContain(`digest-${w.workspaceId}`);

    const off = await t.request('PATCH', '/v1/workspace', { key: w.key, body: { digestSchedule: null } });
    expect(off.status, off.text).toBe(200);
    expect(off.json).toMatchObject({ digestSchedule: null, digestTimeZone: 'Europe/Prague' });
    expect((await t.request('GET', '/v1/workspace', { key: w.key })).json.digestSchedule).toBeNull();
    expect(await schedulerIds()).not.toContain(`digest-${w.workspaceId}`);

    // A run BullMQ had already queued before the switch makes no digest, and does not fail.
    const handlers = digestHandlers({ ...t.deps, mailer: null });
    const job = { timestamp: Date.parse('2026-11-16T07:00:00Z'), opts: { delay: 7 * 24 * HOUR } } as never;
    expect(await handlers['digests.compose']({ workspaceId: w.workspaceId }, { log: t.deps.log, job, token: undefined })).toEqual({ created: false });
    expect(await digestsOf(w.workspaceId)).toEqual([]);

    // The reconcile does not bring it back; other settings can still change; a digest can still be made by hand.
    await handlers['digests.reconcile']({}, { log: t.deps.log, job: {} as never, token: undefined });
    expect(await schedulerIds()).not.toContain(`digest-${w.workspaceId}`);
    const renamed = await t.request('PATCH', '/v1/workspace', { key: w.key, body: { name: 'Quiet, renamed', digestTimeZone: 'Asia/Kolkata' } });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.json.digestSchedule).toBeNull();
    expect(await schedulerIds()).not.toContain(`digest-${w.workspaceId}`);
    const manual = await t.request('POST', '/v1/digests', { key: w.key, body: { since: '2026-11-19T00:00:00Z', until: '2026-11-21T00:00:00Z' } });
    expect(manual.status, manual.text).toBe(201);
    expect(await digestsOf(w.workspaceId)).toEqual([{ kind: 'manual' }]);

    const on = await t.request('PATCH', '/v1/workspace', { key: w.key, body: { digestSchedule: '0 9 * * 1' } });
    expect(on.status, on.text).toBe(200);
    expect(on.json.digestSchedule).toBe('0 9 * * 1');
    expect(await schedulerIds()).toContain(`digest-${w.workspaceId}`);
    await (t.deps.queues.queues.get('digests') as Queue).removeJobScheduler(`digest-${w.workspaceId}`);
  });
});

describe('re-asserting a digest schedule already in place', () => {
  it('leaves a run that is due but not yet taken in place, instead of moving it to the next period', async () => {
    const { id } = await t.workspace('Due run');
    const queue = t.deps.queues.queues.get('digests') as Queue;
    // Every second (a six-field cron), so a run falls due within the test; no worker takes it here.
    const ws = { id, digest_schedule: '* * * * * *', digest_timezone: 'UTC' };
    await syncDigestSchedule(t.deps.queues, ws);
    const runsOf = async () =>
      (await queue.getDelayed()).filter((job) => job.repeatJobKey === `digest-${id}`).map((job) => job.timestamp + (job.opts.delay ?? 0));
    const [due] = await runsOf();
    expect(due).toBeDefined();
    await new Promise((r) => setTimeout(r, Math.max(0, due! - Date.now()) + 300));

    // What the reconcile, a settings PATCH or a restart does: the same schedule again.
    await syncDigestSchedule(t.deps.queues, ws);
    expect(await runsOf()).toEqual([due]);
    // A changed schedule is written.
    await syncDigestSchedule(t.deps.queues, { ...ws, digest_schedule: '0 8 * * 1' });
    expect((await queue.getJobScheduler(`digest-${id}`))?.pattern).toBe('0 8 * * 1');
    await queue.removeJobScheduler(`digest-${id}`);
  });
});
