import { sql } from 'kysely';
import { createDb, type Database } from '../../src/infra/db/database.js';
import { migrateToLatest } from '../../src/infra/db/migrator.js';
import { createApiKey } from '../../src/domain/workspaces/workspaces.usecases.js';
import { createWorkspaceRepository } from '../../src/domain/workspaces/workspaces.repository.js';
import { createTestApp, type TestApp } from './app.js';
import { migrationNamed, migrationsBefore, scratchDatabase, silentLog } from './db.js';

/** A source as an older version stored it: its label, whose workspace it is, and its columns (`identity` only once that column exists). */
export interface LegacySource {
  label: string;
  workspace: 'mine' | 'other';
  type: string;
  config: Record<string, unknown>;
  identity?: string | null;
}

/**
 * An upgrade of an installation whose sources were stored by the code before the migration
 * ending in `_${suffix}.sql`: a database migrated up to it, an app on it with two workspaces
 * (Upgraded, whose key is `key`, and Other), the legacy sources inserted in SQL one second apart
 * from `createdFrom`, then the migration and any later ones run. A failing migration is returned
 * as `migrationError`, not thrown, so a test can say so. Torn down by `cleanups`.
 */
export async function upgradeWithSources(
  suffix: string,
  legacy: readonly LegacySource[],
  { createdFrom, cleanups }: { createdFrom: Date; cleanups: Array<() => Promise<void>> },
): Promise<{ db: Database; t: TestApp; key: string; otherKey: string; ids: Map<string, string>; rowsBefore: Map<string, unknown>; applied: string[]; migrationError: unknown }> {
  const db = createDb({ url: await scratchDatabase(cleanups), poolSize: 4, log: silentLog });
  cleanups.push(() => db.destroy());
  await migrateToLatest(db, await migrationsBefore(await migrationNamed(suffix), cleanups));
  // The workspaces are rows of the old schema: today's code may write columns it does not have yet.
  const workspace = async (name: string) => (await sql<{ id: string }>`insert into workspaces (name) values (${name}) returning id`.execute(db)).rows[0]!;
  const mine = await workspace('Upgraded');
  const other = await workspace('Other');
  const ids = new Map<string, string>();
  for (const [i, source] of legacy.entries()) {
    const at = new Date(createdFrom.getTime() + i * 1000);
    const workspaceId = source.workspace === 'mine' ? mine.id : other.id;
    const { rows } =
      source.identity === undefined
        ? await sql<{ id: string }>`
            insert into sources (workspace_id, type, config, host, created_at, updated_at)
            values (${workspaceId}, ${source.type}, ${JSON.stringify(source.config)}::jsonb, 'legacy', ${at}, ${at})
            returning id`.execute(db)
        : await sql<{ id: string }>`
            insert into sources (workspace_id, type, config, host, identity, created_at, updated_at)
            values (${workspaceId}, ${source.type}, ${JSON.stringify(source.config)}::jsonb, 'legacy', ${source.identity}, ${at}, ${at})
            returning id`.execute(db);
    ids.set(source.label, rows[0]!.id);
  }
  const rowsBefore = new Map(
    (await sql<{ id: string; row: unknown }>`select id, to_jsonb(sources) as row from sources`.execute(db)).rows.map((r) => [r.id, r.row] as const),
  );
  let applied: string[] = [];
  let migrationError: unknown;
  try {
    applied = await migrateToLatest(db);
  } catch (err) {
    migrationError = err;
  }
  // The app, and the keys it is called with, on the schema the migrations left.
  const t = await createTestApp({ deps: { db } });
  cleanups.push(() => t.close());
  const workspaceRepository = createWorkspaceRepository({ db });
  const keyOf = async (workspaceId: string) => (await createApiKey({ workspaceId, name: 'upgrade test', db, workspaceRepository, capped: false })).key;
  return { db, t, key: await keyOf(mine.id), otherKey: await keyOf(other.id), ids, rowsBefore, applied, migrationError };
}
