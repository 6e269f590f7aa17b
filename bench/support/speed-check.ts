// How fast this host is right now at Earshot's own per-item work. The same code's CPU per item
// drifts by up to 40 % within minutes on this machine kind (docs/benchmarks.md), so rounds taken
// at different times compare only next to a reading of the host's speed taken with them.
import { createLocalCompute } from '../../src/domain/mentions/compute.js';
import { createScorer } from '../../src/domain/scoring/scorer.js';
import { LANGS, PLACEHOLDER_BRAND_SET } from './corpus.js';
import { generateFeeds, prepareRequestFor } from './feeds.js';

const PASSES = 3;
const ITEMS_PER_FEED = 10;
/** Untimed passes at creation: until V8 has optimised the code (one was not enough: the first reading came out ~1.9× the later ones). */
const WARM_UP_PASSES = 8;
/**
 * The bench's brands and one whose `lang:` filter takes every item: since 2026-12-06 a poll
 * scores only the items a brand matched, and this keeps the check scoring all 500, the same work
 * as before that change, so readings stay comparable across sessions and code versions.
 */
const EVERY_ITEM = {
  ...PLACEHOLDER_BRAND_SET,
  version: 'bench-speed-check',
  brands: [...PLACEHOLDER_BRAND_SET.brands, { id: '00000000-0000-4000-8000-00000000ffff', name: 'Every language', query: LANGS.map((lang) => `lang:${lang}`).join(' OR ') }],
};

/**
 * A fixed piece of the ingest work, in this process: 500 items (10 of each of the 50 feeds, so
 * every language) decoded, parsed, scored, matched and serialised, as an ingest thread's `prepare`
 * does, every item scored (EVERY_ITEM). `measure()` runs it three times and returns the best pass's CPU per item in µs; the
 * code must be optimised first, so creation runs it untimed a few times.
 */
export async function createSpeedCheck({ seed, now }: { seed: number; now: Date }) {
  const compute = createLocalCompute({ scorer: createScorer({ preload: true }) });
  const feeds = generateFeeds({ count: 50, items: ITEMS_PER_FEED, seed, now, round: 1_000 });
  const items = feeds.length * ITEMS_PER_FEED;
  const pass = async () => {
    for (const f of feeds) await compute.prepare(prepareRequestFor(f, { now, brands: EVERY_ITEM }));
  };
  for (let i = 0; i < WARM_UP_PASSES; i++) await pass();
  return {
    async measure(): Promise<number> {
      let best = Infinity;
      for (let i = 0; i < PASSES; i++) {
        const before = process.cpuUsage();
        await pass();
        const used = process.cpuUsage(before);
        best = Math.min(best, (used.user + used.system) / items);
      }
      return best;
    },
  };
}

export type SpeedCheck = Awaited<ReturnType<typeof createSpeedCheck>>;
