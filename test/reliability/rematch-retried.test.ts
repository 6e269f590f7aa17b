import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../support/stack.js';
import { cleanupList, waitUntil } from './support.js';

// A brand's history is re-matched by a job the scheduler tick enqueues under one id per query
// version. When that job has used all its attempts (Postgres away for longer than its backoff),
// the next ticks must run it again: a failed job kept under the same id made every later add a
// no-op, and the brand's history stayed unmatched until the failed job was removed a week later.

const cleanup = cleanupList();
let s: TestStack;

beforeAll(async () => {
  s = await createTestStack();
  cleanup.add(() => s.close());
});
afterAll(() => cleanup.run());

describe("a brand's rematch that failed for good", () => {
  it('is enqueued again by the next tick once the fault is gone, and the history is matched', async () => {
    const { key, id: workspaceId } = await s.workspace('Rematch retried');
    // Postgres refuses to record this workspace's brands as matched: every attempt fails.
    await sql`create or replace function refuse_matched() returns trigger language plpgsql as $$
      begin
        if new.matched_version <> old.matched_version then raise exception 'refused for the test'; end if;
        return new;
      end $$`.execute(s.db);
    await sql`create trigger refuse_matched before update on brands for each row when (new.workspace_id = ${sql.lit(workspaceId)}::uuid) execute function refuse_matched()`.execute(s.db);
    cleanup.add(async () => {
      await sql`drop trigger if exists refuse_matched on brands`.execute(s.db);
    });

    const res = await s.request('POST', '/v1/brands', { key, body: { name: 'Acme', role: 'own', query: 'acme' } });
    expect(res.status, res.text).toBe(201);
    const brandId: string = res.json.id;
    // What the tick enqueues, with one attempt instead of five so the test need not wait out the backoff.
    const job = await s.services.queues.add('brands.rematch', { workspaceId, brandId }, { jobId: `rematch-${brandId}-1`, attempts: 1 });
    await waitUntil('the rematch job to fail', async () => (await job.getState()) !== 'waiting' && (await job.getState()) !== 'active');

    await sql`drop trigger refuse_matched on brands`.execute(s.db);
    await s.tick();
    const brand = await s.db.selectFrom('brands').select(['matched_version', 'query_version']).where('id', '=', brandId).executeTakeFirstOrThrow();
    expect(brand.matched_version).toBe(brand.query_version);
  });
});
