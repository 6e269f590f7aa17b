import { ALERT_EVENT_TYPE } from '../alerts/incidents.js';

export const MAX_SAMPLE_MENTIONS = 5;
const SAMPLE_TEXT_CHARS = 280;

export type SampleMention = {
  url: string;
  text: string;
  sentiment: number;
  /** The mention's id in Earshot (GET /v1/mentions/{id}). */
  id: string;
  /** Its language (ISO 639-1), null when unsure. */
  lang: string | null;
};

/** On a resolution: the alert it closes, so a receiver can close what that alert opened. */
export type ResolvedAlert = {
  /** The opening alert's id (its webhook-id; GET /v1/alerts). */
  alertId: string;
  /** The start of the first window that fired. */
  startedAt: string;
  /** The window with the most negatives while the incident lasted, as GET /v1/alerts shows the alert; null if that alert is gone. */
  peak: {
    window: { start: string; end: string };
    observed: { negative: number; total: number };
    expected: number;
    score: number;
    reason: 'count' | 'share' | null;
  } | null;
};

export type AlertPayload = {
  type: typeof ALERT_EVENT_TYPE;
  timestamp: string;
  /** For Slack incoming webhooks and anything else that shows one line of text. */
  text: string;
  data: {
    /** The alert rule that raised it. */
    ruleId: string;
    brand: { id: string; name: string };
    window: { start: string; end: string };
    observed: { negative: number; total: number };
    expected: number;
    score: number;
    /** Null on a resolution: no test fired. */
    reason: 'count' | 'share' | null;
    sampleMentions: SampleMention[];
    /** Only on a resolution. */
    resolves?: ResolvedAlert;
  };
};

/** Figures as the payload shows them: two decimals. */
const twoDecimals = (value: number): number => Math.round(value * 100) / 100;

/** Slack reads &, < and > as markup in `text`. */
const slackEscape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const truncate = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/**
 * How many negatives were expected, in words. Quiet hours expect a fraction of one, which one
 * decimal would show as "about 0.0": below 1 it takes two significant digits of the payload's
 * two decimals, and what rounds to 0 is "fewer than 0.01".
 */
export function expectedText(expected: number): string {
  if (expected >= 1) return `about ${expected.toFixed(1)}`;
  if (expected >= 0.01) return `about ${Number(expected.toPrecision(2))}`;
  return 'fewer than 0.01';
}

function summaryText({ brand, window, observed, expected, reason }: AlertPayload['data']): string {
  const minutes = Math.round((Date.parse(window.end) - Date.parse(window.start)) / 60_000);
  const rise =
    reason === 'share'
      ? `${Math.round((observed.negative / observed.total) * 100)} % of ${observed.total} mentions are negative`
      : `${observed.negative} negative mentions where ${expectedText(expected)} were expected`;
  return `:rotating_light: Negative spike for *${slackEscape(brand.name)}*: ${rise} in the ${minutes} minutes to ${window.end}.`;
}

/** The `text` of a resolved alert, its brand name escaped as the opening alert's is. */
export const resolvedText = (brandName: string): string => `Resolved: negative mentions of ${slackEscape(brandName)} are back to normal.`;

/**
 * The `text` of an incident closed because its rule was moved to another brand: the old brand's
 * mentions were not judged back to normal, they are just no longer watched by this rule.
 */
export const closedText = (brandName: string): string =>
  `Resolved: this alert rule no longer watches ${slackEscape(brandName)}, so its incident is closed (not judged back to normal).`;

/** A sample mention's words: its title before its text, unless the text already starts with it (feeds often repeat it). */
export function sampleText(title: string | null, text: string): string {
  const heading = title?.trim();
  return heading && !text.trimStart().startsWith(heading) ? `${heading}: ${text}` : text;
}

/** What a resolution says of the alert it closes, from that alert's stored figures (its peak). */
export function resolvedAlert({
  alertId,
  startedAt,
  peak,
}: {
  alertId: string;
  startedAt: Date;
  peak: { window: { start: Date; end: Date }; observed: number; total: number; expected: number; score: number; reason: 'count' | 'share' | null } | null;
}): ResolvedAlert {
  return {
    alertId,
    startedAt: startedAt.toISOString(),
    peak: peak && {
      window: { start: peak.window.start.toISOString(), end: peak.window.end.toISOString() },
      observed: { negative: peak.observed, total: peak.total },
      expected: twoDecimals(peak.expected),
      score: twoDecimals(peak.score),
      reason: peak.reason,
    },
  };
}

export function buildAlertPayload({
  ruleId,
  brand,
  window,
  observed,
  expected,
  score,
  reason,
  sampleMentions,
  resolves,
  timestamp,
}: {
  ruleId: string;
  brand: { id: string; name: string };
  window: { start: Date; end: Date };
  observed: { negative: number; total: number };
  expected: number;
  score: number;
  reason: 'count' | 'share' | null;
  sampleMentions: readonly SampleMention[];
  resolves?: ResolvedAlert | undefined;
  timestamp: Date;
}): AlertPayload {
  const data: AlertPayload['data'] = {
    ruleId,
    brand: { id: brand.id, name: brand.name },
    window: { start: window.start.toISOString(), end: window.end.toISOString() },
    observed: { negative: observed.negative, total: observed.total },
    expected: twoDecimals(expected),
    score: twoDecimals(score),
    reason,
    sampleMentions: sampleMentions.slice(0, MAX_SAMPLE_MENTIONS).map((m) => ({
      url: m.url,
      text: truncate(m.text, SAMPLE_TEXT_CHARS),
      sentiment: m.sentiment,
      id: m.id,
      lang: m.lang,
    })),
    ...(resolves ? { resolves } : {}),
  };
  return { type: ALERT_EVENT_TYPE, timestamp: timestamp.toISOString(), text: summaryText(data), data };
}
