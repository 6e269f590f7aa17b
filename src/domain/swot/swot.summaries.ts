import { THEME_DEFAULTS } from '../themes/index.js';

/**
 * One-sentence summaries. The templates are English; the theme is quoted as found, so a theme in
 * any script reads correctly inside the sentence (renderers isolate it with dir="auto").
 */

export const signed = (value: number) => `${value > 0 ? '+' : value < 0 ? '−' : ''}${Math.abs(value).toFixed(2)}`;
const percent = (share: number) => `${(share * 100).toFixed(1)}%`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

interface Side { mentions: number; scored: number; netSentiment: number; positive: number; negative: number }
/** The other side of a comparison; its net sentiment is null when too few of its mentions were scored to judge. */
interface Other { mentions: number; scored: number; netSentiment: number | null }

/**
 * "across 12 mentions (3 negative)"; net sentiment is over the scored mentions, so when some were
 * not scored (a language without a lexicon) the parenthesis says how many were: "(10 scored, 3 negative)".
 */
function across(side: { mentions: number; scored: number }, count?: string): string {
  const notes = [...(side.scored !== side.mentions ? [`${side.scored} scored`] : []), ...(count ? [count] : [])];
  return `across ${plural(side.mentions, 'mention')}${notes.length ? ` (${notes.join(', ')})` : ''}`;
}

function otherSide(label: string, other: Other | undefined): string {
  const many = label.endsWith('s');
  // No theme of theirs: fewer mentions on it than a theme needs, which is not none (docs/swot.md).
  if (!other) return `; ${label} ${many ? 'have' : 'has'} fewer than ${THEME_DEFAULTS.minMentions} mentions on it`;
  if (other.netSentiment === null) {
    const scored = other.scored === other.mentions ? '' : `, ${other.scored} scored`;
    return `; ${label} ${many ? 'have' : 'has'} ${plural(other.mentions, 'mention')} on it${scored}: too few to compare`;
  }
  return `, against ${signed(other.netSentiment)} for ${label}`;
}

/** A competitor's share of voice that rose; `net` is its net sentiment when enough was scored to judge it. */
interface ShareShift {
  name: string;
  previous: number;
  current: number;
  net: number | null;
  side: { mentions: number; scored: number };
}

const rose = ({ name, previous, current }: ShareShift) =>
  `${name}'s share of voice rose from ${percent(previous)} to ${percent(current)}${previous > 0 ? ` (${(current / previous).toFixed(1)}×)` : ''} against the previous period`;

export const summaries = {
  ownPraised: (theme: string, own: string, o: Side, competitors?: Other) =>
    `${own} is praised for "${theme}": net sentiment ${signed(o.netSentiment)} ${across(o, `${o.positive} positive`)}${otherSide('competitors', competitors)}.`,
  ownCriticised: (theme: string, own: string, o: Side, competitors?: Other) =>
    `${own} is criticised for "${theme}": net sentiment ${signed(o.netSentiment)} ${across(o, `${o.negative} negative`)}${otherSide('competitors', competitors)}.`,
  ownWorse: (theme: string, own: string, o: Side, competitors: Side) =>
    `${own} trails competitors on "${theme}": net sentiment ${signed(o.netSentiment)} ${across(o)}, against ${signed(competitors.netSentiment)} for competitors.`,
  /** With `rise`, the theme is also rising (from `rise.previous` mentions), and the sentence says both. */
  competitorsCriticised: (theme: string, names: string[], c: Side, own: string, o?: Other, rise?: { previous: number }) =>
    `${listNames(names)} ${names.length === 1 ? 'is' : 'are'} criticised for "${theme}"${rise ? `, which is rising (${rise.previous} → ${plural(c.mentions, 'mention')})` : ''}: net sentiment ${signed(c.netSentiment)} ${across(c, `${c.negative} negative`)}${otherSide(own, o)}.`,
  competitorsPraised: (theme: string, names: string[], c: Side, own: string, o?: Other) =>
    `${listNames(names)} ${names.length === 1 ? 'is' : 'are'} praised for "${theme}": net sentiment ${signed(c.netSentiment)} ${across(c, `${c.positive} positive`)}${otherSide(own, o)}.`,
  rising: (theme: string, names: string[], current: number, previous: number, own: string) =>
    `"${theme}" is rising for ${listNames(names)} (${previous} → ${plural(current, 'mention')}) and ${own} has fewer than ${THEME_DEFAULTS.minMentions} mentions on it.`,
  shareGain: (shift: ShareShift) => `${rose(shift)}${shift.net === null ? '' : `, with net sentiment ${signed(shift.net)} ${across(shift.side)}`}.`,
  shareGainCriticised: (shift: ShareShift & { net: number }, own: string) =>
    `${rose(shift)}, on criticism: net sentiment ${signed(shift.net)} ${across(shift.side)}. Its unhappy customers are ${own}'s to win.`,
  momentum: (own: string, previous: number, current: number, now: { mentions: number; scored: number }) =>
    `${own}'s net sentiment fell from ${signed(previous)} to ${signed(current)} against the previous period, ${across(now)}.`,
};
