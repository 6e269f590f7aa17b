import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createDb, ensureDatabase } from '../../src/infra/db/database.js';
import { MIGRATIONS_DIR, migrateToLatest } from '../../src/infra/db/migrator.js';
import { generateSchema } from '../../scripts/schema-codegen.js';
import { silentLog } from '../support/db.js';
import { run } from '../support/process.js';

const server = inject('pgServer');
const created: string[] = [];
function newDatabaseUrl(): string {
  const name = `earshot_t_${inject('runId')}_m${randomBytes(3).toString('hex')}`;
  created.push(name);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

afterAll(async () => {
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  for (const name of created) await admin.query(`drop database if exists "${name}" with (force)`);
  await admin.end();
});

describe('migrations', () => {
  it('create the database when missing, apply every file from empty, and re-running is a no-op', async () => {
    const url = newDatabaseUrl();
    expect(await ensureDatabase(url)).toBe(true);
    expect(await ensureDatabase(url)).toBe(false);
    const db = createDb({ url, poolSize: 2, log: silentLog });
    const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
    expect(await migrateToLatest(db)).toEqual(files.map((f) => f.replace(/\.sql$/, '')));
    expect(await migrateToLatest(db)).toEqual([]);
    const tables = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables where table_schema = 'public' and table_name = 'brands'`.execute(db);
    expect(tables.rows[0]!.n).toBe(1);
    await db.destroy();
  });

  it('two processes starting at once create the database and apply each migration once', async () => {
    const url = newDatabaseUrl();
    const env = { DATABASE_URL: url, LOG_LEVEL: 'info' };
    const [a, b] = [run('node', ['bin/earshot.js', 'migrate'], env), run('node', ['bin/earshot.js', 'migrate'], env)];
    const results = await Promise.all([a.exited, b.exited]);
    expect(results.map((r) => r.code), a.output() + b.output()).toEqual([0, 0]);
    const applied = [a.output(), b.output()].filter((o) => o.includes('migrations applied'));
    expect(applied).toHaveLength(1);
    const db = createDb({ url, poolSize: 1, log: silentLog });
    const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
    const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql'));
    expect(rows.rows.map((r) => r.name)).toEqual(files.map((f) => f.replace(/\.sql$/, '')).sort());
    await db.destroy();
  });

  it('the committed DB types match what kysely-codegen generates from the migrations', async () => {
    const committed = await readFile(new URL('../../src/infra/db/schema.ts', import.meta.url), 'utf8');
    const generated = await generateSchema(server);
    expect(committed, 'run `npm run db:codegen` and commit src/infra/db/schema.ts').toBe(generated);
  });
});
