import type { Formatter } from './format.js';
import type { Messages, SampleCount, SourceKinds } from './messages.js';
import type { Compared, SwotMessages, Tally } from './swot.facts.js';

// Persian, written right to left: Persian digits and separators come from Intl ("fa"), a noun
// after a number stays singular ("۱۲ اشاره"), quotes are «…», the comma is «،». A change from
// one count to another points left (←), the way the sentence reads.

const C = '، ';

function swot(f: Formatter, n: (count: number) => string): SwotMessages {
  const q = (theme: string) => `«${theme}»`;
  // "(۱۲ اشاره؛ ۱۰ ارزیابی‌شده، ۳ منفی)"
  const across = (side: Tally, count?: string) => {
    const notes = [...(side.scored !== side.mentions ? [`${f.count(side.scored)} ارزیابی‌شده`] : []), ...(count ? [count] : [])];
    return `(${n(side.mentions)}${notes.length ? `؛ ${notes.join(C)}` : ''})`;
  };
  // `has` agrees with `who`: «دارد» for a brand, «دارند» for the competitors.
  const other = (who: string, side: Compared | null, fewerThan: number, has = 'دارد') => {
    if (!side) return `؛ ${who} کمتر از ${n(fewerThan)} دربارهٔ این موضوع ${has}`;
    if (side.net === null) {
      const scored = side.scored === side.mentions ? '' : ` (${f.count(side.scored)} ارزیابی‌شده)`;
      return `؛ ${who} ${n(side.mentions)} دربارهٔ این موضوع ${has}${scored}، که برای مقایسه کم است`;
    }
    return `، در برابر ${f.signed(side.net)} برای ${who}`;
  };
  const many = (names: readonly string[], one: string, more: string) => (names.length === 1 ? one : more);
  const rose = ({ name, previousShare, share }: { name: string; previousShare: number; share: number }) =>
    `سهم صدای ${name} نسبت به دورهٔ قبل از ${f.percent(previousShare)} به ${f.percent(share)} رسید${previousShare > 0 ? ` (${f.fixed(share / previousShare, 1)} برابر)` : ''}`;
  return {
    own_praised: ({ theme, own, side, competitors, fewerThan }) =>
      `${own} به خاطر ${q(theme)} تحسین می‌شود: احساس خالص ${f.signed(side.net)} ${across(side, `${f.count(side.positive)} مثبت`)}${other('رقبا', competitors, fewerThan, 'دارند')}.`,
    own_criticised: ({ theme, own, side, competitors, fewerThan }) =>
      `${own} به خاطر ${q(theme)} مورد انتقاد است: احساس خالص ${f.signed(side.net)} ${across(side, `${f.count(side.negative)} منفی`)}${other('رقبا', competitors, fewerThan, 'دارند')}.`,
    own_worse: ({ theme, own, side, competitors }) =>
      `${own} در ${q(theme)} از رقبا عقب است: احساس خالص ${f.signed(side.net)} ${across(side)}، در برابر ${f.signed(competitors.net)} برای رقبا.`,
    competitors_criticised: ({ theme, names, side, own, ownSide, fewerThan, risingFrom }) =>
      `${f.list(names)} به خاطر ${q(theme)} مورد انتقاد ${many(names, 'است', 'هستند')}${risingFrom !== null ? `، موضوعی که رو به افزایش است (${f.count(risingFrom)} ← ${n(side.mentions)})` : ''}: احساس خالص ${f.signed(side.net)} ${across(side, `${f.count(side.negative)} منفی`)}${other(own, ownSide, fewerThan)}.`,
    competitors_praised: ({ theme, names, side, own, ownSide, fewerThan }) =>
      `${f.list(names)} به خاطر ${q(theme)} تحسین ${many(names, 'می‌شود', 'می‌شوند')}: احساس خالص ${f.signed(side.net)} ${across(side, `${f.count(side.positive)} مثبت`)}${other(own, ownSide, fewerThan)}.`,
    rising: ({ theme, names, mentions, previous, own, fewerThan }) =>
      `موضوع ${q(theme)} برای ${f.list(names)} رو به افزایش است (${f.count(previous)} ← ${n(mentions)}) و ${own} کمتر از ${n(fewerThan)} دربارهٔ آن دارد.`,
    share_gain: (facts) => `${rose(facts)}${facts.net === null ? '' : `، با احساس خالص ${f.signed(facts.net)} ${across(facts.side)}`}.`,
    share_gain_criticised: (facts) =>
      `${rose(facts)}، آن هم در پی انتقادها: احساس خالص ${f.signed(facts.net)} ${across(facts.side)}. ${facts.own} می‌تواند مشتریان ناراضی آن را جذب کند.`,
    momentum: ({ own, previous, current, side }) =>
      `احساس خالص ${own} نسبت به دورهٔ قبل از ${f.signed(previous)} به ${f.signed(current)} کاهش یافت ${across(side)}.`,
    reason: (facts) => {
      if (facts.reason === 'no_competitors') return 'این فضای کاری برند رقیبی برای مقایسه ندارد';
      const needed = `دست‌کم ${n(facts.needed)} لازم است`;
      if (facts.reason === 'own_too_few') return `${facts.own} در این دوره ${n(facts.mentions)} دارد؛ ${needed}`;
      return `رقبا در این دوره ${n(facts.mentions)} دارند؛ ${needed}`;
    },
  };
}

export function fa(f: Formatter): Messages {
  const n = (count: number) => `${f.count(count)} اشاره`;
  const kinds = ({ failing, switchedOff, partlyFailing, recovered }: SourceKinds) =>
    ([[failing, 'ناموفق'], [switchedOff, 'خاموش'], [partlyFailing, 'تا حدی ناموفق'], [recovered, 'در بخشی از دوره خوانده نشد']] as const)
      .filter(([count]) => count > 0)
      .map(([count, word]) => `${word}: ${f.count(count)}`)
      .join(C);
  const sample = ({ read, of }: SampleCount, where: string) => {
    if (read >= of) return `همهٔ ${n(of)} ${where}`;
    return read === 0 ? `هیچ‌یک از ${n(of)} ${where}` : `${f.count(read)} اشارهٔ تازه‌تر از ${n(of)} ${where}`;
  };
  return {
    title: (workspace) => `گزارش Earshot: ${workspace}`,
    subject: ({ workspace, period }) => `گزارش Earshot برای ${workspace}: ${period}`,
    period: ({ first, last, zone }) => `${last === null ? first : `${first} تا ${last}`} (${zone})`,
    sections: {
      brands: 'برندها',
      trend: 'روند احساسات',
      positive: 'مثبت‌ترین اشاره‌ها',
      negative: 'منفی‌ترین اشاره‌ها',
      hashtags: 'هشتگ‌های رو به رشد',
      keywords: 'کلیدواژه‌های رو به رشد',
      alerts: 'هشدارها',
      swot: 'تحلیل SWOT',
    },
    quadrants: { strengths: 'نقاط قوت', weaknesses: 'نقاط ضعف', opportunities: 'فرصت‌ها', threats: 'تهدیدها' },
    columns: {
      score: 'امتیاز',
      brand: 'برند',
      published: 'تاریخ انتشار',
      mention: 'اشاره',
      term: 'عبارت',
      mentions: 'اشاره‌ها',
      previous: 'دورهٔ قبل',
      growth: 'رشد',
      role: 'نقش',
      change: 'تغییر',
      shareOfVoice: 'سهم صدا',
      netSentiment: 'احساس خالص',
      fired: 'زمان هشدار',
      observed: 'مشاهده‌شده',
      expected: 'مورد انتظار',
      day: 'روز',
    },
    roles: { own: 'برند خودی', competitor: 'رقیب' },
    empty: {
      brands: 'برندی تعریف نشده است.',
      mentions: 'در این دوره موردی نبود.',
      trending: 'موردی رو به رشد نیست.',
      data: 'داده‌ای نیست.',
      alerts: 'هیچ هشداری فعال نشد.',
      items: 'موردی نیست.',
      itemsShort: 'موردی نیست',
      text: '(بدون متن)',
      days: 'بدون روز',
    },
    comma: C,
    fromZero: 'جدید',
    mentions: n,
    mentionsWas: ({ mentions, previous, change }) => `${mentions} (قبلاً ${previous}${C}${change})`,
    countWas: ({ mentions, previous }) => `${mentions} (قبلاً ${previous})`,
    points: (change) => `${change} واحد درصد`,
    shareChange: ({ share, points }) => `${share} (${points})`,
    netWas: ({ now, previous, change }) => `${now} (قبلاً ${previous}${change === null ? '' : `${C}${change}`})`,
    brandLine: ({ name, role, mentions, previous, change, share, net }) =>
      `${name} (${role}): ${n(mentions)} (قبلاً ${previous}${C}${change})${C}سهم صدا ${share}${C}احساس خالص ${net}`,
    dayFigure: ({ day, mentions, net }) => `${day}: ${mentions} (${net})`,
    brandDays: ({ name, days }) => `${name}: ${days}`,
    mentionLine: ({ score, brand, date, words }) => `${score}  ${brand}${C}${date}: ${words}`,
    trendingLine: ({ term, mentions, previous, growth }) => `${term}: ${mentions} (قبلاً ${previous}${C}${growth})`,
    alertLine: ({ firedAt, brand, observed, expected, score }) => `${firedAt} ${brand}: ${n(observed)} در برابر ${expected} مورد انتظار (امتیاز ${score})`,
    daysIn: ({ zone, cuts }) => `روزها به وقت ${zone}${cuts.length ? `: ${cuts.join(C)}` : ''}.`,
    cutFrom: (time) => `از ${time}`,
    cutUntil: (time) => `تا ${time}`,
    partialDay: ({ day, cut }) => `${day} ${cut}`,
    noMentions: 'در این دوره به هیچ برندی اشاره نشد.',
    sources: {
      noneWatching: (added) =>
        `هیچ منبعی این دوره را پوشش نمی‌داد: نخستین منبع این فضای کاری در ${added}، پس از پایان دوره، اضافه شد و از آن زمان هم در آنچه از این دوره دریافت شده نام هیچ برندی نبوده است.`,
      noSources: 'این فضای کاری منبعی ندارد: چیزی دریافت نشد.',
      noneEnabled: (total) => (total === 1 ? 'تنها منبع این فضای کاری خاموش است: چیزی دریافت نشد.' : `هیچ‌یک از ${f.count(total)} منبع این فضای کاری فعال نیست: چیزی دریافت نشد.`),
      allFetching: (enabled) =>
        `${enabled === 1 ? 'تنها منبع فعال این فضای کاری بدون خطا دریافت می‌کند' : `${f.count(enabled)} منبع فعال این فضای کاری بدون خطا دریافت می‌کنند`}: در آنچه دریافت شد نام هیچ برندی نبود.`,
      notReadInFull: ({ failing, total, kinds: counts, missing }) =>
        `منابعی که به‌طور کامل خوانده نشدند: ${f.count(failing)} از ${f.count(total)} (${kinds(counts)})${missing ? '؛ بنابراین ممکن است برخی اشاره‌ها در این گزارش نیامده باشند' : ''}:`,
      more: (count) => `و ${f.count(count)} منبع دیگر`,
      source: ({ type, target, state, failures, error, lastSuccess, notRead }) => {
        if (state === 'recovered') return `${type} ${target}: ${notRead ?? ''}`;
        const inARow = `${f.count(failures)} بار پیاپی`;
        const how = state === 'partly_failing'
          ? 'در آخرین دریافت فقط بخشی از آن خوانده شد'
          : state === 'failing' ? `${inARow} ناموفق` : failures > 0 ? `پس از ${inARow} ناکامی خاموش شد` : 'خاموش شد';
        return `${type} ${target}: ${how}${error ? ` (${error})` : ''}${lastSuccess ? `؛ آخرین دریافت موفق ${lastSuccess}` : ''}${notRead ? `؛ ${notRead}` : ''}`;
      },
      notRead: ({ stretches, more }) =>
        `خوانده نشد ${f.list(stretches.map((s) => `از ${s.from} تا ${s.to} (${s.length})`))}${more ? `؛ و ${f.count(more.count)} بازهٔ دیگر، روی هم ${more.length}` : ''}`,
      minutes: (count) => `${count} دقیقه`,
      hours: (count) => `${count} ساعت`,
    },
    notEmailed: 'ایمیل نشد: چیزی برای گزارش نبود، چون در این دوره و دورهٔ قبل به هیچ برندی اشاره نشد. گزارش ذخیره شد و اگر وب‌هوک گزارش تنظیم شده باشد، به آن فرستاده شد.',
    keywordsSample: (count) => `در ${count} اشارهٔ تازه‌تر این دوره و دورهٔ هم‌اندازهٔ پیش از آن شمرده شد.`,
    noSwot: 'برند خودی تعریف نشده است: SWOT ساخته نشد.',
    notEnoughData: (reason) => `دادهٔ کافی نیست: ${reason}`,
    swotSample: ({ period, before }) =>
      `موضوعات SWOT از ${sample(period, 'این دوره')}${before ? ` و ${sample(before, 'دورهٔ قبل')}` : ''} به دست آمده‌اند.`,
    evidence: ({ mentions, scored, net, names, samples }) =>
      `${n(mentions)}${scored === null ? '' : ` (${f.count(scored)} ارزیابی‌شده)`}${C}احساس خالص ${net}${C}${names.join(C)}${samples.length ? `؛ نمونه‌ها: ${samples.join(C)}` : ''}`,
    chart: {
      alt: 'اشاره‌های روزانه و احساس خالص هر برند',
      partialDay: 'روز ناقص',
      partialDays: ({ cuts, marked }) =>
        `روزهای ناقص${marked ? ' (*)' : ''}، که در نمودار سایه خورده‌اند: ${cuts.join(C)}. این روزها فقط بخشی از روز را در بر می‌گیرند، پس ارقامشان کمتر است و خط‌های نمودار در آن‌ها پایین می‌آیند.`,
      scale: ({ top, max, first, last }) =>
        `بالا: اشاره‌ها در روز، در مقیاس ${f.count(0)} تا ${top} (بیشترین در یک روز: ${max}). پایین: احساس خالص روزانه، از ${f.count(-1)} تا +${f.count(1)}. از چپ به راست: ${first}${last === null ? '' : ` تا ${last}`}، هر روز یک نقطه.`,
      dailyFigures: 'اشاره‌ها در روز (احساس خالص):',
    },
    swot: swot(f, n),
  };
}
