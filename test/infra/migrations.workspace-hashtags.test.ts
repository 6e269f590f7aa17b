import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/infra/db/migrator.js';
import { createAnalyticsRepository } from '../../src/domain/analytics/analytics.repository.js';
import { insertLegacyMention, olderDatabase, type LegacyMention } from '../support/db.js';

// An installation upgraded from before workspace-wide hashtag counts: the mentions it already
// stored are counted by the migration, each once, so trending is right from the first request
// rather than only for what arrives after the upgrade.

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const fn of cleanups.reverse()) await fn();
});

describe('upgrading a database that already holds mentions', () => {
  it('counts each matched mention once per hashtag and UTC day, raw ones not at all, in every script', async () => {
    const { db, ws, other, a, b, c } = await olderDatabase('0011_workspace_hashtags', cleanups);
    // What the earlier code stored: mentions, their links, and per-brand hashtag rollups.
    const stored: LegacyMention[] = [
      { workspace: ws!, at: '2026-05-10T09:00:00Z', hashtags: ['सम्मेलन', 'příběh'], brands: [a!, b!] },
      { workspace: ws!, at: '2026-05-10T23:59:00Z', hashtags: ['सम्मेलन'], brands: [b!] },
      // A tag repeated in one mention's array is still one mention.
      { workspace: ws!, at: '2026-05-11T00:01:00Z', hashtags: ['ایران_خودرو', 'ایران_خودرو'], brands: [a!, b!] },
      // Raw: no brand.
      { workspace: ws!, at: '2026-05-10T12:00:00Z', hashtags: ['सम्मेलन', 'příběh'], brands: [] },
      { workspace: other!, at: '2026-05-10T12:00:00Z', hashtags: ['सम्मेलन'], brands: [c!] },
    ];
    for (const [n, m] of stored.entries()) {
      await insertLegacyMention(db, m, `item-${n}`);
      for (const brandId of m.brands) {
        for (const tag of new Set(m.hashtags)) {
          await sql`
            insert into hashtag_rollups (brand_id, workspace_id, day, tag, mentions) values (${brandId}, ${m.workspace}, (${m.at}::timestamptz at time zone 'UTC')::date, ${tag}, 1)
            on conflict (brand_id, day, tag) do update set mentions = hashtag_rollups.mentions + 1`.execute(db);
        }
      }
    }

    await migrateToLatest(db);
    const analytics = createAnalyticsRepository({ db });
    const day = async (from: string, to: string) => {
      const rows = await analytics.hashtagCounts({ workspaceId: ws!, from, to, previousFrom: '2026-05-01' });
      return Object.fromEntries(rows.map((r) => [r.tag, r.current]));
    };
    expect(await day('2026-05-10', '2026-05-11')).toEqual({ सम्मेलन: 2, příběh: 1 });
    expect(await day('2026-05-11', '2026-05-12')).toEqual({ ایران_خودرو: 1 });
    // Per brand, as before.
    const perBrand = await analytics.hashtagCounts({ workspaceId: ws!, brandId: b!, from: '2026-05-10', to: '2026-05-12', previousFrom: '2026-05-08' });
    expect(Object.fromEntries(perBrand.map((r) => [r.tag, r.current]))).toEqual({ सम्मेलन: 2, příběh: 1, ایران_خودرو: 1 });
  });
});
