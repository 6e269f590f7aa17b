/**
 * Function words of romanised Hindi/Urdu ("Hinglish") and romanised Nepali: copulas, auxiliaries,
 * postpositions, pronouns, negators, particles, conjunctions. Since sentiment model 1.6.5 reads
 * such posts (src/domain/sentiment/profile.hinglish.ts), and language detection gives them no
 * language or English, "hai", "nahi", "ki" and "nahi hai" led trending keywords and /v1/terms.
 * Joined to the English list, so they apply wherever it does: to posts of every language and of
 * none. Left out because English posts use them as words of their own: "par" (golf, "on par"),
 * "hum" (a fridge's or speaker's hum), "koi" (the fish), "hue" (colour, the lamps), "hay", "kia"
 * (the cars), "tab", "agar", "fir", "pani", "maine", "ap", "le", "pe", "chan", "ta". Kept though English
 * has them: "main" (Hindi "I"; English "main street" still yields "street"), "ye", "ho", "ma",
 * "ra", "yo", "hi", "mere", "bas", "din": none names a topic on its own.
 */
export const ROMANISED_HINDUSTANI_STOPWORDS: readonly string[] = [
  // Copula and auxiliaries ("is", "are", "was", "will be", "am", "-ing", "went", "happened", "did").
  'hai', 'hain', 'ho', 'hu', 'hun', 'hoon', 'tha', 'thi', 'the', 'thay', 'hoga', 'hogi', 'honge', 'hota', 'hoti', 'hote',
  'raha', 'rahi', 'rahe', 'gaya', 'gayi', 'gaye', 'gya', 'gyi', 'hua', 'hui', 'kar', 'karo', 'karna', 'kiya', 'kiye',
  // Negators and particles ("not", "also", "only", "so", "just").
  'nahi', 'nahin', 'nhi', 'nahee', 'nai', 'na', 'bhi', 'to', 'toh', 'tho', 'hi', 'ji', 'bas', 'yaar', 'bhai',
  // Postpositions and conjunctions ("of", "to", the ergative "ne", "from", "in", "till", "for", "and", "or", "but", "when").
  'ki', 'ka', 'ke', 'ko', 'ne', 'se', 'me', 'mei', 'mein', 'tak', 'liye', 'wala', 'wali', 'wale', 'aur', 'ya', 'lekin', 'magar',
  'jab', 'phir',
  // Pronouns and determiners ("this", "that", "I", "we", "you", "my", "your", "own", "what", "why", "who").
  'ye', 'yeh', 'wo', 'woh', 'vo', 'is', 'us', 'iss', 'uss', 'main', 'mai', 'mujhe', 'mera', 'meri', 'mere', 'hume',
  'humein', 'humne', 'hamara', 'hamari', 'humara', 'tum', 'tera', 'teri', 'tere', 'aap', 'aapka', 'aapki', 'aapke', 'aapko',
  'apna', 'apni', 'apne', 'uska', 'uski', 'iska', 'iski', 'unka', 'unki', 'kya', 'kyu', 'kyun', 'kyon', 'kaise', 'kaisa',
  'kahan', 'kab', 'jo', 'yahan', 'wahan',
  // Quantifiers and time ("very", "some", "all", "one", "now", "ever", "today", "yesterday/tomorrow", "day").
  'bahut', 'bohot', 'bahot', 'bhot', 'kuch', 'kuchh', 'sab', 'sabhi', 'ek', 'ab', 'abhi', 'kabhi', 'aaj', 'kal', 'din',
  // Romanised Nepali: "is", "are", "and", "in", "this", "that", "to", "was", "maybe".
  'cha', 'chha', 'chhan', 'ra', 'ma', 'yo', 'tyo', 'lai', 'thiyo', 'hola',
];

/**
 * Stopwords for the languages no installed package covers (Nepali, Tamil), words the packaged
 * Persian, Czech, Hindi and Gujarati lists miss (auxiliaries, "again", "too", "very"), and
 * social-media filler the packaged English lists lack (and, with it, the romanised Hindi above), and the comparison markers (unlike, compared,
 * oproti) that open a clause about the brand compared with (themes.clauses.ts), and in every
 * language the fillers "honestly", "finally", "every", "always", "day" that trending keywords
 * listed as if they were topics. Written
 * by hand for Earshot, short on purpose: only function words and fillers frequent enough to start
 * or end a useless n-gram.
 */
export const EXTRA_STOPWORDS: Record<string, readonly string[]> = {
  ne: [
    'र', 'छ', 'छन्', 'हो', 'हुन्', 'भएको', 'गरेको', 'को', 'का', 'की', 'मा', 'ले', 'लाई', 'बाट', 'पनि', 'यो', 'त्यो',
    'यस', 'उस', 'उनी', 'उनको', 'तर', 'वा', 'भने', 'हुन्छ', 'गर्न', 'थियो', 'थिए', 'हुने', 'नै', 'सँग', 'लागि', 'भन्दा',
    'अनि', 'के', 'कि', 'जुन', 'यी', 'ती', 'म', 'मेरो', 'हामी', 'हाम्रो', 'तपाईं', 'तपाईंको', 'उ', 'त', 'नि', 'रे', 'अब', 'आज', 'हिजो', 'भोलि',
    'धेरै', 'एक', 'गरी', 'भएर', 'गर्ने', 'छैन', 'होइन', 'पछि', 'अघि', 'माथि', 'तल', 'भित्र', 'बाहिर', 'सबै', 'केही',
    // "Again", "too", "quite", "very", "am", and the auxiliaries "went", "became".
    'फेरि', 'अति', 'निकै', 'एकदम', 'छु', 'हुँ', 'गयो', 'भयो',
  ],
  ta: [
    'ஒரு', 'மற்றும்', 'இந்த', 'அந்த', 'இது', 'அது', 'என்று', 'என', 'உள்ள', 'இல்', 'ஆனால்', 'மிகவும்', 'நான்', 'நாம்',
    'நாங்கள்', 'நீ', 'நீங்கள்', 'அவர்', 'அவள்', 'அவன்', 'அவர்கள்', 'என்', 'எனது', 'உங்கள்', 'போன்ற', 'பற்றி',
    'இருந்து', 'வரை', 'கூட', 'தான்', 'ஆகும்', 'இருக்கிறது', 'உள்ளது', 'உள்ளன', 'இல்லை', 'என்ன', 'எப்படி', 'ஏன்',
    'அல்லது', 'மேலும்', 'பல', 'சில', 'வேண்டும்', 'முடியும்', 'போது', 'பின்', 'முன்', 'மீது', 'கொண்டு', 'ஆக', 'ஓர்',
    'எந்த', 'யார்', 'இங்கே', 'அங்கே', 'இப்போது', 'ரொம்ப', 'இன்று', 'நேற்று', 'நாளை',
    // The copula and auxiliaries in their commonest tenses ("was", "will be", "is" said of a person).
    'இருந்தது', 'இருந்தன', 'இருந்தார்', 'இருக்கும்', 'இருக்கின்றன', 'இருக்கிறார்', 'உள்ளார்', 'ஆனது', 'ஆகிறது',
    'என்பது', 'என்றார்', 'என்றும்',
    // "Again", "still", "much", "very", "a lot".
    'மீண்டும்', 'மறுபடியும்', 'இன்னும்', 'அதிகம்', 'அதிக', 'மிக', 'நிறைய',
    // "Really/honestly", "finally" (two words for it), "every", "always", "day", "daily".
    'உண்மையில்', 'கடைசியாக', 'இறுதியாக', 'ஒவ்வொரு', 'எப்போதும்', 'நாள்', 'தினமும்',
  ],
  // The packaged Persian lists are short (74 words) and miss the copula and the commonest particles.
  fa: [
    'است', 'هست', 'هستند', 'نیست', 'بود', 'بودند', 'شد', 'شده', 'شود', 'می', 'خیلی', 'این', 'آن', 'با', 'برای', 'که',
    'را', 'از', 'به', 'در', 'و', 'یک', 'هم', 'اما', 'یا', 'من', 'ما', 'تو', 'شما', 'او', 'آنها', 'اینجا', 'دیگه', 'دیگر',
    // The copula in every person ("I am", "we are"…), and "very" in its formal spelling beside خیلی.
    'هستم', 'هستی', 'هستیم', 'هستید', 'نیستم', 'نیستیم', 'نیستند', 'بودم', 'بودیم', 'باشد', 'بسیار',
    'امروز', 'دیروز', 'فردا',
    // The plural written apart (سفارش های), "again" (باز هم, دوباره), "still", "really", "much",
    // "always", and the auxiliaries "did", "done", "becomes" (ZWNJ-less: words are compared so).
    'ها', 'های', 'هایی', 'باز', 'بازم', 'دوباره', 'هنوز', 'واقعا', 'واقعاً', 'زیاد', 'همیشه', 'کرد', 'کرده', 'میشود', 'میشه',
    // "Honestly", "finally" (two spellings), "every", "all", "day".
    'صادقانه', 'بالاخره', 'بالأخره', 'هر', 'همه', 'روز',
  ],
  // The packaged Czech lists lack "very" (velmi) and its colloquial kin, "too", "really", and "again", "still";
  // then "honestly", "finally", the cases of "every" they lack, colloquial "always" and "today".
  cs: [
    'velmi', 'opět', 'znovu', 'stále', 'zase', 'docela', 'strašně', 'hrozně', 'včera', 'zítra', 'příliš', 'opravdu', 'fakt', 'furt', 'oproti',
    'upřímně', 'konečně', 'každou', 'každého', 'každém', 'každému', 'každej', 'vždycky', 'dneska',
  ],
  // "Today", "yesterday", "tomorrow": in a post they date it, they are not what it is about. Then
  // "am" and the passive/progressive auxiliaries, "again", "time" (एक बार), "quite",
  // "extremely", and the first- and second-person pronouns the packaged list lacks.
  hi: [
    'आज', 'कल', 'हूँ', 'हूं', 'जाता', 'जाती', 'जाते', 'रही', 'गई', 'गए', 'दोबारा', 'बार', 'काफी', 'काफ़ी', 'बेहद',
    'मैं', 'मुझे', 'मेरा', 'मेरी', 'मेरे', 'हम', 'हमें', 'हमारा', 'हमारी', 'हमारे', 'आपका', 'आपकी', 'आपके', 'तुम', 'वो',
    // "Really", "finally" (with and without nukta), "every", "always", "day", "daily".
    'वाकई', 'सचमुच', 'आखिरकार', 'आख़िरकार', 'हर', 'हमेशा', 'दिन', 'रोज', 'रोज़',
  ],
  // "Was", "very", "more/too much".
  gu: ['આજે', 'કાલે', 'આજ', 'હતો', 'હતાં', 'એકદમ', 'વધારે'],
  en: [
    'rt', 'via', 'amp', 'im', 'ive', 'dont', 'didnt', 'doesnt', 'cant', 'wont', 'isnt', 'wasnt', 'arent', 'u', 'ur',
    'lol', 'omg', 'btw', 'tbh', 'imo', 'gonna', 'wanna', 'got', 'get', 'gets', 'getting', 'just', 'really', 'also',
    'still', 'even', 'yet', 'ever', 'much', 'many', 'lot', 'lots', 'thing', 'things', 'one', 'ones', 'today', 'yesterday',
    'now', 'new', 'like', 'would', 'could', 'should', 'will', 'shall', 'may', 'might', 'must', 'us', 'thats', 'theres',
    'youre', 'theyre', 'whats', 'vs', 'versus', 'unlike', 'compared', 'it\'s', 'i\'m', 'don\'t', 'can\'t', 'won\'t', 'didn\'t', 'doesn\'t', 'isn\'t', 'wasn\'t',
    // Adverbs of stance and frequency, quantifiers and "day": they start or end a phrase, never name a topic.
    'honestly', 'finally', 'actually', 'literally', 'basically', 'definitely', 'seriously', 'totally', 'anyway', 'maybe',
    'probably', 'already', 'always', 'usually', 'sometimes', 'every', 'everyone', 'everybody', 'everything', 'day',
    // Romanised Hindi, Urdu and Nepali, written in posts detected as English or as nothing.
    ...ROMANISED_HINDUSTANI_STOPWORDS,
  ],
};
