import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { TestProject } from 'vitest/node';
import { createUtf8Database } from '../../src/infra/db/database.js';
import { migrateToLatest } from '../../src/infra/db/migrator.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgServer: string;
    pgTemplate: string;
    runId: string;
  }
}

const server = process.env.TEST_DATABASE_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Migrates one template database per run; each test file clones it (CREATE DATABASE … TEMPLATE),
 * which takes milliseconds. Databases left by runs whose process died are dropped here.
 */
export default async function setup(project: TestProject) {
  const runId = String(process.pid);
  const template = `earshot_tpl_${runId}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect().catch(async (err: unknown) => {
    // Said as `earshot` says it (no password, wrong role, nothing listening), naming the variable that points the tests elsewhere.
    const { startUpMessage } = await import('../../src/startup-errors.js');
    const context = { databaseUrl: server, redisUrl: '', databaseVariable: 'TEST_DATABASE_SERVER_URL', databaseName: 'postgres', portHint: '' };
    const message = startUpMessage(err, context);
    throw message ? new Error(`the tests need a Postgres server with the right to create databases: ${message}`, { cause: err }) : err;
  });
  const { rows } = await admin.query<{ datname: string }>(`select datname from pg_database where datname ~ '^earshot_(tpl|t)_[0-9]+'`);
  for (const { datname } of rows) {
    const pid = Number(/^earshot_(?:tpl|t)_(\d+)/.exec(datname)?.[1]);
    if (!pidAlive(pid) || datname === template) await admin.query(`drop database if exists "${datname}" with (force)`);
  }
  // UTF8 from template0 whatever the cluster's template1 and locale are, as Earshot makes its own
  // (createUtf8Database): each test file's database is a copy of this one.
  await createUtf8Database(admin, template, { fromTemplate0: true });
  const url = new URL(server);
  url.pathname = `/${template}`;
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url.toString(), max: 1 }) }) });
  await migrateToLatest(db);
  await db.destroy();

  project.provide('pgServer', server);
  project.provide('pgTemplate', template);
  project.provide('runId', runId);

  return async () => {
    await admin.query(`drop database if exists "${template}" with (force)`);
    await admin.end();
  };
}
