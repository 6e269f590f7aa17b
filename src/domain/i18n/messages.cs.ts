import type { Formatter } from './format.js';
import type { Messages, SampleCount, SourceKinds } from './messages.js';
import type { Compared, SwotMessages, Tally } from './swot.facts.js';

// Czech. Counted nouns take one form for 1, another for 2–4 and a third for 0 and 5+ (Intl
// PluralRules: one, few, other; `many` is for fractions, which take the genitive singular).
// Figures sit in parentheses and after colons, so that the sentences need no case agreement with
// a number or a brand name of unknown gender ("značka Acme").

const NBSP = '\u00A0';

function swot(f: Formatter, zminky: (n: number) => string): SwotMessages {
  const q = (theme: string) => `„${theme}“`;
  // "(12 zmínek; hodnocené: 10, negativní: 3)"
  const across = (side: Tally, count?: string) => {
    const notes = [...(side.scored !== side.mentions ? [`hodnocené: ${f.count(side.scored)}`] : []), ...(count ? [count] : [])];
    return `(${zminky(side.mentions)}${notes.length ? `; ${notes.join(', ')}` : ''})`;
  };
  const other = (who: string, side: Compared | null, fewerThan: number) => {
    if (!side) return `; ${who} má k tématu méně než ${zminky(fewerThan)}`;
    if (side.net === null) {
      const scored = side.scored === side.mentions ? '' : `, hodnocené: ${f.count(side.scored)}`;
      return `; ${who} má k tématu ${zminky(side.mentions)}${scored}, na srovnání příliš málo`;
    }
    return `, ${who} ${f.signed(side.net)}`;
  };
  const brands = (names: readonly string[]) => `${names.length === 1 ? 'Značka' : 'Značky'} ${f.list(names)}`;
  const rose = ({ name, previousShare, share }: { name: string; previousShare: number; share: number }) =>
    `Podíl hlasu značky ${name} vzrostl oproti předchozímu období z ${f.percent(previousShare)} na ${f.percent(share)}${previousShare > 0 ? ` (${f.fixed(share / previousShare, 1)}×)` : ''}`;
  return {
    own_praised: ({ theme, own, side, competitors, fewerThan }) =>
      `Značka ${own} sklízí chválu za ${q(theme)}: čistý sentiment ${f.signed(side.net)} ${across(side, `pozitivní: ${f.count(side.positive)}`)}${other('konkurence', competitors, fewerThan)}.`,
    own_criticised: ({ theme, own, side, competitors, fewerThan }) =>
      `Značka ${own} čelí kritice kvůli ${q(theme)}: čistý sentiment ${f.signed(side.net)} ${across(side, `negativní: ${f.count(side.negative)}`)}${other('konkurence', competitors, fewerThan)}.`,
    own_worse: ({ theme, own, side, competitors }) =>
      `Značka ${own} je u tématu ${q(theme)} na tom hůř než konkurence: čistý sentiment ${f.signed(side.net)} ${across(side)}, konkurence ${f.signed(competitors.net)}.`,
    competitors_criticised: ({ theme, names, side, own, ownSide, fewerThan, risingFrom }) =>
      `${brands(names)} čelí kritice kvůli ${q(theme)}${risingFrom !== null ? `, téma přitom sílí (${f.count(risingFrom)} → ${zminky(side.mentions)})` : ''}: čistý sentiment ${f.signed(side.net)} ${across(side, `negativní: ${f.count(side.negative)}`)}${other(`značka ${own}`, ownSide, fewerThan)}.`,
    competitors_praised: ({ theme, names, side, own, ownSide, fewerThan }) =>
      `${brands(names)} ${names.length === 1 ? 'sklízí' : 'sklízejí'} chválu za ${q(theme)}: čistý sentiment ${f.signed(side.net)} ${across(side, `pozitivní: ${f.count(side.positive)}`)}${other(`značka ${own}`, ownSide, fewerThan)}.`,
    rising: ({ theme, names, mentions, previous, own, fewerThan }) =>
      `Téma ${q(theme)} sílí u ${names.length === 1 ? 'značky' : 'značek'} ${f.list(names)} (${f.count(previous)} → ${zminky(mentions)}) a značka ${own} k němu má méně než ${zminky(fewerThan)}.`,
    share_gain: (facts) => `${rose(facts)}${facts.net === null ? '' : `, čistý sentiment ${f.signed(facts.net)} ${across(facts.side)}`}.`,
    share_gain_criticised: (facts) =>
      `${rose(facts)}, a to za kritiky: čistý sentiment ${f.signed(facts.net)} ${across(facts.side)}. Její nespokojené zákazníky může získat značka ${facts.own}.`,
    momentum: ({ own, previous, current, side }) =>
      `Čistý sentiment značky ${own} klesl oproti předchozímu období z ${f.signed(previous)} na ${f.signed(current)} ${across(side)}.`,
    reason: (facts) => {
      if (facts.reason === 'no_competitors') return 'pracovní prostor nemá žádné konkurenční značky ke srovnání';
      const needed = `potřeba je alespoň ${f.count(facts.needed)}`;
      if (facts.reason === 'own_too_few') return `značka ${facts.own} má v období ${zminky(facts.mentions)}; ${needed}`;
      return `konkurence má v období ${zminky(facts.mentions)}; ${needed}`;
    },
  };
}

export function cs(f: Formatter): Messages {
  const zminky = (n: number) => {
    const c = f.count(n);
    return f.plural(n, { one: `${c} zmínka`, few: `${c} zmínky`, many: `${c} zmínky`, other: `${c} zmínek` });
  };
  const zdroju = (n: number) => {
    const c = f.count(n);
    return f.plural(n, { one: `${c} zdroje`, few: `${c} zdrojů`, many: `${c} zdroje`, other: `${c} zdrojů` });
  };
  const kinds = ({ failing, switchedOff, partlyFailing, recovered }: SourceKinds) =>
    ([[failing, 'selhávají'], [switchedOff, 'vypnuté'], [partlyFailing, 'selhávají zčásti'], [recovered, 'nečtené po část období']] as const)
      .filter(([n]) => n > 0)
      .map(([n, word]) => `${word}: ${f.count(n)}`)
      .join(', ');
  // "všech 12 zmínek v období", "žádné z 12 zmínek…", "nejnovějších 5 z 12 zmínek…": after "z", the genitive.
  const sample = ({ read, of }: SampleCount, where: string) => {
    const genitive = f.plural(of, { one: `${f.count(of)} zmínky`, other: `${f.count(of)} zmínek` });
    if (read >= of) return of === 1 ? `jediné zmínky ${where}` : `všech ${genitive} ${where}`;
    return read === 0 ? `žádné z ${genitive} ${where}` : `nejnovějších ${f.count(read)} z ${genitive} ${where}`;
  };
  return {
    title: (workspace) => `Přehled Earshot: ${workspace}`,
    subject: ({ workspace, period }) => `Přehled Earshot pro ${workspace}: ${period}`,
    period: ({ first, last, zone }) => `${last === null ? first : `${first} – ${last}`} (${zone})`,
    sections: {
      brands: 'Značky',
      trend: 'Vývoj sentimentu',
      positive: 'Nejpozitivnější zmínky',
      negative: 'Nejnegativnější zmínky',
      hashtags: 'Hashtagy na vzestupu',
      keywords: 'Klíčová slova na vzestupu',
      alerts: 'Upozornění',
      swot: 'SWOT analýza',
    },
    quadrants: { strengths: 'Silné stránky', weaknesses: 'Slabé stránky', opportunities: 'Příležitosti', threats: 'Hrozby' },
    columns: {
      score: 'Skóre',
      brand: 'Značka',
      published: 'Zveřejněno',
      mention: 'Zmínka',
      term: 'Výraz',
      mentions: 'Zmínky',
      previous: 'Dříve',
      growth: 'Růst',
      role: 'Druh',
      change: 'Změna',
      shareOfVoice: 'Podíl hlasu',
      netSentiment: 'Čistý sentiment',
      fired: 'Spuštěno',
      observed: 'Zjištěno',
      expected: 'Očekáváno',
      day: 'Den',
    },
    roles: { own: 'vlastní', competitor: 'konkurent' },
    empty: {
      brands: 'Žádné značky.',
      mentions: 'V tomto období žádné.',
      trending: 'Nic není na vzestupu.',
      data: 'Žádná data.',
      alerts: 'Žádné upozornění nebylo spuštěno.',
      items: 'Žádné.',
      itemsShort: 'žádné',
      text: '(bez textu)',
      days: 'žádné dny',
    },
    comma: ', ',
    fromZero: 'nové',
    mentions: zminky,
    mentionsWas: ({ mentions, previous, change }) => `${mentions} (dříve${NBSP}${previous}, ${change})`,
    countWas: ({ mentions, previous }) => `${mentions} (dříve${NBSP}${previous})`,
    points: (change) => `${change}${NBSP}p.${NBSP}b.`,
    shareChange: ({ share, points }) => `${share} (${points})`,
    netWas: ({ now, previous, change }) => `${now} (dříve${NBSP}${previous}${change === null ? '' : `, ${change}`})`,
    brandLine: ({ name, role, mentions, previous, change, share, net }) =>
      `${name} (${role}): ${zminky(mentions)} (dříve ${previous}, ${change}), podíl hlasu ${share}, čistý sentiment ${net}`,
    dayFigure: ({ day, mentions, net }) => `${day}: ${mentions} (${net})`,
    brandDays: ({ name, days }) => `${name}: ${days}`,
    mentionLine: ({ score, brand, date, words }) => `${score}  ${brand}, ${date}: ${words}`,
    trendingLine: ({ term, mentions, previous, growth }) => `${term}: ${mentions} (dříve ${previous}, ${growth})`,
    alertLine: ({ firedAt, brand, observed, expected, score }) => `${firedAt} ${brand}: ${zminky(observed)}, očekáváno ${expected} (skóre ${score})`,
    daysIn: ({ zone, cuts }) => `Dny v časovém pásmu ${zone}${cuts.length ? `: ${cuts.join(', ')}` : ''}.`,
    cutFrom: (time) => `od ${time}`,
    cutUntil: (time) => `do ${time}`,
    partialDay: ({ day, cut }) => `${day} ${cut}`,
    noMentions: 'V tomto období nebyla zmíněna žádná značka.',
    sources: {
      noneWatching: (added) =>
        `Toto období nesledoval žádný zdroj: první zdroj pracovního prostoru přibyl ${added}, až po jeho konci, a nic, co se od té doby z tohoto období stáhlo, nezmínilo žádnou značku.`,
      noSources: 'Pracovní prostor nemá žádné zdroje: nic se nestahovalo.',
      noneEnabled: (total) =>
        (total === 1 ? 'Jediný zdroj pracovního prostoru je vypnutý: nic se nestahovalo.' : `Žádný z ${zdroju(total)} pracovního prostoru není zapnutý: nic se nestahovalo.`),
      allFetching: (enabled) => {
        const c = f.count(enabled);
        const which = f.plural(enabled, {
          one: 'Zapnutý zdroj pracovního prostoru stahuje bez chyb',
          few: `${c} zapnuté zdroje pracovního prostoru stahují bez chyb`,
          other: `${c} zapnutých zdrojů pracovního prostoru stahuje bez chyb`,
        });
        return `${which}: nic staženého nezmínilo žádnou značku.`;
      },
      notReadInFull: ({ failing, total, kinds: counts, missing }) =>
        `Zdroje, které se nepodařilo přečíst celé: ${f.count(failing)} z ${f.count(total)} (${kinds(counts)})${missing ? '; tomuto přehledu proto mohou chybět zmínky' : ''}:`,
      more: (n) => `a ${f.plural(n, { one: `${f.count(n)} další`, few: `${f.count(n)} další`, other: `${f.count(n)} dalších` })}`,
      source: ({ type, target, state, failures, error, lastSuccess, notRead }) => {
        if (state === 'recovered') return `${type} ${target}: ${notRead ?? ''}`;
        const inARow = `${f.count(failures)}× za sebou`;
        const how = state === 'partly_failing'
          ? 'při posledním stahování přečten jen zčásti'
          : state === 'failing' ? `selhal ${inARow}` : failures > 0 ? `vypnut poté, co selhal ${inARow}` : 'vypnut';
        return `${type} ${target}: ${how}${error ? ` (${error})` : ''}${lastSuccess ? `; naposledy úspěšně ${lastSuccess}` : ''}${notRead ? `; ${notRead}` : ''}`;
      },
      notRead: ({ stretches, more }) =>
        `nečten ${f.list(stretches.map((s) => `od ${s.from} do ${s.to} (${s.length})`))}${more ? `; další úseky: ${f.count(more.count)}, celkem ${more.length}` : ''}`,
      minutes: (n) => `${n}${NBSP}min`,
      hours: (n) => `${n}${NBSP}h`,
    },
    notEmailed: 'Neodesláno e-mailem: není co hlásit, žádná značka nebyla zmíněna v tomto ani v předchozím období. Přehled je uložen a odeslán na webhook přehledů, pokud je nastaven.',
    keywordsSample: (n) => `Spočítáno v ${n} nejnovějších zmínkách z období a ze stejně dlouhého období před ním.`,
    noSwot: 'Žádná vlastní značka: bez SWOT.',
    notEnoughData: (reason) => `Nedostatek dat: ${reason}`,
    swotSample: ({ period, before }) =>
      `Témata SWOT vycházejí z ${sample(period, 'v období')}${before ? ` a z ${sample(before, 'v předchozím období')}` : ''}.`,
    evidence: ({ mentions, scored, net, names, samples }) =>
      `${zminky(mentions)}${scored === null ? '' : ` (hodnocené: ${f.count(scored)})`}, čistý sentiment ${net}, ${names.join(', ')}${samples.length ? `; ukázkové zmínky ${samples.join(', ')}` : ''}`,
    chart: {
      alt: 'Denní počet zmínek a čistý sentiment podle značek',
      partialDay: 'neúplný den',
      partialDays: ({ cuts, marked }) =>
        `Neúplné dny${marked ? ' (*)' : ''}, v grafu podbarvené: ${cuts.join(', ')}. Zahrnují jen část dne, proto mají nižší čísla a křivky v nich klesají.`,
      scale: ({ top, max, first, last }) =>
        `Nahoře: zmínky za den, na stupnici od ${f.count(0)} do ${top} (nejvíce za den: ${max}). Dole: čistý sentiment za den, od ${f.count(-1)} do +${f.count(1)}. Zleva doprava: ${first}${last === null ? '' : ` až ${last}`}, jeden bod za den.`,
      dailyFigures: 'Zmínky za den (čistý sentiment):',
    },
    swot: swot(f, zminky),
  };
}
