import type { Formatter } from './format.js';
import type { Messages, SampleCount, SourceKinds } from './messages.js';
import type { Compared, SwotMessages, Tally } from './swot.facts.js';

// Tamil: "குறிப்பு" for one mention, "குறிப்புகள்" for more (Intl PluralRules: one, other). A
// brand name, in any script, takes its case ending written apart ("Acme க்கு"), as Tamil writes
// the endings of foreign names.

function swot(f: Formatter, n: (count: number) => string): SwotMessages {
  const q = (theme: string) => `“${theme}”`;
  // "(12 குறிப்புகள்; 10 மதிப்பிடப்பட்டவை, 3 எதிர்மறை)"
  const across = (side: Tally, count?: string) => {
    const notes = [...(side.scored !== side.mentions ? [`${f.count(side.scored)} மதிப்பிடப்பட்டவை`] : []), ...(count ? [count] : [])];
    return `(${n(side.mentions)}${notes.length ? `; ${notes.join(', ')}` : ''})`;
  };
  // `who` with its dative ending: "போட்டியாளர்களுக்கு", "Acme க்கு".
  // The verb agrees with the count: "1 குறிப்பு உள்ளது", "3 குறிப்புகள் உள்ளன".
  const there = (count: number) => `${n(count)} ${f.plural(count, { one: 'உள்ளது', other: 'உள்ளன' })}`;
  const other = (toWho: string, side: Compared | null, fewerThan: number) => {
    if (!side) return `; இந்தத் தலைப்பில் ${toWho} ${f.count(fewerThan)} க்கும் குறைவான குறிப்புகளே உள்ளன`;
    if (side.net === null) {
      const scored = side.scored === side.mentions ? '' : ` (${f.count(side.scored)} மதிப்பிடப்பட்டவை)`;
      return `; இந்தத் தலைப்பில் ${toWho} ${there(side.mentions)}${scored}, ஒப்பிட இது போதாது`;
    }
    return `, ${toWho} ${f.signed(side.net)}`;
  };
  const COMPETITORS = 'போட்டியாளர்களுக்கு';
  const to = (own: string) => `${own} க்கு`;
  const passive = (names: readonly string[], one: string, more: string) => (names.length === 1 ? one : more);
  const rose = ({ name, previousShare, share }: { name: string; previousShare: number; share: number }) =>
    `முந்தைய காலத்துடன் ஒப்பிடுகையில் ${name} இன் குரல் பங்கு ${f.percent(previousShare)} இலிருந்து ${f.percent(share)} ஆக உயர்ந்தது${previousShare > 0 ? ` (${f.fixed(share / previousShare, 1)} மடங்கு)` : ''}`;
  return {
    own_praised: ({ theme, own, side, competitors, fewerThan }) =>
      `${q(theme)} க்காக ${own} பாராட்டப்படுகிறது: நிகர உணர்வு ${f.signed(side.net)} ${across(side, `${f.count(side.positive)} நேர்மறை`)}${other(COMPETITORS, competitors, fewerThan)}.`,
    own_criticised: ({ theme, own, side, competitors, fewerThan }) =>
      `${q(theme)} க்காக ${own} விமர்சிக்கப்படுகிறது: நிகர உணர்வு ${f.signed(side.net)} ${across(side, `${f.count(side.negative)} எதிர்மறை`)}${other(COMPETITORS, competitors, fewerThan)}.`,
    own_worse: ({ theme, own, side, competitors }) =>
      `${q(theme)} இல் ${own} போட்டியாளர்களை விடப் பின்தங்கியுள்ளது: நிகர உணர்வு ${f.signed(side.net)} ${across(side)}, போட்டியாளர்களுக்கு ${f.signed(competitors.net)}.`,
    competitors_criticised: ({ theme, names, side, own, ownSide, fewerThan, risingFrom }) =>
      `${q(theme)} க்காக ${f.list(names)} ${passive(names, 'விமர்சிக்கப்படுகிறது', 'விமர்சிக்கப்படுகின்றன')}${risingFrom !== null ? `; இந்தத் தலைப்பு வளர்ந்து வருகிறது (${f.count(risingFrom)} → ${n(side.mentions)})` : ''}: நிகர உணர்வு ${f.signed(side.net)} ${across(side, `${f.count(side.negative)} எதிர்மறை`)}${other(to(own), ownSide, fewerThan)}.`,
    competitors_praised: ({ theme, names, side, own, ownSide, fewerThan }) =>
      `${q(theme)} க்காக ${f.list(names)} ${passive(names, 'பாராட்டப்படுகிறது', 'பாராட்டப்படுகின்றன')}: நிகர உணர்வு ${f.signed(side.net)} ${across(side, `${f.count(side.positive)} நேர்மறை`)}${other(to(own), ownSide, fewerThan)}.`,
    rising: ({ theme, names, mentions, previous, own, fewerThan }) =>
      `${f.list(names)} க்கு ${q(theme)} வளர்ந்து வருகிறது (${f.count(previous)} → ${n(mentions)}); இதில் ${to(own)} ${f.count(fewerThan)} க்கும் குறைவான குறிப்புகளே உள்ளன.`,
    share_gain: (facts) => `${rose(facts)}${facts.net === null ? '' : `; நிகர உணர்வு ${f.signed(facts.net)} ${across(facts.side)}`}.`,
    share_gain_criticised: (facts) =>
      `${rose(facts)}, அதுவும் விமர்சனங்களுக்கு இடையே: நிகர உணர்வு ${f.signed(facts.net)} ${across(facts.side)}. அதன் அதிருப்தியான வாடிக்கையாளர்களை ${facts.own} தன் பக்கம் ஈர்க்கலாம்.`,
    momentum: ({ own, previous, current, side }) =>
      `முந்தைய காலத்துடன் ஒப்பிடுகையில் ${own} இன் நிகர உணர்வு ${f.signed(previous)} இலிருந்து ${f.signed(current)} ஆகக் குறைந்தது ${across(side)}.`,
    reason: (facts) => {
      if (facts.reason === 'no_competitors') return 'ஒப்பிடுவதற்குப் பணியிடத்தில் போட்டி பிராண்டுகள் இல்லை';
      const needed = `குறைந்தது ${f.count(facts.needed)} தேவை`;
      if (facts.reason === 'own_too_few') return `இந்தக் காலத்தில் ${to(facts.own)} ${there(facts.mentions)}; ${needed}`;
      return `இந்தக் காலத்தில் போட்டியாளர்களுக்கு ${there(facts.mentions)}; ${needed}`;
    },
  };
}

export function ta(f: Formatter): Messages {
  const n = (count: number) => f.plural(count, { one: `${f.count(count)} குறிப்பு`, other: `${f.count(count)} குறிப்புகள்` });
  const kinds = ({ failing, switchedOff, partlyFailing, recovered }: SourceKinds) =>
    ([[failing, 'தோல்வி'], [switchedOff, 'நிறுத்தப்பட்டவை'], [partlyFailing, 'பகுதியளவு தோல்வி'], [recovered, 'காலத்தின் ஒரு பகுதியில் படிக்கப்படாதவை']] as const)
      .filter(([count]) => count > 0)
      .map(([count, word]) => `${word}: ${f.count(count)}`)
      .join(', ');
  // "…12 குறிப்புகளில்": in (out of) so many mentions.
  const inN = (count: number) => f.plural(count, { one: `${f.count(count)} குறிப்பில்`, other: `${f.count(count)} குறிப்புகளில்` });
  const sample = ({ read, of }: SampleCount, where: string) => {
    if (read >= of) return `${where} அனைத்து ${n(of)}`;
    return read === 0 ? `${where} ${inN(of)} எதுவும் இல்லை` : `${where} ${inN(of)} மிகப் புதிய ${f.count(read)}`;
  };
  return {
    title: (workspace) => `Earshot சுருக்கம்: ${workspace}`,
    subject: ({ workspace, period }) => `Earshot சுருக்கம் (${workspace}): ${period}`,
    period: ({ first, last, zone }) => `${last === null ? first : `${first} – ${last}`} (${zone})`,
    sections: {
      brands: 'பிராண்டுகள்',
      trend: 'உணர்வுப் போக்கு',
      positive: 'மிக நேர்மறையான குறிப்புகள்',
      negative: 'மிக எதிர்மறையான குறிப்புகள்',
      hashtags: 'பிரபலமாகும் ஹேஷ்டேக்குகள்',
      keywords: 'பிரபலமாகும் முக்கியச் சொற்கள்',
      alerts: 'எச்சரிக்கைகள்',
      swot: 'SWOT பகுப்பாய்வு',
    },
    quadrants: { strengths: 'பலங்கள்', weaknesses: 'பலவீனங்கள்', opportunities: 'வாய்ப்புகள்', threats: 'அச்சுறுத்தல்கள்' },
    columns: {
      score: 'மதிப்பெண்',
      brand: 'பிராண்ட்',
      published: 'வெளியானது',
      mention: 'குறிப்பு',
      term: 'சொல்',
      mentions: 'குறிப்புகள்',
      previous: 'முன்பு',
      growth: 'வளர்ச்சி',
      role: 'வகை',
      change: 'மாற்றம்',
      shareOfVoice: 'குரல் பங்கு',
      netSentiment: 'நிகர உணர்வு',
      fired: 'நேரம்',
      observed: 'கண்டவை',
      expected: 'எதிர்பார்த்தவை',
      day: 'நாள்',
    },
    roles: { own: 'சொந்தம்', competitor: 'போட்டியாளர்' },
    empty: {
      brands: 'பிராண்டுகள் இல்லை.',
      mentions: 'இந்தக் காலத்தில் எதுவும் இல்லை.',
      trending: 'எதுவும் பிரபலமாகவில்லை.',
      data: 'தரவு இல்லை.',
      alerts: 'எச்சரிக்கை எதுவும் எழவில்லை.',
      items: 'எதுவும் இல்லை.',
      itemsShort: 'எதுவும் இல்லை',
      text: '(உரை இல்லை)',
      days: 'நாட்கள் இல்லை',
    },
    comma: ', ',
    fromZero: 'புதியது',
    mentions: n,
    mentionsWas: ({ mentions, previous, change }) => `${mentions} (முன்பு ${previous}, ${change})`,
    countWas: ({ mentions, previous }) => `${mentions} (முன்பு ${previous})`,
    points: (change) => `${change} சதவீதப் புள்ளிகள்`,
    shareChange: ({ share, points }) => `${share} (${points})`,
    netWas: ({ now, previous, change }) => `${now} (முன்பு ${previous}${change === null ? '' : `, ${change}`})`,
    brandLine: ({ name, role, mentions, previous, change, share, net }) =>
      `${name} (${role}): ${n(mentions)} (முன்பு ${previous}, ${change}), குரல் பங்கு ${share}, நிகர உணர்வு ${net}`,
    dayFigure: ({ day, mentions, net }) => `${day}: ${mentions} (${net})`,
    brandDays: ({ name, days }) => `${name}: ${days}`,
    mentionLine: ({ score, brand, date, words }) => `${score}  ${brand}, ${date}: ${words}`,
    trendingLine: ({ term, mentions, previous, growth }) => `${term}: ${mentions} (முன்பு ${previous}, ${growth})`,
    alertLine: ({ firedAt, brand, observed, expected, score }) => `${firedAt} ${brand}: ${n(observed)}, எதிர்பார்த்தது ${expected} (மதிப்பெண் ${score})`,
    daysIn: ({ zone, cuts }) => `நாட்கள் ${zone} நேரப்படி${cuts.length ? `: ${cuts.join(', ')}` : ''}.`,
    cutFrom: (time) => `${time} முதல்`,
    cutUntil: (time) => `${time} வரை`,
    partialDay: ({ day, cut }) => `${day} ${cut}`,
    noMentions: 'இந்தக் காலத்தில் எந்தப் பிராண்டும் குறிப்பிடப்படவில்லை.',
    sources: {
      noneWatching: (added) =>
        `இந்தக் காலத்தை எந்த மூலமும் கண்காணிக்கவில்லை: பணியிடத்தின் முதல் மூலம் ${added} அன்று, காலம் முடிந்த பிறகே சேர்க்கப்பட்டது; அதன் பிறகு இந்தக் காலத்திலிருந்து பெறப்பட்ட எதிலும் பிராண்டின் பெயர் இல்லை.`,
      noSources: 'பணியிடத்தில் மூலங்கள் இல்லை: எதுவும் பெறப்படவில்லை.',
      noneEnabled: (total) =>
        (total === 1 ? 'பணியிடத்தின் ஒரே மூலம் நிறுத்தப்பட்டுள்ளது: எதுவும் பெறப்படவில்லை.' : `பணியிடத்தின் ${f.count(total)} மூலங்களில் எதுவும் இயக்கத்தில் இல்லை: எதுவும் பெறப்படவில்லை.`),
      allFetching: (enabled) =>
        `${enabled === 1 ? 'பணியிடத்தின் இயக்கத்திலுள்ள மூலம் பிழையின்றிப் பெறுகிறது' : `பணியிடத்தின் இயக்கத்திலுள்ள ${f.count(enabled)} மூலங்கள் பிழையின்றிப் பெறுகின்றன`}: பெறப்பட்ட எதிலும் பிராண்டின் பெயர் இல்லை.`,
      notReadInFull: ({ failing, total, kinds: counts, missing }) =>
        `முழுமையாகப் படிக்க முடியாத மூலங்கள்: ${f.count(total)} இல் ${f.count(failing)} (${kinds(counts)})${missing ? '; எனவே இந்தச் சுருக்கத்தில் சில குறிப்புகள் விடுபட்டிருக்கலாம்' : ''}:`,
      more: (count) => `மேலும் ${f.count(count)}`,
      source: ({ type, target, state, failures, error, lastSuccess, notRead }) => {
        if (state === 'recovered') return `${type} ${target}: ${notRead ?? ''}`;
        const inARow = `தொடர்ந்து ${f.count(failures)} முறை`;
        const how = state === 'partly_failing'
          ? 'கடைசி முறை பகுதியளவே படிக்கப்பட்டது'
          : state === 'failing' ? `${inARow} தோல்வி` : failures > 0 ? `${inARow} தோல்வியடைந்ததால் நிறுத்தப்பட்டது` : 'நிறுத்தப்பட்டது';
        return `${type} ${target}: ${how}${error ? ` (${error})` : ''}${lastSuccess ? `; கடைசி வெற்றி ${lastSuccess}` : ''}${notRead ? `; ${notRead}` : ''}`;
      },
      notRead: ({ stretches, more }) =>
        `படிக்கப்படவில்லை: ${f.list(stretches.map((s) => `${s.from} முதல் ${s.to} வரை (${s.length})`))}${more ? `; மேலும் ${f.count(more.count)} இடைவெளிகள், மொத்தம் ${more.length}` : ''}`,
      minutes: (count) => `${count} நிமிடம்`,
      hours: (count) => `${count} மணிநேரம்`,
    },
    notEmailed: 'மின்னஞ்சல் அனுப்பப்படவில்லை: தெரிவிக்க எதுவும் இல்லை, ஏனெனில் இந்தக் காலத்திலும் முந்தைய காலத்திலும் எந்தப் பிராண்டும் குறிப்பிடப்படவில்லை. சுருக்கம் சேமிக்கப்பட்டது; சுருக்க வெப்ஹூக் அமைக்கப்பட்டிருந்தால் அதற்கும் அனுப்பப்பட்டது.',
    keywordsSample: (count) => `இந்தக் காலத்தின் மற்றும் அதற்கு முந்தைய அதே நீளக் காலத்தின் மிகப் புதிய ${count} குறிப்புகளில் எண்ணப்பட்டது.`,
    noSwot: 'சொந்த பிராண்ட் இல்லை: SWOT உருவாக்கப்படவில்லை.',
    notEnoughData: (reason) => `போதுமான தரவு இல்லை: ${reason}`,
    swotSample: ({ period, before }) =>
      `SWOT தலைப்புகள் இவற்றிலிருந்து எடுக்கப்பட்டன: ${sample(period, 'இந்தக் காலத்தின்')}${before ? `; ${sample(before, 'முந்தைய காலத்தின்')}` : ''}.`,
    evidence: ({ mentions, scored, net, names, samples }) =>
      `${n(mentions)}${scored === null ? '' : ` (${f.count(scored)} மதிப்பிடப்பட்டவை)`}, நிகர உணர்வு ${net}, ${names.join(', ')}${samples.length ? `; மாதிரிக் குறிப்புகள் ${samples.join(', ')}` : ''}`,
    chart: {
      alt: 'ஒவ்வொரு பிராண்டின் தினசரி குறிப்புகளும் நிகர உணர்வும்',
      partialDay: 'முழுமையற்ற நாள்',
      partialDays: ({ cuts, marked }) =>
        `முழுமையற்ற நாட்கள்${marked ? ' (*)' : ''}, வரைபடத்தில் நிழலிடப்பட்டவை: ${cuts.join(', ')}. இவை நாளின் ஒரு பகுதியை மட்டுமே உள்ளடக்குவதால் அவற்றின் எண்ணிக்கை குறைவு; கோடுகள் அங்கே இறங்குகின்றன.`,
      scale: ({ top, max, first, last }) =>
        `மேலே: நாளொன்றுக்குக் குறிப்புகள், ${f.count(0)} முதல் ${top} வரையிலான அளவில் (ஒரு நாளில் அதிகபட்சம்: ${max}). கீழே: நாளொன்றுக்கு நிகர உணர்வு, ${f.count(-1)} முதல் +${f.count(1)} வரை. இடமிருந்து வலமாக: ${first}${last === null ? '' : ` முதல் ${last} வரை`}, நாளுக்கு ஒரு புள்ளி.`,
      dailyFigures: 'நாளொன்றுக்குக் குறிப்புகள் (நிகர உணர்வு):',
    },
    swot: swot(f, n),
  };
}
