import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { brandExclusions, dropSubsumed, languageFreeKeys, stemmedFirst, termsOfMention, THEME_DEFAULTS } from '../themes/index.js';
import { attributeClauses, brandNamer } from '../themes/themes.clauses.js';
import { isVerdictTerm } from '../themes/themes.extract.js';
import { firstOfEachText } from '../text/fingerprint.js';
import type { BrandRepository, BrandRow } from '../brands/brands.repository.js';
import type { AnalyticsRepository } from './analytics.repository.js';
import { assertComparable, brandNotFound, elapsedWindow, rankTrending, risesAboveNoise, type TermQuery } from './analytics.usecases.js';

/**
 * Mentions read per window for keyword analytics. Term extraction runs in memory, so a window
 * with more mentions is represented by its newest ones; the answer says when that happened.
 */
export const TERMS_SAMPLE = 20_000;

/** `sentiment_label`: with `brand=`, that brand's reading of the post; without, the post's own label. */
type TextRow = { title: string | null; text: string; lang: string | null; sentiment_label: string; brand_ids: string[] };
type Term = ReturnType<typeof termsOfMention>[number];
/** The terms a mention counts with: all of them, or for one brand only those of its clauses. */
type TermsOf = (row: TextRow) => Term[];

/**
 * For one brand's list: a mention that names other brands too counts only the terms of its
 * clauses about this brand (themes.clauses.ts), as the SWOT reads it, so "Lumen is great but the
 * Kofi app keeps crashing" gives Lumen's keywords nothing of Kofi's crashes.
 */
function brandTerms(brands: readonly BrandRow[], brandId: string, exclude: Set<string>): TermsOf {
  const slot = new Map(brands.map((b, i) => [b.id, i]));
  const namers = brands.map(brandNamer);
  const asked = slot.get(brandId)!;
  return (row) => {
    const others = [...new Set(row.brand_ids)].filter((id) => id !== brandId && slot.has(id));
    if (others.length === 0) return termsOfMention(row, { exclude });
    const indices = [asked, ...others.map((id) => slot.get(id)!)];
    const parts = attributeClauses(row, indices, namers, (clause) => termsOfMention({ text: clause, lang: row.lang }, { exclude }));
    return [...(parts.find((part) => part.brand === asked)?.terms ?? [])];
  };
}

/**
 * One mention per text: copies of a post (firstOfEachText) count once in a window, as the newest
 * copy. A text posted three times by a bot, cross-posted by three outlets or replayed by the demo
 * would otherwise put every phrase of it among the keywords rising "3 after 0".
 */
const distinctTexts = <T extends Pick<TextRow, 'title' | 'text'>>(rows: readonly T[]) => firstOfEachText(rows, (row) => row);

/** `forms`: every surface form counted, `langs`: the languages of the mentions counted (trending keywords' verdict test). */
type TermRow = { key: string; term: string; mentions: number; labels: Record<string, number>; forms: ReadonlyMap<string, number>; langs: readonly string[] };
type TermCount = { forms: Map<string, number>; mentions: number; labels: Record<string, number>; langs: string[] };

/**
 * Document frequency per term key in each window, the most frequent surface form shown. The
 * windows are read together, stemmed languages first (languageFreeKeys), so a word counts as one
 * term whatever language its mentions were detected in, and is keyed alike in every window.
 */
async function countTerms(windows: ReadonlyArray<ReadonlyArray<TextRow>>, termsOf: TermsOf): Promise<TermRow[][]> {
  const settle = languageFreeKeys();
  const counts = windows.map(() => new Map<string, TermCount>());
  const orders = windows.map((rows) => stemmedFirst(rows));
  let read = 0;
  for (const part of ['stemmed', 'rest'] as const) {
    for (const [w, rows] of windows.entries()) {
      for (const i of orders[w]![part]) {
        if (++read % 500 === 0) await yieldToLoop();
        const row = rows[i]!;
        for (const { term, key } of settle(termsOf(row), row.lang)) {
          let c = counts[w]!.get(key);
          if (!c) counts[w]!.set(key, (c = { forms: new Map(), mentions: 0, labels: { positive: 0, neutral: 0, negative: 0, unscored: 0 }, langs: [] }));
          c.mentions++;
          if (row.lang && !c.langs.includes(row.lang)) c.langs.push(row.lang);
          c.labels[row.sentiment_label] = (c.labels[row.sentiment_label] ?? 0) + 1;
          c.forms.set(term, (c.forms.get(term) ?? 0) + 1);
        }
      }
    }
  }
  return counts.map((window) =>
    [...window.entries()].map(([key, c]) => ({
      key,
      term: [...c.forms.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0],
      mentions: c.mentions,
      labels: c.labels,
      forms: c.forms,
      langs: c.langs,
    })),
  );
}

/**
 * The brands' names and query terms are left out whichever brand is asked for: a competitor's name
 * in your own mentions says who you are compared with, which share of voice already tells, and
 * would otherwise top your keywords (as the workspace's list and the SWOT leave them out too).
 */
async function scope(workspaceId: string, brandId: string | undefined, brandRepository: BrandRepository): Promise<{ termsOf: TermsOf }> {
  const all = await brandRepository.all(workspaceId);
  if (brandId && !all.some((b) => b.id === brandId)) throw brandNotFound();
  const exclude = brandExclusions(all);
  return { termsOf: brandId ? brandTerms(all, brandId, exclude) : (row) => termsOfMention(row, { exclude }) };
}

/**
 * A verdict ("great", "hrozné", "अच्छी", "عالی") says how people feel, which the sentiment figures
 * tell, not what they talk about: left out as the SWOT leaves it out of themes (isVerdictTerm), in
 * the languages of the term's mentions. Phrases holding one stay ("great value").
 */
const isVerdict = (t: Pick<TermRow, 'forms' | 'langs'>) => [...t.forms.keys()].some((form) => isVerdictTerm(form, t.langs));

export async function trendingKeywords({ workspaceId, brandId, limit, now = new Date(), brandRepository, analyticsRepository, ...asked }: TermQuery) {
  const { termsOf } = await scope(workspaceId, brandId, brandRepository);
  const window = elapsedWindow(asked.since, asked.until, now);
  if (!window) return { since: asked.since.toISOString(), until: asked.until.toISOString(), sampled: false, items: [] };
  const { since, until } = window;
  assertComparable(since, until);
  const span = until.getTime() - since.getTime();
  const [current, previous] = await Promise.all([
    analyticsRepository.texts({ workspaceId, brandId, since, until, limit: TERMS_SAMPLE }),
    analyticsRepository.texts({ workspaceId, brandId, since: new Date(since.getTime() - span), until: since, limit: TERMS_SAMPLE }),
  ]);
  const [counted, before] = (await countTerms([await distinctTexts(current), await distinctTexts(previous)], termsOf)) as [TermRow[], TermRow[]];
  // By stem key, so "delays" now and "delay" before are one term rising, not a new one.
  const previousByKey = new Map(before.map((t) => [t.key, t.mentions]));
  const rising = counted
    .map((t) => ({ ...t, current: t.mentions, previous: previousByKey.get(t.key) ?? 0 }))
    .filter((t) => risesAboveNoise(t) && !isVerdict(t));
  // "loyalty card" rising, and "loyalty" and "card" in the same mentions, are one topic, not three.
  const topics = dropSubsumed(rising, { key: (t) => t.key, count: (t) => t.current, share: THEME_DEFAULTS.subsumeShare });
  return {
    since: since.toISOString(),
    until: until.toISOString(),
    sampled: current.length >= TERMS_SAMPLE || previous.length >= TERMS_SAMPLE,
    items: rankTrending(topics, limit),
  };
}

export async function topTerms({
  workspaceId,
  brandId,
  sentiment,
  since,
  until,
  limit,
  brandRepository,
  analyticsRepository,
}: TermQuery & { sentiment?: 'positive' | 'neutral' | 'negative' | 'unscored' | undefined }) {
  const { termsOf } = await scope(workspaceId, brandId, brandRepository);
  const rows = await analyticsRepository.texts({ workspaceId, brandId, sentiment, since, until, limit: TERMS_SAMPLE });
  const texts = await distinctTexts(rows);
  const [terms] = (await countTerms([texts], termsOf)) as [TermRow[]];
  return {
    since: since.toISOString(),
    until: until.toISOString(),
    mentions: rows.length,
    texts: texts.length,
    sampled: rows.length >= TERMS_SAMPLE,
    items: dropSubsumed(terms, { key: (t) => t.key, count: (t) => t.mentions, share: THEME_DEFAULTS.subsumeShare })
      .sort((a, b) => b.mentions - a.mentions || (a.term < b.term ? -1 : 1))
      .slice(0, limit)
      .map((t) => ({
        term: t.term,
        mentions: t.mentions,
        positive: t.labels.positive ?? 0,
        neutral: t.labels.neutral ?? 0,
        negative: t.labels.negative ?? 0,
        unscored: t.labels.unscored ?? 0,
      })),
  };
}
