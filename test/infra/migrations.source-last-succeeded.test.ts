import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, migrateToLatest } from '../../src/infra/db/migrator.js';
import { migrationNamed, olderDatabase } from '../support/db.js';

// Sources stored before `last_succeeded_at` get it from what the row tells: the last poll, when no
// error was recorded after it; for a source failing now (or re-enabled after failures, which keeps
// its error), the last time a poll of it stored items; a source never polled, or failing without
// ever storing anything, gets none.

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const fn of cleanups.reverse()) await fn();
});

describe('migration source_last_succeeded', () => {
  it('takes the last poll as the last success where that poll left no error, else the last poll that stored items', async () => {
    const { db, ws } = await olderDatabase(await migrationNamed('source_last_succeeded'), cleanups);
    const polled = new Date('2026-11-20T10:00:00Z');
    const add = async (name: string, values: { last_fetched_at: Date | null; last_error: string | null; consecutive_failures: number }) =>
      sql`insert into sources (workspace_id, type, config, host, interval_seconds, last_fetched_at, last_error, consecutive_failures)
          values (${ws}, 'rss', ${JSON.stringify({ url: `https://${name}.example/feed` })}, ${`${name}.example`}, 900,
                  ${values.last_fetched_at}, ${values.last_error}, ${values.consecutive_failures})`.execute(db);
    await add('healthy', { last_fetched_at: polled, last_error: null, consecutive_failures: 0 });
    await add('failing', { last_fetched_at: polled, last_error: 'HTTP 500', consecutive_failures: 3 });
    await add('re-enabled', { last_fetched_at: polled, last_error: 'HTTP 410', consecutive_failures: 0 });
    await add('never', { last_fetched_at: null, last_error: null, consecutive_failures: 0 });
    await add('worked-then-failed', { last_fetched_at: polled, last_error: 'HTTP 500', consecutive_failures: 1 });
    // Its last poll that stored items, an hour before the failing one.
    const stored = new Date('2026-11-20T09:00:00Z');
    for (const at of [new Date('2026-11-19T09:00:00Z'), stored]) {
      await sql`insert into mentions (workspace_id, source_id, source_type, item_key, text, fetched_at, occurred_at, sentiment_model, created_at)
                select ${ws}, id, 'rss', ${`item-${at.toISOString()}`}, 'text', ${at}, ${at}, 'm', ${at} from sources where host = 'worked-then-failed.example'`.execute(db);
    }

    await migrateToLatest(db, MIGRATIONS_DIR);
    const rows = await sql<{ host: string; last_succeeded_at: Date | null }>`select host, last_succeeded_at from sources order by host`.execute(db);
    expect(rows.rows).toEqual([
      { host: 'failing.example', last_succeeded_at: null },
      { host: 'healthy.example', last_succeeded_at: polled },
      { host: 'never.example', last_succeeded_at: null },
      { host: 're-enabled.example', last_succeeded_at: null },
      { host: 'worked-then-failed.example', last_succeeded_at: stored },
    ]);
  });
});
