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

interface Side { mentions: number; netSentiment: number; positive: number; negative: number }

function otherSide(label: string, other: Side | undefined): string {
  return other ? `, against ${signed(other.netSentiment)} for ${label}` : `; ${label} ${label.endsWith('s') ? 'are' : 'is'} not discussed on it`;
}

export const summaries = {
  ownPraised: (theme: string, own: string, o: Side, competitors?: Side) =>
    `${own} is praised for "${theme}": net sentiment ${signed(o.netSentiment)} across ${plural(o.mentions, 'mention')} (${o.positive} positive)${otherSide('competitors', competitors)}.`,
  ownCriticised: (theme: string, own: string, o: Side, competitors?: Side) =>
    `${own} is criticised for "${theme}": net sentiment ${signed(o.netSentiment)} across ${plural(o.mentions, 'mention')} (${o.negative} negative)${otherSide('competitors', competitors)}.`,
  ownWorse: (theme: string, own: string, o: Side, competitors: Side) =>
    `${own} trails competitors on "${theme}": net sentiment ${signed(o.netSentiment)} across ${plural(o.mentions, 'mention')}, against ${signed(competitors.netSentiment)} for competitors.`,
  competitorsCriticised: (theme: string, names: string[], c: Side, own: string, o?: Side) =>
    `${listNames(names)} ${names.length === 1 ? 'is' : 'are'} criticised for "${theme}": net sentiment ${signed(c.netSentiment)} across ${plural(c.mentions, 'mention')} (${c.negative} negative)${otherSide(own, o)}.`,
  competitorsPraised: (theme: string, names: string[], c: Side, own: string, o?: Side) =>
    `${listNames(names)} ${names.length === 1 ? 'is' : 'are'} praised for "${theme}": net sentiment ${signed(c.netSentiment)} across ${plural(c.mentions, 'mention')} (${c.positive} positive)${otherSide(own, o)}.`,
  rising: (theme: string, names: string[], current: number, previous: number, own: string) =>
    `"${theme}" is rising for ${listNames(names)} (${previous} → ${plural(current, 'mention')}) and ${own} is absent from it.`,
  shareGain: (name: string, previous: number, current: number) =>
    `${name}'s share of voice rose from ${percent(previous)} to ${percent(current)}${previous > 0 ? ` (${(current / previous).toFixed(1)}×)` : ''} against the previous period.`,
  momentum: (own: string, previous: number, current: number, mentions: number) =>
    `${own}'s net sentiment fell from ${signed(previous)} to ${signed(current)} against the previous period, across ${plural(mentions, 'mention')}.`,
};
