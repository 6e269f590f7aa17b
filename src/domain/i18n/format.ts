import type { DigestLanguage } from './languages.js';
import { directionOf } from './languages.js';

/** The forms of a counted phrase; the language's Intl.PluralRules picks one (Czech: one, few, many, other). */
export type PluralForms = { other: string } & Partial<Record<Exclude<Intl.LDMLPluralRule, 'other'>, string>>;

/**
 * Numbers, signs, percentages, dates and lists as a language writes them. English keeps the forms
 * its digests always had (ASCII digits, "2026-11-09 14:30", "−0.40", "42.4%"), which readers and
 * scripts already know; the other languages take Intl's with their locale: Czech "42,4 %", Persian
 * digits (۴۲٫۴٪), Nepali Devanagari digits. Every calendar date is Gregorian, as the chart's days are.
 */
export interface Formatter {
  lang: DigestLanguage;
  dir: 'ltr' | 'rtl';
  /** A count or other plain figure: "1300" or "2.5" in English (as it always was), "1 300" or "2,5" in Czech. */
  count(n: number): string;
  /** A count with grouping in every language: "50,000". */
  grouped(n: number): string;
  /** A decimal with exactly `digits` decimals: "1.5", "1,5". */
  fixed(n: number, digits: number): string;
  /** Net sentiment and scores: sign and two decimals, "+0.40", "−0.20", "0.00". */
  signed(value: number): string;
  /** A change, always signed, zero as ±: "+24.2", "−3.0", "±0.0". */
  change(value: number, digits: number): string;
  /** A share 0..1 as a percentage with `digits` decimals: "42.4%". */
  percent(share: number, digits?: number): string;
  /** A whole-number change in percent, signed: "+1300%", "−40%", "0%". */
  percentChange(percent: number): string;
  /** "YYYY-MM-DD HH:MM" of an instant in a zone, in English; the locale's numeric date and 24-hour time otherwise, joined as the language joins them ("۲۰۲۶/۱۱/۹، ۱۴:۳۰"). */
  dateTime(iso: string, timeZone: string): string;
  /** The local date of an instant in a zone. */
  date(iso: string, timeZone: string): string;
  /** The local time (24-hour clock) of an instant in a zone. */
  time(iso: string, timeZone: string): string;
  /** A day and month of a local date (YYYY-MM-DD): "11-09" in English. */
  day(date: string): string;
  /** A whole local date (YYYY-MM-DD), as date() writes one: unchanged in English. */
  calendarDate(date: string): string;
  /** Names joined as one list: "A, B and C". */
  list(items: readonly string[]): string;
  plural(n: number, forms: PluralForms): string;
}

/** An instant's wall-clock fields in a zone, ASCII digits, whatever the runtime's locale. */
function wallClock(iso: string, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '00';
  return { year: part('year').padStart(4, '0'), month: part('month'), day: part('day'), hour: part('hour'), minute: part('minute') };
}

const sign = (value: number, zero = '') => (value > 0 ? '+' : value < 0 ? '−' : zero);

/** Rounded to `digits` decimals, as the figure shown: −0.001 to two decimals is zero, and signless. */
const rounded = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

function english(): Formatter {
  const rules = new Intl.PluralRules('en');
  return {
    lang: 'en',
    dir: 'ltr',
    count: (n) => String(n),
    grouped: (n) => n.toLocaleString('en-US'),
    fixed: (n, digits) => n.toFixed(digits),
    signed: (value) => `${sign(value)}${Math.abs(value).toFixed(2)}`,
    change: (value, digits) => {
      const r = rounded(value, digits);
      return `${sign(r, '±')}${Math.abs(r).toFixed(digits)}`;
    },
    percent: (share, digits = 1) => `${(share * 100).toFixed(digits)}%`,
    percentChange: (percent) => `${sign(percent)}${Math.abs(percent)}%`,
    dateTime: (iso, timeZone) => {
      const { year, month, day, hour, minute } = wallClock(iso, timeZone);
      return `${year}-${month}-${day} ${hour}:${minute}`;
    },
    date: (iso, timeZone) => {
      const { year, month, day } = wallClock(iso, timeZone);
      return `${year}-${month}-${day}`;
    },
    time: (iso, timeZone) => {
      const { hour, minute } = wallClock(iso, timeZone);
      return `${hour}:${minute}`;
    },
    day: (date) => date.slice(5),
    calendarDate: (date) => date,
    list: (items) => (items.length <= 1 ? items[0] ?? '' : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`),
    plural: (n, forms) => forms[rules.select(n)] ?? forms.other,
  };
}

/**
 * What stands between a date and its time, chosen per language (a new one must choose its own).
 * These are Intl's joiners (Node 20's ICU), but for Persian: its numeric pattern there joins them
 * with a Latin comma, where Persian writes «،».
 */
const DATE_TIME_JOINER: Record<Exclude<DigestLanguage, 'en'>, string> = {
  cs: ' ',
  fa: '، ',
  hi: ', ',
  ne: ', ',
  gu: ' ',
  ta: ', ',
};

function localised(lang: Exclude<DigestLanguage, 'en'>): Formatter {
  const locale = `${lang}-u-ca-gregory`;
  const plain = new Intl.NumberFormat(locale);
  const integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  // One format per number of decimals, made when first needed.
  const byDigits = (options: Intl.NumberFormatOptions) => {
    const made = new Map<number, Intl.NumberFormat>();
    return (digits: number) => {
      let format = made.get(digits);
      if (!format) made.set(digits, (format = new Intl.NumberFormat(locale, { ...options, minimumFractionDigits: digits, maximumFractionDigits: digits })));
      return format;
    };
  };
  const decimal = byDigits({});
  const percent = byDigits({ style: 'percent' });
  const signedAlways = byDigits({ signDisplay: 'always' });
  const signedPercent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0, signDisplay: 'exceptZero' });
  const signedDecimal = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'exceptZero' });
  const zone = (timeZone: string, options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(locale, { timeZone, ...options });
  const dateOptions: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'numeric', day: 'numeric' };
  const timeOptions: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  const date = (iso: string, timeZone: string) => zone(timeZone, dateOptions).format(new Date(iso));
  const time = (iso: string, timeZone: string) => zone(timeZone, timeOptions).format(new Date(iso));
  const dayMonth = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', day: 'numeric', month: 'numeric' });
  const wholeDate = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', ...dateOptions });
  const lists = new Intl.ListFormat(lang, { type: 'conjunction' });
  const rules = new Intl.PluralRules(lang);
  return {
    lang,
    dir: directionOf(lang),
    count: (n) => plain.format(n),
    grouped: (n) => integer.format(n),
    fixed: (n, digits) => decimal(digits).format(n),
    signed: (value) => signedDecimal.format(value),
    change: (value, digits) => {
      const r = rounded(value, digits);
      return r === 0 ? `±${decimal(digits).format(0)}` : signedAlways(digits).format(r);
    },
    percent: (share, digits = 1) => percent(digits).format(share),
    percentChange: (value) => signedPercent.format(value / 100),
    dateTime: (iso, timeZone) => `${date(iso, timeZone)}${DATE_TIME_JOINER[lang]}${time(iso, timeZone)}`,
    date,
    time,
    day: (date) => dayMonth.format(new Date(`${date}T12:00:00Z`)),
    calendarDate: (date) => wholeDate.format(new Date(`${date}T12:00:00Z`)),
    list: (items) => lists.format(items),
    plural: (n, forms) => forms[rules.select(n)] ?? forms.other,
  };
}

const formatters = new Map<DigestLanguage, Formatter>();

export function formatterOf(lang: DigestLanguage): Formatter {
  let formatter = formatters.get(lang);
  if (!formatter) formatters.set(lang, (formatter = lang === 'en' ? english() : localised(lang)));
  return formatter;
}
