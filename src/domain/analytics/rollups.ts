import type { SentimentLabel } from '../scoring/scorer.js';
import { hashtagKey, precedesInCodePoints } from './hashtag-key.js';

/** One mention's contribution to one brand's rollups; `sign` −1 takes it back out. */
export interface RollupEntry {
  brandId: string;
  occurredAt: Date;
  sourceType: string;
  lang: string | null;
  label: SentimentLabel;
  score: number;
  hashtags: readonly string[];
  sign: 1 | -1;
}

export interface RollupDelta {
  brandId: string;
  hour: Date;
  sourceType: string;
  lang: string;
  mentions: number;
  positive: number;
  neutral: number;
  negative: number;
  unscored: number;
  scoreSum: number;
}

export interface HashtagDelta {
  brandId: string;
  day: string;
  tag: string;
  mentions: number;
}

/**
 * A mention entering the workspace's matched mentions (stored with a brand, or given its first
 * one: `sign` 1) or leaving them (its last brand gone: −1). Workspace-wide counts change only
 * then, so a mention counts once however many brands it has.
 */
export interface MatchedEntry {
  occurredAt: Date;
  hashtags: readonly string[];
  sign: 1 | -1;
}

export interface WorkspaceHashtagDelta {
  day: string;
  tag: string;
  mentions: number;
}

const HOUR = 3_600_000;

/**
 * The spellings of a mention's hashtags that its counts go to: one per tag as trending merges
 * them (`hashtagKey`: ZWNJ or not, Arabic or Persian letters, Latin diacritics or not…), so a
 * mention holding `#ایران‌خودرو` and `#ايرانخودرو`, or `#káva` and `#kava`, counts once for that
 * tag, not once per spelling. The spelling kept is the lowest in code-point order, not the first
 * written: it depends only on the set of tags, so taking a mention out (sign −1, from its stored
 * row) removes exactly what putting it in added, and the migrations that took the other spellings
 * of stored mentions out chose the same (`min(tag collate "C")`: 0014 by search form, 0025 by
 * this key). Nearly every mention has at most one tag and costs nothing more.
 */
export function countedSpellings(tags: readonly string[]): readonly string[] {
  if (tags.length < 2) return tags;
  const kept = new Map<string, string>();
  for (const tag of tags) {
    const key = hashtagKey(tag);
    const spelling = kept.get(key);
    if (spelling === undefined || precedesInCodePoints(tag, spelling)) kept.set(key, tag);
  }
  return kept.size === tags.length ? tags : [...kept.values()];
}

const byKey = <T>(m: Map<string, T>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);

/**
 * Aggregates entries into rollup deltas, sorted by primary key so that concurrent transactions
 * lock rollup rows in the same order (no deadlocks between two ingests of one brand).
 */
export function rollupDeltas(entries: readonly RollupEntry[]): { rollups: RollupDelta[]; hashtags: HashtagDelta[] } {
  const rollups = new Map<string, RollupDelta>();
  const hashtags = new Map<string, HashtagDelta>();
  for (const e of entries) {
    const hour = new Date(Math.floor(e.occurredAt.getTime() / HOUR) * HOUR);
    const lang = e.lang ?? '';
    const key = `${e.brandId}|${hour.toISOString()}|${e.sourceType}|${lang}`;
    let d = rollups.get(key);
    if (!d) {
      d = { brandId: e.brandId, hour, sourceType: e.sourceType, lang, mentions: 0, positive: 0, neutral: 0, negative: 0, unscored: 0, scoreSum: 0 };
      rollups.set(key, d);
    }
    d.mentions += e.sign;
    d[e.label] += e.sign;
    if (e.label !== 'unscored') d.scoreSum += e.sign * e.score;
    const day = hour.toISOString().slice(0, 10);
    for (const tag of countedSpellings(e.hashtags)) {
      const hk = `${e.brandId}|${day}|${tag}`;
      const h = hashtags.get(hk) ?? { brandId: e.brandId, day, tag, mentions: 0 };
      h.mentions += e.sign;
      hashtags.set(hk, h);
    }
  }
  const nonZero = (d: RollupDelta) => d.mentions !== 0 || d.positive !== 0 || d.neutral !== 0 || d.negative !== 0 || d.unscored !== 0 || d.scoreSum !== 0;
  return { rollups: byKey(rollups).filter(nonZero), hashtags: byKey(hashtags).filter((h) => h.mentions !== 0) };
}

/** The workspace's hashtag deltas per UTC day and tag, sorted by key like the brands' (same lock order). */
export function workspaceHashtagDeltas(entries: readonly MatchedEntry[]): WorkspaceHashtagDelta[] {
  const deltas = new Map<string, WorkspaceHashtagDelta>();
  for (const e of entries) {
    const day = e.occurredAt.toISOString().slice(0, 10);
    for (const tag of countedSpellings(e.hashtags)) {
      const key = `${day}|${tag}`;
      const d = deltas.get(key) ?? { day, tag, mentions: 0 };
      d.mentions += e.sign;
      deltas.set(key, d);
    }
  }
  return byKey(deltas).filter((d) => d.mentions !== 0);
}
