import type { Scorer, SentimentLabel } from '../scoring/scorer.js';
import { attributeClauses, brandNamer, namedTerms } from './themes.clauses.js';
import { readBrandClauses } from './themes.readings.js';
import { brandExclusions, termsOfMention, THEME_DEFAULTS } from './themes.extract.js';

/** A brand as its readings need it: what names it in a clause (its name and query). */
export interface ReadableBrand {
  id: string;
  name: string;
  query: string | null;
}

/** What a post says of one brand. `score` is 0 when `label` is unscored. */
export interface BrandSentiment {
  label: SentimentLabel;
  score: number;
}

/** The brands whose reading is not the post's own, by brand id (stored as mentions.brand_sentiments). */
export type BrandSentiments = Record<string, BrandSentiment>;

/** What a reading needs of a mention: its words, language and the post's own sentiment. */
export interface ReadableMention {
  title: string | null;
  text: string;
  lang: string | null;
  label: SentimentLabel;
  score: number;
}

/**
 * Reads what a post says of each brand it names, for one workspace's brands (as of one version):
 * a post naming two or more of them is cut into clauses, each clause goes to the brands it names,
 * and each brand's clauses are scored on their own (themes.clauses.ts, the SWOT's reading too).
 * Every counter of a brand's sentiment (links, rollups, trends, share of voice, alerts) takes the
 * brand's reading, so "the Lumen app is excellent but the Kofi app is terrible" is praise of Lumen
 * and criticism of Kofi, not one label for both, and so is "switched from Kofi to Lumen" (a switch:
 * themes.switches.ts).
 */
export function createBrandReader(brands: readonly ReadableBrand[], scorer: Pick<Scorer, 'score'>) {
  const slot = new Map(brands.map((brand, i) => [brand.id, i]));
  const namers = brands.map((brand) => brandNamer({ ...brand, role: 'own' }));
  const exclude = brandExclusions(brands.map((brand) => ({ ...brand, role: 'own' })));
  const options = { exclude, maxN: THEME_DEFAULTS.maxN };
  return {
    /**
     * The readings that differ from the post's own; null when none does: a post of one brand, an
     * unscored post, or one whose every clause is about all its brands. A brand id the reader does
     * not know (deleted since) has no reading of its own.
     */
    read(mention: ReadableMention, brandIds: readonly string[]): BrandSentiments | null {
      if (mention.label === 'unscored') return null;
      const known = [...new Set(brandIds)].flatMap((id) => (slot.has(id) ? [slot.get(id)!] : []));
      if (known.length < 2) return null;
      const termsOf = (clause: string) => termsOfMention({ text: clause, lang: mention.lang }, options);
      const parts = attributeClauses(mention, known, namers, termsOf);
      if (parts.every((part) => part.whole)) return null;
      const themeMention = { id: '', brandIds, title: mention.title, text: mention.text, lang: mention.lang, label: mention.label, sentimentScore: mention.score, occurredAt: '' };
      // Every brand's terms: a clause about one brand may name the other it is compared with.
      const ignore = namedTerms(known.map((b) => ({ namer: namers[b]!, name: brands[b]!.name })));
      let readings: BrandSentiments | null = null;
      for (const part of parts) {
        if (part.whole) continue;
        const reading = readBrandClauses(themeMention, part, scorer, ignore);
        const label = reading.label as SentimentLabel;
        const score = reading.score ?? 0;
        if (label === mention.label && Math.fround(score) === Math.fround(mention.score)) continue;
        (readings ??= {})[brands[part.brand]!.id] = { label, score };
      }
      return readings;
    },
  };
}

export type BrandReader = ReturnType<typeof createBrandReader>;

/** A brand's reading of a post: its own where it has one, else the post's. */
export function readingOf(readings: BrandSentiments | null | undefined, brandId: string, post: { label: SentimentLabel; score: number }): BrandSentiment {
  return readings?.[brandId] ?? post;
}
