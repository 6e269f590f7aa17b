import { randomBytes } from 'node:crypto';
import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { createDb, createUtf8Database, type Database } from '../../src/infra/db/database.js';
import { MIGRATIONS_DIR, migrateToLatest } from '../../src/infra/db/migrator.js';
import { sql } from 'kysely';
import { createLogger } from '../../src/logger.js';

export const silentLog = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/** A fresh, migrated database of this test file's own, cloned from the run's template. */
export async function createTestDatabase(): Promise<{ url: string; db: Database; drop: () => Promise<void> }> {
  const server = inject('pgServer');
  const name = `earshot_t_${inject('runId')}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`create database "${name}" template "${inject('pgTemplate')}"`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  const db = createDb({ url: url.toString(), poolSize: 5, log: silentLog });
  return {
    url: url.toString(),
    db,
    drop: async () => {
      await db.destroy();
      const c = new pg.Client({ connectionString: server });
      await c.connect();
      await c.query(`drop database if exists "${name}" with (force)`);
      await c.end();
    },
  };
}

/**
 * An empty database of this run (not cloned from the template: start-up or the test migrates
 * it), or only its name with `create: false`, for start-up to create. Dropped by `cleanups`.
 * Made as the run's template is (global-setup.ts): UTF8 from template0 whatever the cluster's
 * template1 and locale are, and whoever is connected to template1 meanwhile.
 */
export async function scratchDatabase(cleanups: Array<() => Promise<void>>, { create = true } = {}): Promise<string> {
  const server = inject('pgServer');
  const name = `earshot_t_${inject('runId')}_s${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  try {
    if (create) await createUtf8Database(admin, name, { fromTemplate0: true });
  } finally {
    await admin.end();
  }
  cleanups.push(async () => {
    const c = new pg.Client({ connectionString: server });
    await c.connect();
    await c.query(`drop database if exists "${name}" with (force)`);
    await c.end();
  });
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The migration whose file name ends in `_${suffix}.sql`, by its name without `.sql`: a test of a change's migration, whatever number it was committed under. */
export async function migrationNamed(suffix: string): Promise<string> {
  const file = (await readdir(MIGRATIONS_DIR)).find((f) => f.endsWith(`_${suffix}.sql`));
  if (!file) throw new Error(`no migrations/*_${suffix}.sql`);
  return file.slice(0, -'.sql'.length);
}

/** A folder of the migrations an installation had before `name`: every file that sorts before it. Removed by `cleanups`. */
export async function migrationsBefore(name: string, cleanups: Array<() => Promise<void>>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'earshot-migrations-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  for (const file of await readdir(MIGRATIONS_DIR)) if (file.endsWith('.sql') && file < name) await copyFile(path.join(MIGRATIONS_DIR, file), path.join(dir, file));
  return dir;
}

/** A matched or raw mention as an older version stored it, written in SQL. */
export interface LegacyMention {
  workspace: string;
  at: string;
  hashtags: string[];
  /** Its brands, linked in mention_brands with a neutral label; none for a raw item. */
  brands: string[];
}

/** Stores `m` under the item key `itemKey` with its brand links, as the older code did; its id. */
export async function insertLegacyMention(db: Database, m: LegacyMention, itemKey: string): Promise<string> {
  const { rows } = await sql<{ id: string }>`
    insert into mentions (workspace_id, source_type, item_key, text, fetched_at, occurred_at, sentiment_model, hashtags, matched, brand_ids)
    values (${m.workspace}, 'rss', ${itemKey}, 'text', ${m.at}, ${m.at}, 'seed@1', ${m.hashtags}::text[], ${m.brands.length > 0}, ${m.brands}::uuid[])
    returning id`.execute(db);
  for (const brandId of m.brands) {
    await sql`insert into mention_brands (brand_id, mention_id, workspace_id, occurred_at, sentiment_label) values (${brandId}, ${rows[0]!.id}, ${m.workspace}, ${m.at}, 'neutral')`.execute(db);
  }
  return rows[0]!.id;
}

/**
 * A database at an older migration, as an upgrade finds it: a database migrated up to (not
 * including) `migration`, with two workspaces, Upgraded (brands A own, B competitor) and Other
 * (brand C), written in SQL as the older code would have.
 */
export async function olderDatabase(migration: string, cleanups: Array<() => Promise<void>>) {
  const db = createDb({ url: await scratchDatabase(cleanups), poolSize: 2, log: silentLog });
  cleanups.push(() => db.destroy());
  await migrateToLatest(db, await migrationsBefore(migration, cleanups));
  const [ws, other] = (await sql<{ id: string }>`insert into workspaces (name) values ('Upgraded'), ('Other') returning id`.execute(db)).rows.map((r) => r.id) as [string, string];
  const [a, b] = (await sql<{ id: string }>`insert into brands (workspace_id, name, role, query) values (${ws}, 'A', 'own', 'a'), (${ws}, 'B', 'competitor', 'b') returning id`.execute(db)).rows.map((r) => r.id) as [string, string];
  const [c] = (await sql<{ id: string }>`insert into brands (workspace_id, name, role, query) values (${other}, 'C', 'own', 'c') returning id`.execute(db)).rows.map((r) => r.id) as [string];
  return { db, ws, other, a, b, c };
}
