// The shape of six months of a busy workspace: how many mentions arrive in each hour (a daily
// cycle, quieter weekends, slow growth, day-to-day noise), which brands they name (a few brands
// carry most of the volume, about one mention in ten names two), their sentiment, language and
// hashtags (a Zipf-like vocabulary, plus a handful of tags that rise over the last two weeks).
// Deterministic: the same seed gives the same mentions, so two passes over it agree row for row.
import type { Random } from '../../src/infra/seeded-random.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Relative volume per UTC hour of day: Europe's afternoon and the Americas' morning overlap at 14–17. */
const DIURNAL = [0.42, 0.34, 0.3, 0.3, 0.34, 0.45, 0.62, 0.8, 0.95, 1.05, 1.12, 1.18, 1.22, 1.3, 1.42, 1.5, 1.48, 1.38, 1.25, 1.1, 0.95, 0.8, 0.65, 0.52];
/** Sunday first, as Date#getUTCDay counts. */
const WEEKDAY = [0.66, 1.02, 1.05, 1.04, 1.02, 0.95, 0.7];

export const SOURCE_MIX = [
  { type: 'rss', name: 'news-wire', weight: 0.24 },
  { type: 'rss', name: 'trade-press', weight: 0.12 },
  { type: 'rss', name: 'blogs', weight: 0.09 },
  { type: 'reddit', name: 'reddit', weight: 0.25 },
  { type: 'mastodon', name: 'mastodon', weight: 0.14 },
  { type: 'hackernews', name: 'hackernews', weight: 0.08 },
  { type: 'bluesky', name: 'bluesky', weight: 0.08 },
] as const;

const LANGS: Array<[string | null, number]> = [
  ['en', 0.55],
  ['es', 0.1],
  ['de', 0.09],
  ['fr', 0.07],
  ['pt', 0.05],
  ['cs', 0.04],
  ['it', 0.03],
  [null, 0.07],
];

const PHRASES = {
  positive: ['really happy with the new release', 'great service again today', 'the support team fixed it in minutes', 'best price I found this month'],
  neutral: ['announced new opening hours', 'quarterly figures are out', 'is rolling out the update next week', 'spoke at the conference this morning'],
  negative: ['delivery was late again', 'the app keeps crashing after the update', 'still waiting for my refund', 'prices went up and quality went down'],
  unscored: ['🙂🙂', 'link in bio', '…', 'thread 1/4'],
} as const;

export type Label = keyof typeof PHRASES;

/** A sampler over weighted choices: one uniform draw, a binary search over the cumulative weights. */
export function weighted<T>(items: readonly T[], weights: readonly number[]): (u: number) => T {
  const cumulative: number[] = [];
  let total = 0;
  for (const w of weights) cumulative.push((total += w));
  return (u: number) => {
    const target = u * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return items[lo]!;
  };
}

/** Pronounceable, distinct tag names: index digits in base 12 spelled as syllables. */
function tagName(i: number): string {
  const syllables = ['ka', 'lo', 'mi', 'ta', 'ne', 'ro', 'su', 'vi', 'da', 'pe', 'zu', 'bo'];
  let name = '';
  let n = i + 144; // at least three syllables
  while (n > 0) {
    name += syllables[n % 12];
    n = Math.floor(n / 12);
  }
  return name;
}

export const VOCABULARY = Array.from({ length: 5000 }, (_, i) => tagName(i));
/** Tags that barely exist until two weeks before `end`, then grow exponentially. */
export const RISING = ['launchweek', 'priceshock', 'outagewatch', 'holidaydrop', 'greenlabel', 'recallnews', 'newflavour', 'strikeday'];

export interface Brand {
  id: string;
  name: string;
  keyword: string;
}

export interface GeneratedMention {
  occurredAt: Date;
  sourceIndex: number;
  brands: Brand[];
  label: Label;
  score: number;
  lang: string | null;
  hashtags: string[];
  text: string;
  author: string;
}

export function createModel({ brands, end, days }: { brands: Brand[]; end: Date; days: number }) {
  const endMs = Math.floor(end.getTime() / HOUR_MS) * HOUR_MS;
  const startMs = endMs - days * DAY_MS;
  // Brand i carries weight 1/(i+1): the first has about 28 % of links, the last about 1.4 %.
  const brandWeights = brands.map((_, i) => 1 / (i + 1));
  const pickBrand = weighted(brands, brandWeights);
  const pickSource = weighted(
    SOURCE_MIX.map((_, i) => i),
    SOURCE_MIX.map((s) => s.weight),
  );
  const pickLang = weighted(
    LANGS.map(([l]) => l),
    LANGS.map(([, w]) => w),
  );
  const pickTag = weighted(
    VOCABULARY,
    VOCABULARY.map((_, i) => 1 / (i + 1) ** 1.07),
  );
  const pickRising = weighted(
    RISING,
    RISING.map((_, i) => 1 / (i + 1)),
  );
  // A news story about the fourth brand 40 days ago: three days at four times its usual volume, mostly negative.
  const spike = { brand: brands[3 % brands.length]!, from: endMs - 40 * DAY_MS, to: endMs - 37 * DAY_MS };
  const tone = new Map(brands.map((b, i) => [b.id, { positive: 0.24 + ((i * 7) % 10) / 60, negative: 0.1 + ((i * 3) % 10) / 60 }]));

  return {
    startMs,
    endMs,

    /** Mentions per hour from `startMs`, summing to exactly `total`. */
    hourlyCounts(total: number, random: Random): number[] {
      const hours = days * 24;
      const dayNoise = Array.from({ length: days }, () => Math.exp((random.next() - 0.5) * 0.3));
      const weights = Array.from({ length: hours }, (_, h) => {
        const at = new Date(startMs + h * HOUR_MS);
        return DIURNAL[at.getUTCHours()]! * WEEKDAY[at.getUTCDay()]! * (1 + (0.3 * h) / hours) * dayNoise[Math.floor(h / 24)]!;
      });
      const sum = weights.reduce((a, b) => a + b, 0);
      let running = 0;
      let assigned = 0;
      return weights.map((w) => {
        running += w;
        const upTo = Math.round((running / sum) * total);
        const count = upTo - assigned;
        assigned = upTo;
        return count;
      });
    },

    /** One mention at `atMs`. */
    mention(random: Random, atMs: number): GeneratedMention {
      const inSpike = atMs >= spike.from && atMs < spike.to;
      const first = inSpike && random.chance(0.3) ? spike.brand : pickBrand(random.next());
      const picked = [first];
      if (random.chance(0.1)) {
        let second = pickBrand(random.next());
        while (second === first) second = pickBrand(random.next());
        picked.push(second);
      }
      const t = tone.get(first.id)!;
      const u = random.next();
      const negative = inSpike && first === spike.brand ? 0.55 : t.negative;
      const label: Label = u < 0.06 ? 'unscored' : u < 0.06 + negative ? 'negative' : u < 0.06 + negative + t.positive ? 'positive' : 'neutral';
      const score =
        label === 'positive' ? 0.2 + 0.7 * random.next() : label === 'negative' ? -0.2 - 0.7 * random.next() : label === 'neutral' ? 0.1 * random.next() - 0.05 : 0;
      const tags = new Set<string>();
      const k = random.next();
      const count = k < 0.45 ? 0 : k < 0.75 ? 1 : k < 0.92 ? 2 : 3;
      for (let i = 0; i < count; i++) tags.add(pickTag(random.next()));
      // Rising tags: from nothing two weeks out to about 3 % of mentions in the last hours.
      const daysLeft = (endMs - atMs) / DAY_MS;
      if (daysLeft < 14 && random.chance(0.03 * Math.exp(-daysLeft / 2.5))) tags.add(pickRising(random.next()));
      const hashtags = [...tags];
      const phrase = PHRASES[label][Math.floor(random.next() * 4)]!;
      const others = picked.length > 1 ? ` unlike ${picked[1]!.name}` : '';
      return {
        occurredAt: new Date(atMs),
        sourceIndex: pickSource(random.next()),
        brands: picked,
        label,
        score: Math.round(score * 1e4) / 1e4,
        lang: pickLang(random.next()),
        hashtags,
        text: `${first.name} ${phrase}${others}${hashtags.map((h) => ` #${h}`).join('')}`,
        author: `user${Math.floor(random.next() ** 2 * 200_000)}`,
      };
    },
  };
}

export type Model = ReturnType<typeof createModel>;
