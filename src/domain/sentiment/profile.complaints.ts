/**
 * Everyday complaints of a brand's customers whose words carry nothing one at a time, as set
 * phrases per language (VADER scale): a price rise, an app or a bank that is down or keeps
 * crashing, a wait on hold or in a long queue, a lukewarm verdict ("nothing special", "not what it
 * used to be"). Written by hand for model 1.6.3, after an audit found a third of such posts read
 * negative. The raising verbs alone are neutral (`neutralStems` in profile.rules.ts), so "prices
 * went up" is a complaint and "raised the quality" is not read as one. English has its own lists
 * in profile.en.ts; phrases in profile.rules.ts win over these.
 */

/** Every phrase made of one choice from each list in turn ('' leaves that list out), at one valence. */
function combinations(valence: number, ...parts: ReadonlyArray<readonly string[]>): Record<string, number> {
  let phrases = [''];
  for (const part of parts) phrases = phrases.flatMap((start) => part.map((word) => [start, word].filter(Boolean).join(' ')));
  return Object.fromEntries(phrases.map((phrase) => [phrase, valence]));
}

const PRICE_RISE = -1.8;
// Fees are news (neutralStems); hidden ones are a complaint.
const HIDDEN_FEES = -1.8;
const OUTAGE = -1.5;
const LUKEWARM = -1.5;

const FA_PRICES = ['قیمت', 'قیمت‌ها', 'قیمتا', 'کارمزد', 'هزینه', 'هزینه‌ها', 'نرخ'];

export const COMPLAINTS: Record<string, Record<string, number>> = {
  cs: {
    // zvýšit (raise) with its object; zdražit (to raise the price) is a word of its own (profile.rules.ts).
    ...combinations(PRICE_RISE, ['zvýšil', 'zvýšila', 'zvýšilo', 'zvýšili', 'zvýšily', 'zvyšuje', 'zvyšují', 'zvýší'], ['ceny', 'cenu', 'poplatky', 'poplatek']),
    'skryté poplatky': HIDDEN_FEES, 'skrytých poplatků': HIDDEN_FEES, 'skrytými poplatky': HIDDEN_FEES, 'skrytý poplatek': HIDDEN_FEES,
    'nic moc': LUKEWARM, 'k ničemu': -2.2,
    'pořád nic': OUTAGE, 'stále nic': OUTAGE, 'furt nic': OUTAGE, 'se seká': OUTAGE, 'se sekne': OUTAGE,
    // "nejde" (does not work) is a complaint; "nejde o…", "o to nejde" (that is not the point) are not.
    'nejde o': 0, 'o to nejde': 0,
  },
  fa: {
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
  },
  hi: {
    ...combinations(PRICE_RISE, ['दाम', 'दामों', 'कीमत', 'कीमतें', 'क़ीमत', 'क़ीमतें', 'फीस', 'फ़ीस', 'चार्ज', 'चार्जेस', 'किराया'],
      ['बढ़ा', 'बढ़ाई', 'बढ़ाए', 'बढ़ाये', 'बढ़ाया', 'बढ़ाएगा', 'बढ़ाएगी', 'बढ़ गई', 'बढ़ गए', 'बढ़ गया', 'बढ़ गईं', 'बढ़ रहे', 'बढ़ रही']),
    // The package's "increases", "increased" (+0.8).
    'बढ़ा देता है': 0, 'बढ़ रही है': 0, 'बढ़ा हुआ': 0,
    'छुपे चार्जेस': HIDDEN_FEES, 'छिपे चार्जेस': HIDDEN_FEES, 'छुपे चार्ज': HIDDEN_FEES, 'छिपे चार्ज': HIDDEN_FEES, 'छुपी फीस': HIDDEN_FEES,
    'कुछ ख़ास नहीं': LUKEWARM, 'कुछ खास नहीं': LUKEWARM, 'पहले जैसी नहीं': LUKEWARM, 'पहले जैसा नहीं': LUKEWARM, 'पहले जैसे नहीं': LUKEWARM,
    // बंद is also "closed" (opening hours): only shut for hours or since a time ("तीन घंटे से बंद है"),
    // again, or shut down is an outage.
    'से बंद है': OUTAGE, 'से बंद पड़ा': OUTAGE, 'फिर से बंद': -1.8, 'फिर बंद': -1.8, 'बंद हो गया': OUTAGE, 'बंद हो गई': OUTAGE, 'बंद हो गए': OUTAGE, 'बंद हो जाता': OUTAGE,
    'बंद हो जाती': OUTAGE, 'होल्ड पर': OUTAGE, 'अभी तक कुछ नहीं': OUTAGE, 'लंबी लाइन': OUTAGE, 'लंबी कतार': OUTAGE,
    'चल नहीं रहा': -2, 'चल नहीं रही': -2, 'नहीं चल रहा': -2, 'नहीं चल रही': -2,
  },
  ne: {
    ...combinations(PRICE_RISE, ['मूल्य', 'भाउ', 'दाम', 'शुल्क', 'भाडा'], ['बढायो', 'बढाए', 'बढाएको', 'बढ्यो', 'बढेको', 'बढ्दै']),
    'लुकेको शुल्क': HIDDEN_FEES, 'लुकेका शुल्क': HIDDEN_FEES,
    'खासै केही छैन': LUKEWARM, 'खास केही छैन': LUKEWARM,
    'पहिलेजस्तो रहेन': LUKEWARM, 'पहिले जस्तो रहेन': LUKEWARM, 'पहिलेजस्तो छैन': LUKEWARM, 'पहिले जस्तो छैन': LUKEWARM,
    'फेरि बन्द': -1.8, 'बन्द भयो': OUTAGE, 'काम गरेन': -2, 'काम गर्दैन': -2, 'लामो लाइन': OUTAGE, 'लामो लाम': OUTAGE,
  },
  gu: {
    // Not "વધારે", which is also "more" (an intensifier): "ભાવ વધારે" is listed in profile.rules.ts.
    ...combinations(PRICE_RISE, ['કિંમત', 'ભાવ', 'ફી', 'ચાર્જ'], ['વધારી', 'વધાર્યો', 'વધાર્યા', 'વધાર્યું', 'વધી', 'વધ્યા', 'વધ્યો']),
    'પહેલા જેવી નથી': LUKEWARM, 'પહેલા જેવું નથી': LUKEWARM, 'પહેલા જેવો નથી': LUKEWARM, 'પહેલાં જેવી નથી': LUKEWARM, 'પહેલાં જેવું નથી': LUKEWARM,
    'ફરી બંધ': -1.8, 'બંધ થઈ ગયું': OUTAGE, 'બંધ થઈ ગઈ': OUTAGE, 'બંધ થઈ ગયા': OUTAGE, 'હોલ્ડ પર': OUTAGE,
    'લાંબી લાઈન': OUTAGE, 'લાંબી લાઇન': OUTAGE, 'લાંબી કતાર': OUTAGE,
  },
  ta: {
    ...combinations(PRICE_RISE, ['விலையை', 'விலைகளை', 'கட்டணத்தை'],
      ['உயர்த்தி', 'உயர்த்தியது', 'உயர்த்துகிறது', 'உயர்த்தினார்கள்', 'உயர்த்திட்டாங்க', 'ஏற்றியது', 'ஏத்திட்டாங்க']),
    'விலை உயர்வு': PRICE_RISE, 'கட்டண உயர்வு': PRICE_RISE, 'விலை ஏற்றம்': PRICE_RISE,
    'முன்ன மாதிரி இல்லை': LUKEWARM, 'முன்பு மாதிரி இல்லை': LUKEWARM, 'முன்னாடி மாதிரி இல்லை': LUKEWARM,
    'முன்பு போல் இல்லை': LUKEWARM, 'முன்பு போல இல்லை': LUKEWARM,
    'நீண்ட வரிசை': OUTAGE,
  },
  es: { 'en espera': OUTAGE, 'cola larga': OUTAGE, 'larga cola': OUTAGE, 'otra vez caída': -1.8, 'está caída': OUTAGE, 'está caído': OUTAGE },
  pt: { 'em espera': OUTAGE, 'fora do ar': -1.8, 'fila enorme': OUTAGE, 'fila grande': OUTAGE, 'fila longa': OUTAGE },
  de: { 'ist down': OUTAGE, 'wieder down': -1.8, 'lange schlange': OUTAGE },
  fr: { 'en attente': OUTAGE, 'longue attente': OUTAGE, 'longue file': OUTAGE },
  ar: { 'لا يشتغل': -2, 'ما يشتغل': -2, 'مش شغال': -2, 'طابور طويل': OUTAGE },
};
