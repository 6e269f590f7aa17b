import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rematchOlderMatches } from '../../src/domain/brands/rematch.usecases.js';
import { MATCHER_VERSION } from '../../src/domain/query/index.js';
import { createLogger } from '../../src/logger.js';
import { mention, seed } from '../support/seed.js';
import { createTestStack, type TestStack } from '../support/stack.js';

// A brand's rematch job ends with one info line saying it finished and what it changed in the
// brand's links: the mentions that gained the brand, lost it, or kept it. `linked` once counted
// every link the brand had after the rematch, so an upgrade that changed nothing read as one
// that had linked the whole history.

const lines: Array<Record<string, unknown>> = [];
let s: TestStack;

beforeAll(async () => {
  const log = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(JSON.parse(line)) } });
  s = await createTestStack({ log });
});
afterAll(async () => s.close());

const FINISHED = 'brand rematch finished: its history matched again';
const UPGRADE_FINISHED = 'brand rematch after a matcher upgrade finished: its history matched again by the new matcher';
const recent = () => new Date(Date.now() - 2 * 3_600_000);

/** What `earshot rematch` and a starting scheduler do, as the brand's history was matched by an older matcher; then the tick runs the jobs. */
async function upgradeRematch(brandId: string) {
  await sql`update brands set matcher_version = 0 where id = ${brandId}`.execute(s.db);
  expect(await rematchOlderMatches({ brandRepository: s.services.brandRepository })).toMatchObject({ brands: 1 });
  const from = lines.length;
  await s.tick();
  return lines.slice(from).filter((l) => l.brandId === brandId && l.job === 'brands.rematch');
}

async function rematchJob(brandId: string, version: number) {
  const queue = s.services.queues.queues.get('maintenance')!;
  return queue.getJob(`rematch-${brandId}-${version}`);
}

describe("a brand rematch job's last line", () => {
  it('after a matcher upgrade, says the rematch finished and counts the links gained, lost and kept, not the brand\'s total', async () => {
    const ws = await s.workspace('Rematch counts');
    const brandId = (await s.ok('POST', '/v1/brands', ws.key, { name: 'Acme', role: 'own', query: 'acme' })).json.id as string;
    const sourceId = (await s.ok('POST', '/v1/sources', ws.key, { type: 'rss', url: 'http://127.0.0.1:9/rematch-counts.xml' })).json.id as string;
    await s.tick();
    await seed(s.deps, {
      workspaceId: ws.id,
      sourceId,
      mentions: [
        // Linked as the older matcher linked them: two the current one links too, one it does not.
        mention({ at: recent(), brands: [brandId], text: 'acme espresso, first cup' }),
        mention({ at: recent(), brands: [brandId], text: 'Acme की नई कॉफ़ी' }),
        mention({ at: recent(), brands: [brandId], text: 'globex grinders only' }),
        // Left raw by the older matcher; the current one links it.
        mention({ at: recent(), brands: [], text: 'acme cold brew at the café' }),
        mention({ at: recent(), brands: [], lang: 'cs', text: 'Mléko zdražilo i jinde' }),
      ],
    });

    const first = await upgradeRematch(brandId);
    const counts = { evaluated: 5, gained: 1, lost: 1, kept: 2 };
    expect(first.filter((l) => l.msg === UPGRADE_FINISHED)).toEqual([
      expect.objectContaining({ level: 30, ...counts, matcherVersion: MATCHER_VERSION, previousMatcherVersion: 0 }),
    ]);
    expect(first.some((l) => 'linked' in l)).toBe(false);
    const version = (await s.db.selectFrom('brands').select('query_version').where('id', '=', brandId).executeTakeFirstOrThrow()).query_version;
    expect((await rematchJob(brandId, version))?.returnvalue).toMatchObject(counts);
    const linked = await s.db.selectFrom('mention_brands').select('mention_id').where('brand_id', '=', brandId).execute();
    expect(linked).toHaveLength(3);

    // The same history again: nothing gained or lost, though the brand has three links.
    const second = await upgradeRematch(brandId);
    expect(second.filter((l) => l.msg === UPGRADE_FINISHED)).toEqual([expect.objectContaining({ evaluated: 5, gained: 0, lost: 0, kept: 3 })]);

    // A query edit's rematch finishes with the same counts, not called an upgrade's.
    const edited = lines.length;
    await s.ok('PATCH', `/v1/brands/${brandId}`, ws.key, { query: 'acme -café' });
    await s.tick();
    const edit = lines.slice(edited).filter((l) => l.brandId === brandId && l.job === 'brands.rematch');
    expect(edit.filter((l) => l.msg === FINISHED)).toEqual([expect.objectContaining({ level: 30, evaluated: 5, gained: 0, lost: 1, kept: 2, matcherVersion: MATCHER_VERSION })]);
    expect(edit.filter((l) => l.msg === FINISHED)[0]).not.toHaveProperty('previousMatcherVersion');
  });
});
