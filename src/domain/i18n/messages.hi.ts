import type { Formatter } from './format.js';
import type { Messages, SampleCount, SourceKinds } from './messages.js';
import type { Compared, SwotMessages, Tally } from './swot.facts.js';

// Hindi: sentences end with the danda (।), a noun after a number keeps one form ("12 उल्लेख"),
// and a brand name, in any script, is followed by its postposition ("Acme की").

function swot(f: Formatter, n: (count: number) => string): SwotMessages {
  const q = (theme: string) => `“${theme}”`;
  // "(12 उल्लेख; 10 स्कोर किए गए, 3 नकारात्मक)"
  const across = (side: Tally, count?: string) => {
    const notes = [...(side.scored !== side.mentions ? [`${f.count(side.scored)} स्कोर किए गए`] : []), ...(count ? [count] : [])];
    return `(${n(side.mentions)}${notes.length ? `; ${notes.join(', ')}` : ''})`;
  };
  // "Acme का 1 उल्लेख है", "Acme के 3 उल्लेख हैं": the postposition and the verb agree with the count.
  const has = (who: string, count: number) => (count === 1 ? `${who} का ${n(count)} है` : `${who} के ${n(count)} हैं`);
  const other = (who: string, side: Compared | null, fewerThan: number) => {
    if (!side) return `; इस विषय पर ${who} के ${f.count(fewerThan)} से कम उल्लेख हैं`;
    if (side.net === null) {
      const scored = side.scored === side.mentions ? '' : ` (${f.count(side.scored)} स्कोर किए गए)`;
      return `; इस विषय पर ${has(who, side.mentions)}${scored}, जो तुलना के लिए बहुत कम ${side.mentions === 1 ? 'है' : 'हैं'}`;
    }
    return `, जबकि ${who} की ${f.signed(side.net)}`;
  };
  const rose = ({ name, previousShare, share }: { name: string; previousShare: number; share: number }) =>
    `पिछली अवधि की तुलना में ${name} की वॉइस में हिस्सेदारी ${f.percent(previousShare)} से बढ़कर ${f.percent(share)} हो गई${previousShare > 0 ? ` (${f.fixed(share / previousShare, 1)} गुना)` : ''}`;
  return {
    own_praised: ({ theme, own, side, competitors, fewerThan }) =>
      `${q(theme)} के लिए ${own} की तारीफ़ हो रही है: शुद्ध भावना ${f.signed(side.net)} ${across(side, `${f.count(side.positive)} सकारात्मक`)}${other('प्रतिस्पर्धियों', competitors, fewerThan)}।`,
    own_criticised: ({ theme, own, side, competitors, fewerThan }) =>
      `${q(theme)} के लिए ${own} की आलोचना हो रही है: शुद्ध भावना ${f.signed(side.net)} ${across(side, `${f.count(side.negative)} नकारात्मक`)}${other('प्रतिस्पर्धियों', competitors, fewerThan)}।`,
    own_worse: ({ theme, own, side, competitors }) =>
      `${q(theme)} पर ${own} प्रतिस्पर्धियों से पीछे है: शुद्ध भावना ${f.signed(side.net)} ${across(side)}, जबकि प्रतिस्पर्धियों की ${f.signed(competitors.net)}।`,
    competitors_criticised: ({ theme, names, side, own, ownSide, fewerThan, risingFrom }) =>
      `${q(theme)} के लिए ${f.list(names)} की आलोचना हो रही है${risingFrom !== null ? `, और यह विषय बढ़ रहा है (${f.count(risingFrom)} → ${n(side.mentions)})` : ''}: शुद्ध भावना ${f.signed(side.net)} ${across(side, `${f.count(side.negative)} नकारात्मक`)}${other(own, ownSide, fewerThan)}।`,
    competitors_praised: ({ theme, names, side, own, ownSide, fewerThan }) =>
      `${q(theme)} के लिए ${f.list(names)} की तारीफ़ हो रही है: शुद्ध भावना ${f.signed(side.net)} ${across(side, `${f.count(side.positive)} सकारात्मक`)}${other(own, ownSide, fewerThan)}।`,
    rising: ({ theme, names, mentions, previous, own, fewerThan }) =>
      `${f.list(names)} के लिए ${q(theme)} बढ़ रहा है (${f.count(previous)} → ${n(mentions)}), और इस पर ${own} के ${f.count(fewerThan)} से कम उल्लेख हैं।`,
    share_gain: (facts) => `${rose(facts)}${facts.net === null ? '' : `; शुद्ध भावना ${f.signed(facts.net)} ${across(facts.side)}`}।`,
    share_gain_criticised: (facts) =>
      `${rose(facts)}, वह भी आलोचना के बीच: शुद्ध भावना ${f.signed(facts.net)} ${across(facts.side)}। इसके नाराज़ ग्राहकों को ${facts.own} अपनी ओर ला सकता है।`,
    momentum: ({ own, previous, current, side }) =>
      `पिछली अवधि की तुलना में ${own} की शुद्ध भावना ${f.signed(previous)} से गिरकर ${f.signed(current)} रह गई ${across(side)}।`,
    reason: (facts) => {
      if (facts.reason === 'no_competitors') return 'वर्कस्पेस में तुलना के लिए कोई प्रतिस्पर्धी ब्रांड नहीं है';
      const needed = `कम से कम ${f.count(facts.needed)} चाहिए`;
      if (facts.reason === 'own_too_few') return `इस अवधि में ${has(facts.own, facts.mentions)}; ${needed}`;
      return `इस अवधि में ${has('प्रतिस्पर्धियों', facts.mentions)}; ${needed}`;
    },
  };
}

export function hi(f: Formatter): Messages {
  const n = (count: number) => `${f.count(count)} उल्लेख`;
  const kinds = ({ failing, switchedOff, partlyFailing, recovered }: SourceKinds) =>
    ([[failing, 'विफल'], [switchedOff, 'बंद'], [partlyFailing, 'आंशिक रूप से विफल'], [recovered, 'अवधि के कुछ हिस्से में नहीं पढ़े गए']] as const)
      .filter(([count]) => count > 0)
      .map(([count, word]) => `${word}: ${f.count(count)}`)
      .join(', ');
  const sample = ({ read, of }: SampleCount, where: string) => {
    if (read >= of) return `${where} के सभी ${n(of)}`;
    // Before a postposition the plural noun takes its oblique form: "40 उल्लेखों में से".
    const ofThem = of === 1 ? n(of) : `${f.count(of)} उल्लेखों`;
    return read === 0 ? `${where} के ${ofThem} में से कोई नहीं` : `${where} के ${ofThem} में से सबसे नए ${f.count(read)}`;
  };
  return {
    title: (workspace) => `Earshot सारांश: ${workspace}`,
    subject: ({ workspace, period }) => `${workspace} के लिए Earshot सारांश: ${period}`,
    period: ({ first, last, zone }) => `${last === null ? first : `${first} – ${last}`} (${zone})`,
    sections: {
      brands: 'ब्रांड',
      trend: 'भावना का रुझान',
      positive: 'सबसे सकारात्मक उल्लेख',
      negative: 'सबसे नकारात्मक उल्लेख',
      hashtags: 'ट्रेंड में हैशटैग',
      keywords: 'ट्रेंड में कीवर्ड',
      alerts: 'अलर्ट',
      swot: 'SWOT विश्लेषण',
    },
    quadrants: { strengths: 'ताक़तें', weaknesses: 'कमज़ोरियाँ', opportunities: 'अवसर', threats: 'ख़तरे' },
    columns: {
      score: 'स्कोर',
      brand: 'ब्रांड',
      published: 'प्रकाशित',
      mention: 'उल्लेख',
      term: 'शब्द',
      mentions: 'उल्लेख',
      previous: 'पिछली अवधि',
      growth: 'बढ़त',
      role: 'भूमिका',
      change: 'बदलाव',
      shareOfVoice: 'वॉइस में हिस्सेदारी',
      netSentiment: 'शुद्ध भावना',
      fired: 'कब',
      observed: 'दर्ज',
      expected: 'अपेक्षित',
      day: 'दिन',
    },
    roles: { own: 'अपना', competitor: 'प्रतिस्पर्धी' },
    empty: {
      brands: 'कोई ब्रांड नहीं।',
      mentions: 'इस अवधि में कोई नहीं।',
      trending: 'कुछ भी ट्रेंड में नहीं।',
      data: 'कोई डेटा नहीं।',
      alerts: 'कोई अलर्ट नहीं आया।',
      items: 'कोई नहीं।',
      itemsShort: 'कोई नहीं',
      text: '(कोई पाठ नहीं)',
      days: 'कोई दिन नहीं',
    },
    comma: ', ',
    fromZero: 'नया',
    mentions: n,
    mentionsWas: ({ mentions, previous, change }) => `${mentions} (पहले ${previous}, ${change})`,
    countWas: ({ mentions, previous }) => `${mentions} (पहले ${previous})`,
    points: (change) => `${change} प्रतिशत अंक`,
    shareChange: ({ share, points }) => `${share} (${points})`,
    netWas: ({ now, previous, change }) => `${now} (पहले ${previous}${change === null ? '' : `, ${change}`})`,
    brandLine: ({ name, role, mentions, previous, change, share, net }) =>
      `${name} (${role}): ${n(mentions)} (पहले ${previous}, ${change}), वॉइस में हिस्सेदारी ${share}, शुद्ध भावना ${net}`,
    dayFigure: ({ day, mentions, net }) => `${day}: ${mentions} (${net})`,
    brandDays: ({ name, days }) => `${name}: ${days}`,
    mentionLine: ({ score, brand, date, words }) => `${score}  ${brand}, ${date}: ${words}`,
    trendingLine: ({ term, mentions, previous, growth }) => `${term}: ${mentions} (पहले ${previous}, ${growth})`,
    alertLine: ({ firedAt, brand, observed, expected, score }) => `${firedAt} ${brand}: ${n(observed)}, जबकि अपेक्षित ${expected} (स्कोर ${score})`,
    daysIn: ({ zone, cuts }) => `दिन ${zone} समय के अनुसार${cuts.length ? `: ${cuts.join(', ')}` : ''}।`,
    cutFrom: (time) => `${time} से`,
    cutUntil: (time) => `${time} तक`,
    partialDay: ({ day, cut }) => `${day} ${cut}`,
    noMentions: 'इस अवधि में किसी भी ब्रांड का उल्लेख नहीं हुआ।',
    sources: {
      noneWatching: (added) =>
        `इस अवधि पर कोई स्रोत नज़र नहीं रख रहा था: वर्कस्पेस का पहला स्रोत ${added} को, अवधि ख़त्म होने के बाद जोड़ा गया, और तब से इस अवधि की लाई गई किसी भी सामग्री में किसी ब्रांड का नाम नहीं आया।`,
      noSources: 'वर्कस्पेस में कोई स्रोत नहीं है: कुछ भी नहीं लाया गया।',
      noneEnabled: (total) =>
        (total === 1 ? 'वर्कस्पेस का एकमात्र स्रोत बंद है: कुछ भी नहीं लाया गया।' : `वर्कस्पेस के ${f.count(total)} स्रोतों में से कोई भी चालू नहीं है: कुछ भी नहीं लाया गया।`),
      allFetching: (enabled) =>
        `${enabled === 1 ? 'वर्कस्पेस का चालू स्रोत बिना त्रुटि के सामग्री ला रहा है' : `वर्कस्पेस के ${f.count(enabled)} चालू स्रोत बिना त्रुटि के सामग्री ला रहे हैं`}: लाई गई किसी भी सामग्री में किसी ब्रांड का नाम नहीं आया।`,
      notReadInFull: ({ failing, total, kinds: counts, missing }) =>
        `जो स्रोत पूरी तरह नहीं पढ़े जा सके: ${f.count(total)} में से ${f.count(failing)} (${kinds(counts)})${missing ? '; इसलिए इस सारांश में कुछ उल्लेख छूट सकते हैं' : ''}:`,
      more: (count) => `और ${f.count(count)} अन्य`,
      source: ({ type, target, state, failures, error, lastSuccess, notRead }) => {
        if (state === 'recovered') return `${type} ${target}: ${notRead ?? ''}`;
        const inARow = `लगातार ${f.count(failures)} बार`;
        const how = state === 'partly_failing'
          ? 'पिछली बार केवल आंशिक रूप से पढ़ा गया'
          : state === 'failing' ? `${inARow} विफल` : failures > 0 ? `${inARow} विफल होने के बाद बंद किया गया` : 'बंद किया गया';
        return `${type} ${target}: ${how}${error ? ` (${error})` : ''}${lastSuccess ? `; पिछली सफलता ${lastSuccess}` : ''}${notRead ? `; ${notRead}` : ''}`;
      },
      notRead: ({ stretches, more }) =>
        `नहीं पढ़ा गया: ${f.list(stretches.map((s) => `${s.from} से ${s.to} तक (${s.length})`))}${more ? `; ${f.count(more.count)} और अंतराल, कुल ${more.length}` : ''}`,
      minutes: (count) => `${count} मिनट`,
      hours: (count) => `${count} घंटे`,
    },
    notEmailed: 'ईमेल नहीं भेजा गया: बताने को कुछ नहीं था, क्योंकि इस अवधि में और पिछली अवधि में किसी भी ब्रांड का उल्लेख नहीं हुआ। सारांश सहेजा गया है, और सारांश का वेबहुक सेट हो तो उस पर भेजा गया है।',
    keywordsSample: (count) => `इस अवधि के और उससे पहले की उतनी ही लंबी अवधि के सबसे नए ${count} उल्लेखों में गिना गया।`,
    noSwot: 'कोई अपना ब्रांड नहीं है: SWOT नहीं बना।',
    notEnoughData: (reason) => `पर्याप्त डेटा नहीं: ${reason}`,
    swotSample: ({ period, before }) =>
      `SWOT के विषय इनसे लिए गए हैं: ${sample(period, 'इस अवधि')}${before ? `; ${sample(before, 'पिछली अवधि')}` : ''}।`,
    evidence: ({ mentions, scored, net, names, samples }) =>
      `${n(mentions)}${scored === null ? '' : ` (${f.count(scored)} स्कोर किए गए)`}, शुद्ध भावना ${net}, ${names.join(', ')}${samples.length ? `; नमूना उल्लेख ${samples.join(', ')}` : ''}`,
    chart: {
      alt: 'हर ब्रांड के रोज़ के उल्लेख और शुद्ध भावना',
      partialDay: 'अधूरा दिन',
      partialDays: ({ cuts, marked }) =>
        `अधूरे दिन${marked ? ' (*)' : ''}, चार्ट में छायांकित: ${cuts.join(', ')}। ये दिन का केवल एक हिस्सा हैं, इसलिए इनके आँकड़े कम हैं और रेखाएँ यहाँ नीचे जाती हैं।`,
      scale: ({ top, max, first, last }) =>
        `ऊपर: प्रति दिन उल्लेख, ${f.count(0)} से ${top} के पैमाने पर (एक दिन में सबसे ज़्यादा: ${max})। नीचे: प्रति दिन शुद्ध भावना, ${f.count(-1)} से +${f.count(1)}। बाएँ से दाएँ: ${first}${last === null ? '' : ` से ${last}`}, हर दिन एक बिंदु।`,
      dailyFigures: 'प्रति दिन उल्लेख (शुद्ध भावना):',
    },
    swot: swot(f, n),
  };
}
