import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topTerms, trendingKeywords } from '../../../src/domain/analytics/terms.usecases.js';
import { extractTerms } from '../../../src/domain/text/terms.js';
import { createTestApp, type TestApp } from '../../support/app.js';
import { mention, seed } from '../../support/seed.js';

// A mention's title and its text are two sentences: /v1/terms and trending keywords read them from
// the database as two columns, and no phrase may run from the end of one into the start of the other.

const COPIES = 3;
const EXCLUDE = new Set(['aroma coffee']);
const CASES = [
  { lang: 'en', title: 'Aroma Coffee queue complaints', text: 'The queue at Aroma Coffee was long again', across: ['complaints the queue'] },
  { lang: 'cs', title: 'Hrozný čaj, nikdy více', text: 'Hrozný čaj, nikdy více #cajovna', across: ['nikdy více hrozný'] },
  { lang: 'fa', title: 'تاخیر ارسال', text: 'پشتیبانی پاسخ نمی‌دهد', across: ['ارسال پشتیبانی', 'تاخیر ارسال پشتیبانی', 'ارسال پشتیبانی پاسخ'] },
  { lang: 'hi', title: 'डिलीवरी में देरी', text: 'ग्राहक सेवा बेकार है', across: ['देरी ग्राहक', 'देरी ग्राहक सेवा'] },
  { lang: 'ta', title: 'டெலிவரி தாமதம்', text: 'வாடிக்கையாளர் சேவை மோசம்', across: ['தாமதம் வாடிக்கையாளர்', 'டெலிவரி தாமதம் வாடிக்கையாளர்', 'தாமதம் வாடிக்கையாளர் சேவை'] },
];
const termsOf = (text: string, lang: string, maxN?: number) => extractTerms(text, { lang, exclude: EXCLUDE, maxN }).map((t) => t.term);
/**
 * What the title and the text hold each on its own, but for the terms inside a longer one: every
 * mention is its case with a number, so a longer term holds all the mentions of the terms inside it.
 */
const expected = CASES.flatMap((c) => {
  const all = [...new Set([...termsOf(c.title, c.lang), ...termsOf(c.text, c.lang)])];
  return all.filter((term) => !all.some((other) => other !== term && ` ${other} `.includes(` ${term} `)));
}).sort();

let t: TestApp;
let workspaceId: string;
let brandId: string;
const since = new Date('2026-06-08T00:00:00Z');
const until = new Date('2026-06-15T00:00:00Z');

beforeAll(async () => {
  t = await createTestApp();
  const ws = await t.workspace('Title seam');
  workspaceId = ws.id;
  brandId = (await t.request('POST', '/v1/brands', { key: ws.key, body: { name: 'Aroma Coffee', role: 'own', query: '"aroma coffee"' } })).json.id;
  const sourceId = (await t.request('POST', '/v1/sources', { key: ws.key, body: { type: 'rss', url: 'http://127.0.0.1:9/seam.xml' } })).json.id;
  // Three posts of each case, told apart by a number (no term: numbers end phrases and join none),
  // since copies of one text count once.
  const mentions = CASES.flatMap((c, i) =>
    Array.from({ length: COPIES }, (_, k) => ({
      ...mention({ at: `2026-06-1${k}T0${i}:00:00Z`, brands: [brandId], label: 'negative', lang: c.lang, text: `${c.text} ${k}` }),
      title: c.title,
    })),
  );
  await seed(t.deps, { workspaceId, sourceId, mentions });
});
afterAll(async () => t.close());

describe('terms of a mention with a title', () => {
  it('/v1/terms makes no phrase across the title and the text, in any script', async () => {
    const result = await topTerms({ workspaceId, brandId, sentiment: 'negative', since, until, limit: 1000, ...t.deps });
    expect(result.mentions).toBe(CASES.length * COPIES);
    const terms = result.items.map((i) => i.term);
    for (const c of CASES) for (const phrase of c.across) expect(terms, c.lang).not.toContain(phrase);
    expect([...terms].sort()).toEqual(expected);
    for (const item of result.items) expect(item, item.term).toMatchObject({ mentions: COPIES, negative: COPIES });
  });

  it('trending keywords make no phrase across the title and the text either', async () => {
    const result = await trendingKeywords({ workspaceId, brandId, since, until, now: until, limit: 1000, ...t.deps });
    const terms = result.items.map((i) => i.term);
    for (const c of CASES) for (const phrase of c.across) expect(terms, c.lang).not.toContain(phrase);
    expect([...terms].sort()).toEqual(expected);
    for (const item of result.items) expect(item, item.term).toMatchObject({ mentions: COPIES, previous: 0 });
  });
});
