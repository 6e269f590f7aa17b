import { describe, expect, it } from 'vitest';
import { createLocalCompute } from '../../src/domain/mentions/compute.js';
import { createScorer } from '../../src/domain/scoring/scorer.js';
import { PROFILE_FACTORIES } from '../../src/domain/sentiment/sentiment.analyser.js';
import { WARM_UP_PASSES, warmUp, warmUpFeeds } from '../../src/infra/ingest-pool/warm-up.js';

// The warm-up is only worth its start-up time if it drives every language's code the way real
// polls do: each language detected as itself, scored, and matched by real queries, in both feed
// formats, with what real feeds carry. If a word list changes so that a language stops being
// recognised, or the polls lose one of the features whose absence cost a deopt in a fresh
// process's first round, this fails.

const text = (body: Uint8Array) => Buffer.from(body).toString('utf8');

describe('ingest thread warm-up', () => {
  it('polls an RSS and an Atom feed in every language the scorer knows, the same ones each time', () => {
    const now = new Date('2026-12-01T10:00:00Z');
    const { feeds, brandSets } = warmUpFeeds(now);
    const langs = [...PROFILE_FACTORIES.keys()];
    expect(feeds.map((f) => `${f.lang}/${f.type}`).sort()).toEqual(langs.flatMap((l) => [`${l}/atom`, `${l}/rss`]).sort());
    expect(brandSets.flatMap((set) => set.brands).length).toBeGreaterThanOrEqual(2 * langs.length);
    const again = warmUpFeeds(now);
    expect(again.brandSets).toEqual(brandSets);
    expect(again.feeds.map((f) => text(f.body))).toEqual(feeds.map((f) => text(f.body)));
  });

  it('carries what real feeds carry', () => {
    const { feeds, brandSets } = warmUpFeeds(new Date('2026-12-01T10:00:00Z'));
    const bodies = feeds.map((f) => text(f.body));
    const all = bodies.join('\n');
    // Polls for two workspaces, each with its own brands, taken in turn.
    expect(brandSets).toHaveLength(2);
    for (const set of brandSets) expect(set.brands.length).toBeGreaterThan(0);
    expect(new Set(feeds.slice(0, 2).map((f) => f.brands.workspaceId)).size).toBe(2);
    // A feed past sax's 64 KiB buffer check and the reader's 1,024-tag time-slice check.
    expect(bodies.some((b) => Buffer.byteLength(b) > 64 * 1024 && (b.match(/<\/?[a-z]/g) ?? []).length > 1024)).toBe(true);
    // On one line, one element per line, indented.
    expect(bodies.some((b) => !b.includes('\n'))).toBe(true);
    expect(bodies.some((b) => b.includes('\n<item>'))).toBe(true);
    expect(bodies.some((b) => b.includes('\n  <item>') || b.includes('\n  <entry>'))).toBe(true);
    // The body before the link in some feeds, after it in others.
    expect(bodies.some((b) => /<description>[^]*?<\/description>\s*<link>/.test(b))).toBe(true);
    expect(bodies.some((b) => /<link>[^<]*<\/link>\s*<pubDate>[^<]*<\/pubDate>\s*(<dc:creator>[^<]*<\/dc:creator>\s*)?<description>/.test(b))).toBe(true);
    // Items without an author among those with one.
    const items = (all.match(/<item>/g) ?? []).length;
    const creators = (all.match(/<dc:creator>/g) ?? []).length;
    expect(creators).toBeGreaterThan(items / 2);
    expect(creators).toBeLessThan(items);
    // CamelCase hashtags, words in capitals, posts in capitals throughout.
    expect(all).toMatch(/#\p{Lu}\p{Ll}+\p{Lu}\p{Ll}/u);
    expect(all).toMatch(/<title>[^<a-z]*\b[A-Z]{3,}\b[^<a-z]*<\/title>/);
    // Words in another script: Latin letters in the Hindi feeds, Devanagari in the English ones.
    expect(bodies.filter((_, i) => feeds[i]!.lang === 'hi').join('')).toMatch(/<description>[^<]*[a-z]{3,}/);
    expect(bodies.filter((_, i) => feeds[i]!.lang === 'en').join('')).toMatch(/[\u0900-\u097f]/);
    // Bodies that end on a word as well as on punctuation.
    expect(all).toMatch(/\p{L}&lt;\/p&gt;<\/description>/u);
  });

  it('detects each language as itself and scores its items in one workspace; in the other, leaves those no brand matches unscored', async () => {
    const report = await warmUp({ compute: createLocalCompute({ scorer: createScorer({ preload: true }) }) });
    const { feeds, brandSets } = warmUpFeeds();
    const langs = [...PROFILE_FACTORIES.keys()];
    const itemsOf = (f: (typeof feeds)[number]) => (text(f.body).match(/<item>|<entry>/g) ?? []).length;
    const perPass = feeds.reduce((n, f) => n + itemsOf(f), 0);
    expect(perPass).toBeGreaterThanOrEqual(100 * langs.length);
    expect(report.items).toBe(WARM_UP_PASSES * perPass);
    // The first workspace's `lang:` filter has every item of its polls detected, matched and scored.
    const first = feeds.filter((f) => f.brands === brandSets[0]);
    for (const lang of langs) {
      const polled = first.filter((f) => f.lang === lang).reduce((n, f) => n + itemsOf(f), 0);
      expect(polled, lang).toBeGreaterThanOrEqual(20);
      expect(report.languages[lang] ?? 0, lang).toBeGreaterThanOrEqual(0.9 * polled);
    }
    const firstItems = WARM_UP_PASSES * first.reduce((n, f) => n + itemsOf(f), 0);
    expect(report.matched).toBeGreaterThan(0.9 * firstItems);
    // The second's polls hold items matched by its brands and items left unscored.
    expect(report.matched).toBeGreaterThan(firstItems);
    expect(report.matched).toBeLessThan(report.items);
  });
});
