// A deterministic corpus of social-listening text: sentences in seven languages (news, praise,
// complaints), twenty brands with the kind of queries people write, and items of 30–80 words
// that name a brand about a third of the time.
import type { Random } from '../../src/infra/seeded-random.js';

export type Lang = 'en' | 'cs' | 'es' | 'de' | 'hi' | 'fa' | 'ta';
type Tone = 'neutral' | 'positive' | 'negative';

interface LanguageText {
  neutral: string[];
  positive: string[];
  negative: string[];
  /** `{b}` is where the brand's name goes. */
  brand: string[];
  hashtags: string[];
}

const TEXT: Record<Lang, LanguageText> = {
  en: {
    neutral: [
      'The company published its quarterly figures on Tuesday morning after the markets closed.',
      'Analysts expect the new pricing to reach most European stores before the end of the year.',
      'A spokesperson said the rollout would continue in several smaller cities next month.',
      'Customers in the queue were mostly asking about delivery times and the return policy.',
      'The update arrives for both the mobile app and the website this week.',
      'Local reporters visited the warehouse and spoke with drivers about their shifts.',
      'The event in Berlin drew a larger crowd than the organisers had planned for.',
      'Industry data shows online orders grew steadily through the autumn season.',
    ],
    positive: [
      'Honestly the service was excellent and the staff were friendly and helpful.',
      'I love how fast the new version is, a really great improvement.',
      'Fantastic support team, they solved my problem in five minutes.',
      'The coffee tasted wonderful and the price was fair, highly recommended.',
    ],
    negative: [
      'The delivery was late again and nobody answered the support line, terrible experience.',
      'My order arrived broken and the refund still has not been processed, very disappointed.',
      'The app keeps crashing after the update, this is awful and frustrating.',
      'Prices went up while quality got worse, I am not happy at all.',
    ],
    brand: ['Everyone at the office is talking about {b} today.', 'I switched to {b} last month and here is what happened.', '{b} announced a new partnership this morning.'],
    hashtags: ['#news', '#review', '#customerservice', '#tech', '#retail'],
  },
  cs: {
    neutral: [
      'Společnost zveřejnila čtvrtletní výsledky v úterý ráno po uzavření trhů.',
      'Nová pobočka v Brně otevře své dveře zákazníkům příští týden.',
      'Podle mluvčího bude rozvoz pokračovat i v menších městech na Moravě.',
      'Zákazníci se nejčastěji ptali na dobu doručení a možnost vrácení zboží.',
      'Aktualizace aplikace vychází pro telefony i pro webovou verzi.',
      'Redaktoři navštívili sklad a mluvili s řidiči o jejich směnách.',
    ],
    positive: [
      'Obsluha byla skvělá, rychlá a velmi ochotná, určitě se vrátím.',
      'Jsem naprosto spokojený, nová verze je výborná a funguje perfektně.',
      'Káva byla vynikající a cena férová, doporučuji všem.',
    ],
    negative: [
      'Zásilka opět přišla pozdě a zákaznickou linku nikdo nebral, hrozná zkušenost.',
      'Objednávka dorazila rozbitá a peníze mi stále nevrátili, jsem velmi zklamaný.',
      'Aplikace po aktualizaci neustále padá, je to otřesné.',
    ],
    brand: ['Dnes se v kanceláři všichni baví o {b}.', 'Minulý měsíc jsem přešel na {b} a tady je moje zkušenost.', '{b} dnes ráno oznámila nové partnerství.'],
    hashtags: ['#praha', '#brno', '#zpravy', '#recenze'],
  },
  es: {
    neutral: [
      'La empresa publicó sus resultados trimestrales el martes por la mañana.',
      'Los analistas esperan que los nuevos precios lleguen a la mayoría de las tiendas antes de fin de año.',
      'Un portavoz dijo que el servicio llegará a otras ciudades el próximo mes.',
      'Los clientes preguntaban sobre todo por los plazos de entrega y las devoluciones.',
      'La actualización llega esta semana tanto a la aplicación como a la web.',
    ],
    positive: [
      'La atención fue excelente y el personal muy amable, lo recomiendo.',
      'Me encanta la nueva versión, es rápida y funciona de maravilla.',
      'Un servicio fantástico, resolvieron mi problema en cinco minutos.',
    ],
    negative: [
      'El pedido llegó tarde otra vez y nadie contestó en atención al cliente, una experiencia horrible.',
      'El producto llegó roto y todavía no me han devuelto el dinero, muy decepcionado.',
      'La aplicación se cierra sola después de la actualización, es terrible.',
    ],
    brand: ['Hoy todo el mundo en la oficina habla de {b}.', 'Me cambié a {b} el mes pasado y esto es lo que pasó.', '{b} anunció esta mañana una nueva alianza.'],
    hashtags: ['#noticias', '#madrid', '#opinion', '#compras'],
  },
  de: {
    neutral: [
      'Das Unternehmen hat am Dienstagmorgen seine Quartalszahlen veröffentlicht.',
      'Analysten erwarten, dass die neuen Preise bis Jahresende in den meisten Filialen gelten.',
      'Ein Sprecher sagte, der Lieferdienst werde im nächsten Monat weitere Städte erreichen.',
      'Die Kunden fragten vor allem nach Lieferzeiten und Rückgabe.',
      'Das Update erscheint diese Woche für die App und die Webseite.',
    ],
    positive: [
      'Der Service war ausgezeichnet und das Personal sehr freundlich, absolut empfehlenswert.',
      'Ich liebe die neue Version, sie ist schnell und funktioniert wunderbar.',
      'Großartiger Kundendienst, mein Problem war in fünf Minuten gelöst.',
    ],
    negative: [
      'Die Lieferung kam wieder zu spät und niemand ging ans Telefon, eine schreckliche Erfahrung.',
      'Die Bestellung kam kaputt an und das Geld wurde immer noch nicht erstattet, sehr enttäuschend.',
      'Die App stürzt nach dem Update ständig ab, das ist furchtbar.',
    ],
    brand: ['Heute reden im Büro alle über {b}.', 'Ich bin letzten Monat zu {b} gewechselt, und das ist passiert.', '{b} hat heute Morgen eine neue Partnerschaft angekündigt.'],
    hashtags: ['#nachrichten', '#berlin', '#test', '#handel'],
  },
  hi: {
    neutral: [
      'कंपनी ने मंगलवार सुबह अपने तिमाही नतीजे जारी किए।',
      'विश्लेषकों का मानना है कि नई कीमतें साल के अंत तक ज़्यादातर दुकानों में लागू होंगी।',
      'प्रवक्ता ने कहा कि अगले महीने से सेवा छोटे शहरों में भी शुरू होगी।',
      'ग्राहक ज़्यादातर डिलीवरी के समय और वापसी की नीति के बारे में पूछ रहे थे।',
      'यह अपडेट इस हफ़्ते मोबाइल ऐप और वेबसाइट दोनों के लिए आ रहा है।',
    ],
    positive: [
      'सेवा बहुत अच्छी थी और कर्मचारी बहुत मददगार थे, मैं इसकी सलाह दूँगा।',
      'नया संस्करण बहुत तेज़ है, मुझे यह बेहद पसंद आया।',
      'शानदार ग्राहक सेवा, उन्होंने पाँच मिनट में मेरी समस्या हल कर दी।',
    ],
    negative: [
      'डिलीवरी फिर से देर से आई और किसी ने फ़ोन नहीं उठाया, बहुत बुरा अनुभव।',
      'ऑर्डर टूटा हुआ पहुँचा और अब तक पैसे वापस नहीं मिले, मैं बहुत निराश हूँ।',
      'अपडेट के बाद ऐप बार बार बंद हो जाता है, यह बेकार है।',
    ],
    brand: ['आज दफ़्तर में सब {b} के बारे में बात कर रहे हैं।', 'मैंने पिछले महीने {b} इस्तेमाल करना शुरू किया।', '{b} ने आज सुबह एक नई साझेदारी की घोषणा की।'],
    hashtags: ['#समाचार', '#दिल्ली', '#मुंबई', '#india'],
  },
  fa: {
    neutral: [
      'این شرکت صبح سه‌شنبه نتایج فصلی خود را منتشر کرد.',
      'تحلیلگران انتظار دارند قیمت‌های جدید تا پایان سال در بیشتر فروشگاه‌ها اعمال شود.',
      'سخنگوی شرکت گفت این سرویس از ماه آینده در شهرهای کوچک‌تر هم ارائه می‌شود.',
      'مشتریان بیشتر درباره زمان ارسال و شرایط مرجوعی سؤال می‌کردند.',
      'این به‌روزرسانی این هفته برای اپلیکیشن و وب‌سایت منتشر می‌شود.',
    ],
    positive: [
      'خدمات عالی بود و کارکنان بسیار مهربان و کمک‌کننده بودند.',
      'نسخه جدید خیلی سریع است و من واقعاً از آن راضی هستم.',
      'پشتیبانی فوق‌العاده‌ای داشتند و مشکلم را در پنج دقیقه حل کردند.',
    ],
    negative: [
      'سفارش دوباره دیر رسید و هیچ‌کس به تلفن جواب نداد، تجربه بسیار بدی بود.',
      'کالا شکسته رسید و هنوز پولم را پس نداده‌اند، خیلی ناامید شدم.',
      'اپلیکیشن بعد از به‌روزرسانی مدام بسته می‌شود و واقعاً افتضاح است.',
    ],
    brand: ['امروز همه در دفتر درباره {b} صحبت می‌کنند.', 'ماه گذشته به {b} رفتم و این تجربه من است.', '{b} امروز صبح از یک همکاری جدید خبر داد.'],
    hashtags: ['#تهران', '#خبر', '#فناوری'],
  },
  ta: {
    neutral: [
      'நிறுவனம் செவ்வாய்க்கிழமை காலை தனது காலாண்டு முடிவுகளை வெளியிட்டது.',
      'புதிய விலைகள் ஆண்டு இறுதிக்குள் பெரும்பாலான கடைகளில் அமலுக்கு வரும் என்று ஆய்வாளர்கள் எதிர்பார்க்கின்றனர்.',
      'அடுத்த மாதம் முதல் சிறிய நகரங்களிலும் சேவை தொடங்கும் என்று செய்தித் தொடர்பாளர் கூறினார்.',
      'வாடிக்கையாளர்கள் பெரும்பாலும் விநியோக நேரம் பற்றி கேட்டனர்.',
      'இந்த வாரம் செயலி மற்றும் இணையதளம் இரண்டுக்கும் புதிய மேம்படுத்தல் வருகிறது.',
    ],
    positive: [
      'சேவை மிகவும் நன்றாக இருந்தது, ஊழியர்கள் அன்பாக உதவினார்கள்.',
      'புதிய பதிப்பு மிக வேகமாக உள்ளது, எனக்கு மிகவும் பிடித்திருக்கிறது.',
      'அருமையான வாடிக்கையாளர் சேவை, ஐந்து நிமிடத்தில் பிரச்சனையை தீர்த்தார்கள்.',
    ],
    negative: [
      'டெலிவரி மீண்டும் தாமதமாக வந்தது, யாரும் தொலைபேசியை எடுக்கவில்லை, மோசமான அனுபவம்.',
      'ஆர்டர் உடைந்த நிலையில் வந்தது, இன்னும் பணம் திரும்ப கிடைக்கவில்லை, மிகவும் ஏமாற்றம்.',
      'மேம்படுத்தலுக்குப் பிறகு செயலி அடிக்கடி மூடிவிடுகிறது, இது மோசம்.',
    ],
    brand: ['இன்று அலுவலகத்தில் எல்லோரும் {b} பற்றி பேசுகிறார்கள்.', 'கடந்த மாதம் நான் {b} பயன்படுத்த தொடங்கினேன்.', '{b} இன்று காலை புதிய கூட்டாண்மையை அறிவித்தது.'],
    hashtags: ['#சென்னை', '#செய்திகள்', '#tamilnadu'],
  },
};

export const LANGS = Object.keys(TEXT) as Lang[];

export interface BenchBrand {
  name: string;
  role: 'own' | 'competitor';
  query: string;
  /** How items write the brand; the first languages listed see it most. */
  surfaces: string[];
  langs: Lang[] | 'any';
}

export const BRANDS: BenchBrand[] = [
  { name: 'Acme Coffee', role: 'own', query: '("acme coffee" OR #acmecoffee OR @acmecoffee) -giveaway', surfaces: ['Acme Coffee', '#AcmeCoffee'], langs: 'any' },
  { name: 'Globex Coffee', role: 'competitor', query: '"globex coffee" OR #globex', surfaces: ['Globex Coffee'], langs: 'any' },
  { name: 'Škoda', role: 'competitor', query: '(škod* OR skoda*) -"to je škoda"', surfaces: ['Škoda Auto', 'Škodu', 'Skoda'], langs: ['cs', 'de', 'en', 'hi'] },
  { name: 'Rohlík', role: 'competitor', query: 'rohlik OR rohlík OR #rohlik', surfaces: ['Rohlík.cz', 'Rohlik'], langs: ['cs'] },
  { name: 'Alza', role: 'competitor', query: 'alza OR "alza cz" OR #alza', surfaces: ['Alza.cz', 'Alza'], langs: ['cs'] },
  { name: 'Kofola', role: 'competitor', query: 'kofola OR #kofola', surfaces: ['Kofola', 'Kofolu'], langs: ['cs'] },
  { name: 'Tata Motors', role: 'competitor', query: '"tata motors" OR "टाटा मोटर्स" OR #tatamotors', surfaces: ['Tata Motors', 'टाटा मोटर्स'], langs: ['hi', 'en', 'ta'] },
  { name: 'Flipkart', role: 'competitor', query: 'flipkart OR फ्लिपकार्ट OR ஃபிளிப்கார்ட்', surfaces: ['Flipkart', 'फ्लिपकार्ट', 'ஃபிளிப்கார்ட்'], langs: ['hi', 'ta', 'en'] },
  { name: 'Zomato', role: 'competitor', query: 'zomato OR जोमैटो OR #zomato', surfaces: ['Zomato', 'जोमैटो'], langs: ['hi', 'en'] },
  { name: 'Aavin', role: 'competitor', query: 'aavin OR ஆவின்', surfaces: ['ஆவின்', 'Aavin'], langs: ['ta'] },
  { name: 'Snapp', role: 'competitor', query: 'snapp OR اسنپ', surfaces: ['اسنپ', 'Snapp'], langs: ['fa'] },
  { name: 'Digikala', role: 'competitor', query: 'digikala OR دیجیکالا', surfaces: ['دیجیکالا', 'Digikala'], langs: ['fa'] },
  { name: 'Mercadona', role: 'competitor', query: 'mercadona OR #mercadona', surfaces: ['Mercadona'], langs: ['es'] },
  { name: 'Zalando', role: 'competitor', query: 'zalando -"zalando lounge"', surfaces: ['Zalando'], langs: ['de', 'es', 'cs'] },
  { name: 'Deutsche Bahn', role: 'competitor', query: '"deutsche bahn" OR "db navigator" OR #deutschebahn', surfaces: ['Deutsche Bahn', 'DB Navigator'], langs: ['de'] },
  { name: 'Revolut', role: 'competitor', query: 'revolut -"revolut arena"', surfaces: ['Revolut'], langs: 'any' },
  { name: 'Spotify', role: 'competitor', query: 'spotify OR #spotifywrapped', surfaces: ['Spotify', '#SpotifyWrapped'], langs: 'any' },
  { name: 'IKEA', role: 'competitor', query: 'ikea OR #ikea', surfaces: ['IKEA'], langs: 'any' },
  { name: 'Tesla', role: 'competitor', query: 'tesla NEAR/4 (recall OR autopilot OR delivery OR model)', surfaces: ['Tesla Model 3', 'Tesla Model Y'], langs: ['en', 'de', 'es'] },
  { name: 'Airbnb', role: 'competitor', query: 'airbnb OR #airbnb', surfaces: ['Airbnb'], langs: 'any' },
];

/**
 * The brand's query as a user who follows it only in the languages it is written about would
 * write it: `(query) lang:cs|de…` for a brand with listed languages, the query as it is for one
 * seen in any (`npm run bench -- ingest --lang-filters`). Matching such a workspace reads items'
 * languages, which a poll then detects, for every item or only where a brand's words are found.
 */
export const queryWithLangFilter = (b: BenchBrand): string => (b.langs === 'any' ? b.query : `(${b.query}) lang:${b.langs.join('|')}`);

/**
 * BRANDS as a matcher compiles them, before any database has given them ids: each placeholder id
 * ends in the brand's index in BRANDS (`placeholderIndex`), so a stage that stores the matches can
 * swap in real ids.
 */
export const PLACEHOLDER_BRANDS: ReadonlyArray<{ id: string; name: string; query: string }> = BRANDS.map((b, i) => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  name: b.name,
  query: b.query,
}));
export const placeholderIndex = (id: string): number => Number(id.slice(-12));
/** PLACEHOLDER_BRANDS as one workspace's brand set, what `IngestCompute.prepare` matches a poll against. */
export const PLACEHOLDER_BRAND_SET = { workspaceId: '00000000-0000-4000-8000-000000000001', version: 'bench', brands: PLACEHOLDER_BRANDS };

const brandsFor = (lang: Lang) => BRANDS.filter((b) => b.langs === 'any' || b.langs.includes(lang));
const wordCount = (s: string) => s.split(/\s+/).filter(Boolean).length;

export interface GeneratedText {
  title: string;
  text: string;
  tone: Tone;
  brand: string | null;
}

/** One item's text in `lang`: 30–80 words, one tone, a brand about a third of the time, hashtags about half. */
export function generateText(random: Random, lang: Lang): GeneratedText {
  const t = TEXT[lang];
  const roll = random.next();
  const tone: Tone = roll < 0.4 ? 'neutral' : roll < 0.72 ? 'positive' : 'negative';
  const target = random.int(30, 80);
  const sentences: string[] = [];
  let words = 0;
  const add = (s: string) => {
    sentences.push(s);
    words += wordCount(s);
  };
  const brand = random.chance(0.35) ? random.pick(brandsFor(lang)) : null;
  if (brand) add(random.pick(t.brand).replace('{b}', random.pick(brand.surfaces)));
  while (words < target) add(tone !== 'neutral' && random.chance(0.5) ? random.pick(t[tone]) : random.pick(t.neutral));
  if (random.chance(0.5)) sentences.push(random.pick(t.hashtags));
  if (random.chance(0.2)) sentences.push(random.pick(t.hashtags));
  // Sentences are shuffled so items of one feed do not share their opening words.
  for (let i = sentences.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [sentences[i], sentences[j]] = [sentences[j]!, sentences[i]!];
  }
  const title = sentences.find((s) => !s.startsWith('#'))!.split(/\s+/).slice(0, 8).join(' ');
  return { title, text: sentences.join(' '), tone, brand: brand?.name ?? null };
}
