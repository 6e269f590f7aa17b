import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdOffRematches } from '../../src/domain/brands/rematch.repository.js';
import { MATCHER_VERSION } from '../../src/domain/query/index.js';
import { createLogger } from '../../src/logger.js';
import { startEarshot } from '../../src/runtime.js';
import { silentLog } from '../support/db.js';
import { run } from '../support/process.js';
import { mention, seed } from '../support/seed.js';
import { createTestStack, type TestStack } from '../support/stack.js';

// After an upgrade that changed how queries match (MATCHER_VERSION), a starting scheduler has the
// history of the brands an older matcher went over matched again, by itself, as sentiment is
// rescored: stored mentions follow the release without anyone saving a brand's query.

let s: TestStack;

beforeAll(async () => {
  s = await createTestStack();
});
afterAll(async () => s.close());

/** A scheduler process started and stopped, as at an upgrade; returns the lines it logged. */
async function startScheduler(config: Partial<typeof s.config> = {}): Promise<Array<Record<string, unknown>>> {
  const lines: Array<Record<string, unknown>> = [];
  const log = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(JSON.parse(line)) } });
  const running = await startEarshot({ roles: ['scheduler'], config: { ...s.config, ...config }, log });
  await running.shutdown.shutdown('test');
  return lines;
}

/** A workspace with a source and brands created through the API, their (empty) history matched. */
async function setup(name: string, queries: Record<string, string>) {
  const ws = await s.workspace(name);
  const ids: Record<string, string> = {};
  for (const [brand, query] of Object.entries(queries)) {
    const res = await s.request('POST', '/v1/brands', { key: ws.key, body: { name: brand, role: 'own', query } });
    expect(res.status, res.text).toBe(201);
    ids[brand] = res.json.id;
  }
  const sourceId = (await s.request('POST', '/v1/sources', { key: ws.key, body: { type: 'rss', url: `http://127.0.0.1:9/${encodeURIComponent(name)}.xml` } })).json.id as string;
  await s.tick();
  return { ws, ids, sourceId };
}

/** As a release before matcher versions left a brand: its history matched by an older matcher. */
async function matchedByOlderMatcher(brandId: string) {
  await sql`update brands set matcher_version = 0 where id = ${brandId}`.execute(s.db);
}

const brandRow = (id: string) => s.db.selectFrom('brands').select(['query', 'query_version', 'matched_version', 'matcher_version']).where('id', '=', id).executeTakeFirstOrThrow();

async function linked(brandId: string) {
  const rows = await s.db
    .selectFrom('mention_brands as mb')
    .innerJoin('mentions as m', 'm.id', 'mb.mention_id')
    .select(['m.text', 'mb.keywords', 'm.matched'])
    .where('mb.brand_id', '=', brandId)
    .orderBy('m.text')
    .execute();
  return rows;
}

async function brandHourTotal(brandId: string) {
  const row = await s.db.selectFrom('brand_hours').select((eb) => eb.fn.sum<number>('mentions').as('n')).where('brand_id', '=', brandId).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The ids of the rematch jobs BullMQ holds for a brand, in any state. */
async function rematchJobs(brandId: string) {
  const queue = s.services.queues.queues.get('maintenance')!;
  const jobs = await queue.getJobs(['completed', 'failed', 'waiting', 'active', 'delayed', 'prioritized']);
  return jobs.filter((job) => job.name === 'brands.rematch' && job.data.brandId === brandId);
}

const recent = () => new Date(Date.now() - 2 * 3_600_000);

describe('re-matching history after an upgrade of the matcher', () => {
  it('a starting scheduler has the mentions an older matcher left unlinked linked, without the query being saved', async () => {
    const { ws, ids, sourceId } = await setup('Aavin', { Aavin: 'ஆவின்*' });
    // Items the older matcher passed over: `ஆவின்*` did not find the inflected ஆவினின் before
    // the virama rule. Stored raw, as it left them.
    await seed(s.deps, {
      workspaceId: ws.id,
      sourceId,
      mentions: [
        mention({ at: recent(), brands: [], lang: 'ta', text: 'ஆவினின் பால் விலை உயர்வு' }),
        mention({ at: recent(), brands: [], lang: 'cs', text: 'Mléko zdražilo i jinde' }),
      ],
    });
    await matchedByOlderMatcher(ids.Aavin!);
    const before = await brandRow(ids.Aavin!);

    // Before: nothing happened until someone saved the brand's query again.
    const lines = await startScheduler();
    await s.tick();

    expect(await linked(ids.Aavin!)).toEqual([{ text: 'ஆவினின் பால் விலை உயர்வு', keywords: ['ஆவின்*'], matched: true }]);
    expect(await brandHourTotal(ids.Aavin!)).toBe(1);
    const after = await brandRow(ids.Aavin!);
    expect(after).toEqual({ query: before.query, query_version: before.query_version + 1, matched_version: before.query_version + 1, matcher_version: MATCHER_VERSION });
    expect(lines.filter((l) => l.msg === 'brands matched by an older matcher: rematching their history in the background')).toEqual([
      expect.objectContaining({ level: 30, brands: 1, matcherVersion: MATCHER_VERSION }),
    ]);
    // The Czech item matches no brand: it stays in the raw store.
    const raw = await s.db.selectFrom('mentions').select(['text', 'matched']).where('workspace_id', '=', ws.id).where('matched', '=', false).execute();
    expect(raw).toEqual([{ text: 'Mléko zdražilo i jinde', matched: false }]);
  });

  it('only brands an older matcher went over are matched again, once, and a query that no longer parses keeps its links', async () => {
    const { ws, ids, sourceId } = await setup('Selection', { Older: '@acme', Current: 'globex', Broken: 'škoda' });
    const [broken] = await seed(s.deps, { workspaceId: ws.id, sourceId, mentions: [mention({ at: recent(), brands: [ids.Broken!], lang: 'cs', text: 'Škoda: recall' })] });
    await seed(s.deps, {
      workspaceId: ws.id,
      sourceId,
      mentions: [
        // The older matcher did not find @acme in @acme.bsky.social.
        { ...mention({ at: recent(), brands: [], text: 'Thanks @acme.bsky.social for the fix' }), handles: ['acme.bsky.social'] },
        // Left unlinked here to show whether Current's history is gone over: the current matcher would link it.
        mention({ at: recent(), brands: [], text: 'Globex ships a new model' }),
      ],
    });
    await matchedByOlderMatcher(ids.Older!);
    await matchedByOlderMatcher(ids.Broken!);
    // As an older grammar stored it: it parsed then (`škoda:` is a filter name now).
    await sql`update brands set query = 'škoda: recall' where id = ${ids.Broken!}`.execute(s.db);
    const versions = async () => Object.fromEntries(await Promise.all(Object.entries(ids).map(async ([name, id]) => [name, (await brandRow(id)).query_version])));
    const start = await versions();
    const jobsBefore = { Current: (await rematchJobs(ids.Current!)).length, Broken: (await rematchJobs(ids.Broken!)).length };

    // Turned off, a starting scheduler leaves history as it is.
    await startScheduler({ AUTO_REMATCH: false });
    await s.tick();
    expect(await versions()).toEqual(start);
    expect(await linked(ids.Older!)).toEqual([]);

    const lines = await startScheduler();
    await s.tick();
    expect(await linked(ids.Older!)).toEqual([{ text: 'Thanks @acme.bsky.social for the fix', keywords: ['@acme'], matched: true }]);
    expect(await versions()).toEqual({ ...start, Older: start.Older + 1 });
    expect(await brandRow(ids.Older!)).toMatchObject({ matched_version: start.Older + 1, matcher_version: MATCHER_VERSION });
    // The brand already on this matcher: no job, and what its history holds is as it was.
    expect(await linked(ids.Current!)).toEqual([]);
    expect((await rematchJobs(ids.Current!)).length).toBe(jobsBefore.Current);
    // The brand whose query no longer parses: no job failing on every tick, its link kept, and a warning naming it.
    expect((await rematchJobs(ids.Broken!)).length).toBe(jobsBefore.Broken);
    expect((await linked(ids.Broken!)).map((l) => l.text)).toEqual(['Škoda: recall']);
    expect(await s.db.selectFrom('mention_brands').select('mention_id').where('brand_id', '=', ids.Broken!).execute()).toEqual([{ mention_id: broken!.id }]);
    expect(await brandRow(ids.Broken!)).toMatchObject({ matcher_version: 0 });
    expect(lines.filter((l) => l.level === 40 && Array.isArray(l.brandIds))).toEqual([expect.objectContaining({ brands: 1, brandIds: [ids.Broken!] })]);

    // A second scheduler (another process, or the next restart) asks for nothing again.
    const again = await startScheduler();
    await s.tick();
    expect(await versions()).toEqual({ ...start, Older: start.Older + 1 });
    expect(again.filter((l) => l.msg === 'brands matched by an older matcher: rematching their history in the background')).toEqual([]);
  });

  it('`earshot rematch` asks by hand for what a scheduler with AUTO_REMATCH=false left', async () => {
    const { ws, ids, sourceId } = await setup('By hand', { Acme: 'acme' });
    // An item the older matcher left raw.
    await seed(s.deps, { workspaceId: ws.id, sourceId, mentions: [mention({ at: recent(), brands: [], lang: 'hi', text: 'Acme की नई कॉफ़ी' })] });
    await matchedByOlderMatcher(ids.Acme!);
    await startScheduler({ AUTO_REMATCH: false });
    await s.tick();
    expect(await linked(ids.Acme!)).toEqual([]);

    const env = { DATABASE_URL: s.config.DATABASE_URL, REDIS_URL: s.config.REDIS_URL, QUEUE_PREFIX: s.config.QUEUE_PREFIX, LOG_LEVEL: 'warn' };
    const cli = run('node', ['bin/earshot.js', 'rematch'], env);
    expect((await cli.exited).code, cli.output()).toBe(0);
    expect(JSON.parse(cli.output().trim().split('\n').at(-1)!)).toMatchObject({ matcherVersion: MATCHER_VERSION, brands: 1 });
    await s.tick();
    expect((await linked(ids.Acme!)).map((l) => l.text)).toEqual(['Acme की नई कॉफ़ी']);

    // Nothing is left on an older matcher: a second run asks for nothing.
    const again = run('node', ['bin/earshot.js', 'rematch'], env);
    expect((await again.exited).code, again.output()).toBe(0);
    expect(JSON.parse(again.output().trim().split('\n').at(-1)!)).toMatchObject({ brands: 0 });
  }, 60_000);

  it('a query edit while the matcher rematch runs wins: the history ends matched at the new query', async () => {
    const { ws, ids, sourceId } = await setup('Edited', { Q: 'alpha' });
    await seed(s.deps, {
      workspaceId: ws.id,
      sourceId,
      mentions: [...['alpha 1', 'alpha 2', 'delta 1', 'delta 2', 'delta 3'].map((text) => mention({ at: recent(), brands: [], text }))],
    });
    await matchedByOlderMatcher(ids.Q!);
    const start = (await brandRow(ids.Q!)).query_version;

    // The rematch job waits at its first batch: it has read the brand (query `alpha`) and waits
    // for the workspace's lock, which this transaction holds as a poll storing mentions would.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let held!: () => void;
    const holding = new Promise<void>((resolve) => (held = resolve));
    const poll = s.db.transaction().execute(async (trx) => {
      await holdOffRematches(trx, ws.id);
      held();
      await released;
    });
    await holding;
    try {
      await startScheduler();
      await s.services.queues.add('sources.tick', {});
      // pg_locks is the whole server's: this database's advisory locks only, of the rematch lock's key ('RMAT').
      const waiting = async () =>
        (
          await sql<{ n: number }>`select count(*)::int n from pg_locks l join pg_database d on d.oid = l.database
            where d.datname = current_database() and l.locktype = 'advisory' and l.classid = ${0x524d4154}::oid and not l.granted`.execute(s.db)
        ).rows[0]!.n;
      for (const deadline = Date.now() + 10_000; (await waiting()) === 0; ) {
        if (Date.now() > deadline) throw new Error('no rematch job came to wait on the workspace lock');
        await new Promise((r) => setTimeout(r, 25));
      }
      const edit = await s.request('PATCH', `/v1/brands/${ids.Q}`, { key: ws.key, body: { query: 'delta' } });
      expect(edit.status, edit.text).toBe(200);
    } finally {
      release();
      await poll;
    }
    await s.tick();

    expect((await linked(ids.Q!)).map((l) => l.text)).toEqual(['delta 1', 'delta 2', 'delta 3']);
    expect(await brandHourTotal(ids.Q!)).toBe(3);
    expect(await brandRow(ids.Q!)).toMatchObject({ query: 'delta', query_version: start + 2, matched_version: start + 2, matcher_version: MATCHER_VERSION });
    // The matcher's rematch stopped at its batch, leaving the brand to the edit's.
    const versionJob = (await rematchJobs(ids.Q!)).find((job) => job.id === `rematch-${ids.Q}-${start + 1}`);
    expect(versionJob?.returnvalue).toMatchObject({ superseded: true, gained: 0, lost: 0, kept: 0 });
  });
});
