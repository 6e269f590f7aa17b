import { formatterOf, type Formatter } from './format.js';
import type { DigestLanguage } from './languages.js';
import type { SwotMessages } from './swot.facts.js';
import { cs } from './messages.cs.js';
import { en } from './messages.en.js';
import { fa } from './messages.fa.js';
import { gu } from './messages.gu.js';
import { hi } from './messages.hi.js';
import { ne } from './messages.ne.js';
import { ta } from './messages.ta.js';

/**
 * Every sentence, heading and word a digest writes, one catalogue per language. Each language is
 * a function of its Formatter returning `Messages`, so a message missing from one is a compile
 * error. Arguments that are figures arrive formatted (Formatter), with the raw count where a
 * plural depends on it. Names, themes, terms, targets and errors arrive as they are to be shown
 * (renderers may have marked them to isolate their direction: digest.bidi.ts), and are only
 * placed, never changed.
 */
export interface Messages {
  /** The first line, and the HTML page's title. */
  title(workspace: string): string;
  /** The e-mail subject. */
  subject(a: { workspace: string; period: string }): string;
  /** The period's first and last local day (`last` null when one), and its zone. */
  period(a: { first: string; last: string | null; zone: string }): string;
  sections: {
    brands: string;
    trend: string;
    positive: string;
    negative: string;
    hashtags: string;
    keywords: string;
    alerts: string;
    /** The acronym may stay, inside the language's own phrase for the analysis ("SWOT analýza"). */
    swot: string;
  };
  quadrants: { strengths: string; weaknesses: string; opportunities: string; threats: string };
  columns: {
    score: string;
    brand: string;
    published: string;
    mention: string;
    term: string;
    mentions: string;
    previous: string;
    growth: string;
    role: string;
    change: string;
    shareOfVoice: string;
    netSentiment: string;
    fired: string;
    observed: string;
    expected: string;
    day: string;
  };
  /** A brand's role: `own` or `competitor`. */
  roles: { own: string; competitor: string };
  empty: {
    brands: string;
    /** No top mention in the period. */
    mentions: string;
    trending: string;
    data: string;
    alerts: string;
    /** A SWOT quadrant without items. */
    items: string;
    /** The same, in the plain-text list. */
    itemsShort: string;
    /** A mention without words. */
    text: string;
    /** A brand without days in the trend. */
    days: string;
  };
  /** Between the items of a run of figures or names: ", ". */
  comma: string;
  /** A change from zero: "new". */
  fromZero: string;
  /** "1 mention", "12 mentions". */
  mentions(n: number): string;
  /** "28 (was 2, +1300%)" */
  mentionsWas(a: { mentions: string; previous: string; change: string }): string;
  /** "28 (was 2)" */
  countWas(a: { mentions: string; previous: string }): string;
  /** A change of a share in percentage points: "+24.2 pts". */
  points(change: string): string;
  /** "42.4% (+24.2 pts)" */
  shareChange(a: { share: string; points: string }): string;
  /** "+0.40 (was −0.20, +0.60)"; `change` null when one side had nothing scored. */
  netWas(a: { now: string; previous: string; change: string | null }): string;
  /** A brand in the plain-text list. */
  brandLine(a: { name: string; role: string; mentions: number; previous: string; change: string; share: string; net: string }): string;
  /** One day of a brand's trend: "11-09 3 (+0.20)". */
  dayFigure(a: { day: string; mentions: string; net: string }): string;
  /** A brand's days in plain text and Markdown: "Acme: 11-09 3 (+0.20), 11-10 4 (–)". */
  brandDays(a: { name: string; days: string }): string;
  /** A top mention in plain text: "+0.90  Acme, 2026-11-11 10:00: the words". */
  mentionLine(a: { score: string; brand: string; date: string; words: string }): string;
  /** A trending term in plain text: "#term: 12 (previously 3, +300%)". */
  trendingLine(a: { term: string; mentions: string; previous: string; growth: string }): string;
  /** An alert in plain text. */
  alertLine(a: { firedAt: string; brand: string; observed: number; expected: string; score: string }): string;
  /** "Days in Asia/Kolkata: 11-13 from 18:30, 11-20 until 18:30." */
  daysIn(a: { zone: string; cuts: readonly string[] }): string;
  cutFrom(time: string): string;
  cutUntil(time: string): string;
  /** "11-13 from 18:30" */
  partialDay(a: { day: string; cut: string }): string;
  noMentions: string;
  sources: {
    /** The workspace's first source was added after the period ended. */
    noneWatching(added: string): string;
    noSources: string;
    noneEnabled(total: number): string;
    allFetching(enabled: number): string;
    /**
     * "2 of the workspace's 5 sources are failing, so this digest may miss mentions from them:".
     * `kinds` counts the sources not read in full by why; `missing` is false for a period
     * without a single mention, where nothing can be missed.
     */
    notReadInFull(a: { failing: number; total: number; kinds: SourceKinds; missing: boolean }): string;
    /** "and 3 more" sources not listed. */
    more(n: number): string;
    /**
     * One source not read in full: `type` (rss, reddit…) and `target` as shown, then why:
     * `failures` polls failed in a row; `error` the reason; `lastSuccess` when it last read;
     * `notRead` when in the period it was not read (notRead()).
     */
    source(a: {
      type: string;
      target: string;
      state: 'failing' | 'disabled' | 'partly_failing' | 'recovered';
      failures: number;
      error: string | null;
      lastSuccess: string | null;
      notRead: string | null;
    }): string;
    /** "was not read from … to … (52 h), and from … to … (3 h); 2 more stretches, 61 h in all" */
    notRead(a: { stretches: ReadonlyArray<{ from: string; to: string; length: string }>; more: { count: number; length: string } | null }): string;
    minutes(n: string): string;
    hours(n: string): string;
  };
  notEmailed: string;
  keywordsSample(n: string): string;
  noSwot: string;
  notEnoughData(reason: string): string;
  /**
   * Which mentions the SWOT's themes come from, when fewer than all: per window, `read` of `of`.
   * `before` is null when the window before was read in full.
   */
  swotSample(a: { period: SampleCount; before: SampleCount | null }): string;
  /** "12 mentions (10 scored), net −1.00, Beta, Gamma; sample mentions 81, 82" */
  evidence(a: { mentions: number; scored: number | null; net: string; names: readonly string[]; samples: readonly string[] }): string;
  chart: {
    alt: string;
    partialDay: string;
    /** `marked`: the partial days are starred in the table below. */
    partialDays(a: { cuts: readonly string[]; marked: boolean }): string;
    scale(a: { top: string; max: string; first: string; last: string | null }): string;
    dailyFigures: string;
  };
  swot: SwotMessages;
}

export interface SourceKinds {
  failing: number;
  switchedOff: number;
  partlyFailing: number;
  recovered: number;
}

export interface SampleCount {
  read: number;
  of: number;
}

export type Catalogue = (f: Formatter) => Messages;

const CATALOGUES: Record<DigestLanguage, Catalogue> = { en, cs, fa, hi, ne, gu, ta };
const built = new Map<DigestLanguage, Messages>();

export function messagesOf(lang: DigestLanguage): Messages {
  let messages = built.get(lang);
  if (!messages) built.set(lang, (messages = CATALOGUES[lang](formatterOf(lang))));
  return messages;
}
