import type { Formatter } from './format.js';
import type { Messages, SampleCount, SourceKinds } from './messages.js';
import type { Compared, SwotMessages, Tally } from './swot.facts.js';

// Nepali: Devanagari digits from Intl ("ne"), sentences end with the danda (।), a noun after a
// number keeps one form ("१२ उल्लेख"), and a brand name is followed by its postposition, apart
// ("Acme को"), as for a name in another script.

function swot(f: Formatter, n: (count: number) => string): SwotMessages {
  const q = (theme: string) => `“${theme}”`;
  // "(१२ उल्लेख; १० मूल्याङ्कित, ३ नकारात्मक)"
  const across = (side: Tally, count?: string) => {
    const notes = [...(side.scored !== side.mentions ? [`${f.count(side.scored)} मूल्याङ्कित`] : []), ...(count ? [count] : [])];
    return `(${n(side.mentions)}${notes.length ? `; ${notes.join(', ')}` : ''})`;
  };
  // `who` in its two possessive forms: "प्रतिस्पर्धीहरूका" (of the mentions), "प्रतिस्पर्धीहरूको" (of the sentiment).
  const other = (who: { ka: string; ko: string }, side: Compared | null, fewerThan: number) => {
    if (!side) return `; यस विषयमा ${who.ka} ${f.count(fewerThan)} भन्दा कम उल्लेख छन्`;
    if (side.net === null) {
      const scored = side.scored === side.mentions ? '' : ` (${f.count(side.scored)} मूल्याङ्कित)`;
      return `; यस विषयमा ${who.ka} ${n(side.mentions)} छन्${scored}, जुन तुलनाका लागि धेरै कम हुन्`;
    }
    return `, जबकि ${who.ko} ${f.signed(side.net)}`;
  };
  const COMPETITORS = { ka: 'प्रतिस्पर्धीहरूका', ko: 'प्रतिस्पर्धीहरूको' };
  const ownBrand = (own: string) => ({ ka: `${own} का`, ko: `${own} को` });
  const rose = ({ name, previousShare, share }: { name: string; previousShare: number; share: number }) =>
    `अघिल्लो अवधिको तुलनामा ${name} को आवाजको हिस्सा ${f.percent(previousShare)} बाट बढेर ${f.percent(share)} पुग्यो${previousShare > 0 ? ` (${f.fixed(share / previousShare, 1)} गुणा)` : ''}`;
  return {
    own_praised: ({ theme, own, side, competitors, fewerThan }) =>
      `${q(theme)} का लागि ${own} को प्रशंसा भइरहेको छ: खुद भावना ${f.signed(side.net)} ${across(side, `${f.count(side.positive)} सकारात्मक`)}${other(COMPETITORS, competitors, fewerThan)}।`,
    own_criticised: ({ theme, own, side, competitors, fewerThan }) =>
      `${q(theme)} का लागि ${own} को आलोचना भइरहेको छ: खुद भावना ${f.signed(side.net)} ${across(side, `${f.count(side.negative)} नकारात्मक`)}${other(COMPETITORS, competitors, fewerThan)}।`,
    own_worse: ({ theme, own, side, competitors }) =>
      `${q(theme)} मा ${own} प्रतिस्पर्धीहरूभन्दा पछि छ: खुद भावना ${f.signed(side.net)} ${across(side)}, जबकि प्रतिस्पर्धीहरूको ${f.signed(competitors.net)}।`,
    competitors_criticised: ({ theme, names, side, own, ownSide, fewerThan, risingFrom }) =>
      `${q(theme)} का लागि ${f.list(names)} को आलोचना भइरहेको छ${risingFrom !== null ? `, र यो विषय बढ्दै छ (${f.count(risingFrom)} → ${n(side.mentions)})` : ''}: खुद भावना ${f.signed(side.net)} ${across(side, `${f.count(side.negative)} नकारात्मक`)}${other(ownBrand(own), ownSide, fewerThan)}।`,
    competitors_praised: ({ theme, names, side, own, ownSide, fewerThan }) =>
      `${q(theme)} का लागि ${f.list(names)} को प्रशंसा भइरहेको छ: खुद भावना ${f.signed(side.net)} ${across(side, `${f.count(side.positive)} सकारात्मक`)}${other(ownBrand(own), ownSide, fewerThan)}।`,
    rising: ({ theme, names, mentions, previous, own, fewerThan }) =>
      `${f.list(names)} का लागि ${q(theme)} बढ्दै छ (${f.count(previous)} → ${n(mentions)}), र यसमा ${own} का ${f.count(fewerThan)} भन्दा कम उल्लेख छन्।`,
    share_gain: (facts) => `${rose(facts)}${facts.net === null ? '' : `; खुद भावना ${f.signed(facts.net)} ${across(facts.side)}`}।`,
    share_gain_criticised: (facts) =>
      `${rose(facts)}, त्यो पनि आलोचनाका बीच: खुद भावना ${f.signed(facts.net)} ${across(facts.side)}। यसका असन्तुष्ट ग्राहकलाई ${facts.own} ले आफूतिर ल्याउन सक्छ।`,
    momentum: ({ own, previous, current, side }) =>
      `अघिल्लो अवधिको तुलनामा ${own} को खुद भावना ${f.signed(previous)} बाट घटेर ${f.signed(current)} भयो ${across(side)}।`,
    reason: (facts) => {
      if (facts.reason === 'no_competitors') return 'कार्यक्षेत्रमा तुलना गर्न कुनै प्रतिस्पर्धी ब्रान्ड छैन';
      const needed = `कम्तीमा ${f.count(facts.needed)} चाहिन्छ`;
      if (facts.reason === 'own_too_few') return `यस अवधिमा ${facts.own} का ${n(facts.mentions)} छन्; ${needed}`;
      return `यस अवधिमा प्रतिस्पर्धीहरूका ${n(facts.mentions)} छन्; ${needed}`;
    },
  };
}

export function ne(f: Formatter): Messages {
  const n = (count: number) => `${f.count(count)} उल्लेख`;
  const kinds = ({ failing, switchedOff, partlyFailing, recovered }: SourceKinds) =>
    ([[failing, 'असफल'], [switchedOff, 'बन्द'], [partlyFailing, 'आंशिक रूपमा असफल'], [recovered, 'अवधिको केही भागमा पढिएनन्']] as const)
      .filter(([count]) => count > 0)
      .map(([count, word]) => `${word}: ${f.count(count)}`)
      .join(', ');
  const sample = ({ read, of }: SampleCount, where: string) => {
    if (read >= of) return `${where}का सबै ${n(of)}`;
    return read === 0 ? `${where}का ${n(of)} मध्ये कुनै पनि होइन` : `${where}का ${n(of)} मध्ये सबैभन्दा नयाँ ${f.count(read)}`;
  };
  return {
    title: (workspace) => `Earshot सारांश: ${workspace}`,
    subject: ({ workspace, period }) => `${workspace} को Earshot सारांश: ${period}`,
    period: ({ first, last, zone }) => `${last === null ? first : `${first} – ${last}`} (${zone})`,
    sections: {
      brands: 'ब्रान्डहरू',
      trend: 'भावनाको प्रवृत्ति',
      positive: 'सबैभन्दा सकारात्मक उल्लेखहरू',
      negative: 'सबैभन्दा नकारात्मक उल्लेखहरू',
      hashtags: 'चर्चामा रहेका ह्यासट्यागहरू',
      keywords: 'चर्चामा रहेका मुख्य शब्दहरू',
      alerts: 'सतर्कताहरू',
      swot: 'SWOT विश्लेषण',
    },
    quadrants: { strengths: 'सबल पक्षहरू', weaknesses: 'दुर्बल पक्षहरू', opportunities: 'अवसरहरू', threats: 'खतराहरू' },
    columns: {
      score: 'अङ्क',
      brand: 'ब्रान्ड',
      published: 'प्रकाशित',
      mention: 'उल्लेख',
      term: 'शब्द',
      mentions: 'उल्लेखहरू',
      previous: 'अघिल्लो अवधि',
      growth: 'वृद्धि',
      role: 'भूमिका',
      change: 'परिवर्तन',
      shareOfVoice: 'आवाजको हिस्सा',
      netSentiment: 'खुद भावना',
      fired: 'समय',
      observed: 'देखिएको',
      expected: 'अपेक्षित',
      day: 'दिन',
    },
    roles: { own: 'आफ्नो', competitor: 'प्रतिस्पर्धी' },
    empty: {
      brands: 'कुनै ब्रान्ड छैन।',
      mentions: 'यस अवधिमा कुनै छैन।',
      trending: 'कुनै पनि चर्चामा छैन।',
      data: 'कुनै तथ्याङ्क छैन।',
      alerts: 'कुनै सतर्कता आएन।',
      items: 'कुनै छैन।',
      itemsShort: 'कुनै छैन',
      text: '(पाठ छैन)',
      days: 'कुनै दिन छैन',
    },
    comma: ', ',
    fromZero: 'नयाँ',
    mentions: n,
    mentionsWas: ({ mentions, previous, change }) => `${mentions} (पहिले ${previous}, ${change})`,
    countWas: ({ mentions, previous }) => `${mentions} (पहिले ${previous})`,
    points: (change) => `${change} प्रतिशत बिन्दु`,
    shareChange: ({ share, points }) => `${share} (${points})`,
    netWas: ({ now, previous, change }) => `${now} (पहिले ${previous}${change === null ? '' : `, ${change}`})`,
    brandLine: ({ name, role, mentions, previous, change, share, net }) =>
      `${name} (${role}): ${n(mentions)} (पहिले ${previous}, ${change}), आवाजको हिस्सा ${share}, खुद भावना ${net}`,
    dayFigure: ({ day, mentions, net }) => `${day}: ${mentions} (${net})`,
    brandDays: ({ name, days }) => `${name}: ${days}`,
    mentionLine: ({ score, brand, date, words }) => `${score}  ${brand}, ${date}: ${words}`,
    trendingLine: ({ term, mentions, previous, growth }) => `${term}: ${mentions} (पहिले ${previous}, ${growth})`,
    alertLine: ({ firedAt, brand, observed, expected, score }) => `${firedAt} ${brand}: ${n(observed)}, अपेक्षित ${expected} (अङ्क ${score})`,
    daysIn: ({ zone, cuts }) => `दिनहरू ${zone} समयअनुसार${cuts.length ? `: ${cuts.join(', ')}` : ''}।`,
    cutFrom: (time) => `${time} देखि`,
    cutUntil: (time) => `${time} सम्म`,
    partialDay: ({ day, cut }) => `${day} ${cut}`,
    noMentions: 'यस अवधिमा कुनै पनि ब्रान्डको उल्लेख भएन।',
    sources: {
      noneWatching: (added) =>
        `यो अवधि कुनै स्रोतले हेरिरहेको थिएन: कार्यक्षेत्रको पहिलो स्रोत ${added} मा, अवधि सकिएपछि थपियो, र त्यसयता यस अवधिबाट ल्याइएको कुनै पनि सामग्रीमा ब्रान्डको नाम आएन।`,
      noSources: 'कार्यक्षेत्रमा कुनै स्रोत छैन: केही पनि ल्याइएन।',
      noneEnabled: (total) =>
        (total === 1 ? 'कार्यक्षेत्रको एक मात्र स्रोत बन्द छ: केही पनि ल्याइएन।' : `कार्यक्षेत्रका ${f.count(total)} स्रोतमध्ये कुनै पनि सक्रिय छैन: केही पनि ल्याइएन।`),
      allFetching: (enabled) =>
        `${enabled === 1 ? 'कार्यक्षेत्रको सक्रिय स्रोतले त्रुटिबिना सामग्री ल्याइरहेको छ' : `कार्यक्षेत्रका ${f.count(enabled)} सक्रिय स्रोतले त्रुटिबिना सामग्री ल्याइरहेका छन्`}: ल्याइएको कुनै पनि सामग्रीमा ब्रान्डको नाम आएन।`,
      notReadInFull: ({ failing, total, kinds: counts, missing }) =>
        `पूरा पढ्न नसकिएका स्रोत: ${f.count(total)} मध्ये ${f.count(failing)} (${kinds(counts)})${missing ? '; त्यसैले यस सारांशमा केही उल्लेख छुट्न सक्छन्' : ''}:`,
      more: (count) => `र अरू ${f.count(count)}`,
      source: ({ type, target, state, failures, error, lastSuccess, notRead }) => {
        if (state === 'recovered') return `${type} ${target}: ${notRead ?? ''}`;
        const inARow = `लगातार ${f.count(failures)} पटक`;
        const how = state === 'partly_failing'
          ? 'पछिल्लो पटक आंशिक रूपमा मात्र पढियो'
          : state === 'failing' ? `${inARow} असफल` : failures > 0 ? `${inARow} असफल भएपछि बन्द गरियो` : 'बन्द गरियो';
        return `${type} ${target}: ${how}${error ? ` (${error})` : ''}${lastSuccess ? `; पछिल्लो सफलता ${lastSuccess}` : ''}${notRead ? `; ${notRead}` : ''}`;
      },
      notRead: ({ stretches, more }) =>
        `पढिएन: ${f.list(stretches.map((s) => `${s.from} देखि ${s.to} सम्म (${s.length})`))}${more ? `; अरू ${f.count(more.count)} अवधि, जम्मा ${more.length}` : ''}`,
      minutes: (count) => `${count} मिनेट`,
      hours: (count) => `${count} घण्टा`,
    },
    notEmailed: 'इमेल पठाइएन: भन्नुपर्ने केही थिएन, किनभने यो अवधि र अघिल्लो अवधिमा कुनै पनि ब्रान्डको उल्लेख भएन। सारांश सुरक्षित गरिएको छ, र सारांशको वेबहुक सेट भए त्यहाँ पठाइएको छ।',
    keywordsSample: (count) => `यस अवधि र त्यसअघिको उत्तिकै लामो अवधिका सबैभन्दा नयाँ ${count} उल्लेखमा गनिएको।`,
    noSwot: 'आफ्नो ब्रान्ड छैन: SWOT बनेन।',
    notEnoughData: (reason) => `पर्याप्त तथ्याङ्क छैन: ${reason}`,
    swotSample: ({ period, before }) =>
      `SWOT का विषयहरू यिनबाट लिइएका हुन्: ${sample(period, 'यस अवधि')}${before ? `; ${sample(before, 'अघिल्लो अवधि')}` : ''}।`,
    evidence: ({ mentions, scored, net, names, samples }) =>
      `${n(mentions)}${scored === null ? '' : ` (${f.count(scored)} मूल्याङ्कित)`}, खुद भावना ${net}, ${names.join(', ')}${samples.length ? `; नमूना उल्लेख ${samples.join(', ')}` : ''}`,
    chart: {
      alt: 'प्रत्येक ब्रान्डका दैनिक उल्लेख र खुद भावना',
      partialDay: 'अपूरो दिन',
      partialDays: ({ cuts, marked }) =>
        `अपूरा दिन${marked ? ' (*)' : ''}, चार्टमा छायाँ पारिएका: ${cuts.join(', ')}। यी दिनले दिनको केही भाग मात्र समेट्छन्, त्यसैले तिनका अङ्क कम छन् र रेखाहरू त्यहाँ तल झर्छन्।`,
      scale: ({ top, max, first, last }) =>
        `माथि: प्रतिदिन उल्लेख, ${f.count(0)} देखि ${top} सम्मको मापनमा (एक दिनमा सबैभन्दा धेरै: ${max})। तल: प्रतिदिन खुद भावना, ${f.count(-1)} देखि +${f.count(1)} सम्म। बायाँबाट दायाँ: ${first}${last === null ? '' : ` देखि ${last} सम्म`}, प्रत्येक दिनको एउटा बिन्दु।`,
      dailyFigures: 'प्रतिदिन उल्लेख (खुद भावना):',
    },
    swot: swot(f, n),
  };
}
