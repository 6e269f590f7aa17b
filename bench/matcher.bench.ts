// `npm run bench -- matcher [--seconds N] [--seed N]`: items per second through one compiled
// workspace of 50 brand queries, on one core, with realistic (partly multilingual) social text.
import type { NormalisedItem, SourceType } from '../src/domain/items/item.types.js';
import { compileWorkspace } from '../src/domain/query/index.js';

const BRANDS: Array<{ name: string; handle: string; tag: string }> = [
  ['acme', 'acme', 'acmecoffee'], ['globex', 'globex', 'globex'], ['initech', 'initech', 'tpsreports'],
  ['umbrella', 'umbrellacorp', 'umbrella'], ['hooli', 'hooli', 'hoolixyz'], ['soylent', 'soylent', 'soylent'],
  ['stark', 'starkindustries', 'stark'], ['wayne', 'wayneent', 'wayne'], ['wonka', 'wonka', 'wonkabar'],
  ['tyrell', 'tyrell', 'replicant'], ['cyberdyne', 'cyberdyne', 'skynet'], ['aperture', 'aperturesci', 'portal'],
  ['oscorp', 'oscorp', 'oscorp'], ['vandelay', 'vandelay', 'latex'], ['piedpiper', 'piedpiper', 'middleout'],
  ['dunder', 'dundermifflin', 'paper'], ['gringotts', 'gringotts', 'gold'], ['monarch', 'monarch', 'kaiju'],
  ['nakatomi', 'nakatomi', 'plaza'], ['virtucon', 'virtucon', 'evil'], ['zorg', 'zorg', 'zf1'],
  ['massive', 'massivedynamic', 'fringe'], ['weyland', 'weylandyutani', 'nostromo'], ['tessier', 'tessierashpool', 'straylight'],
  ['rekall', 'rekall', 'memories'], ['omni', 'ocp', 'robocop'], ['blueSun', 'bluesun', 'firefly'],
  ['duff', 'duffbeer', 'duff'], ['krusty', 'krustyburger', 'krusty'], ['lacroix', 'lacroix', 'sparkling'],
  ['contoso', 'contoso', 'contoso'], ['fabrikam', 'fabrikam', 'fabrikam'], ['northwind', 'northwind', 'traders'],
  ['tailspin', 'tailspin', 'toys'], ['adatum', 'adatum', 'adatum'], ['litware', 'litware', 'litware'],
  ['proseware', 'proseware', 'prose'], ['wingtip', 'wingtip', 'wingtip'], ['fourthcoffee', 'fourthcoffee', 'coffee'],
  ['škoda', 'skodaauto', 'skoda'], ['kofola', 'kofola', 'kofola'], ['zásilkovna', 'zasilkovna', 'balik'],
  ['अमूल', 'amul', 'अमूल'], ['पतंजलि', 'patanjali', 'पतंजलि'], ['ஆவின்', 'aavin', 'ஆவின்'],
  ['ગુજરાત', 'gujarat', 'ગુજરાત'], ['دیجی‌کالا', 'digikala', 'دیجی‌کالا'], ['स्नैपडील', 'snapdeal', 'snapdeal'],
  ['rohlík', 'rohlik', 'rohlik'], ['alza', 'alzacz', 'alza'],
].map(([name, handle, tag]) => ({ name: name as string, handle: handle as string, tag: tag as string }));

/** Fifty queries of the shapes people write: OR lists, phrases, exclusions, tags, handles, NEAR, filters. */
function brandQuery({ name, handle, tag }: { name: string; handle: string; tag: string }, i: number): string {
  switch (i % 10) {
    case 0:
      return `(${name} OR "${name} coffee" OR #${tag} OR @${handle}) -giveaway -"promo code"`;
    case 1:
      return `${name} NEAR/3 (outage OR down OR broken OR "not working")`;
    case 2:
      return `(${name} OR ${name}app OR "${name} app") -source:reddit`;
    case 3:
      return `${name.slice(0, Math.max(3, name.length - 2))}* (review OR unboxing OR price) -spam`;
    case 4:
      return `"${name} support" OR @${handle} OR (${name} (refund OR complaint))`;
    case 5:
      return `(${name} OR #${tag}) lang:cs OR (${name} site:${handle}.com)`;
    case 6:
      return `#${tag} OR #${handle} OR @${handle}`;
    case 7:
      return `${name} (love OR hate OR awesome OR terrible) -job -hiring`;
    case 8:
      return `"${name}" NEAR/5 (ceo OR layoffs OR earnings) OR author:"${name} news"`;
    default:
      return `${name} -(${name} NEAR/2 lawsuit) -source:hackernews`;
  }
}

const ENGLISH = (
  'the a and to of in is it you that for on with this was just my so but be have not are at like what ' +
  'today new really great love hate customer service app update phone order delivery price review support ' +
  'finally again why does anyone know how been waiting week month still no reply best worst ever coffee ' +
  'morning weekend launch team product feature bug fix release thanks please help broken down outage ' +
  'earnings ceo layoffs refund complaint awesome terrible unboxing giveaway promo code job hiring spam'
).split(' ');
const CZECH = 'nová je nejlepší káva ráno objednávka doručení zákaznická podpora cena recenze skvělé hrozné dnes týden'.split(' ');
const HINDI = 'मुझे यह बहुत पसंद है नया फ़ोन डिलीवरी कीमत समीक्षा आज सेवा ग्राहक शिकायत बढ़िया'.split(' ');
const PERSIAN = 'من می‌خواهم خرید کنم قیمت ارسال پشتیبانی امروز خیلی خوب بد سفارش'.split(' ');
const TAMIL = 'எனக்கு இந்த காபி பிடிக்கும் புதிய விலை சேவை இன்று நல்ல மோசம்'.split(' ');
const SOURCES: SourceType[] = ['rss', 'hackernews', 'reddit', 'mastodon', 'bluesky'];

/** mulberry32: a small seeded generator, so every run measures the same items. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generateItems(count: number, seed: number): NormalisedItem[] {
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const items: NormalisedItem[] = [];
  for (let n = 0; n < count; n += 1) {
    const roll = next();
    const [vocabulary, lang] =
      roll < 0.7 ? [ENGLISH, 'en'] : roll < 0.8 ? [CZECH, 'cs'] : roll < 0.88 ? [HINDI, 'hi'] : roll < 0.95 ? [PERSIAN, 'fa'] : [TAMIL, 'ta'];
    const length = 30 + Math.floor(next() * 31);
    const words: string[] = [];
    const hashtags: string[] = [];
    const handles: string[] = [];
    for (let w = 0; w < length; w += 1) {
      const r = next();
      const brand = pick(BRANDS);
      if (r < 0.015) words.push(next() < 0.5 ? brand.name : brand.name.toUpperCase());
      else if (r < 0.02) {
        words.push(`#${brand.tag}`);
        hashtags.push(brand.tag.toLowerCase());
      } else if (r < 0.025) {
        const handle = next() < 0.5 ? brand.handle : `${brand.handle}@mastodon.social`;
        words.push(`@${handle}`);
        handles.push(handle);
      } else words.push(pick(next() < 0.85 ? vocabulary : ENGLISH));
      if (next() < 0.08) words[words.length - 1] += pick([',', '.', '!', '?']);
    }
    const sourceType = pick(SOURCES);
    items.push({
      title: sourceType === 'rss' || sourceType === 'hackernews' ? words.slice(0, 8).join(' ') : null,
      text: words.join(' '),
      url: `https://${pick(['news.', 'www.', ''])}${pick(BRANDS).handle}.com/p/${n}`,
      author: next() < 0.02 ? `${pick(BRANDS).name} news` : `user${Math.floor(next() * 1000)}`,
      lang,
      sourceType,
      hashtags,
      handles,
    });
  }
  return items;
}

function option(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(`--${name}`);
  const value = at >= 0 ? Number(args[at + 1]) : NaN;
  return Number.isFinite(value) ? value : fallback;
}

export async function main(args: string[]): Promise<void> {
  const seconds = Math.max(2, option(args, 'seconds', 3));
  const seed = option(args, 'seed', 42);
  const workspace = compileWorkspace(BRANDS.map((brand, i) => ({ id: `brand-${i}`, query: brandQuery(brand, i) })));
  const items = generateItems(10_000, seed);
  const words = items.reduce((sum, it) => sum + it.text.split(' ').length, 0) / items.length;

  const run = (deadline: number) => {
    let done = 0;
    let matched = 0;
    let mentions = 0;
    const started = performance.now();
    while (performance.now() - started < deadline) {
      for (let i = 0; i < 500; i += 1) {
        const found = workspace.match(items[done % items.length] as NormalisedItem);
        done += 1;
        if (found.length > 0) matched += 1;
        mentions += found.length;
      }
    }
    return { done, matched, mentions, elapsed: (performance.now() - started) / 1000 };
  };

  run(500);
  const { done, matched, mentions, elapsed } = run(seconds * 1000);
  console.log(`matcher: ${BRANDS.length} brand queries, ${items.length} generated items (seed ${seed}), ${words.toFixed(1)} words per item on average`);
  console.log(`matcher: ${Math.round(done / elapsed).toLocaleString('en-US')} items/s over ${elapsed.toFixed(1)} s on one core`);
  console.log(`matcher: ${((matched / done) * 100).toFixed(1)}% of items matched at least one brand (${(mentions / done).toFixed(2)} brand matches per item)`);
}
