import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createDb, type Database } from '../../src/infra/db/database.js';
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
