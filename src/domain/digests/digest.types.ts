import type { DigestLanguage } from '../i18n/languages.js';
import type { SwotSummaryFacts } from '../i18n/swot.facts.js';
import type { Swot, SwotItem } from '../swot/swot.types.js';

export interface DigestBrand {
  brandId: string;
  name: string;
  role: 'own' | 'competitor' | string;
  mentions: number;
  previousMentions: number;
  /** Share of voice in the period, 0..1. */
  share: number;
  previousShare: number;
  /** netSentiment() of analytics, as share of voice: (positive − negative) / scored mentions; null when none was scored. */
  netSentiment: number | null;
  /** The same in the window before; absent from digests made before it was recorded. */
  previousNetSentiment?: number | null;
  /**
   * netSentiment − previousNetSentiment, in the same unit (+0.10 to +0.25 is 0.15);
   * null when either is null. Absent where previousNetSentiment is.
   */
  netSentimentChange?: number | null;
}

export interface DigestDay {
  /** Local date in the workspace's time zone, YYYY-MM-DD. */
  date: string;
  /**
   * The part of the day inside the period, [since, until): a whole local day but for the first
   * and last, which the period's bounds cut. Absent from documents made before it was recorded.
   */
  since?: string;
  until?: string;
  mentions: number;
  /** As the brand's: over the day's scored mentions. */
  netSentiment: number | null;
}

export interface DigestMention {
  id: string;
  /** In the top mentions, the brand whose reading `score` is (one row per mention and brand). */
  brandId: string;
  url: string | null;
  title: string | null;
  text: string | null;
  /** −1..1: in the top mentions the brand's reading of the post, in SWOT samples the post's. */
  score: number;
  occurredAt: string;
  sourceType?: string;
  /** The post's detected language (ISO 639-1), which sets the direction of its words; absent from older digests. */
  lang?: string | null;
}

export interface DigestTrendingTerm {
  term: string;
  mentions: number;
  previous: number;
  growth: number;
}

export interface DigestAlert {
  id: string;
  brandId: string;
  firedAt: string;
  observed: number;
  expected: number;
  score: number;
}

/**
 * Why a source is not read in full: its last poll failed; it is switched off after failing (by
 * Earshot, after an HTTP 410 or refused credentials, or by hand); its last poll read only part
 * of what it polls (one of a subreddit's listings failed); or it reads now but was not read for
 * part of the period (`recovered`: an outage of it overlapped the period).
 */
export type DigestSourceState = 'failing' | 'disabled' | 'partly_failing' | 'recovered';

/** A stretch of the period a source was not read: from its first failed poll to its next success, cut to the period. */
export interface DigestOutage {
  from: string;
  until: string;
}

/** A source not read in full when the digest was made, or not read for part of its period. */
export interface DigestFailingSource {
  id: string;
  type: string;
  /** What it polls, as its settings say: the feed's URL, the query, r/subreddit, #tag on an instance. */
  target: string;
  /** Absent from digests made before it was recorded, which listed failing and disabled sources only. */
  state?: DigestSourceState;
  consecutiveFailures: number;
  /** The reason, in the poll's words: the error, the part that failed, or why it was switched off. Cut to 300 characters. */
  lastError: string | null;
  lastSucceededAt: string | null;
  enabled: boolean;
  /**
   * The stretches of the period it was not read, oldest first, at most OUTAGES_LISTED; empty
   * when it had none (a source failing since before the period has one, to the period's end).
   * Absent from digests made before they were recorded.
   */
  outages?: DigestOutage[];
  /** How many stretches of the period it was not read, listed or not; absent where `outages` is. */
  outageCount?: number;
  /** Hours of the period it was not read, to a tenth; absent where `outages` is. */
  hoursNotRead?: number;
}

/**
 * The workspace's sources when the digest was made, and their outages over its period, so a
 * reader can tell "nothing was said" from "a source could not be read": the renderings list those
 * not read in full, and for a period
 * without a single mention say how the others fetch. Recorded in every digest; digests made
 * before only in a period without a mention.
 */
export interface DigestSources {
  total: number;
  enabled: number;
  /**
   * How many are not read in full: failing, disabled after failing, partly failing, or read now
   * but not for part of the period (before partly failing sources were counted: failing or
   * disabled; before outages were: not the recovered); `failingSources` lists the first
   * FAILING_LISTED, most failures first, then the partly failing, the recovered last.
   */
  failing: number;
  /** Of `failing`, how many are disabled; absent from older digests. */
  disabled?: number;
  /** Of `failing`, how many are partly failing; absent from older digests. */
  partlyFailing?: number;
  /** Of `failing`, how many read now but were not read for part of the period; absent from older digests. */
  recovered?: number;
  failingSources: DigestFailingSource[];
  /**
   * When the oldest of the sources was added, null without sources: a period that ended before it
   * had no source watching it. Absent from documents made before it was recorded.
   */
  firstAddedAt?: string | null;
}

/**
 * Whether the digest is e-mailed: `queued` to its recipients (each attempt is in its deliveries),
 * or `not_sent`, because it is a scheduled digest with `nothing_to_report` (no brand had a mention
 * in its period nor in the window before), a `preview` (`deliver: false`), the workspace has
 * `no_recipients`, or the server that made it could not send e-mail (`smtp_not_configured`: no
 * SMTP_URL).
 */
export interface DigestEmail {
  status: 'queued' | 'not_sent';
  reason: 'nothing_to_report' | 'preview' | 'no_recipients' | 'smtp_not_configured' | null;
}

/**
 * A SWOT item as a digest keeps it: with its sentence as data (`summaryFacts`), so that it can be
 * written in the digest's language; `summary` stays English, as GET /v1/swot answers. Absent from
 * digests made before it was kept, whose SWOT sentences are shown in English.
 */
export type DigestSwotItem = SwotItem & { summaryFacts?: SwotSummaryFacts };

export type DigestSwot = Omit<Swot, 'strengths' | 'weaknesses' | 'opportunities' | 'threats'> & {
  strengths: DigestSwotItem[];
  weaknesses: DigestSwotItem[];
  opportunities: DigestSwotItem[];
  threats: DigestSwotItem[];
};

/** Everything a digest says, composed once and rendered as JSON, Markdown, HTML or text. */
export interface DigestDocument {
  /**
   * The language the digest was composed in (the workspace's `digestLanguage` then): its
   * renderings and e-mail are written in it unless another is asked for. Absent from digests made
   * before it was recorded, which are read in English. The rest of the document is data, the same
   * in every language.
   */
  language?: DigestLanguage;
  workspace: { id: string; name: string };
  period: { since: string; until: string; timeZone: string };
  generatedAt: string;
  brands: DigestBrand[];
  sentimentTrend: Array<{ brandId: string; days: DigestDay[] }>;
  topPositive: DigestMention[];
  topNegative: DigestMention[];
  trendingHashtags: DigestTrendingTerm[];
  trendingKeywords: DigestTrendingTerm[];
  /**
   * Null when the keywords were counted in every mention of the period and of the window before
   * it; else each of the two was represented by this many of its newest mentions.
   */
  trendingKeywordsSample?: number | null;
  alerts: DigestAlert[];
  /** Null when the workspace has no own brand. */
  swot: DigestSwot | null;
  /**
   * The SWOT evidence's sample mentions that were still stored, so a reader sees their words and
   * follows their links rather than reading ids. Absent from documents made before they were kept.
   */
  swotSamples?: DigestMention[];
  /** Absent from documents made before it was recorded (and, before sources not read in full were listed in every digest, from those of a period with mentions). */
  sources?: DigestSources;
  /** Absent from documents made before it was recorded. */
  email?: DigestEmail;
}
