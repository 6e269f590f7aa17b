import { createTestApp, type TestApp } from '../../support/app.js';
import { mention, seed } from '../../support/seed.js';

/** The week the terms tests read, and the one before it (`previous`). */
export const WEEK = { since: new Date('2026-06-08T00:00:00Z'), until: new Date('2026-06-15T00:00:00Z') } as const;
const WEEK_BEFORE = new Date('2026-06-01T00:00:00Z');

/**
 * A workspace whose one brand, Aroma Coffee, has `current` mentions an hour apart from the start of
 * WEEK and `previous` ones from the start of the week before, each a language (or none) and a text.
 */
export async function aromaCoffeeWeeks(
  name: string,
  current: ReadonlyArray<readonly [lang: string | null, text: string]>,
  previous: ReadonlyArray<readonly [lang: string | null, text: string]>,
): Promise<{ t: TestApp; workspaceId: string; brandId: string }> {
  const t = await createTestApp();
  const ws = await t.workspace(name);
  const brandId = (await t.request('POST', '/v1/brands', { key: ws.key, body: { name: 'Aroma Coffee', role: 'own', query: '"aroma coffee"' } })).json.id as string;
  const sourceId = (await t.request('POST', '/v1/sources', { key: ws.key, body: { type: 'rss', url: 'http://127.0.0.1:9/terms.xml' } })).json.id as string;
  const at = (start: Date, i: number) => new Date(start.getTime() + (i + 1) * 3_600_000);
  const mentions = [
    ...current.map(([lang, text], i) => mention({ at: at(WEEK.since, i), brands: [brandId], lang, text })),
    ...previous.map(([lang, text], i) => mention({ at: at(WEEK_BEFORE, i), brands: [brandId], lang, text })),
  ];
  await seed(t.deps, { workspaceId: ws.id, sourceId, mentions });
  return { t, workspaceId: ws.id, brandId };
}
