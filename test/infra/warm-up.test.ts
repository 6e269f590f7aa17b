import { describe, expect, it } from 'vitest';
import { createLocalCompute } from '../../src/domain/mentions/compute.js';
import { createScorer } from '../../src/domain/scoring/scorer.js';
import { PROFILE_FACTORIES } from '../../src/domain/sentiment/sentiment.analyser.js';
import { WARM_UP_PASSES, warmUp, warmUpFeeds } from '../../src/infra/ingest-pool/warm-up.js';

// The warm-up is only worth its start-up time if it drives every language's code the way real
// polls do: each language detected as itself, scored, and matched by real queries, in both feed
// formats. If a word list changes so that a language stops being recognised, this fails.

describe('ingest thread warm-up', () => {
  it('polls an RSS and an Atom feed in every language the scorer knows, the same ones each time', () => {
    const now = new Date('2026-12-01T10:00:00Z');
    const { feeds, brands } = warmUpFeeds(now);
    const langs = [...PROFILE_FACTORIES.keys()];
    expect(feeds.map((f) => `${f.lang}/${f.type}`).sort()).toEqual(langs.flatMap((l) => [`${l}/atom`, `${l}/rss`]).sort());
    expect(brands.length).toBeGreaterThanOrEqual(2 * langs.length);
    const again = warmUpFeeds(now);
    expect(again.brands).toEqual(brands);
    expect(again.feeds.map((f) => Buffer.from(f.body).toString('utf8'))).toEqual(feeds.map((f) => Buffer.from(f.body).toString('utf8')));
  });

  it('detects each language as itself, scores every item and matches some of them', async () => {
    const report = await warmUp({ compute: createLocalCompute({ scorer: createScorer({ preload: true }) }) });
    const langs = [...PROFILE_FACTORIES.keys()];
    expect(report.items).toBe(WARM_UP_PASSES * 100 * langs.length);
    for (const lang of langs) expect(report.languages[lang] ?? 0, lang).toBeGreaterThanOrEqual(90);
    expect(report.matched).toBeGreaterThan(report.items / 10);
    expect(report.matched).toBeLessThan(report.items);
  });
});
