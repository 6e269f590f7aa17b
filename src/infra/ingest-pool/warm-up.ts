import { ARABIC_SCRIPT_WORDS, DEVANAGARI_WORDS, LATIN_WORDS } from '../../domain/language/language.words.js';
import type { IngestCompute } from '../../domain/mentions/compute.js';
import { PROFILE_FACTORIES } from '../../domain/sentiment/sentiment.analyser.js';
import { LANGUAGE_RULES } from '../../domain/sentiment/profile.rules.js';
import { createRandom, type Random } from '../seeded-random.js';

/*
 * A pool thread's first work, before it takes any task: a synthetic poll in every language the
 * scorer knows, through the same parse → score → match → serialise code a real poll runs. V8
 * compiles a function's optimised code only after it has run hot for a while, and it does so
 * per code path: a thread that has only scored English still compiles the Czech stemmer when
 * the first Czech feed arrives. Measured (`npm run bench -- ingest --env INGEST_WARM_UP=false`),
 * a fresh process spent ~100 µs of CPU per item more on its first poll than on later ones, most
 * of it compiling on V8's helper threads; with one pass of the warm-up ~70 µs, and the first poll
 * ran ~10 % faster. It costs ~0.9 s of one core per thread at start, four passes
 * (`npm run bench -- ingest --stages` times it).
 *
 * The text is made from the engine's own word lists (the language markers and the sentiment
 * rules), not from any corpus the benchmark serves, and nothing it leaves behind is data: the
 * output is discarded, and the matcher compiled for its brands stays in the thread's cache as
 * one workspace among up to a thousand. The word memos keep a few thousand of these words, well
 * inside their bounds.
 */

/** Items per language in one pass. */
const ITEMS_PER_LANGUAGE = 100;
/**
 * Passes over the polls. V8 optimises a function once it has run hot with stable type feedback,
 * and one pass (1,100 items) left the per-item code (the feed item builder, canonical URLs, the
 * matcher's candidates) and `prepareMentions` still unoptimised: `--trace-opt` showed them compiled
 * during a fresh process's first real poll. Four passes take about twice as long as one. Alternating
 * runs of `npm run bench -- ingest --concurrency 8 --rounds 2` with one pass and with four (a
 * temporary knob, not kept): first rounds 4,909 · 4,963 · 5,731 against 5,537 · 5,634 · 5,875
 * mentions/s, V8's helper threads 72-83 against 60-62 µs per item, warm rounds alike.
 */
export const WARM_UP_PASSES = 4;
const FEED_TYPES = ['rss', 'atom'] as const;
const SEED = 20_261_205;

const LETTERS_ONLY = /^[\p{L}\p{M}]+$/u;
const split = (words: string) => words.split(/\s+/).filter(Boolean);

/** Marker words (what language detection weighs) and sentiment words (what scoring weighs) of `lang`. */
function vocabularyOf(lang: string): { markers: string[]; sentiment: string[] } {
  const markers = [
    ...[...LATIN_WORDS].filter(([, langs]) => langs.includes(lang)).map(([word]) => word),
    ...[...DEVANAGARI_WORDS, ...ARABIC_SCRIPT_WORDS].filter(([, l]) => l === lang).map(([word]) => word),
  ];
  const rules = LANGUAGE_RULES[lang];
  const sentiment = rules
    ? [...Object.keys(rules.lexicon), ...split(rules.negators), ...split(rules.intensifiers), ...split(rules.diminishers), ...split(rules.contrast)]
    : markers.filter((w) => ['love', 'great', 'good', 'thanks', 'best', 'worst', 'nice', 'funny', 'never', 'not', 'but'].includes(w));
  return { markers: markers.length > 0 ? markers : sentiment, sentiment };
}

const escapeXml = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

interface WarmItem {
  title: string;
  html: string;
  n: number;
}

function itemText(random: Random, { markers, sentiment }: { markers: string[]; sentiment: string[] }): { title: string; words: string[] } {
  const words: string[] = [];
  const target = random.int(25, 60);
  while (words.length < target) {
    const roll = random.next();
    const word = random.pick(roll < 0.35 ? sentiment : markers);
    words.push(roll > 0.97 ? `#${word}` : roll > 0.955 ? `@${word}` : word);
    if (random.chance(0.08)) words.push(random.pick(['.', ',', '!', '?', '🙂', '😡', ':)']));
  }
  return { title: words.slice(0, random.int(4, 8)).join(' '), words };
}

/** The item's body as feeds write it: paragraphs, a link, an entity or two. */
function itemHtml(random: Random, words: string[], n: number): string {
  const cut = random.int(1, words.length - 1);
  const first = words.slice(0, cut).join(' ');
  const second = words.slice(cut).join(' ');
  return `<p>${escapeXml(first)} &amp; <a href="/posts/${n}">${escapeXml(random.pick(words))}</a></p><p>${escapeXml(second)}&#8230;</p>`;
}

function feedDocument(type: (typeof FEED_TYPES)[number], lang: string, items: WarmItem[], now: Date): string {
  const at = (n: number) => new Date(now.getTime() - n * 60_000);
  if (type === 'atom') {
    return `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>warm-up ${lang}</title><id>urn:earshot:warm-up:${lang}</id><updated>${now.toISOString()}</updated>${items
      .map(
        (i) =>
          `<entry><id>urn:earshot:warm-up:${lang}:${i.n}</id><title>${escapeXml(i.title)}</title><link href="/entries/${i.n}"/><updated>${at(i.n).toISOString()}</updated><author><name>Writer ${i.n % 7}</name></author><content type="html">${escapeXml(i.html)}</content></entry>`,
      )
      .join('')}</feed>`;
  }
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>warm-up ${lang}</title><link>https://warm-up.invalid/</link>${items
    .map(
      (i) =>
        `<item><guid isPermaLink="false">warm-up-${lang}-${i.n}</guid><title>${escapeXml(i.title)}</title><link>/items/${i.n}</link><pubDate>${at(i.n).toUTCString()}</pubDate><dc:creator>Writer ${i.n % 7}</dc:creator><description>${escapeXml(i.html)}</description></item>`,
    )
    .join('')}</channel></rss>`;
}

/** Brand queries of the kinds people write (phrases, hashtags, handles, prefixes, NEAR, exclusions) over `lang`'s words. */
function queriesOf(random: Random, { markers, sentiment }: { markers: string[]; sentiment: string[] }): string[] {
  const plain = [...markers, ...sentiment].filter((w) => LETTERS_ONLY.test(w));
  if (plain.length < 2) return [];
  const w = () => random.pick(plain);
  const long = plain.filter((x) => [...x].length >= 4);
  return [
    `"${w()} ${w()}" OR #${w()} OR @${w()}`,
    `"${w()}" NEAR/4 ("${w()}" OR "${w()}") -"${w()}"`,
    ...(long.length > 0 ? [`${random.pick(long)}* OR "${w()}"`] : []),
  ];
}

export interface WarmUpFeed {
  lang: string;
  type: (typeof FEED_TYPES)[number];
  body: Uint8Array;
}

/** The warm-up's polls: for every language the scorer knows, an RSS and an Atom feed. Deterministic. */
export function warmUpFeeds(now = new Date()): { feeds: WarmUpFeed[]; brands: Array<{ id: string; query: string }> } {
  const random = createRandom(SEED);
  const feeds: WarmUpFeed[] = [];
  const brands: Array<{ id: string; query: string }> = [];
  for (const lang of PROFILE_FACTORIES.keys()) {
    const vocabulary = vocabularyOf(lang);
    for (const query of queriesOf(random, vocabulary)) brands.push({ id: `warm-up-${brands.length}`, query });
    const perFeed = ITEMS_PER_LANGUAGE / FEED_TYPES.length;
    FEED_TYPES.forEach((type, t) => {
      const items = Array.from({ length: perFeed }, (_, i) => {
        const n = t * perFeed + i;
        const { title, words } = itemText(random, vocabulary);
        return { title, html: itemHtml(random, words, n), n };
      });
      feeds.push({ lang, type, body: new TextEncoder().encode(feedDocument(type, lang, items, now)) });
    });
  }
  return { feeds, brands };
}

export interface WarmUpReport {
  /** Items prepared, over all passes. */
  items: number;
  /** Items per detected language in one pass (the passes are the same polls). */
  languages: Record<string, number>;
  /** Items that matched at least one of the warm-up's brands, over all passes. */
  matched: number;
  ms: number;
}

/**
 * Runs the warm-up polls through `compute.prepare`, the entry a real rss poll takes (read, score,
 * match, serialise), and discards the result. The same entry matters: V8's optimised code
 * assumes the object shapes it has seen, and a warm-up that called the stages with arguments
 * built in another order had `prepareMentions` thrown out and recompiled on the first real polls.
 * The warm-up's brands are a workspace of their own in `compute`'s matcher cache.
 */
export async function warmUp({ compute, now = new Date() }: { compute: IngestCompute; now?: Date }): Promise<WarmUpReport> {
  const started = performance.now();
  const { feeds, brands } = warmUpFeeds(now);
  const brandSet = { workspaceId: 'warm-up', version: '1', brands };
  const report: WarmUpReport = { items: 0, languages: {}, matched: 0, ms: 0 };
  const decoder = new TextDecoder();
  for (let pass = 0; pass < WARM_UP_PASSES; pass++) for (const feed of feeds) {
    const contentType = feed.type === 'atom' ? 'application/atom+xml' : 'application/rss+xml; charset=utf-8';
    const batch = await compute.prepare({
      feed: { body: { bytes: feed.body, contentType }, opts: { feedUrl: `https://warm-up.invalid/${feed.lang}/${feed.type}`, fetchedAt: now } },
      sourceType: 'rss',
      fetchedAt: now,
      isBacklog: false,
      brands: brandSet,
    });
    report.items += batch.size;
    report.matched += batch.matched.length;
    // The languages are read back out of the rows: once is enough, the other passes repeat it.
    if (pass > 0) continue;
    for (const chunk of batch.rows) {
      for (const row of JSON.parse(decoder.decode(chunk)) as Array<{ lang: string | null }>) {
        const lang = row.lang ?? 'und';
        report.languages[lang] = (report.languages[lang] ?? 0) + 1;
      }
    }
  }
  report.ms = performance.now() - started;
  return report;
}
