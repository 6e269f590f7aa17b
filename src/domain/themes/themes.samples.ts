/** Which of a theme's mentions it shows as evidence, for one brand. */
import type { BrandReading } from './themes.readings.js';
import type { ThemeMention } from './themes.types.js';

const timeOf = (m: ThemeMention) => (m.occurredAt instanceof Date ? m.occurredAt.getTime() : Date.parse(m.occurredAt));
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Orders mentions so the most representative of a direction comes first: the strongest score in
 * that direction (unscored last), then the newest, then by id, so equal inputs give equal output.
 * `scoreOf` is the mention's score for the brand (its own clauses' where it shares the post).
 */
function representativeOrder(mentions: readonly ThemeMention[], scoreOf: (i: number) => number | null, direction: number) {
  const strength = (i: number) => {
    const score = scoreOf(i);
    return score === null ? -Infinity : direction === 0 ? Math.abs(score) : direction * score;
  };
  return (a: number, b: number): number => {
    const ma = mentions[a]!;
    const mb = mentions[b]!;
    return strength(b) - strength(a) || timeOf(mb) - timeOf(ma) || byCodeUnits(ma.id, mb.id);
  };
}

/** The first `k` of `items` in `compare` order, without sorting them all. */
function topK(items: readonly number[], compare: (a: number, b: number) => number, k: number): number[] {
  const best: number[] = [];
  for (const item of items) {
    if (best.length === k && compare(item, best[k - 1]!) >= 0) continue;
    let at = best.length === k ? k - 1 : best.length;
    while (at > 0 && compare(item, best[at - 1]!) < 0) {
      best[at] = best[at - 1]!;
      at--;
    }
    best[at] = item;
    if (best.length > k) best.length = k;
  }
  return best;
}

/** A brand's view of the mentions: each one's label and score for the brand. */
export interface BrandView {
  mentions: readonly ThemeMention[];
  labelOf: (i: number) => string;
  scoreOf: (i: number) => number | null;
}

export function brandView(mentions: readonly ThemeMention[], readings: ReadonlyMap<number, BrandReading>): BrandView {
  return {
    mentions,
    labelOf: (i) => readings.get(i)?.label ?? mentions[i]!.label,
    scoreOf: (i) => {
      const own = readings.get(i);
      return own ? own.score : mentions[i]!.sentimentScore;
    },
  };
}

/**
 * Up to `size` ids of `members` (those with `label`, when given), most representative of
 * `direction` first, taking each language's next best in turn (the language with the best one
 * first): a theme said in Czech and English shows both.
 */
export function samples({ mentions, labelOf, scoreOf }: BrandView, members: readonly number[], { direction, size, label }: { direction: number; size: number; label?: string }): string[] {
  const compare = representativeOrder(mentions, scoreOf, direction);
  const byLang = new Map<string, number[]>();
  for (const i of members) {
    if (label !== undefined && labelOf(i) !== label) continue;
    const lang = mentions[i]!.lang ?? '';
    const list = byLang.get(lang);
    if (list) list.push(i);
    else byLang.set(lang, [i]);
  }
  const lists = [...byLang.values()].map((list) => topK(list, compare, size)).sort((a, b) => compare(a[0]!, b[0]!));
  const picked: string[] = [];
  for (let k = 0; picked.length < size && lists.some((list) => k < list.length); k++) {
    for (const list of lists) if (k < list.length && picked.length < size) picked.push(mentions[list[k]!]!.id);
  }
  return picked;
}

