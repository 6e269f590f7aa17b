// What the SWOT bench stores: an own brand and four competitors from the bench corpus, and feed
// items about them in seven languages. Most items name one brand (the corpus's own sentences);
// a share name two in one sentence that praises one and criticises the other, the posts GET
// /v1/swot cuts into clauses and scores again at query time (themes.clauses.ts).
import type { FeedItem } from '../../test/support/feed-server.js';
import type { Random } from '../../src/infra/seeded-random.js';
import { BRANDS, generateText, type BenchBrand, type GeneratedText, type Lang } from '../support/corpus.js';

/** The own brand first; every language has Acme and Globex, Czech, Hindi/English and Persian one more each. */
export const SWOT_BRANDS: BenchBrand[] = ['Acme Coffee', 'Globex Coffee', 'Kofola', 'Zomato', 'Digikala'].map((name) => BRANDS.find((b) => b.name === name)!);

/** How often a single-brand item is about each brand, where the brand is written about in the item's language. */
const BRAND_WEIGHTS: Record<string, number> = { 'Acme Coffee': 35, 'Globex Coffee': 30, Kofola: 10, Zomato: 15, Digikala: 10 };

/** Items per language, as the feeds bench weighs them: English first, then local markets. */
const LANG_WEIGHTS: Record<Lang, number> = { en: 16, cs: 8, es: 6, de: 5, hi: 5, fa: 5, ta: 5 };

/**
 * `{a}` is praised and `{b}` criticised in one sentence, joined the way people write it in each
 * language: a contrastive conjunction, "while", "and", or a comparison.
 */
const PAIRED: Record<Lang, string[]> = {
  en: [
    'The {a} app is excellent but the {b} app is terrible.',
    '{a} delivered on time while {b} was late again.',
    'I love {a}, but {b} support never answers the phone.',
    '{a} is much better than {b}, the coffee there is awful.',
    'Great service from {a} and the {b} order arrived broken again.',
  ],
  cs: [
    '{a} je skvělá, ale {b} je hrozná.',
    'Doručení od {a} bylo rychlé, zatímco {b} zase přišla pozdě.',
    'Obsluha v {a} byla ochotná a aplikace {b} neustále padá.',
    '{a} je mnohem lepší než {b}, tam je káva otřesná.',
  ],
  es: [
    '{a} es excelente, pero {b} es terrible.',
    'El servicio de {a} fue rápido, pero el pedido de {b} llegó roto otra vez.',
    'Me encanta {a}, pero la aplicación de {b} se cierra sola.',
  ],
  de: [
    '{a} ist großartig, aber {b} ist furchtbar.',
    'Die Lieferung von {a} kam pünktlich, aber {b} war wieder zu spät.',
    'Der Kundendienst von {a} ist freundlich, jedoch stürzt die App von {b} ständig ab.',
  ],
  hi: [
    '{a} की सेवा बहुत अच्छी है लेकिन {b} की सेवा बेकार है।',
    '{a} का नया संस्करण तेज़ है, जबकि {b} का ऐप बार बार बंद हो जाता है।',
    'मुझे {a} पसंद है मगर {b} की डिलीवरी फिर से देर से आई।',
  ],
  fa: [
    'خدمات {a} عالی بود اما سفارش {b} دوباره دیر رسید.',
    '{a} واقعاً خوب است ولی اپلیکیشن {b} افتضاح است.',
    'پشتیبانی {a} فوق‌العاده بود در حالی که {b} به تلفن جواب نداد.',
  ],
  ta: [
    '{a} சேவை அருமையாக இருந்தது ஆனால் {b} மிகவும் மோசம்.',
    '{a} புதிய பதிப்பு வேகமாக உள்ளது ஆனால் {b} செயலி அடிக்கடி மூடிவிடுகிறது.',
    '{a} ஊழியர்கள் அன்பாக உதவினார்கள், ஆனாலும் {b} டெலிவரி தாமதமாக வந்தது.',
  ],
};

const weighted = <T>(random: Random, entries: ReadonlyArray<readonly [T, number]>): T => {
  let roll = random.next() * entries.reduce((sum, [, w]) => sum + w, 0);
  for (const [value, w] of entries) if ((roll -= w) < 0) return value;
  return entries.at(-1)![0];
};

const LANG_ENTRIES = Object.entries(LANG_WEIGHTS) as Array<[Lang, number]>;
const brandsIn = (lang: Lang) => SWOT_BRANDS.filter((b) => b.langs === 'any' || b.langs.includes(lang));

/** The corpus's text for `lang` about `brand` (or about no brand), drawing until it is; null if that is rare enough to give up. */
function textAbout(random: Random, lang: Lang, brand: string | null): GeneratedText | null {
  for (let i = 0; i < 400; i++) {
    const text = generateText(random, lang);
    if (text.brand === brand) return text;
  }
  return null;
}

export type ItemKind = 'one brand' | 'two brands';

export interface SwotItem {
  kind: ItemKind;
  lang: Lang;
  title: string;
  text: string;
}

/**
 * One item about the workspace's brands. `pairedShare` of them name two brands in one sentence
 * (the own brand in most of them, praised or criticised); the others are the corpus's
 * single-brand texts.
 */
export function generateItem(random: Random, { pairedShare }: { pairedShare: number }): SwotItem {
  const lang = weighted(random, LANG_ENTRIES);
  const available = brandsIn(lang);
  if (random.chance(pairedShare)) {
    const [own, ...competitors] = available;
    const other = random.pick(competitors);
    const pair = random.chance(0.7) ? [own!, other] : [other, random.pick(available.filter((b) => b !== other))!];
    const [a, b] = random.chance(0.5) ? pair : [pair[1]!, pair[0]!];
    const sentence = random.pick(PAIRED[lang]).replace('{a}', a!.surfaces[0]!).replace('{b}', b!.surfaces[0]!);
    const filler = textAbout(random, lang, null)!;
    const text = random.chance(0.5) ? `${sentence} ${filler.text}` : `${filler.text} ${sentence}`;
    return { kind: 'two brands', lang, title: filler.title, text };
  }
  const brand = weighted(random, available.map((b) => [b.name, BRAND_WEIGHTS[b.name]!] as const));
  const text = textAbout(random, lang, brand) ?? textAbout(random, lang, SWOT_BRANDS[0]!.name)!;
  return { kind: 'one brand', lang, title: text.title, text: text.text };
}

/** An item as a feed carries it; guids and links are unique across the whole run. */
export function feedItem(item: SwotItem, { key, publishedAt, random }: { key: string; publishedAt: Date; random: Random }): FeedItem {
  return {
    guid: key,
    title: item.title,
    description: item.text,
    link: `https://news-${item.lang}.example.com/${publishedAt.getUTCFullYear()}/${key}`,
    pubDate: publishedAt.toUTCString(),
    author: `Reporter ${random.int(1, 60)}`,
  };
}
