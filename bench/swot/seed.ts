// Fills the SWOT bench's workspace the way polling would: feeds of one language each, read,
// matched, language-detected and scored by the ingest's own `prepare`, stored by storeMentions
// (rows, brand links, rollups) one poll per transaction. Brand items are spread evenly over the
// span, so a window of whole hours ending at `end` holds `perHour` of them an hour. Preparing
// costs about a millisecond an item here, so a pool of distinct items is prepared once and the
// span's slots store its mentions again (the corpus repeats its sentences anyway; the themes
// cache nothing per text, only per word).
import { sql } from 'kysely';
import { rss, type FeedItem } from '../../test/support/feed-server.js';
import { createRollupRepository } from '../../src/domain/analytics/rollups.repository.js';
import { toMentionBatch } from '../../src/domain/mentions/batch.js';
import type { BrandSet } from '../../src/domain/mentions/compute.js';
import type { PreparedMention } from '../../src/domain/mentions/ingest.js';
import { createLocalCompute } from '../../src/domain/mentions/compute.js';
import { createMentionRepository } from '../../src/domain/mentions/mentions.repository.js';
import { storeMentions } from '../../src/domain/mentions/store.js';
import { createScorer } from '../../src/domain/scoring/scorer.js';
import type { Database } from '../../src/infra/db/database.js';
import { createRandom, type Random } from '../../src/infra/seeded-random.js';
import { LANGS, type Lang } from '../support/corpus.js';
import { FEED_CONTENT_TYPE } from '../support/feeds.js';
import { feedItem, generateItem, type ItemKind } from './texts.js';

const HOUR_MS = 3_600_000;
/** Items per poll of one feed. */
const POLL_ITEMS = 500;

export interface SeedPlan {
  workspaceId: string;
  brands: BrandSet;
  /** Brand items per hour, evenly spaced. */
  perHour: number;
  /** Hours before `end` that hold brand items. */
  hours: number;
  /** An hour boundary: the newest item is just before it. */
  end: Date;
  /** Of the brand items, the share naming two brands in one sentence. */
  pairedShare: number;
  /** Brand items generated and prepared; the span's slots draw from the mentions they made. */
  distinct: number;
  seed: number;
}

export interface SeedSummary {
  /** Items generated for the pool, by kind. */
  items: Record<ItemKind, number>;
  /** Matched mentions prepare made of them. */
  pool: number;
  polls: number;
  seconds: number;
  /** Seconds of generating the pool and the ingest's `prepare` of it (read, match, detect, score). */
  prepareSeconds: number;
}

/** The workspace's feeds: one per language, inserted as a source row (nothing polls them). */
async function insertSources(db: Database, workspaceId: string): Promise<Record<Lang, string>> {
  const ids = {} as Record<Lang, string>;
  for (const lang of LANGS) {
    const { rows } = await sql<{ id: string }>`
      insert into sources (workspace_id, type, config, host)
      values (${workspaceId}, 'rss', ${JSON.stringify({ url: `https://news-${lang}.example.com/feed.xml` })}::jsonb, ${`news-${lang}.example.com`}) returning id`.execute(db);
    ids[lang] = rows[0]!.id;
  }
  return ids;
}

/** The pool's items prepared as one poll per language, as polling would: the mentions that matched. */
async function preparePool(plan: SeedPlan, random: Random, items: Record<ItemKind, number>): Promise<PreparedMention[]> {
  const compute = createLocalCompute({ scorer: createScorer({ preload: true }) });
  const byLang = Object.fromEntries(LANGS.map((l) => [l, [] as FeedItem[]])) as Record<Lang, FeedItem[]>;
  const fetchedAt = plan.end;
  for (let i = 0; i < plan.distinct; i++) {
    const item = generateItem(random, { pairedShare: plan.pairedShare });
    items[item.kind]++;
    byLang[item.lang].push(feedItem(item, { key: `pool-${plan.seed}-${i}`, publishedAt: new Date(fetchedAt.getTime() - 60_000), random }));
  }
  const pool: PreparedMention[] = [];
  for (const lang of LANGS) {
    for (let start = 0; start < byLang[lang].length; start += POLL_ITEMS) {
      const body = Buffer.from(rss(byLang[lang].slice(start, start + POLL_ITEMS), `News (${lang})`));
      const batch = await compute.prepare({
        sourceType: 'rss',
        fetchedAt,
        isBacklog: false,
        brands: plan.brands,
        feed: { body: { bytes: new Uint8Array(body), contentType: FEED_CONTENT_TYPE }, opts: { feedUrl: `https://news-${lang}.example.com/feed.xml`, fetchedAt } },
      });
      pool.push(...batch.matched);
    }
  }
  await compute.close();
  return pool;
}

/**
 * `distinct` brand items go through the ingest's `prepare` as polls of their language's feed;
 * every slot of the span then stores one of the matched mentions again under its own key, link
 * and time, through storeMentions, one poll of POLL_ITEMS per transaction. Texts, languages,
 * labels and brand links are what prepare made of them. No unmatched items are stored: GET
 * /v1/swot reads matched mentions alone, through a partial index.
 */
export async function seedSwotMentions({ db, plan, onProgress }: { db: Database; plan: SeedPlan; onProgress?: (done: number, total: number) => void }): Promise<SeedSummary> {
  const started = performance.now();
  const random = createRandom(plan.seed);
  const sources = await insertSources(db, plan.workspaceId);
  const items: Record<ItemKind, number> = { 'one brand': 0, 'two brands': 0 };
  const pool = await preparePool(plan, random, items);
  const prepareSeconds = (performance.now() - started) / 1000;
  const mentionRepository = createMentionRepository({ db });
  const rollupRepository = createRollupRepository();
  const slotMs = HOUR_MS / plan.perHour;
  const total = Math.round(plan.perHour * plan.hours);
  const startMs = plan.end.getTime() - plan.hours * HOUR_MS;
  const pending = Object.fromEntries(LANGS.map((l) => [l, []])) as unknown as Record<Lang, PreparedMention[]>;
  let storing: Promise<unknown> = Promise.resolve();
  let polls = 0;
  let stored = 0;

  const poll = async (lang: Lang) => {
    const mentions = pending[lang].splice(0);
    if (!mentions.length) return;
    const fetchedAt = new Date(mentions.at(-1)!.occurredAt.getTime() + 5 * 60_000);
    const batch = toMentionBatch(mentions.map((m) => ({ ...m, fetchedAt })));
    // The previous poll's commit runs while this one is built: Postgres and this process overlap.
    await storing;
    const store = db.transaction().execute((trx) =>
      storeMentions({ trx, workspaceId: plan.workspaceId, sourceId: sources[lang], sourceType: 'rss', batch, now: fetchedAt, mentionRepository, rollupRepository }),
    );
    // Handled here so a failed commit is not an unhandled rejection before the next poll awaits it (and throws).
    store.catch(() => {});
    storing = store;
    polls++;
  };

  for (let slot = 0; slot < total; slot++) {
    // Oldest first, as polls bring them; whole seconds, as feeds date them.
    const at = new Date(Math.floor((startMs + (slot + random.next()) * slotMs) / 1000) * 1000);
    const from = pool[random.int(0, pool.length - 1)]!;
    const lang = (LANGS as readonly string[]).includes(from.lang ?? '') ? (from.lang as Lang) : 'en';
    const key = `swot-${plan.seed}-${slot}`;
    const url = `https://news-${lang}.example.com/${at.getUTCFullYear()}/${key}`;
    pending[lang].push({ ...from, itemKey: key, url, canonicalUrl: url, publishedAt: at, occurredAt: at });
    if (pending[lang].length >= POLL_ITEMS) await poll(lang);
    if (++stored % 10_000 === 0) onProgress?.(stored, total);
  }
  for (const lang of LANGS) await poll(lang);
  await storing;
  await sql`analyze`.execute(db);
  return { items, pool: pool.length, polls, seconds: (performance.now() - started) / 1000, prepareSeconds };
}
