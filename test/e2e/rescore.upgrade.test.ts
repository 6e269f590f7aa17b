import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SENTIMENT_MODEL } from '../../src/domain/scoring/scorer.js';
import { startEarshot } from '../../src/runtime.js';
import { silentLog } from '../support/db.js';
import { mention, seed } from '../support/seed.js';
import { createTestStack, type TestStack } from '../support/stack.js';

// After an upgrade that changed the sentiment model, the scheduler queues the rescoring of the
// mentions an older version of the model scored, by itself: history and new mentions read alike.

let s: TestStack;
let workspaceId: string;
let brand: string;
let sourceId: string;

const model = () => s.services.scorer.model;

beforeAll(async () => {
  s = await createTestStack();
  let key: string;
  ({ key, id: workspaceId } = await s.workspace('Upgrade'));
  brand = (await s.request('POST', '/v1/brands', { key, body: { name: 'Acme', role: 'own', query: 'acme' } })).json.id;
  sourceId = (await s.request('POST', '/v1/sources', { key, body: { type: 'rss', url: 'http://127.0.0.1:9/upgrade.xml' } })).json.id;
});
afterAll(async () => s.close());

const [family, version] = SENTIMENT_MODEL.split('@') as [string, string];
/** A version newer than the current that sorts before it as text (1.16.0 against 1.6.3). */
function newerButTextuallyOlder(): string {
  const [major, minor] = version.split('.').map(Number) as [number, number];
  for (let k = 1; ; k++) {
    const candidate = `${major}.${minor + k}.0`;
    if (candidate < version) return candidate;
  }
}

async function startScheduler(config: Record<string, unknown> = {}) {
  const running = await startEarshot({ roles: ['scheduler'], config: { ...s.config, ...config } as typeof s.config, log: silentLog });
  await running.shutdown.shutdown('test');
}

const modelsByKey = async () =>
  Object.fromEntries(
    (await s.db.selectFrom('mentions').select(['item_key', 'sentiment_model']).where('workspace_id', '=', workspaceId).execute()).map((r) => [r.item_key, r.sentiment_model]),
  );

describe('rescoring after an upgrade', () => {
  it('a starting scheduler queues the mentions of older versions of the model, and leaves newer and foreign ones', async () => {
    expect(model()).toBe(SENTIMENT_MODEL);
    const older = (m: string, key: string, text: string, label: 'positive' | 'negative') => ({
      ...mention({ at: '2026-06-01T10:00:00Z', brands: [brand], key, label, score: label === 'positive' ? 0.5 : -0.5, text }),
      sentiment: { score: label === 'positive' ? 0.5 : -0.5, label, model: m },
    });
    await seed(s.deps, {
      workspaceId,
      sourceId,
      mentions: [
        // Scored wrong by old versions. The newer one sorts first as text: versions compare as numbers.
        older(`${family}@1.0.0`, 'v1.0.0', 'I love Acme, the coffee is wonderful and the staff are great!', 'negative'),
        older(`${family}@0.1.0`, 'v0.1.0', 'Acme was terrible today, awful service and cold coffee.', 'positive'),
        older(`${family}@${newerButTextuallyOlder()}`, 'newer', 'Acme was terrible today, awful service and cold coffee.', 'positive'),
        older('seed@1', 'foreign', 'Acme was terrible today, awful service and cold coffee.', 'positive'),
      ],
    });

    await startScheduler({ AUTO_RESCORE: false });
    await s.drain();
    expect(await modelsByKey()).toMatchObject({ 'v1.0.0': `${family}@1.0.0`, 'v0.1.0': `${family}@0.1.0` });

    // Before: nothing rescored until someone ran `earshot rescore`.
    await startScheduler();
    await s.drain();
    expect(await modelsByKey()).toEqual({ 'v1.0.0': model(), 'v0.1.0': model(), newer: `${family}@${newerButTextuallyOlder()}`, foreign: 'seed@1' });
    const labels = await s.db.selectFrom('mention_brands').innerJoin('mentions', 'mentions.id', 'mention_brands.mention_id').select(['item_key', 'mention_brands.sentiment_label']).where('brand_id', '=', brand).execute();
    expect(Object.fromEntries(labels.map((l) => [l.item_key, l.sentiment_label]))).toMatchObject({ 'v1.0.0': 'positive', 'v0.1.0': 'negative' });
  });
});
