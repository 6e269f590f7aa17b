import { ARABIC_SCRIPT_WORDS, DEVANAGARI_WORDS, LATIN_WORDS } from '../../domain/language/language.words.js';
import type { BrandSet, IngestCompute } from '../../domain/mentions/compute.js';
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
 * ran ~10 % faster. It costs ~1.1-1.3 s of one core per thread at start, four passes
 * (`npm run bench -- ingest --stages` times it).
 *
 * Optimised code also assumes what it has seen, and throws itself out when a real poll brings
 * something else: so the polls carry what real feeds do (a long feed, three layouts, elements in
 * two orders, items without an author, CamelCase hashtags, capitals, words in another script,
 * two workspaces). Each was a deopt of warmed-up code in a fresh process's first round
 * (`npm run bench -- ingest --node-args=--trace-deopt --env LOG_LEVEL=debug --output FILE`);
 * with them, the pool thread's eager deopts in that round fell from 12-13 to 3, and the CPU of V8's
 * helper threads (mostly compiling) by ~20 µs per item (docs/benchmarks.md).
 *
 * The text is made from the engine's own word lists (the language markers and the sentiment
 * rules), not from any corpus the benchmark serves, and nothing it leaves behind is data: the
 * output is discarded, and the matchers compiled for its brands stay in the thread's cache as
 * two workspaces among up to a thousand. The word memos keep a few thousand of these words, well
 * inside their bounds.
 */

/**
 * Items per language in one pass, in an RSS and an Atom feed. English's RSS feed is a long one,
 * as many real feeds are: past 64 KiB sax checks its buffers and past 1,024 tags the reader checks
 * its time slice, code that a warm-up of short feeds never ran and the first long feed then threw
 * out.
 */
const FEED_ITEMS = { rss: 80, atom: 20 } as const;
const LONG_FEED = { lang: 'en', type: 'rss', items: 200 } as const;
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
/** How the feeds lay out their XML: published feeds come all on one line, one element per line, or indented. */
const LAYOUTS = ['compact', 'lines', 'indented'] as const;
const SEED = 20_261_205;

const LETTERS_ONLY = /^[\p{L}\p{M}]+$/u;
const split = (words: string) => words.split(/\s+/).filter(Boolean);
const capitalised = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

interface Vocabulary {
  /** Marker words (what language detection weighs). */
  markers: string[];
  /** Sentiment words (what scoring weighs). */
  sentiment: string[];
}

function vocabularyOf(lang: string): Vocabulary {
  const markers = [
    ...[...LATIN_WORDS, ...ARABIC_SCRIPT_WORDS].filter(([, langs]) => langs.includes(lang)).map(([word]) => word),
    ...[...DEVANAGARI_WORDS].filter(([, l]) => l === lang).map(([word]) => word),
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
  author: string | null;
}

/**
 * An item's words as people post them. Besides the language's own words: hashtags and handles,
 * CamelCase hashtags, a word in capitals, a word in another script (a brand name in Latin letters
 * inside Hindi text), and now and then a post in capitals throughout. Each is a path through the
 * tokenisers that a warm-up without it leaves cold, and the first real post that takes it throws
 * out code the warm-up optimised (`--trace-deopt` on a fresh process's first round).
 */
function itemText(random: Random, { markers, sentiment }: Vocabulary, foreign: readonly string[]): { title: string; words: string[] } {
  const words: string[] = [];
  const target = random.int(25, 60);
  while (words.length < target) {
    const roll = random.next();
    const word = random.pick(roll < 0.35 ? sentiment : markers);
    if (roll > 0.985) words.push(`#${capitalised(word)}${capitalised(random.pick(markers))}`);
    else if (roll > 0.97) words.push(`#${word}`);
    else if (roll > 0.955) words.push(`@${word}`);
    else if (roll > 0.94) words.push(random.pick(foreign));
    else if (roll > 0.93) words.push(word.toUpperCase());
    else words.push(word);
    if (random.chance(0.08)) words.push(random.pick(['.', ',', '!', '?', '🙂', '😡', ':)']));
  }
  const shouted = random.chance(0.02) ? words.map((w) => w.toUpperCase()) : words;
  return { title: shouted.slice(0, random.int(4, 8)).join(' '), words: shouted };
}

/** The item's body as feeds write it: paragraphs, a link, an entity or two, ending on a word or on punctuation. */
function itemHtml(random: Random, words: string[], n: number): string {
  const cut = random.int(1, words.length - 1);
  const first = words.slice(0, cut).join(' ');
  const second = words.slice(cut).join(' ');
  const end = random.pick(['&#8230;', '.', '', '!']);
  return `<p>${escapeXml(first)} &amp; <a href="/posts/${n}">${escapeXml(random.pick(words))}</a></p><p>${escapeXml(second)}${end}</p>`;
}

/** Joins elements as `layout` lays them out; `depth` is each element's nesting. */
function laidOut(layout: (typeof LAYOUTS)[number], parts: Array<[depth: number, xml: string]>): string {
  if (layout === 'compact') return parts.map(([, xml]) => xml).join('');
  return parts.map(([depth, xml]) => (layout === 'indented' ? '  '.repeat(depth) : '') + xml).join('\n');
}

/**
 * One warm-up feed. Publishers order an item's elements as they like, and the parser builds its
 * objects in document order, so `bodyFirst` puts the body before the link and date, as many
 * feeds do.
 */
function feedDocument(
  { type, layout, bodyFirst }: { type: (typeof FEED_TYPES)[number]; layout: (typeof LAYOUTS)[number]; bodyFirst: boolean },
  lang: string,
  items: WarmItem[],
  now: Date,
): string {
  const at = (n: number) => new Date(now.getTime() - n * 60_000);
  if (type === 'atom') {
    return laidOut(layout, [
      [0, '<?xml version="1.0" encoding="utf-8"?>'],
      [0, '<feed xmlns="http://www.w3.org/2005/Atom">'],
      [1, `<title>warm-up ${lang}</title>`],
      [1, `<id>urn:earshot:warm-up:${lang}</id>`],
      [1, `<updated>${now.toISOString()}</updated>`],
      ...items.flatMap((i): Array<[number, string]> => {
        const body: [number, string] = [2, `<content type="html">${escapeXml(i.html)}</content>`];
        return [
          [1, '<entry>'],
          [2, `<id>urn:earshot:warm-up:${lang}:${i.n}</id>`],
          [2, `<title>${escapeXml(i.title)}</title>`],
          ...(bodyFirst ? [body] : []),
          [2, `<link href="/entries/${i.n}"/>`],
          [2, `<updated>${at(i.n).toISOString()}</updated>`],
          ...(i.author === null ? [] : [[2, `<author><name>${i.author}</name></author>`] as [number, string]]),
          ...(bodyFirst ? [] : [body]),
          [1, '</entry>'],
        ];
      }),
      [0, '</feed>'],
    ]);
  }
  return laidOut(layout, [
    [0, '<?xml version="1.0" encoding="UTF-8"?>'],
    [0, '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'],
    [0, '<channel>'],
    [1, `<title>warm-up ${lang}</title>`],
    [1, '<link>https://warm-up.invalid/</link>'],
    [1, `<description>warm-up polls in ${lang}</description>`],
    ...items.flatMap((i): Array<[number, string]> => {
      const body: [number, string] = [2, `<description>${escapeXml(i.html)}</description>`];
      return [
        [1, '<item>'],
        [2, `<guid isPermaLink="false">warm-up-${lang}-${i.n}</guid>`],
        [2, `<title>${escapeXml(i.title)}</title>`],
        ...(bodyFirst ? [body] : []),
        [2, `<link>/items/${i.n}</link>`],
        [2, `<pubDate>${at(i.n).toUTCString()}</pubDate>`],
        ...(i.author === null ? [] : [[2, `<dc:creator>${i.author}</dc:creator>`] as [number, string]]),
        ...(bodyFirst ? [] : [body]),
        [1, '</item>'],
      ];
    }),
    [0, '</channel>'],
    [0, '</rss>'],
  ]);
}

/** Brand queries of the kinds people write (phrases, hashtags, handles, prefixes, NEAR, exclusions) over `lang`'s words. */
function queriesOf(random: Random, { markers, sentiment }: Vocabulary): string[] {
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
  /** The workspace whose brands the poll is matched against. */
  brands: BrandSet;
}

/**
 * The warm-up's polls: for every language the scorer knows, an RSS and an Atom feed, in turn
 * for one of two workspaces. A real process matches polls of many workspaces, each with its own
 * compiled matcher; a warm-up with one left the call into it specialised to that one, and the
 * first real poll threw `prepareMentions` out ("wrong call target"). Deterministic.
 */
export function warmUpFeeds(now = new Date()): { feeds: WarmUpFeed[]; brandSets: BrandSet[] } {
  const random = createRandom(SEED);
  const langs = [...PROFILE_FACTORIES.keys()];
  const vocabularies = new Map(langs.map((lang) => [lang, vocabularyOf(lang)]));
  const brandSets = ['warm-up-a', 'warm-up-b'].map((workspaceId) => ({ workspaceId, version: '1', brands: [] as Array<{ id: string; name: string; query: string }> }));
  let brandCount = 0;
  const feeds: WarmUpFeed[] = [];
  langs.forEach((lang, l) => {
    const vocabulary = vocabularies.get(lang)!;
    for (const query of queriesOf(random, vocabulary)) brandSets[brandCount % 2]!.brands.push({ id: `warm-up-${brandCount}`, name: `Warm-up ${brandCount++}`, query });
    // Words of a language in another script, as brand names and loanwords turn up in posts.
    const foreign = vocabularies.get(lang === 'en' ? 'hi' : 'en')!.markers;
    let n = 0;
    FEED_TYPES.forEach((type, t) => {
      const long = lang === LONG_FEED.lang && type === LONG_FEED.type;
      const items = Array.from({ length: long ? LONG_FEED.items : FEED_ITEMS[type] }, () => {
        const { title, words } = itemText(random, vocabulary, foreign);
        const author = random.chance(0.1) ? null : `Writer ${n % 7}`;
        return { title, html: itemHtml(random, words, n), n: n++, author };
      });
      const index = 2 * l + t;
      const document = feedDocument({ type, layout: LAYOUTS[index % LAYOUTS.length]!, bodyFirst: l % 2 === 1 }, lang, items, now);
      feeds.push({ lang, type, body: new TextEncoder().encode(document), brands: brandSets[index % 2]! });
    });
  });
  // Items no brand matches are stored unscored, and an item's language is detected only when a
  // brand's `lang:` filter is reached: the first workspace has one made of nothing else, taking
  // every language, so its polls detect and score every item, while the second's take the path
  // most items do.
  brandSets[0]!.brands.push({ id: 'warm-up-languages', name: 'Warm-up languages', query: langs.map((lang) => `lang:${lang}`).join(' OR ') });
  return { feeds, brandSets };
}

export interface WarmUpReport {
  /** Items prepared, over all passes. */
  items: number;
  /** Items per detected language in one pass (the passes are the same polls). */
  languages: Record<string, number>;
  /** Items that matched at least one of the warm-up's brands, over all passes (the ones scored). */
  matched: number;
  ms: number;
}

/**
 * Runs the warm-up polls through `compute.prepare`, the entry a real rss poll takes (read, score,
 * match, serialise), and discards the result. The same entry matters: V8's optimised code
 * assumes the object shapes it has seen, and a warm-up that called the stages with arguments
 * built in another order had `prepareMentions` thrown out and recompiled on the first real polls.
 * The warm-up's brands are two workspaces of their own in `compute`'s matcher cache.
 */
export async function warmUp({ compute, now = new Date() }: { compute: IngestCompute; now?: Date }): Promise<WarmUpReport> {
  const started = performance.now();
  const { feeds } = warmUpFeeds(now);
  const report: WarmUpReport = { items: 0, languages: {}, matched: 0, ms: 0 };
  const decoder = new TextDecoder();
  for (let pass = 0; pass < WARM_UP_PASSES; pass++) for (const feed of feeds) {
    const contentType = feed.type === 'atom' ? 'application/atom+xml' : 'application/rss+xml; charset=utf-8';
    const batch = await compute.prepare({
      feed: { body: { bytes: feed.body, contentType }, opts: { feedUrl: `https://warm-up.invalid/${feed.lang}/${feed.type}`, fetchedAt: now } },
      sourceType: 'rss',
      fetchedAt: now,
      isBacklog: false,
      brands: feed.brands,
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
