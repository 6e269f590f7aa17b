import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestSubject, type DigestDocument } from '../../src/domain/digests/index.js';
import { makeDigest, renderDigest } from '../../src/domain/digests/digests.usecases.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { mention, seed } from '../support/seed.js';

// Every figure of a digest describes its own period [since, until): the brand table, the daily
// sentiment, the top mentions, trending hashtags and keywords, the alerts and the SWOT.

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ config: { RATE_LIMIT_PER_MINUTE: '1000000' } });
});
afterAll(async () => t.close());

const HOUR = 3_600_000;

async function workspace(name: string, brands: Array<{ name: string; role: 'own' | 'competitor' }>, timeZone?: string) {
  const { id, key } = await t.workspace(name);
  const ids: string[] = [];
  for (const b of brands) {
    const res = await t.request('POST', '/v1/brands', { key, body: { name: b.name, role: b.role, query: `"${b.name}"` } });
    expect(res.status, res.text).toBe(201);
    ids.push(res.json.id);
  }
  const source = await t.request('POST', '/v1/sources', { key, body: { type: 'rss', url: `http://127.0.0.1:9/${encodeURIComponent(name)}.xml` } });
  expect(source.status, source.text).toBe(201);
  if (timeZone) expect((await t.request('PATCH', '/v1/workspace', { key, body: { digestTimeZone: timeZone } })).status).toBe(200);
  return { workspaceId: id, key, sourceId: source.json.id as string, ids };
}

async function digest(workspaceId: string, p: { since?: string; until?: string; now: string }): Promise<DigestDocument> {
  const made = await makeDigest({
    ...t.deps,
    workspaceId,
    kind: 'manual',
    since: p.since ? new Date(p.since) : undefined,
    until: p.until ? new Date(p.until) : undefined,
    now: new Date(p.now),
  });
  expect(made).not.toBeNull();
  return made!.document;
}

const tag = (doc: DigestDocument, term: string) => doc.trendingHashtags.find((h) => h.term === term);
const brandMentions = (doc: DigestDocument, name: string) => doc.brands.find((b) => b.name === name)!.mentions;

describe('a digest whose period ends mid-day', () => {
  it('counts trending hashtags in its period only, never more than the mentions of the brands that carry them', async () => {
    const w = await workspace('Aroma Workspace', [{ name: 'Aroma Coffee', role: 'own' }, { name: 'Bean Co', role: 'competitor' }]);
    const [aroma, bean] = w.ids as [string, string];
    // The digest is asked for at 13:20 with no period: it covers the week ending at 13:00.
    const inPeriod = ['2026-11-17T09:00:00Z', '2026-11-18T10:00:00Z', '2026-11-19T11:00:00Z', '2026-11-20T08:00:00Z', '2026-11-20T09:00:00Z', '2026-11-20T10:00:00Z', '2026-11-20T11:00:00Z', '2026-11-20T12:00:00Z', '2026-11-20T12:59:00Z'];
    const later = ['2026-11-20T13:00:00Z', '2026-11-20T18:30:00Z'];
    await seed(t.deps, {
      workspaceId: w.workspaceId,
      sourceId: w.sourceId,
      mentions: [
        // Three mentions of both brands: the workspace counts each of them once.
        ...inPeriod.map((at, i) => mention({ at, brands: i < 3 ? [aroma, bean] : [aroma], hashtags: ['aromacoffee', ...(i < 4 ? ['चाय', 'قهوه'] : [])] })),
        ...later.map((at) => mention({ at, brands: [aroma], hashtags: ['aromacoffee', 'चाय', 'قهوه'] })),
      ],
    });
    const doc = await digest(w.workspaceId, { now: '2026-11-20T13:20:00Z' });
    expect(doc.period).toMatchObject({ since: '2026-11-13T13:00:00.000Z', until: '2026-11-20T13:00:00.000Z' });
    expect(brandMentions(doc, 'Aroma Coffee')).toBe(9);
    expect(tag(doc, 'aromacoffee')).toMatchObject({ mentions: 9, previous: 0 });
    expect(tag(doc, 'चाय')).toMatchObject({ mentions: 4, previous: 0 });
    expect(tag(doc, 'قهوه')).toMatchObject({ mentions: 4, previous: 0 });
    for (const h of doc.trendingHashtags) expect(h.mentions, h.term).toBeLessThanOrEqual(brandMentions(doc, 'Aroma Coffee'));
    expect(renderDigest(doc, 'markdown')).toContain('| \\#aromacoffee | 9 | 0 |');
  });

  it('compares hashtags with exactly the equal window before the period', async () => {
    const w = await workspace('Kavovar Workspace', [{ name: 'Kávovar Plus', role: 'own' }]);
    const [brand] = w.ids as [string];
    // Period [11-13 13:00, 11-20 13:00); the window before it is [11-06 13:00, 11-13 13:00).
    const at = (list: string[]) => list.map((a) => mention({ at: a, brands: [brand], hashtags: ['kávovar'] }));
    await seed(t.deps, {
      workspaceId: w.workspaceId,
      sourceId: w.sourceId,
      mentions: [
        // Seven after three: a rise above chance (4 ≥ 2·√4), so the tag trends and shows its counts.
        ...at(['2026-11-14T10:00:00Z', '2026-11-15T10:00:00Z', '2026-11-16T10:00:00Z', '2026-11-17T10:00:00Z', '2026-11-18T10:00:00Z', '2026-11-19T10:00:00Z', '2026-11-20T10:00:00Z']),
        // Before the period but on its first UTC day, and in the window before it.
        ...at(['2026-11-13T10:00:00Z', '2026-11-13T11:00:00Z', '2026-11-10T10:00:00Z']),
        // Before the window before it, on that window's first UTC day: in neither.
        ...at(['2026-11-06T08:00:00Z', '2026-11-06T09:00:00Z', '2026-11-06T10:00:00Z', '2026-11-06T11:00:00Z']),
      ],
    });
    const doc = await digest(w.workspaceId, { since: '2026-11-13T13:00:00Z', until: '2026-11-20T13:00:00Z', now: '2026-11-21T09:00:00Z' });
    expect(brandMentions(doc, 'Kávovar Plus')).toBe(7);
    expect(doc.brands[0]!.previousMentions).toBe(3);
    expect(tag(doc, 'kávovar')).toEqual({ term: 'kávovar', mentions: 7, previous: 3, growth: 1.3333 });
  });

  it('counts a mention holding two spellings of one tag once, as trending does, and leaves out a rise within chance', async () => {
    const w = await workspace('Kava Workspace', [{ name: 'Kavárna Lípa', role: 'own' }]);
    const [brand] = w.ids as [string];
    const period = ['2026-11-14T10:00:00Z', '2026-11-15T10:00:00Z', '2026-11-16T10:00:00Z', '2026-11-17T10:00:00Z'];
    await seed(t.deps, {
      workspaceId: w.workspaceId,
      sourceId: w.sourceId,
      mentions: [
        // Four mentions of #káva, each also written #kava: four, not eight.
        ...period.map((at) => mention({ at, brands: [brand], hashtags: ['káva', 'kava'] })),
        // #mléko: four after three is no rise above chance (1 < 2·√4).
        ...period.map((at) => mention({ at, brands: [brand], hashtags: ['mléko'] })),
        ...['2026-11-08T10:00:00Z', '2026-11-09T10:00:00Z', '2026-11-10T10:00:00Z'].map((at) => mention({ at, brands: [brand], hashtags: ['mléko'] })),
      ],
    });
    const doc = await digest(w.workspaceId, { since: '2026-11-13T13:00:00Z', until: '2026-11-20T13:00:00Z', now: '2026-11-21T09:00:00Z' });
    expect(doc.trendingHashtags).toEqual([{ term: 'kava', mentions: 4, previous: 0, growth: 4 }]);
  });
});

describe('a digest asked for a period that does not start or end on the hour', () => {
  it('covers whole hours, and its brand table, daily sentiment, top mentions and SWOT all count that same period', async () => {
    const w = await workspace('Edges Workspace', [{ name: 'Edgy', role: 'own' }, { name: 'Rival', role: 'competitor' }]);
    const [edgy, rival] = w.ids as [string, string];
    const times = ['2026-11-13T10:10:00Z', '2026-11-13T10:40:00Z', '2026-11-15T12:00:00Z', '2026-11-20T13:20:00Z', '2026-11-20T13:40:00Z', '2026-11-20T13:50:00Z'];
    await seed(t.deps, {
      workspaceId: w.workspaceId,
      sourceId: w.sourceId,
      mentions: [
        ...times.map((at) => mention({ at, brands: [edgy], label: 'positive', score: 0.7, hashtags: ['hrana'] })),
        mention({ at: '2026-11-13T09:30:00Z', brands: [rival], label: 'negative' }),
        mention({ at: '2026-11-20T14:10:00Z', brands: [rival], label: 'negative' }),
      ],
    });
    const doc = await digest(w.workspaceId, { since: '2026-11-13T10:30:00Z', until: '2026-11-20T13:30:00Z', now: '2026-11-21T09:00:00Z' });
    const { since, until } = doc.period;
    const inPeriod = times.filter((at) => at >= since && at < until).length;
    const daily = doc.sentimentTrend.find((s) => s.brandId === edgy)!.days.reduce((n, d) => n + d.mentions, 0);
    expect({ brand: brandMentions(doc, 'Edgy'), daily, top: doc.topPositive.length }).toEqual({ brand: inPeriod, daily: inPeriod, top: Math.min(inPeriod, 5) });
    for (const m of [...doc.topPositive, ...doc.topNegative]) expect(m.occurredAt >= since && m.occurredAt < until, m.occurredAt).toBe(true);
    expect(brandMentions(doc, 'Rival')).toBe(doc.topNegative.length);
    expect(doc.swot).toMatchObject({ since, until });
    expect(tag(doc, 'hrana')?.mentions ?? 0).toBe(inPeriod >= 3 ? inPeriod : 0);
  });
});

describe('the daily sentiment of a digest', () => {
  it('cuts days at midnight in the digest time zone and says which part of the first and last day it covers', async () => {
    const w = await workspace('Kolkata Workspace', [{ name: 'चाय घर', role: 'own' }], 'Asia/Kolkata');
    const [brand] = w.ids as [string];
    // Kolkata is UTC+05:30: local midnight of 11-15 is 11-14T18:30Z, inside a UTC hour.
    await seed(t.deps, {
      workspaceId: w.workspaceId,
      sourceId: w.sourceId,
      mentions: [
        mention({ at: '2026-11-14T18:20:00Z', brands: [brand], label: 'positive', hashtags: ['चाय'] }), // 11-14 23:50 local
        mention({ at: '2026-11-14T18:40:00Z', brands: [brand], label: 'negative', hashtags: ['चाय'] }), // 11-15 00:10 local
        mention({ at: '2026-11-13T14:00:00Z', brands: [brand], hashtags: ['चाय'] }), // 11-13 19:30 local, the first (partial) day
      ],
    });
    const doc = await digest(w.workspaceId, { since: '2026-11-13T13:00:00Z', until: '2026-11-20T13:00:00Z', now: '2026-11-21T09:00:00Z' });
    const days = doc.sentimentTrend[0]!.days;
    expect(days.map((d) => d.date)).toEqual(['2026-11-13', '2026-11-14', '2026-11-15', '2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20']);
    expect(days.slice(0, 3).map((d) => d.mentions)).toEqual([1, 1, 1]);
    // The first day counts from 18:30 local (the period's start), the last up to 18:30 local.
    expect(days[0]).toMatchObject({ since: '2026-11-13T13:00:00.000Z', until: '2026-11-13T18:30:00.000Z' });
    expect(days[1]).toMatchObject({ since: '2026-11-13T18:30:00.000Z', until: '2026-11-14T18:30:00.000Z' });
    expect(days[7]).toMatchObject({ since: '2026-11-19T18:30:00.000Z', until: '2026-11-20T13:00:00.000Z' });
    for (const format of ['markdown', 'text', 'html'] as const) {
      const rendered = renderDigest(doc, format);
      // The zone as the workspace named it, not ICU's alias (Asia/Calcutta).
      expect(doc.period.timeZone).toBe('Asia/Kolkata');
      expect(rendered, format).toContain('Days in Asia/Kolkata');
      expect(rendered, format).toContain('11-13 from 18:30');
      expect(rendered, format).toContain('11-20 until 18:30');
      expect(rendered, format).toContain('2026-11-13 – 2026-11-20 (Asia/Kolkata)');
    }
  });

  it('names the local dates of its first and last day in its header, in every format and the e-mail subject', async () => {
    const w = await workspace('Kolkata Header Workspace', [{ name: 'चाय घर', role: 'own' }], 'Asia/Kolkata');
    const [brand] = w.ids as [string];
    await seed(t.deps, { workspaceId: w.workspaceId, sourceId: w.sourceId, mentions: [mention({ at: '2026-12-06T19:00:00Z', brands: [brand] })] });
    // In Kolkata the period runs from 12-05 05:30 to 12-07 01:30: its UTC dates, 12-05 and 12-06, are not its days.
    const made = await makeDigest({ ...t.deps, workspaceId: w.workspaceId, kind: 'manual', since: new Date('2026-12-05T00:00:00Z'), until: new Date('2026-12-06T20:00:00Z'), now: new Date('2026-12-06T21:15:00Z') });
    expect(made!.document.sentimentTrend[0]!.days.map((d) => d.date)).toEqual(['2026-12-05', '2026-12-06', '2026-12-07']);
    for (const format of ['markdown', 'text', 'html'] as const) {
      const res = await t.request('GET', `/v1/digests/${made!.id}?format=${format}`, { key: w.key });
      expect(res.status, format).toBe(200);
      expect(res.text, format).toContain('2026-12-05 – 2026-12-07 (Asia/Kolkata)');
      expect(res.text, format).toContain('Days in Asia/Kolkata: 12-05 from 05:30, 12-07 until 01:30.');
    }
    expect(digestSubject(made!.document)).toBe('Earshot digest for Kolkata Header Workspace: 2026-12-05 – 2026-12-07 (Asia/Kolkata)');
  });
});

describe('the alerts of a digest', () => {
  it('show what an alert fired in the period observed then, not a peak it reached after the period', async () => {
    const w = await workspace('Alerts Workspace', [{ name: 'Spiky', role: 'own' }]);
    const [brand] = w.ids as [string];
    const rule = await t.request('POST', '/v1/alert-rules', { key: w.key, body: { brandId: brand, webhookUrl: 'http://127.0.0.1:9/hook' } });
    expect(rule.status, rule.text).toBe(201);
    const payload = { type: 'alert.negative_spike', data: { observed: { negative: 5, total: 8 }, expected: 1.25, score: 3.5 } };
    // Fired on 11-18 with 5 negatives; the incident peaked at 30 on 11-21, after the period.
    await sql`insert into alerts (id, rule_id, workspace_id, brand_id, type, window_start, window_end, observed, total, expected, score, reason, payload, created_at, updated_at)
      values ('evt_aaaaaaaaaaaaaaaaaaaaaaaaaa', ${rule.json.id}, ${w.workspaceId}, ${brand}, 'alert.negative_spike', '2026-11-18T09:00:00Z', '2026-11-18T10:00:00Z',
        30, 40, 1.25, 9.75, 'count', ${JSON.stringify(payload)}, '2026-11-18T10:00:30Z', '2026-11-21T08:00:00Z')`.execute(t.db);
    const doc = await digest(w.workspaceId, { since: '2026-11-13T13:00:00Z', until: '2026-11-20T13:00:00Z', now: '2026-11-21T09:00:00Z' });
    expect(doc.alerts).toEqual([expect.objectContaining({ id: 'evt_aaaaaaaaaaaaaaaaaaaaaaaaaa', firedAt: '2026-11-18T10:00:30.000Z', observed: 5, expected: 1.25, score: 3.5 })]);
  });
});

describe('a digest asked for a period that has not ended', () => {
  it('reports the whole hours that have passed, compared with the equal window before them in every section', async () => {
    const w = await workspace('Budoucnost Workspace', [{ name: 'Kavárna Lípa', role: 'own' }]);
    const [brand] = w.ids as [string];
    const since = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR;
    const iso = (ms: number) => new Date(ms).toISOString();
    // A number (no term) per post: copies of one text count once in trending keywords.
    const said = (at: number) => mention({ at: iso(at), brands: [brand], lang: 'cs', text: `budoucnost patří kávě ${at}`, hashtags: ['budoucnost'] });
    await seed(t.deps, {
      workspaceId: w.workspaceId,
      sourceId: w.sourceId,
      mentions: [
        ...[10, 40, 70].map((min) => said(since + min * 60_000)),
        // Twelve hours before the period: in a full day before it, not in three hours before it.
        ...[0, 10, 20, 30, 40].map((min) => said(since - 12 * HOUR + min * 60_000)),
      ],
    });
    const res = await t.request('POST', '/v1/digests', { key: w.key, body: { since: iso(since), until: iso(since + 24 * HOUR) } });
    expect(res.status, res.text).toBe(201);
    const doc = res.json.document as DigestDocument;
    expect(Date.parse(doc.period.until)).toBeLessThanOrEqual(Date.now());
    // The phrase holds every mention of its words, so it is the one keyword listed for them.
    const keyword = doc.trendingKeywords.find((k) => k.term === 'budoucnost patří kávě');
    expect(keyword).toBeDefined();
    expect({ mentions: doc.brands[0]!.mentions, previous: doc.brands[0]!.previousMentions }).toEqual({ mentions: 3, previous: keyword?.previous });
    expect(tag(doc, 'budoucnost')).toMatchObject({ mentions: 3, previous: keyword?.previous });
  });
});

describe('the top mentions of a digest', () => {
  it("take each brand's reading of a post naming two: praise of the own brand and an attack on a competitor is a negative of the competitor only", async () => {
    const w = await workspace('Readings Workspace', [{ name: 'Zlata', role: 'own' }, { name: 'Darya', role: 'competitor' }]);
    const [zlata, darya] = w.ids as [string, string];
    // The post as a whole reads negative (−0.65); its brands read Darya −0.8, Zlata +0.51.
    const both = mention({
      at: '2026-11-20T10:00:00Z', brands: [zlata, darya], label: 'negative', score: -0.65, lang: 'fa',
      text: 'کافه دریا واقعاً افتضاح بود! Zlata خیلی بهتر است',
      brandSentiments: { [zlata]: { label: 'positive', score: 0.51 }, [darya]: { label: 'negative', score: -0.8 } },
    });
    // And the other way round: a positive post (+0.92) whose own-brand reading is a mild +0.44 and whose competitor's is negative.
    const versus = mention({
      at: '2026-11-20T11:00:00Z', brands: [zlata, darya], label: 'positive', score: 0.92, text: 'Zlata vs Darya',
      brandSentiments: { [zlata]: { label: 'positive', score: 0.44 }, [darya]: { label: 'negative', score: -0.3 } },
    });
    const alone = Array.from({ length: 6 }, (_, i) => mention({ at: `2026-11-20T12:0${i}:00Z`, brands: [darya], label: 'negative', score: -0.1 - i / 100 }));
    await seed(t.deps, { workspaceId: w.workspaceId, sourceId: w.sourceId, mentions: [both, versus, ...alone] });
    const doc = await digest(w.workspaceId, { since: '2026-11-19T00:00:00Z', until: '2026-11-21T00:00:00Z', now: '2026-11-22T00:00:00Z' });
    const rows = (list: DigestDocument['topPositive']) => list.map((m) => ({ brand: m.brandId === zlata ? 'Zlata' : 'Darya', score: Math.round(m.score * 100) / 100, text: m.text }));
    expect(rows(doc.topPositive)).toEqual([
      { brand: 'Zlata', score: 0.51, text: both.text },
      { brand: 'Zlata', score: 0.44, text: versus.text },
    ]);
    // Five at most, as before: the two posts as Darya's, then Darya's own strongest.
    expect(rows(doc.topNegative)).toEqual([
      { brand: 'Darya', score: -0.8, text: both.text },
      { brand: 'Darya', score: -0.3, text: versus.text },
      ...[5, 4, 3].map((i) => ({ brand: 'Darya', score: Math.round((-0.1 - i / 100) * 100) / 100, text: alone[i]!.text })),
    ]);
    expect(doc.topNegative[0]!.lang).toBe('fa');
    // The renderings name the brand whose reading it is.
    expect(renderDigest(doc, 'text')).toMatch(/\n−0\.80  Darya, 2026-11-20 \d\d:00: /u);
  });
});
