import type { ComplaintQuestions } from './sentiment.questions.js';

/**
 * Everyday complaints of a brand's customers whose words carry nothing one at a time, as set
 * phrases per language (VADER scale): a price rise, an app or a bank that is down or keeps
 * crashing, a wait on hold or in a long queue, a lukewarm verdict ("nothing special", "not what it
 * used to be"), a request to fix it ("opravte to", "ठीक करो": the fixing verb's "right", "fine" is
 * no praise there). Written by hand for model 1.6.3, after an audit found a third of such posts read
 * negative. The raising verbs alone are neutral (`neutralStems` in profile.rules.ts), so "prices
 * went up" is a complaint and "raised the quality" is not read as one. English has its own lists
 * in profile.en.ts; phrases in profile.rules.ts win over these. A request is listed in its
 * imperative forms only, never as a verb a stem could share ("opravili", they fixed it, is news).
 */

/** Every phrase made of one choice from each list in turn ('' leaves that list out), at one valence. */
export function combinations(valence: number, ...parts: ReadonlyArray<readonly string[]>): Record<string, number> {
  let phrases = [''];
  for (const part of parts) phrases = phrases.flatMap((start) => part.map((word) => [start, word].filter(Boolean).join(' ')));
  return Object.fromEntries(phrases.map((phrase) => [phrase, valence]));
}

const PRICE_RISE = -1.8;
const FIX_REQUEST = -1.5;
// Fees are news (neutralStems); hidden ones are a complaint.
const HIDDEN_FEES = -1.8;
const OUTAGE = -1.5;
const LUKEWARM = -1.5;
/** Something waited for that did not come, as a wait on hold: "refund nahi mila", "डिलीवरी नहीं आई" (NegatedVerbs). */
export const NOT_RECEIVED = -1.5;
// Mild, everyday complaints of a café's or a shop's customers, each a verdict only in its set form:
// a place that was crowded ("bylo plno", "شلوغ بود"; the word alone is a crowd or a busy market),
// having waited or been made to wait ("čekali jsme", "इंतज़ार करना पड़ा"; a wait is not one when it
// is negated, and "we waited for the launch" is outweighed by what it was waited for), and a
// product that was ordinary or average ("Káva byla obyčejná", "just average"). Copula forms only:
// "ordinary", "normal", "average" alone are news ("average price", "सामान्य", back to normal).
export const CROWDED = -1;
export const WAITED = -1.2;
export const ORDINARY = -1;

// Czech "we waited", "I waited", the verb in either place.
const CS_WAITED = [['čekali', 'čekaly', 'čekal', 'čekala'], ['jsme', 'jsem']];
const FA_PRICES = ['قیمت', 'قیمت‌ها', 'قیمتا', 'کارمزد', 'هزینه', 'هزینه‌ها', 'نرخ'];

export const COMPLAINTS: Record<string, Record<string, number>> = {
  cs: {
    // Crowded ("bylo tam plno", "narváno"), waited ("čekali jsme", "museli jsme čekat"), ordinary ("byla obyčejná").
    ...combinations(CROWDED, ['bylo', 'je', 'byla'], ['', 'tam'], ['plno', 'narváno', 'nacpáno', 'přeplněno', 'tlačenice']),
    přeplněný: CROWDED, přeplněná: CROWDED, přeplněné: CROWDED,
    ...combinations(WAITED, ...CS_WAITED), ...combinations(WAITED, ...[...CS_WAITED].reverse()),
    // čekat is also "to expect": "čekal jsem víc" (expected more) is lukewarm, "čekal jsem horší" a relief.
    ...combinations(LUKEWARM, ...CS_WAITED, ['víc', 'více', 'lepší']), ...combinations(0, ...CS_WAITED, ['horší']),
    ...combinations(WAITED, ['museli', 'musely', 'musel', 'musela'], ['jsme', 'jsem'], ['čekat']), 'nechali nás čekat': WAITED,
    ...combinations(ORDINARY, ['byl', 'byla', 'bylo', 'byly', 'je', 'jsou', 'jen', 'jenom', 'dost', 'úplně'],
      ['obyčejný', 'obyčejná', 'obyčejné', 'průměrný', 'průměrná', 'průměrné']),
    // zvýšit (raise) with its object; zdražit (to raise the price) is a word of its own (profile.rules.ts).
    ...combinations(PRICE_RISE, ['zvýšil', 'zvýšila', 'zvýšilo', 'zvýšili', 'zvýšily', 'zvyšuje', 'zvyšují', 'zvýší'], ['ceny', 'cenu', 'poplatky', 'poplatek']),
    'skryté poplatky': HIDDEN_FEES, 'skrytých poplatků': HIDDEN_FEES, 'skrytými poplatky': HIDDEN_FEES, 'skrytý poplatek': HIDDEN_FEES,
    'nic moc': LUKEWARM, 'k ničemu': -2.2,
    'pořád nic': OUTAGE, 'stále nic': OUTAGE, 'furt nic': OUTAGE, 'se seká': OUTAGE, 'se sekne': OUTAGE,
    // "nejde" (does not work) is a complaint; "nejde o…", "o to nejde" (that is not the point) are not.
    'nejde o': 0, 'o to nejde': 0,
    // "Fix it (please)!": prosím (please, +0.8) asks, it does not praise.
    ...combinations(FIX_REQUEST, ['', 'prosím'], ['opravte', 'spravte'], ['', 'to', 'prosím', 'to prosím']),
  },
  fa: {
    // Crowded, waited or held up, ordinary ("شلوغ بود", "منتظر ماندیم", "معطل شدیم", "معمولی بود").
    ...combinations(CROWDED, ['شلوغ'], ['بود', 'است', 'بودش']), 'شلوغه': CROWDED,
    ...combinations(WAITED, ['منتظر', 'معطل'], ['ماندیم', 'موندیم', 'ماندم', 'موندم', 'شدیم', 'شدم']),
    ...combinations(WAITED, ['معطلمان', 'معطلمون', 'معطلم'], ['کردند', 'کردن']),
    ...combinations(ORDINARY, ['معمولی', 'متوسط'], ['بود', 'است', 'بودش']), 'معمولیه': ORDINARY,
    ...combinations(PRICE_RISE, FA_PRICES, ['', 'را', 'رو'],
      ['بالا برد', 'بالا بردند', 'بالا برده', 'بالا بردن', 'افزایش داد', 'افزایش دادند', 'افزایش داده', 'افزایش می‌دهد', 'افزایش میده', 'گران کرد', 'گرون کرد']),
    ...combinations(PRICE_RISE, FA_PRICES, ['بالا رفت', 'بالا رفته', 'افزایش یافت', 'افزایش یافته']),
    ...combinations(PRICE_RISE, ['افزایش'], ['قیمت', 'قیمت‌ها', 'کارمزد', 'نرخ']),
    // The package's "to raise", "increased", "increases" (+0.8): the verbs alone are no praise.
    'افزایش یافت': 0, 'افزایش می یابد': 0, 'افزایش دادن': 0, 'بالا بردن': 0, 'بالا آمدن': 0,
    'کارمزد پنهان': HIDDEN_FEES, 'هزینه‌های پنهان': HIDDEN_FEES, 'هزینه پنهان': HIDDEN_FEES,
    'تعریفی نداره': LUKEWARM, 'تعریفی ندارد': LUKEWARM, 'مثل قبل نیست': LUKEWARM, 'مثل سابق نیست': LUKEWARM,
    'چنگی به دل نمی‌زند': LUKEWARM, 'چنگی به دل نمیزنه': LUKEWARM,
    'هنوز هیچی': OUTAGE,
    // درست (right, +1.6) in "fix it": لطفا (please, +0.8) asks, it does not praise.
    ...combinations(FIX_REQUEST, ['', 'لطفا'], ['درستش', 'درست', 'حلش', 'رفعش'], ['کنید', 'کنین', 'کن']),
  },
  hi: {
    // Crowded ("भीड़ थी", "बहुत भीड़"), made to wait ("इंतज़ार करना पड़ा"), ordinary ("साधारण थी").
    ...combinations(CROWDED, ['भीड़', 'भीड'], ['', 'बहुत', 'काफ़ी', 'काफी'], ['थी', 'है', 'होती', 'रहती']),
    ...combinations(CROWDED, ['बहुत', 'काफ़ी', 'काफी', 'इतनी'], ['भीड़', 'भीड']), 'भीड़भाड़': CROWDED, 'भीड़ भाड़': CROWDED,
    ...combinations(WAITED, ['इंतज़ार', 'इंतजार', 'वेट'], ['करना पड़ा', 'करनी पड़ी', 'करना पड़ता', 'किया', 'करवाया', 'कराया']),
    ...combinations(ORDINARY, ['साधारण', 'औसत'], ['थी', 'था', 'थे', 'है', 'हैं']),
    ...combinations(PRICE_RISE, ['दाम', 'दामों', 'कीमत', 'कीमतें', 'क़ीमत', 'क़ीमतें', 'फीस', 'फ़ीस', 'चार्ज', 'चार्जेस', 'किराया'],
      ['बढ़ा', 'बढ़ाई', 'बढ़ाए', 'बढ़ाये', 'बढ़ाया', 'बढ़ाएगा', 'बढ़ाएगी', 'बढ़ गई', 'बढ़ गए', 'बढ़ गया', 'बढ़ गईं', 'बढ़ रहे', 'बढ़ रही']),
    // The package's "increases", "increased" (+0.8).
    'बढ़ा देता है': 0, 'बढ़ रही है': 0, 'बढ़ा हुआ': 0,
    'छुपे चार्जेस': HIDDEN_FEES, 'छिपे चार्जेस': HIDDEN_FEES, 'छुपे चार्ज': HIDDEN_FEES, 'छिपे चार्ज': HIDDEN_FEES, 'छुपी फीस': HIDDEN_FEES,
    // "Nothing (at all) special": "ठीक है, कोई ख़ास नहीं" is the okay (ठीक, +1) and this.
    ...combinations(LUKEWARM, ['कुछ', 'कोई'], ['', 'भी'], ['खास', 'ख़ास'], ['', 'बात'], ['नहीं', 'नही']),
    'पहले जैसी नहीं': LUKEWARM, 'पहले जैसा नहीं': LUKEWARM, 'पहले जैसे नहीं': LUKEWARM,
    // बंद is also "closed" (opening hours): only shut for hours or since a time ("तीन घंटे से बंद है"),
    // again, or shut down is an outage.
    'से बंद है': OUTAGE, 'से बंद पड़ा': OUTAGE, 'फिर से बंद': -1.8, 'फिर बंद': -1.8, 'बंद हो गया': OUTAGE, 'बंद हो गई': OUTAGE, 'बंद हो गए': OUTAGE, 'बंद हो जाता': OUTAGE,
    'बंद हो जाती': OUTAGE, 'होल्ड पर': OUTAGE, 'अभी तक कुछ नहीं': OUTAGE, 'लंबी लाइन': OUTAGE, 'लंबी कतार': OUTAGE,
    'चल नहीं रहा': -2, 'चल नहीं रही': -2, 'नहीं चल रहा': -2, 'नहीं चल रही': -2,
    // ठीक (fine, +1) in "fix it"; सुधारें (improve, the package's +1.6) as a request.
    ...combinations(FIX_REQUEST, ['ठीक'], ['करो', 'करें', 'कीजिए', 'करिए', 'कर दो', 'कर दें', 'कर दीजिए', 'करवाइए']),
    'सुधारें': FIX_REQUEST, 'सुधारो': FIX_REQUEST, 'सुधारिए': FIX_REQUEST,
  },
  ne: {
    // Crowded ("भीड थियो"), waited ("पर्ख्यौं", "पर्खनु पर्यो"), ordinary ("साधारण थियो").
    ...combinations(CROWDED, ['भीड', 'भिड', 'भीड़'], ['थियो', 'छ', 'हुन्छ']),
    ...combinations(CROWDED, ['धेरै', 'एकदम', 'एकदमै', 'साह्रै'], ['भीड', 'भिड', 'भीड़']), 'भीडभाड': CROWDED,
    'पर्ख्यौं': WAITED, 'पर्खियौं': WAITED, 'कुर्यौं': WAITED, 'कुर्‍यौं': WAITED,
    ...combinations(WAITED, ['पर्खनु', 'कुर्नु'], ['पर्यो', 'पर्‍यो']),
    'पर्खनुपर्यो': WAITED, 'कुर्नुपर्यो': WAITED, 'पर्खनुपर्‍यो': WAITED, 'कुर्नुपर्‍यो': WAITED,
    ...combinations(ORDINARY, ['साधारण', 'औसत'], ['थियो', 'छ', 'लाग्यो']),
    ...combinations(PRICE_RISE, ['मूल्य', 'भाउ', 'दाम', 'शुल्क', 'भाडा'], ['बढायो', 'बढाए', 'बढाएको', 'बढ्यो', 'बढेको', 'बढ्दै']),
    'लुकेको शुल्क': HIDDEN_FEES, 'लुकेका शुल्क': HIDDEN_FEES,
    'खासै केही छैन': LUKEWARM, 'खास केही छैन': LUKEWARM,
    'पहिलेजस्तो रहेन': LUKEWARM, 'पहिले जस्तो रहेन': LUKEWARM, 'पहिलेजस्तो छैन': LUKEWARM, 'पहिले जस्तो छैन': LUKEWARM,
    'फेरि बन्द': -1.8, 'बन्द भयो': OUTAGE, 'काम गरेन': -2, 'काम गर्दैन': -2, 'लामो लाइन': OUTAGE, 'लामो लाम': OUTAGE,
    // ठीक (fine, +1) in "fix it"; कृपया (please, +0.8) asks, it does not praise.
    ...combinations(FIX_REQUEST, ['', 'कृपया'], ['ठीक गर्नुहोस्', 'ठीक गर्नुस्', 'ठीक पार्नुहोस्', 'मिलाउनुहोस्', 'मिलाइदिनुहोस्', 'सच्याउनुहोस्']),
  },
  gu: {
    // Crowded ("ભીડ હતી"), made to wait ("રાહ જોવી પડી"), ordinary ("સાધારણ હતી").
    ...combinations(CROWDED, ['ભીડ'], ['', 'બહુ', 'ખૂબ'], ['હતી', 'છે', 'હોય']), ...combinations(CROWDED, ['બહુ', 'ખૂબ', 'એટલી', 'ભારે'], ['ભીડ']),
    ...combinations(WAITED, ['રાહ'], ['જોવી પડી', 'જોવી પડે', 'જોવડાવી']), 'વેઇટ કરવું પડ્યું': WAITED,
    ...combinations(ORDINARY, ['સાધારણ', 'એવરેજ'], ['હતી', 'હતો', 'હતું', 'હતા', 'છે']),
    // Not "વધારે", which is also "more" (an intensifier): "ભાવ વધારે" is listed in profile.rules.ts.
    ...combinations(PRICE_RISE, ['કિંમત', 'ભાવ', 'ફી', 'ચાર્જ'], ['વધારી', 'વધાર્યો', 'વધાર્યા', 'વધાર્યું', 'વધી', 'વધ્યા', 'વધ્યો']),
    'પહેલા જેવી નથી': LUKEWARM, 'પહેલા જેવું નથી': LUKEWARM, 'પહેલા જેવો નથી': LUKEWARM, 'પહેલાં જેવી નથી': LUKEWARM, 'પહેલાં જેવું નથી': LUKEWARM,
    'ફરી બંધ': -1.8, 'બંધ થઈ ગયું': OUTAGE, 'બંધ થઈ ગઈ': OUTAGE, 'બંધ થઈ ગયા': OUTAGE, 'હોલ્ડ પર': OUTAGE,
    'લાંબી લાઈન': OUTAGE, 'લાંબી લાઇન': OUTAGE, 'લાંબી કતાર': OUTAGE,
    // ઠીક (fine, +1) in "fix it".
    ...combinations(FIX_REQUEST, ['ઠીક'], ['કરો', 'કરી દો', 'કરજો', 'કરી આપો']), 'સુધારી દો': FIX_REQUEST, 'સુધારો કરો': FIX_REQUEST,
  },
  ta: {
    // Crowded ("கூட்டமாக இருந்தது"), waited ("காத்திருந்தோம்", "காத்திருக்க வேண்டியிருந்தது"), ordinary
    // ("சாதாரணமாக இருந்தது"): "கூட்டம்" alone is also a meeting, "சாதாரணமாக" alone "usually".
    ...combinations(CROWDED, ['கூட்டமாக', 'கூட்டமா', 'நெரிசலாக', 'நெரிசலா'], ['இருந்தது', 'இருக்கிறது', 'இருந்துச்சு', 'இருக்கு', 'உள்ளது']),
    'கூட்டம் அதிகம்': CROWDED, 'ரொம்ப கூட்டம்': CROWDED, 'கூட்ட நெரிசல்': CROWDED,
    'காத்திருந்தோம்': WAITED, 'காத்திருந்தேன்': WAITED, 'வெயிட் பண்ணோம்': WAITED, 'வெயிட் பண்ணேன்': WAITED,
    ...combinations(WAITED, ['காத்திருக்க', 'வெயிட் பண்ண'], ['வேண்டியிருந்தது', 'வேண்டி இருந்தது', 'வைத்தார்கள்', 'வச்சாங்க']),
    ...combinations(ORDINARY, ['சாதாரணமாக', 'சாதாரணமா', 'சுமாராக', 'சுமாரா'], ['இருந்தது', 'இருக்கிறது', 'இருந்துச்சு', 'இருக்கு', 'உள்ளது']),
    ...combinations(PRICE_RISE, ['விலையை', 'விலைகளை', 'கட்டணத்தை'],
      ['உயர்த்தி', 'உயர்த்தியது', 'உயர்த்துகிறது', 'உயர்த்தினார்கள்', 'உயர்த்திட்டாங்க', 'ஏற்றியது', 'ஏத்திட்டாங்க']),
    'விலை உயர்வு': PRICE_RISE, 'கட்டண உயர்வு': PRICE_RISE, 'விலை ஏற்றம்': PRICE_RISE,
    'முன்ன மாதிரி இல்லை': LUKEWARM, 'முன்பு மாதிரி இல்லை': LUKEWARM, 'முன்னாடி மாதிரி இல்லை': LUKEWARM,
    'முன்பு போல் இல்லை': LUKEWARM, 'முன்பு போல இல்லை': LUKEWARM,
    'நீண்ட வரிசை': OUTAGE,
    // சரி (all right, +1) in "fix it".
    ...combinations(FIX_REQUEST, ['சரி'], ['செய்யுங்கள்', 'செய்யுங்க', 'செய்யவும்', 'பண்ணுங்க', 'பண்ணுங்கள்']),
    'சரிசெய்யுங்கள்': FIX_REQUEST, 'சரிசெய்யவும்': FIX_REQUEST, 'சரிபண்ணுங்க': FIX_REQUEST,
  },
  // "Por favor" is "please", not the package's "favour" (+1.6): neutral as a whole.
  es: {
    // Crowded ("abarrotado"; "lleno" is also full of flavour), made to wait (not "esperamos", also
    // "we hope"), ordinary ("del montón", "estuvo regular").
    abarrotado: CROWDED, abarrotada: CROWDED, 'demasiada gente': CROWDED, 'lleno de gente': CROWDED, 'llena de gente': CROWDED,
    ...combinations(WAITED, ['tuvimos que', 'tuve que', 'nos hicieron', 'me hicieron'], ['esperar']), 'estuvimos esperando': WAITED,
    ...combinations(ORDINARY, ['era', 'fue', 'es', 'estuvo', 'muy'], ['normalito', 'normalita', 'regular', 'del montón']),
    'en espera': OUTAGE, 'cola larga': OUTAGE, 'larga cola': OUTAGE, 'otra vez caída': -1.8, 'está caída': OUTAGE, 'está caído': OUTAGE,
    'por favor': 0, arreglen: FIX_REQUEST, arreglad: FIX_REQUEST, arréglenlo: FIX_REQUEST, solucionen: FIX_REQUEST, reparen: FIX_REQUEST,
  },
  pt: {
    // Crowded ("lotado"; "cheio" is also full of flavour), made to wait ("esperamos" is also "we hope"), ordinary.
    lotado: CROWDED, lotada: CROWDED, superlotado: CROWDED, superlotada: CROWDED, 'cheio de gente': CROWDED, 'cheia de gente': CROWDED,
    ...combinations(WAITED, ['tivemos que', 'tive que'], ['esperar']), 'ficamos esperando': WAITED, 'fiquei esperando': WAITED,
    ...combinations(ORDINARY, ['era', 'foi', 'é', 'bem', 'estava'], ['normalzinho', 'normalzinha', 'mediano', 'mediana']),
    'em espera': OUTAGE, 'fora do ar': -1.8, 'fila enorme': OUTAGE, 'fila grande': OUTAGE, 'fila longa': OUTAGE,
    'por favor': 0, consertem: FIX_REQUEST, corrijam: FIX_REQUEST, arrumem: FIX_REQUEST, resolvam: FIX_REQUEST,
  },
  de: {
    // Crowded ("überfüllt"; "voll" is also an intensifier), had to wait ("gewartet" is also serviced),
    // average (not "gewöhnlich", also "usually").
    überfüllt: CROWDED, rappelvoll: CROWDED, proppenvoll: CROWDED, 'zu voll': CROWDED,
    ...combinations(WAITED, ['mussten', 'musste'], ['', 'lange'], ['warten']),
    // The verb comes last: "wir mussten zwanzig Minuten warten", "haben eine Stunde gewartet".
    ...combinations(WAITED, ['minuten', 'stunde', 'stunden', 'ewig', 'lange'], ['warten', 'gewartet']),
    ...combinations(ORDINARY, ['war', 'ist', 'nur', 'eher'], ['durchschnittlich', 'mittelmäßig']),
    'ist down': OUTAGE, 'wieder down': -1.8, 'lange schlange': OUTAGE,
    ...combinations(FIX_REQUEST, ['repariert', 'behebt', 'fixt'], ['das', 'den fehler']),
    ...combinations(FIX_REQUEST, ['bitte'], ['reparieren', 'beheben', 'fixen', 'repariert', 'behebt', 'fixt']),
  },
  fr: {
    // Crowded ("bondé"), waited ("on a attendu", "j'ai dû attendre"), ordinary ("était moyen", "quelconque").
    bondé: CROWDED, bondée: CROWDED, 'trop de monde': CROWDED, 'plein à craquer': CROWDED,
    ...combinations(WAITED, ['a', 'ai', 'avons'], ['attendu', 'dû attendre']),
    ...combinations(ORDINARY, ['était', 'est', 'plutôt', 'très'], ['ordinaire', 'moyen', 'moyenne', 'banal', 'quelconque']),
    'en attente': OUTAGE, 'longue attente': OUTAGE, 'longue file': OUTAGE, réparez: FIX_REQUEST, corrigez: FIX_REQUEST,
  },
  ar: {
    // Crowded ("مزدحم", "زحمة"), waited ("انتظرنا", "اضطررنا للانتظار"), ordinary ("كان عادي").
    مزدحم: CROWDED, مزدحمة: CROWDED, زحمة: CROWDED, انتظرنا: WAITED, 'اضطررنا للانتظار': WAITED, 'اضطررنا ننتظر': WAITED,
    ...combinations(ORDINARY, ['كان', 'كانت'], ['عادي', 'عادية', 'متوسط', 'متوسطة']),
    'لا يشتغل': -2, 'ما يشتغل': -2, 'مش شغال': -2, 'طابور طويل': OUTAGE,
    أصلحوا: FIX_REQUEST, صلحوا: FIX_REQUEST, 'حلوا المشكلة': FIX_REQUEST, 'يرجى إصلاح': FIX_REQUEST, 'الرجاء إصلاح': FIX_REQUEST,
  },
};

/** A complaint put as a question scores like an outage (SentimentProfile.complaintQuestions). */
export const COMPLAINT_QUESTION = OUTAGE;

/** Askers and the markers that make each one's question a complaint; words of a phrase joined by spaces. */
type QuestionGroup = { askers: readonly string[]; markers: readonly string[] };

/**
 * Complaints put as questions, per language (see ComplaintQuestions in sentiment.engine.ts): why a
 * fault comes back or lasts ("why … again", "proč zase", "फिर से क्यों", "چرا هر بار"), how long a
 * wait lasts, when a fault gets fixed. "When … again" is no group of its own: "when will Kofi open
 * again?" asks the hours. No sarcasm, no question mark alone: "why?" and "how long does delivery
 * take?" ask, and stay neutral.
 */
export const COMPLAINT_QUESTIONS: Record<string, readonly QuestionGroup[]> = {
  en: [
    {
      askers: ['why', 'how come'],
      markers: ['again', 'still', 'always', 'keep', 'keeps', 'kept', 'constantly', 'every time', 'every single time', 'each time', 'all the time', 'anymore', 'yet', 'so long'],
    },
    { askers: ['how long', 'how much longer'], markers: ['wait', 'waiting', 'still', 'again', 'keep', 'keeps'] },
    { askers: ['when will', 'when are you going to', 'when is it going to'], markers: ['fix', 'fixed', 'work', 'working'] },
  ],
  cs: [
    { askers: ['proč'], markers: ['zase', 'znovu', 'pořád', 'furt', 'stále', 'vždycky', 'vždy', 'pokaždé', 'neustále', 'ještě'] },
    { askers: ['jak dlouho', 'do kdy'], markers: ['čekat', 'čekám', 'čekáme', 'pořád', 'zase', 'furt', 'ještě'] },
    { askers: ['kdy'], markers: ['opravíte', 'opraví', 'spravíte', 'fungovat'] },
  ],
  es: [
    { askers: ['por qué'], markers: ['otra vez', 'de nuevo', 'siempre', 'cada vez', 'todavía', 'sigue', 'siguen', 'constantemente', 'todo el rato'] },
    { askers: ['cuánto tiempo', 'hasta cuándo'], markers: ['esperar', 'esperando', 'todavía', 'sigue'] },
    { askers: ['cuándo'], markers: ['arreglan', 'arreglarán', 'solucionan', 'funcionará'] },
  ],
  pt: [
    { askers: ['por que', 'porque', 'por quê'], markers: ['de novo', 'outra vez', 'sempre', 'toda vez', 'ainda', 'continua', 'toda hora'] },
    { askers: ['quanto tempo', 'até quando'], markers: ['esperar', 'esperando', 'ainda'] },
    { askers: ['quando'], markers: ['consertam', 'consertar', 'resolvem', 'funcionar'] },
  ],
  de: [
    { askers: ['warum', 'wieso', 'weshalb'], markers: ['wieder', 'immer', 'jedes mal', 'ständig', 'dauernd', 'noch'] },
    { askers: ['wie lange'], markers: ['warten', 'warte', 'noch'] },
    { askers: ['wann'], markers: ['behoben', 'repariert', 'funktioniert'] },
  ],
  fr: [
    { askers: ['pourquoi'], markers: ['encore', 'toujours', 'chaque fois', 'sans arrêt', 'tout le temps', 'de nouveau'] },
    { askers: ['combien de temps', "jusqu'à quand"], markers: ['attendre', 'attends', 'toujours', 'encore'] },
    { askers: ['quand'], markers: ['réparer', 'corriger', 'réparé', 'corrigé', 'fonctionner', 'marcher'] },
  ],
  hi: [
    { askers: ['क्यों'], markers: ['फिर', 'दोबारा', 'हर बार', 'हमेशा', 'अभी भी', 'अब भी', 'बार बार', 'लगातार'] },
    { askers: ['कब तक', 'कितनी देर'], markers: ['इंतज़ार', 'इंतजार', 'अभी भी', 'फिर'] },
    { askers: ['कब'], markers: ['ठीक'] },
  ],
  ne: [
    { askers: ['किन'], markers: ['फेरि', 'हरेक पटक', 'हरेक चोटि', 'सधैं', 'अझै', 'बारम्बार', 'पटक पटक'] },
    { askers: ['कहिलेसम्म', 'कति बेर'], markers: ['पर्खनु', 'पर्खिरहेको', 'कुर्नु', 'अझै'] },
    { askers: ['कहिले'], markers: ['ठीक'] },
  ],
  gu: [
    { askers: ['કેમ', 'શા માટે'], markers: ['ફરી', 'ફરીથી', 'દર વખતે', 'દરેક વખતે', 'હંમેશા', 'હજુ', 'હજી', 'વારંવાર'] },
    { askers: ['ક્યાં સુધી'], markers: ['રાહ', 'હજુ', 'હજી'] },
    { askers: ['ક્યારે'], markers: ['ઠીક'] },
  ],
  ta: [
    { askers: ['ஏன்'], markers: ['மறுபடியும்', 'மீண்டும்', 'திரும்பவும்', 'ஒவ்வொரு தடவையும்', 'ஒவ்வொரு முறையும்', 'எப்பவும்', 'எப்போதும்', 'இன்னும்', 'அடிக்கடி'] },
    { askers: ['எவ்வளவு நேரம்', 'எவ்ளோ நேரம்', 'எப்போ வரைக்கும்'], markers: ['காத்திருக்க', 'வெயிட்', 'இன்னும்'] },
    { askers: ['எப்போ', 'எப்போது'], markers: ['சரி'] },
  ],
  fa: [
    { askers: ['چرا'], markers: ['باز', 'دوباره', 'هر بار', 'هر دفعه', 'همیشه', 'هنوز', 'مدام', 'همش'] },
    { askers: ['تا کی', 'چقدر دیگه'], markers: ['صبر', 'منتظر', 'هنوز'] },
  ],
  ar: [
    { askers: ['لماذا', 'ليش', 'ليه'], markers: ['مرة ثانية', 'مرة أخرى', 'مرة تانية', 'كل مرة', 'دائما', 'دايما', 'لسه', 'ما زال', 'مازال', 'على طول'] },
    { askers: ['إلى متى', 'لحد امتى'], markers: ['ننتظر', 'انتظر', 'لسه'] },
  ],
};

/** The profile's ComplaintQuestions for `lang`, its words spelt as `normalise` spells the text's. */
export function complaintQuestions(lang: string, normalise: (word: string) => string = (w) => w): ComplaintQuestions | undefined {
  const groups = COMPLAINT_QUESTIONS[lang];
  if (!groups) return undefined;
  const phrases = (list: readonly string[]) => list.map((phrase) => phrase.normalize('NFC').split(' ').map(normalise));
  return { groups: groups.map(({ askers, markers }) => ({ askers: phrases(askers), markers: phrases(markers) })), valence: COMPLAINT_QUESTION };
}
