import type { Formatter } from './format.js';
import type { Messages, SampleCount, SourceKinds } from './messages.js';
import type { Compared, SwotMessages, Tally } from './swot.facts.js';

// Gujarati: a noun after a number keeps one form ("12 ઉલ્લેખ"), and a brand name, in any script,
// is followed by its postposition written apart ("Acme ની").

function swot(f: Formatter, n: (count: number) => string): SwotMessages {
  const q = (theme: string) => `“${theme}”`;
  // "(12 ઉલ્લેખ; 10 નું મૂલ્યાંકન, 3 નકારાત્મક)"
  const across = (side: Tally, count?: string) => {
    const notes = [...(side.scored !== side.mentions ? [`${f.count(side.scored)} નું મૂલ્યાંકન`] : []), ...(count ? [count] : [])];
    return `(${n(side.mentions)}${notes.length ? `; ${notes.join(', ')}` : ''})`;
  };
  // `who` in its two possessive forms: "સ્પર્ધકોના" (of the mentions), "સ્પર્ધકોની" (of the sentiment).
  const other = (who: { na: string; ni: string }, side: Compared | null, fewerThan: number) => {
    if (!side) return `; આ વિષય પર ${who.na} ${f.count(fewerThan)} થી ઓછા ઉલ્લેખ છે`;
    if (side.net === null) {
      const scored = side.scored === side.mentions ? '' : ` (${f.count(side.scored)} નું મૂલ્યાંકન)`;
      return `; આ વિષય પર ${who.na} ${n(side.mentions)} છે${scored}, જે સરખામણી માટે બહુ ઓછા છે`;
    }
    return `, જ્યારે ${who.ni} ${f.signed(side.net)}`;
  };
  const COMPETITORS = { na: 'સ્પર્ધકોના', ni: 'સ્પર્ધકોની' };
  const ownBrand = (own: string) => ({ na: `${own} ના`, ni: `${own} ની` });
  const rose = ({ name, previousShare, share }: { name: string; previousShare: number; share: number }) =>
    `અગાઉના સમયગાળાની સરખામણીમાં ${name} નો અવાજમાં હિસ્સો ${f.percent(previousShare)} થી વધીને ${f.percent(share)} થયો${previousShare > 0 ? ` (${f.fixed(share / previousShare, 1)} ગણો)` : ''}`;
  return {
    own_praised: ({ theme, own, side, competitors, fewerThan }) =>
      `${q(theme)} માટે ${own} ની પ્રશંસા થઈ રહી છે: ચોખ્ખી ભાવના ${f.signed(side.net)} ${across(side, `${f.count(side.positive)} હકારાત્મક`)}${other(COMPETITORS, competitors, fewerThan)}.`,
    own_criticised: ({ theme, own, side, competitors, fewerThan }) =>
      `${q(theme)} માટે ${own} ની ટીકા થઈ રહી છે: ચોખ્ખી ભાવના ${f.signed(side.net)} ${across(side, `${f.count(side.negative)} નકારાત્મક`)}${other(COMPETITORS, competitors, fewerThan)}.`,
    own_worse: ({ theme, own, side, competitors }) =>
      `${q(theme)} પર ${own} સ્પર્ધકોથી પાછળ છે: ચોખ્ખી ભાવના ${f.signed(side.net)} ${across(side)}, જ્યારે સ્પર્ધકોની ${f.signed(competitors.net)}.`,
    competitors_criticised: ({ theme, names, side, own, ownSide, fewerThan, risingFrom }) =>
      `${q(theme)} માટે ${f.list(names)} ની ટીકા થઈ રહી છે${risingFrom !== null ? `, અને આ વિષય વધી રહ્યો છે (${f.count(risingFrom)} → ${n(side.mentions)})` : ''}: ચોખ્ખી ભાવના ${f.signed(side.net)} ${across(side, `${f.count(side.negative)} નકારાત્મક`)}${other(ownBrand(own), ownSide, fewerThan)}.`,
    competitors_praised: ({ theme, names, side, own, ownSide, fewerThan }) =>
      `${q(theme)} માટે ${f.list(names)} ની પ્રશંસા થઈ રહી છે: ચોખ્ખી ભાવના ${f.signed(side.net)} ${across(side, `${f.count(side.positive)} હકારાત્મક`)}${other(ownBrand(own), ownSide, fewerThan)}.`,
    rising: ({ theme, names, mentions, previous, own, fewerThan }) =>
      `${f.list(names)} માટે ${q(theme)} વધી રહ્યો છે (${f.count(previous)} → ${n(mentions)}), અને આ વિષય પર ${own} ના ${f.count(fewerThan)} થી ઓછા ઉલ્લેખ છે.`,
    share_gain: (facts) => `${rose(facts)}${facts.net === null ? '' : `; ચોખ્ખી ભાવના ${f.signed(facts.net)} ${across(facts.side)}`}.`,
    share_gain_criticised: (facts) =>
      `${rose(facts)}, એ પણ ટીકા વચ્ચે: ચોખ્ખી ભાવના ${f.signed(facts.net)} ${across(facts.side)}. તેના નારાજ ગ્રાહકોને ${facts.own} પોતાની તરફ વાળી શકે છે.`,
    momentum: ({ own, previous, current, side }) =>
      `અગાઉના સમયગાળાની સરખામણીમાં ${own} ની ચોખ્ખી ભાવના ${f.signed(previous)} થી ઘટીને ${f.signed(current)} થઈ ${across(side)}.`,
    reason: (facts) => {
      if (facts.reason === 'no_competitors') return 'વર્કસ્પેસમાં સરખામણી માટે કોઈ સ્પર્ધક બ્રાન્ડ નથી';
      const needed = `ઓછામાં ઓછા ${f.count(facts.needed)} જોઈએ`;
      if (facts.reason === 'own_too_few') return `આ સમયગાળામાં ${facts.own} ના ${n(facts.mentions)} છે; ${needed}`;
      return `આ સમયગાળામાં સ્પર્ધકોના ${n(facts.mentions)} છે; ${needed}`;
    },
  };
}

export function gu(f: Formatter): Messages {
  const n = (count: number) => `${f.count(count)} ઉલ્લેખ`;
  const kinds = ({ failing, switchedOff, partlyFailing, recovered }: SourceKinds) =>
    ([[failing, 'નિષ્ફળ'], [switchedOff, 'બંધ'], [partlyFailing, 'આંશિક રીતે નિષ્ફળ'], [recovered, 'સમયગાળાના અમુક ભાગમાં વંચાયા નથી']] as const)
      .filter(([count]) => count > 0)
      .map(([count, word]) => `${word}: ${f.count(count)}`)
      .join(', ');
  const sample = ({ read, of }: SampleCount, where: string) => {
    if (read >= of) return `${where}ના બધા ${n(of)}`;
    return read === 0 ? `${where}ના ${n(of)}માંથી એક પણ નહીં` : `${where}ના ${n(of)}માંથી સૌથી નવા ${f.count(read)}`;
  };
  return {
    title: (workspace) => `Earshot સારાંશ: ${workspace}`,
    subject: ({ workspace, period }) => `${workspace} માટે Earshot સારાંશ: ${period}`,
    period: ({ first, last, zone }) => `${last === null ? first : `${first} – ${last}`} (${zone})`,
    sections: {
      brands: 'બ્રાન્ડ',
      trend: 'ભાવનાનું વલણ',
      positive: 'સૌથી હકારાત્મક ઉલ્લેખો',
      negative: 'સૌથી નકારાત્મક ઉલ્લેખો',
      hashtags: 'ચર્ચામાં રહેલા હેશટેગ',
      keywords: 'ચર્ચામાં રહેલા કીવર્ડ',
      alerts: 'ચેતવણીઓ',
      swot: 'SWOT વિશ્લેષણ',
    },
    quadrants: { strengths: 'શક્તિઓ', weaknesses: 'નબળાઈઓ', opportunities: 'તકો', threats: 'જોખમો' },
    columns: {
      score: 'સ્કોર',
      brand: 'બ્રાન્ડ',
      published: 'પ્રકાશિત',
      mention: 'ઉલ્લેખ',
      term: 'શબ્દ',
      mentions: 'ઉલ્લેખો',
      previous: 'અગાઉ',
      growth: 'વૃદ્ધિ',
      role: 'ભૂમિકા',
      change: 'ફેરફાર',
      shareOfVoice: 'અવાજમાં હિસ્સો',
      netSentiment: 'ચોખ્ખી ભાવના',
      fired: 'સમય',
      observed: 'નોંધાયા',
      expected: 'અપેક્ષિત',
      day: 'દિવસ',
    },
    roles: { own: 'પોતાની', competitor: 'સ્પર્ધક' },
    empty: {
      brands: 'કોઈ બ્રાન્ડ નથી.',
      mentions: 'આ સમયગાળામાં કોઈ નથી.',
      trending: 'કંઈ ચર્ચામાં નથી.',
      data: 'કોઈ ડેટા નથી.',
      alerts: 'કોઈ ચેતવણી આવી નથી.',
      items: 'કોઈ નથી.',
      itemsShort: 'કોઈ નથી',
      text: '(કોઈ લખાણ નથી)',
      days: 'કોઈ દિવસ નથી',
    },
    comma: ', ',
    fromZero: 'નવું',
    mentions: n,
    mentionsWas: ({ mentions, previous, change }) => `${mentions} (અગાઉ ${previous}, ${change})`,
    countWas: ({ mentions, previous }) => `${mentions} (અગાઉ ${previous})`,
    points: (change) => `${change} ટકાવારી પોઇન્ટ`,
    shareChange: ({ share, points }) => `${share} (${points})`,
    netWas: ({ now, previous, change }) => `${now} (અગાઉ ${previous}${change === null ? '' : `, ${change}`})`,
    brandLine: ({ name, role, mentions, previous, change, share, net }) =>
      `${name} (${role}): ${n(mentions)} (અગાઉ ${previous}, ${change}), અવાજમાં હિસ્સો ${share}, ચોખ્ખી ભાવના ${net}`,
    dayFigure: ({ day, mentions, net }) => `${day}: ${mentions} (${net})`,
    brandDays: ({ name, days }) => `${name}: ${days}`,
    mentionLine: ({ score, brand, date, words }) => `${score}  ${brand}, ${date}: ${words}`,
    trendingLine: ({ term, mentions, previous, growth }) => `${term}: ${mentions} (અગાઉ ${previous}, ${growth})`,
    alertLine: ({ firedAt, brand, observed, expected, score }) => `${firedAt} ${brand}: ${n(observed)}, અપેક્ષિત ${expected} (સ્કોર ${score})`,
    daysIn: ({ zone, cuts }) => `દિવસો ${zone} સમય મુજબ${cuts.length ? `: ${cuts.join(', ')}` : ''}.`,
    cutFrom: (time) => `${time} થી`,
    cutUntil: (time) => `${time} સુધી`,
    partialDay: ({ day, cut }) => `${day} ${cut}`,
    noMentions: 'આ સમયગાળામાં કોઈ બ્રાન્ડનો ઉલ્લેખ થયો નથી.',
    sources: {
      noneWatching: (added) =>
        `આ સમયગાળા પર કોઈ સ્રોત નજર રાખતો ન હતો: વર્કસ્પેસનો પહેલો સ્રોત ${added} ના રોજ, સમયગાળો પૂરો થયા પછી ઉમેરાયો હતો, અને ત્યારથી આ સમયગાળામાંથી લાવેલી કોઈ સામગ્રીમાં બ્રાન્ડનું નામ આવ્યું નથી.`,
      noSources: 'વર્કસ્પેસમાં કોઈ સ્રોત નથી: કંઈ લાવવામાં આવ્યું નથી.',
      noneEnabled: (total) =>
        (total === 1 ? 'વર્કસ્પેસનો એકમાત્ર સ્રોત બંધ છે: કંઈ લાવવામાં આવ્યું નથી.' : `વર્કસ્પેસના ${f.count(total)} સ્રોતોમાંથી એક પણ ચાલુ નથી: કંઈ લાવવામાં આવ્યું નથી.`),
      allFetching: (enabled) =>
        `${enabled === 1 ? 'વર્કસ્પેસનો ચાલુ સ્રોત ભૂલ વિના સામગ્રી લાવે છે' : `વર્કસ્પેસના ${f.count(enabled)} ચાલુ સ્રોતો ભૂલ વિના સામગ્રી લાવે છે`}: લાવેલી કોઈ સામગ્રીમાં બ્રાન્ડનું નામ નથી.`,
      notReadInFull: ({ failing, total, kinds: counts, missing }) =>
        `પૂરેપૂરા વાંચી ન શકાયેલા સ્રોતો: ${f.count(total)}માંથી ${f.count(failing)} (${kinds(counts)})${missing ? '; તેથી આ સારાંશમાં કેટલાક ઉલ્લેખો રહી ગયા હોઈ શકે' : ''}:`,
      more: (count) => `અને બીજા ${f.count(count)}`,
      source: ({ type, target, state, failures, error, lastSuccess, notRead }) => {
        if (state === 'recovered') return `${type} ${target}: ${notRead ?? ''}`;
        const inARow = `સતત ${f.count(failures)} વખત`;
        const how = state === 'partly_failing'
          ? 'છેલ્લી વખત આંશિક રીતે જ વંચાયો'
          : state === 'failing' ? `${inARow} નિષ્ફળ` : failures > 0 ? `${inARow} નિષ્ફળ ગયા પછી બંધ કરાયો` : 'બંધ કરાયો';
        return `${type} ${target}: ${how}${error ? ` (${error})` : ''}${lastSuccess ? `; છેલ્લી સફળતા ${lastSuccess}` : ''}${notRead ? `; ${notRead}` : ''}`;
      },
      notRead: ({ stretches, more }) =>
        `વંચાયો નથી: ${f.list(stretches.map((s) => `${s.from} થી ${s.to} સુધી (${s.length})`))}${more ? `; બીજા ${f.count(more.count)} ગાળા, કુલ ${more.length}` : ''}`,
      minutes: (count) => `${count} મિનિટ`,
      hours: (count) => `${count} કલાક`,
    },
    notEmailed: 'ઇમેઇલ મોકલાયો નથી: જણાવવા જેવું કંઈ નહોતું, કારણ કે આ કે અગાઉના સમયગાળામાં કોઈ બ્રાન્ડનો ઉલ્લેખ થયો નથી. સારાંશ સાચવ્યો છે, અને સારાંશનો વેબહૂક સેટ હોય તો તેના પર મોકલ્યો છે.',
    keywordsSample: (count) => `આ સમયગાળાના અને તેની પહેલાંના એટલા જ લાંબા સમયગાળાના સૌથી નવા ${count} ઉલ્લેખોમાં ગણતરી કરી છે.`,
    noSwot: 'પોતાની કોઈ બ્રાન્ડ નથી: SWOT બન્યું નથી.',
    notEnoughData: (reason) => `પૂરતો ડેટા નથી: ${reason}`,
    swotSample: ({ period, before }) =>
      `SWOT ના વિષયો આમાંથી લીધા છે: ${sample(period, 'આ સમયગાળા')}${before ? `; ${sample(before, 'અગાઉના સમયગાળા')}` : ''}.`,
    evidence: ({ mentions, scored, net, names, samples }) =>
      `${n(mentions)}${scored === null ? '' : ` (${f.count(scored)} નું મૂલ્યાંકન)`}, ચોખ્ખી ભાવના ${net}, ${names.join(', ')}${samples.length ? `; નમૂનાના ઉલ્લેખો ${samples.join(', ')}` : ''}`,
    chart: {
      alt: 'દરેક બ્રાન્ડના રોજના ઉલ્લેખો અને ચોખ્ખી ભાવના',
      partialDay: 'અધૂરો દિવસ',
      partialDays: ({ cuts, marked }) =>
        `અધૂરા દિવસો${marked ? ' (*)' : ''}, ચાર્ટમાં છાયાંકિત: ${cuts.join(', ')}. તે દિવસનો માત્ર અમુક ભાગ આવરે છે, તેથી તેમના આંકડા ઓછા છે અને રેખાઓ ત્યાં નીચે જાય છે.`,
      scale: ({ top, max, first, last }) =>
        `ઉપર: રોજના ઉલ્લેખો, ${f.count(0)} થી ${top} ના માપ પર (એક દિવસમાં સૌથી વધુ: ${max}). નીચે: રોજની ચોખ્ખી ભાવના, ${f.count(-1)} થી +${f.count(1)}. ડાબેથી જમણે: ${first}${last === null ? '' : ` થી ${last}`}, દરેક દિવસ માટે એક બિંદુ.`,
      dailyFigures: 'રોજના ઉલ્લેખો (ચોખ્ખી ભાવના):',
    },
    swot: swot(f, n),
  };
}
