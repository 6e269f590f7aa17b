/**
 * Marker words per language: frequent function words and social-media staples, lowercase.
 * A word listed for several languages counts for each of them. Written by hand from general
 * knowledge of each language; they decide short texts where character statistics cannot.
 */
const LATIN_MARKERS: Record<string, string> = {
  en: 'the and is are was were be been to of in on at for with this that it its i you he she we they my your our ' +
    'not no do does did dont don\'t can\'t cant won\'t isn\'t it\'s i\'m im have has had will would just so very really ' +
    'what when where who how why all get got love great good thanks thank lol omg new best like one out about from ' +
    'there their them but or if me an by up more than people day time today never ever again as who else his her ' +
    'him which into also these those much many make made well even still then only over such because any each ' +
    'other some could should while after before being through very funny nice movie story work worst really ' +
    'enough every own same here back way thing things little big long',
  cs: 'je jsem jsi jsme jste jsou byl byla bylo byli a i ale to ten ta tohle tahle toto na v ve se s z ze do od po ' +
    'pro že už jak když co kde proč který která které není nejsem nebo taky také moc velmi fakt super díky děkuji ' +
    'prosím ještě jen mi mě mně ti tě vám nám jeho její jejich můj moje tady dnes zítra včera nikdy vůbec žádný ' +
    'bude budu mám má máme mají nic něco jako by aby',
  es: 'el la los las un una unos unas y o pero que de del en con por para es son fue era está están estoy muy más ' +
    'no sí ya lo le les me mi mis tu su sus nos se al como cuando donde qué quién porque también todo todos nada ' +
    'nunca gracias hoy mañana ayer aquí hay tengo tiene eso esto esta este ese esa bien mal mucho muchísimo ' +
    'bueno buena buenos buenas malo mala malos malas excelente pésimo pésima',
  de: 'der die das den dem des ein eine einen einem und oder aber ist sind war waren bin bist hat haben habe ich du er ' +
    'sie es wir ihr mit für von zu im am auf aus bei nach nicht kein keine keinen sehr auch noch schon nur so wie was ' +
    'wer wo warum wenn dass mir mich dir dich uns euch mein meine dein heute morgen gestern hier danke bitte gut ' +
    'wieder immer nie echt mal viel',
  fr: 'le la les un une des du de et ou mais est sont était suis es sommes être avoir ai as a avons ont je tu il elle ' +
    'nous vous ils elles ce cet cette ces mon ma mes ton ta son sa ses pour avec dans sur par pas ne plus très trop ' +
    'aussi encore déjà toujours jamais rien tout tous qui que quoi quand où comment pourquoi merci bien bon bonne ' +
    'aujourd\'hui demain hier ici c\'est j\'ai n\'est ça au aux',
  pt: 'o a os as um uma uns umas e ou mas que de do da dos das em no na nos nas com por para pelo pela é são foi era ' +
    'está estão estou sou muito mais não sim já lhe me meu minha seu sua se ao como quando onde porque também tudo ' +
    'nada nunca obrigado obrigada hoje amanhã ontem aqui tem tenho isso isto esta este essa esse bem mal você vocês ' +
    'eu ele ela nós eles elas demais bom boa ruim ótimo ótima péssimo péssima excelente',
};

export const LATIN_WORDS: ReadonlyMap<string, readonly string[]> = (() => {
  const map = new Map<string, string[]>();
  for (const [lang, words] of Object.entries(LATIN_MARKERS)) {
    for (const word of words.split(' ')) map.set(word, [...(map.get(word) ?? []), lang]);
  }
  return map;
})();

/** Letters one Latin-script language uses and the others here do not (or barely). */
export const LATIN_LETTERS: ReadonlyMap<string, string> = new Map([
  ...[...'ěščřžůťďňý'].map((c): [string, string] => [c, 'cs']),
  ...[...'ñ¿¡'].map((c): [string, string] => [c, 'es']),
  ...[...'ßäöü'].map((c): [string, string] => [c, 'de']),
  ...[...'èêëïîœùûâ'].map((c): [string, string] => [c, 'fr']),
  ...[...'ãõ'].map((c): [string, string] => [c, 'pt']),
]);

/**
 * Spellings typical of one language: French elisions, Portuguese -ção/-nh-, Spanish -ción/ll, German
 * sch/-ung. Czech "ch" counts before a consonant or at a word's end (chci, chtěl, všech, lidech):
 * before a vowel it is as common in English (chai, chat, check, chocolate).
 */
export const LATIN_SHAPES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^(?:j|l|d|c|n|qu|m|s|t)'\p{L}/u, 'fr'],
  [/(?:eau|eux|aux|oi[ts]?|ée|ées|ique|ment)$/u, 'fr'],
  [/(?:ção|ções|ão|ões|nh|lh)/u, 'pt'],
  [/(?:ción|ciones|ll|dad|ísimo)/u, 'es'],
  [/(?:sch|ung$|keit$|heit$|chen$|lich$|ei)/u, 'de'],
  [/(?:ing$|th|ly$|ight|ness$|ful$|less$|ed$|w)/u, 'en'],
  [/(?:ou$|ch(?![aeiou])|ov|st$|ní$|ný$|ku$)/u, 'cs'],
];

/**
 * Romanised Hindi (Hindi in Latin letters, as social posts write it: "yeh phone bahut accha hai"),
 * detected as hi. Its words, weighed as evidence: 1 for a word no language Earshot detects writes,
 * .5 for a short one other languages share or one that is also a name or a word elsewhere (German
 * "mein", English "ye", Czech and Indonesian "ke", Tagalog "ka", the names Abhi and Diya, Czech
 * "mila", MATLAB). Malay and Indonesian "hai" (hi) stays at 1: it never decides alone
 * (ROMANISED_HINDI_MIN). Left out: "to", "is", "do", "me", "so", "main", "mere", "the", "par",
 * "na", "mat", "tak", "lagi", English, Czech, Malay or Tagalog words first. A word listed here gets
 * no spelling evidence (LATIN_SHAPES): the "th" of "tha", the "w" of "wala", the "ch" of "kuch" are Hindi.
 */
export const ROMANISED_HINDI: ReadonlyMap<string, number> = new Map([
  ...('hai hain nahi nahin nhi nahee bahut bohot bahot bohat bhot kya kyun kyu kyon kyunki aur bhi kuch kuchh tha thi thay ' +
    'raha rahi rahe gaya gayi gaye gya gyi hoon hota hoti hote hoga hogi honge hua hui mujhe humein hume humne hamara ' +
    'hamari humara aap aapka aapki aapke aapko apna apni apne wala wali wale liye saath sath kabhi toh karo karna kiya ' +
    'kiye karte karta karti sakta sakti sakte chahiye yaar accha acha achha acchi achhi achi acche achhe theek thik ' +
    'bilkul lekin magar phir kaise kaisa kahan yahan wahan mera meri tera teri uska uski iska iski unka unki zyada jyada ' +
    'thoda thodi kaafi haan baad liya laga lagta ' +
    // Verdicts and verbs of everyday posts, no other language's words: one alone is a loanword.
    'bekaar bekar bakwas bakwaas ghatiya badhiya badiya shandaar zabardast pasand kharab kharaab aaya aayi ' +
    'aaye dekh dekha dekho kharidna kharido aaj maza mazaa ekdam ekdum paisa paise').split(' ').map((w): [string, number] => [w, 1]),
  ...'ke ka ki ko se ne ye yeh ho hu mein abhi bhai ji kab jab ek sab kar agar diya mila mili matlab'.split(' ').map((w): [string, number] => [w, 0.5]),
]);

/**
 * How much romanised Hindi a text needs to be hi at all: different words weighing 2, one of them
 * of weight 1. One stray word ("thanks bhai", Malay "hai kak") or a run of the short shared ones
 * ("ke", "ka") is no Hindi.
 */
export const ROMANISED_HINDI_MIN = 2;

// Hindi writes postpositions as separate words (में, से, को) and ends verbs in है/था; Nepali
// attaches them (सेवामा, सेवाबाट) and ends verbs in छ/छन्/थियो/भयो.
export const DEVANAGARI_WORDS: ReadonlyMap<string, 'hi' | 'ne'> = new Map([
  ...'है हैं था थी थे का की के में नहीं और यह वह से पर हूँ हूं रहा रही रहे गया गई गए करना करता करती बहुत भी तो ही मैं आप लिए साथ क्या कोई कुछ मुझे हम ये वो इस उस अब जब कब ज़्यादा ज्यादा अच्छा अच्छी हुआ हुई होता होती दिया किया सकता चाहिए बिल्कुल'
    .split(' ').map((w): [string, 'hi'] => [w, 'hi']),
  ...'छ छन् छु छौं छैन छैनन् थियो थिए थिएँ भयो भएको भएँ गर्न गर्छ गर्छु गर्दैन गर्यो हुन्छ हुँदैन पनि र ले लाई धेरै राम्रो नराम्रो म मेरो मलाई तपाईं तपाईंहरू हामी यो त्यो कसैलाई गरेको सँग भन्दा लाग्यो पर्छ अहिले कहिल्यै पटक्कै होइन एकदमै निकै कति नयाँ कहिले हिजो भोलि मैले उनीहरू तपाईंलाई किन यति त्यति कहाँ अझै भर्खर हुनुहुन्छ'
    .split(' ').map((w): [string, 'ne'] => [w, 'ne']),
]);

/** Nepali's attached case endings (-को, -ले, -मा…) and verb endings; Hindi's future endings. */
export const DEVANAGARI_SUFFIXES: ReadonlyArray<readonly [string, 'hi' | 'ne']> = [
  ...['मा', 'बाट', 'लाई', 'देखि', 'सम्म', 'को', 'ले', 'ेको', 'ेका', '्छ', 'ँछ', '्छु', '्छन्', '्दैन', 'ियो', 'ेँ', 'ौं', 'ुहोस्']
    .map((x): [string, 'ne'] => [x, 'ne']),
  ...['ेगा', 'ेगी', 'ेंगे', 'ोगे', 'ूँगा', 'ूंगा', 'एगा', 'एगी', 'एंगे', 'ाएं', 'िए'].map((x): [string, 'hi'] => [x, 'hi']),
];

/**
 * Persian and Arabic function words. Those both languages write ("من": I in Persian, from in
 * Arabic; "ما": we, and what) count for both: "من ناراحتم" (I'm upset) is no Arabic.
 */
export const ARABIC_SCRIPT_WORDS: ReadonlyMap<string, readonly string[]> = (() => {
  const map = new Map<string, string[]>();
  const markers: Array<['fa' | 'ar', string]> = [
    ['fa', 'است که را این آن می از با برای نیست هست خیلی هم ولی اما یک چه چرا کجا کی من تو ما شما آنها بود شد دارم دارد نمی بسیار واقعاً هیچ'],
    ['ar', 'في من على إلى الى هذا هذه التي الذي لا ما أن إن كان كانت جداً جدا لم لن هل نحن أنا أنت هو هي مع عن كل قد بعد قبل أيضاً لكن'],
  ];
  for (const [lang, words] of markers) for (const word of words.split(' ')) map.set(word, [...(map.get(word) ?? []), lang]);
  return map;
})();

/** Letters of the Persian alphabet that Arabic lacks, and Arabic letter forms Persian keyboards do not produce. */
export const PERSIAN_LETTERS = new Set([...'پچژگیک']);
export const ARABIC_LETTERS = new Set([...'ةيكىؤإ']);
