import type { Formatter } from './format.js';
import type { Messages, SampleCount, SourceKinds } from './messages.js';
import type { Compared, SwotMessages, Tally } from './swot.facts.js';

// English, as digests were always written: the other catalogues translate these.

/** Markers a renderer may have put around a name (digest.bidi.ts) take no part in its grammar. */
const endsWithS = (name: string) => name.replace(/[\uFDD0-\uFDD2]/gu, '').endsWith('s');

function swot(f: Formatter, n: (count: number) => string): SwotMessages {
  const across = (side: Tally, count?: string) => {
    const notes = [...(side.scored !== side.mentions ? [`${side.scored} scored`] : []), ...(count ? [count] : [])];
    return `across ${n(side.mentions)}${notes.length ? ` (${notes.join(', ')})` : ''}`;
  };
  // No theme of theirs: fewer mentions on it than a theme needs, which is not none (docs/swot.md).
  const otherSide = (label: string, other: Compared | null, fewerThan: number) => {
    const many = endsWithS(label);
    if (!other) return `; ${label} ${many ? 'have' : 'has'} fewer than ${fewerThan} mentions on it`;
    if (other.net === null) {
      const scored = other.scored === other.mentions ? '' : `, ${other.scored} scored`;
      return `; ${label} ${many ? 'have' : 'has'} ${n(other.mentions)} on it${scored}: too few to compare`;
    }
    return `, against ${f.signed(other.net)} for ${label}`;
  };
  const are = (names: readonly string[]) => (names.length === 1 ? 'is' : 'are');
  const rose = ({ name, previousShare, share }: { name: string; previousShare: number; share: number }) =>
    `${name}'s share of voice rose from ${f.percent(previousShare)} to ${f.percent(share)}${previousShare > 0 ? ` (${(share / previousShare).toFixed(1)}×)` : ''} against the previous period`;
  return {
    own_praised: ({ theme, own, side, competitors, fewerThan }) =>
      `${own} is praised for "${theme}": net sentiment ${f.signed(side.net)} ${across(side, `${side.positive} positive`)}${otherSide('competitors', competitors, fewerThan)}.`,
    own_criticised: ({ theme, own, side, competitors, fewerThan }) =>
      `${own} is criticised for "${theme}": net sentiment ${f.signed(side.net)} ${across(side, `${side.negative} negative`)}${otherSide('competitors', competitors, fewerThan)}.`,
    own_worse: ({ theme, own, side, competitors }) =>
      `${own} trails competitors on "${theme}": net sentiment ${f.signed(side.net)} ${across(side)}, against ${f.signed(competitors.net)} for competitors.`,
    competitors_criticised: ({ theme, names, side, own, ownSide, fewerThan, risingFrom }) =>
      `${f.list(names)} ${are(names)} criticised for "${theme}"${risingFrom !== null ? `, which is rising (${risingFrom} → ${n(side.mentions)})` : ''}: net sentiment ${f.signed(side.net)} ${across(side, `${side.negative} negative`)}${otherSide(own, ownSide, fewerThan)}.`,
    competitors_praised: ({ theme, names, side, own, ownSide, fewerThan }) =>
      `${f.list(names)} ${are(names)} praised for "${theme}": net sentiment ${f.signed(side.net)} ${across(side, `${side.positive} positive`)}${otherSide(own, ownSide, fewerThan)}.`,
    rising: ({ theme, names, mentions, previous, own, fewerThan }) =>
      `"${theme}" is rising for ${f.list(names)} (${previous} → ${n(mentions)}) and ${own} has fewer than ${fewerThan} mentions on it.`,
    share_gain: (facts) => `${rose(facts)}${facts.net === null ? '' : `, with net sentiment ${f.signed(facts.net)} ${across(facts.side)}`}.`,
    share_gain_criticised: (facts) =>
      `${rose(facts)}, on criticism: net sentiment ${f.signed(facts.net)} ${across(facts.side)}. Its unhappy customers are ${facts.own}'s to win.`,
    momentum: ({ own, previous, current, side }) =>
      `${own}'s net sentiment fell from ${f.signed(previous)} to ${f.signed(current)} against the previous period, ${across(side)}.`,
    reason: (facts) => {
      if (facts.reason === 'no_competitors') return 'the workspace has no competitor brands to compare with';
      if (facts.reason === 'own_too_few') return `${facts.own} has ${n(facts.mentions)} in the period; at least ${facts.needed} are needed`;
      return `competitors have ${n(facts.mentions)} in the period; at least ${facts.needed} are needed`;
    },
  };
}

export function en(f: Formatter): Messages {
  const plural = (count: number, word: string) => `${f.count(count)} ${word}${count === 1 ? '' : 's'}`;
  const mentions = (count: number) => plural(count, 'mention');
  const troubleWords = (failing: number, { failing: broken, switchedOff, partlyFailing, recovered }: SourceKinds) => {
    const are = failing === 1 ? 'is' : 'are';
    const kinds = [[broken, 'failing'], [switchedOff, 'switched off'], [partlyFailing, 'partly failing'], [recovered, 'not read for part of the period']] as const;
    const present = kinds.filter(([count]) => count > 0);
    if (present.length > 1) return `${are} not read in full (${present.map(([count, word]) => `${count} ${word}`).join(', ')})`;
    return recovered > 0 ? `${failing === 1 ? 'was' : 'were'} not read for part of the period` : `${are} ${present[0]?.[1] ?? 'failing'}`;
  };
  const sample = ({ read, of }: SampleCount, where: string) => {
    const s = of === 1 ? '' : 's';
    if (read >= of) return `all ${f.grouped(of)} mention${s} ${where}`;
    return read === 0 ? `none of the ${f.grouped(of)} mention${s} ${where}` : `the newest ${f.grouped(read)} of the ${f.grouped(of)} mentions ${where}`;
  };
  return {
    title: (workspace) => `Earshot digest: ${workspace}`,
    subject: ({ workspace, period }) => `Earshot digest for ${workspace}: ${period}`,
    period: ({ first, last, zone }) => `${last === null ? first : `${first} – ${last}`} (${zone})`,
    sections: {
      brands: 'Brands',
      trend: 'Sentiment trend',
      positive: 'Top positive mentions',
      negative: 'Top negative mentions',
      hashtags: 'Trending hashtags',
      keywords: 'Trending keywords',
      alerts: 'Alerts',
      swot: 'SWOT',
    },
    quadrants: { strengths: 'Strengths', weaknesses: 'Weaknesses', opportunities: 'Opportunities', threats: 'Threats' },
    columns: {
      score: 'Score',
      brand: 'Brand',
      published: 'Published',
      mention: 'Mention',
      term: 'Term',
      mentions: 'Mentions',
      previous: 'Previous',
      growth: 'Growth',
      role: 'Role',
      change: 'Change',
      shareOfVoice: 'Share of voice',
      netSentiment: 'Net sentiment',
      fired: 'Fired',
      observed: 'Observed',
      expected: 'Expected',
      day: 'Day',
    },
    roles: { own: 'own', competitor: 'competitor' },
    empty: {
      brands: 'No brands.',
      mentions: 'None in this period.',
      trending: 'Nothing trending.',
      data: 'No data.',
      alerts: 'No alerts fired.',
      items: 'None.',
      itemsShort: 'none',
      text: '(no text)',
      days: 'no days',
    },
    comma: ', ',
    fromZero: 'new',
    mentions,
    mentionsWas: ({ mentions: now, previous, change }) => `${now} (was ${previous}, ${change})`,
    countWas: ({ mentions: now, previous }) => `${now} (was ${previous})`,
    points: (change) => `${change} pts`,
    shareChange: ({ share, points }) => `${share} (${points})`,
    netWas: ({ now, previous, change }) => `${now} (was ${previous}${change === null ? '' : `, ${change}`})`,
    brandLine: ({ name, role, mentions: count, previous, change, share, net }) =>
      `${name} (${role}): ${mentions(count)} (was ${previous}, ${change}), share of voice ${share}, net sentiment ${net}`,
    dayFigure: ({ day, mentions: count, net }) => `${day} ${count} (${net})`,
    brandDays: ({ name, days }) => `${name}: ${days}`,
    mentionLine: ({ score, brand, date, words }) => `${score}  ${brand}, ${date}: ${words}`,
    trendingLine: ({ term, mentions: count, previous, growth }) => `${term}: ${count} (previously ${previous}, ${growth})`,
    alertLine: ({ firedAt, brand, observed, expected, score }) => `${firedAt} ${brand}: ${mentions(observed)} against ${expected} expected (score ${score})`,
    daysIn: ({ zone, cuts }) => `Days in ${zone}${cuts.length ? `: ${cuts.join(', ')}` : ''}.`,
    cutFrom: (time) => `from ${time}`,
    cutUntil: (time) => `until ${time}`,
    partialDay: ({ day, cut }) => `${day} ${cut}`,
    noMentions: 'No mentions of any brand in this period.',
    sources: {
      noneWatching: (added) =>
        `No source was watching this period: the workspace's first was added on ${added}, after it ended, and nothing fetched since from this period named a brand.`,
      noSources: 'The workspace has no sources: nothing was fetched.',
      noneEnabled: (total) => `None of the workspace's ${plural(total, 'source')} is enabled: nothing was fetched.`,
      allFetching: (enabled) => `The workspace's ${enabled === 1 ? 'enabled source fetches' : `${enabled} enabled sources fetch`} without errors: nothing fetched named a brand.`,
      notReadInFull: ({ failing, total, kinds, missing }) =>
        `${failing} of the workspace's ${plural(total, 'source')} ${troubleWords(failing, kinds)}${missing ? `, so this digest may miss mentions from ${failing === 1 ? 'it' : 'them'}` : ''}:`,
      more: (count) => `and ${count} more`,
      source: ({ type, target, state, failures, error, lastSuccess, notRead }) => {
        if (state === 'recovered') return `${type} ${target}: ${notRead ?? ''}`;
        const inARow = `${plural(failures, 'failure')} in a row`;
        const how = state === 'partly_failing' ? 'read in part at its last poll' : state === 'failing' ? inARow : failures > 0 ? `switched off after ${inARow}` : 'switched off';
        return `${type} ${target}: ${how}${error ? ` (${error})` : ''}${lastSuccess ? `; last success ${lastSuccess}` : ''}${notRead ? `; ${notRead}` : ''}`;
      },
      notRead: ({ stretches, more }) =>
        `was not read ${stretches.map((s) => `from ${s.from} to ${s.to} (${s.length})`).join(', and ')}${more ? `; ${more.count} more ${more.count === 1 ? 'stretch' : 'stretches'}, ${more.length} in all` : ''}`,
      minutes: (count) => `${count} min`,
      hours: (count) => `${count} h`,
    },
    notEmailed: 'Not e-mailed: nothing to report, as no brand had a mention in this period or in the one before. Stored, and posted to the digest webhook if one is set.',
    keywordsSample: (count) => `Counted in the newest ${count} mentions of the period and of the equal window before it.`,
    noSwot: 'No own brand: no SWOT.',
    notEnoughData: (reason) => `Not enough data: ${reason}`,
    swotSample: ({ period, before }) => `SWOT themes come from ${sample(period, 'in the period')}${before ? `, and ${sample(before, 'in the window before')}` : ''}.`,
    evidence: ({ mentions: count, scored, net, names, samples }) =>
      `${mentions(count)}${scored === null ? '' : ` (${scored} scored)`}, net ${net}, ${names.join(', ')}${samples.length ? `; sample mentions ${samples.join(', ')}` : ''}`,
    chart: {
      alt: 'Daily mentions and net sentiment per brand',
      partialDay: 'partial day',
      partialDays: ({ cuts, marked }) =>
        `Partial days${marked ? ' (*)' : ''}, shaded in the chart: ${cuts.join(', ')}. They cover only part of a day, so their figures are lower and the lines dip there.`,
      scale: ({ top, max, first, last }) =>
        `Top: mentions per day, on a scale of 0 to ${top} (the most in a day: ${max}). Bottom: net sentiment per day, −1 to +1. Left to right: ${first}${last === null ? '' : ` to ${last}`}, one point a day.`,
      dailyFigures: 'Mentions per day (net sentiment):',
    },
    swot: swot(f, mentions),
  };
}
