import { apostropheWords } from '../text/word-scan.js';
import type { RomanisedNegation } from './sentiment.engine.js';
import { combinations } from './profile.complaints.js';
import { HINGLISH_NEGATED_VERBS } from './profile.hindi-verbs.js';
import { LANGUAGE_RULES } from './profile.rules.js';

/*
 * Romanised Hindi ("Hinglish"), as social posts write it: "Acme ka phone bahut accha hai yaar",
 * "service bilkul bekaar", "app accha nahi hai". Read by the English profile, which reads every
 * Latin-script word Earshot scores (English posts, Latin posts of no detected language, and the
 * Latin words of Hindi, Nepali, Gujarati, Tamil, Persian and Arabic posts), with Hindi's negation:
 * "nahi" follows the word it negates, as नहीं does (LANGUAGE_RULES.hi).
 *
 * Only words no English, Czech, Spanish, German, French or Portuguese post writes: "ache" (good,
 * also English "ache"), "mast" (great, also a ship's mast and Czech "ointment"), "mat" (don't, also
 * a yoga mat) and "na" (not, also Czech and Portuguese "on, in") count only in a post holding a
 * word of romanised Hindi (MARKERS). Values as the Devanagari words' (profile.rules.ts).
 */

const HINDI = LANGUAGE_RULES.hi!;

/** नहीं, romanised. */
const NAHI = ['nahi', 'nahin', 'nhi', 'nahee', 'nahiin'];

const entries = (list: string, value: number): Array<[string, number]> => list.split(/\s+/u).filter(Boolean).map((w) => [w, value]);

/** Sentiment words, in their common spellings. Not "kamal" (a name), "ache" (below). */
export const HINGLISH_LEXICON: ReadonlyArray<[string, number]> = [
  ...entries('accha acha achha achchha acchha acchi achi achhi achchhi acche achhe achche', 2),
  ...entries('badhiya badiya badia badhia', 2.8),
  ...entries('shandaar shandar zabardast jabardast kamaal', 3),
  ...entries('behtareen behtarin lajawab lajawaab', 3.2),
  ...entries('sundar pyaara pyara pyari pyaari', 2.6),
  ...entries('swadisht swadishth khush khushi', 2.8),
  ...entries('dhanyavaad dhanyavad dhanyawad shukriya', 2),
  ...entries('santusht', 2.4),
  ...entries('pasand', 2.2),
  ...entries('maza mazaa', 2.4),
  ...entries('behtar', 2),
  // "All right", mild like ठीक: listed so that "theek nahi" (not right) is a complaint.
  ...entries('theek thik sahi', 1),
  ...entries('kharab kharaab bura buri bure', -2.5),
  ...entries('ghatiya ghatia bakwas bakwaas wahiyat wahiyaat', -3),
  ...entries('bekaar bekar', -2.6),
  ...entries('faltu', -2.2),
  ...entries('ganda gandi gande pareshan pareshaan dukh', -2.2),
  // "Trouble, problem", as दिक्कत and समस्या: listed so that "koi dikkat nahi" (no problem) is praise.
  ...entries('dikkat dikat samasya', -2),
  ...entries('dheema dheemi', -1.5),
  ...entries('mehenga mehnga mehngi mehengi mehnge mehenge', -1.2),
  ...entries('dhokha dhoka', -3.2),
  ...entries('sharam sharm', -2.4),
  ...entries('sharmnaak sharmnak', -3),
  ...entries('nirasha niraasha niraash nirash', -2.6),
  ...entries('barbaad barbad', -2.4),
  ...entries('toota tuta tooti tuti', -2),
];

/** As Hindi's बहुत, बिल्कुल, थोड़ा. Not "zara" (also the Spanish brand). */
export const HINGLISH_INTENSIFIERS = 'bahut bohot bahot bohat bhot bhaut bilkul ekdam ekdum kaafi kafi zyada jyada zyaada jyaada sabse itna itni itne kitna kitni'.split(' ');
export const HINGLISH_DIMINISHERS = 'thoda thodi thode'.split(' ');
/** As लेकिन, मगर. Not "par" (English, and Hindi "on" as often as "but"). */
export const HINGLISH_CONTRAST = ['lekin', 'magar'];

export const HINGLISH_PHRASES: ReadonlyArray<[string, number]> = [
  ['paisa vasool', 2.6], ['paisa wasool', 2.6], ['paise vasool', 2.6], ['paisa vasul', 2.6],
  // Advice not to buy, as Gujarati ખરીદશો નહીં; "waste mat karo" (don't waste your money) as "don't waste".
  ...['kharidna', 'kharido', 'kharidiye', 'khareedna', 'khareedo'].map((verb): [string, number] => [`mat ${verb}`, -2.4]),
  ['waste mat karo', -2], ['waste mat karna', -2], ['waste mat kijiye', -2],
  // A lukewarm verdict, "nothing (at all) special", as कुछ ख़ास नहीं (profile.complaints.ts); it holds
  // its own negator, so "theek hai, kuch khaas nahi" is the okay and this, not the okay alone.
  ...Object.entries(combinations(-1.5, ['kuch', 'kuchh', 'koi'], ['', 'bhi'], ['khaas', 'khas'], ['', 'baat'], NAHI)),
  // "So-so", neither the okay of "theek" (+1) nor a complaint.
  ...Object.entries(combinations(0, ['theek', 'thik'], ['thaak', 'thak'])),
];

/**
 * Function words of romanised Hindi that no post in another Latin-script language writes (not
 * "mere", "maine", "hue", "yeh", "ho", "tum": English words too; not "ke", "se": Czech).
 */
const MARKERS = (
  'hai hain tha thi hoga hogi honge raha rahi rahe gaya gayi gaye gya gyi hua hui kya kyu kyun kyon yaar mujhe humne ' +
  'hamara hamari humara aap aapka aapki aapko apna apni tumhara bhai bhi kuch wala wali wale liye saath sath abhi kabhi ' +
  'aur toh karo karna kiya kiye ka ki nahi nahin nhi bahut bohot bahot bilkul accha acha achha'
).split(' ');

const MARKER_SET: ReadonlySet<string> = new Set(MARKERS);

/**
 * Whether a text holds a word of romanised Hindi: such a post is read by the English profile,
 * which holds these words, when its language is not detected (scorer.ts). One pass over its words.
 */
export function holdsRomanisedHindi(text: string): boolean {
  return apostropheWords(text.toLowerCase()).some((word) => MARKER_SET.has(word));
}

/**
 * नहीं, मत, न/ना and बिना, romanised: negators with Hindi's reach, each negating the word before it,
 * unless the verb after it is one of receiving or seeing (profile.hindi-verbs.ts).
 */
export const HINGLISH_NEGATION: RomanisedNegation = {
  negators: new Set(NAHI),
  negationBefore: HINDI.negationBefore,
  negationAfter: HINDI.negationAfter,
  markers: MARKER_SET,
  // "mat" (don't) stands before the verb it forbids and after what it is about ("pareshan mat ho",
  // don't worry): it reaches the one word before it, so "Great yoga mat hai" keeps its "great".
  markedNegators: new Map([
    ['na', { reach: HINDI.negationBefore, reachBack: HINDI.negationAfter }],
    ['bina', { reach: HINDI.negationBefore, reachBack: HINDI.negationAfter }],
    ['mat', { reach: 0, reachBack: 1 }],
  ]),
  // "accha hai na?" (it's good, isn't it?), as "अच्छा है ना?".
  questionTags: new Set(['na']),
  markedLexicon: new Map([['ache', 2], ['mast', 2.6]]),
  // "refund nahi mila" (the refund did not come), "itna ghatiya kabhi nahi dekha" (never seen anything so bad).
  verbs: HINGLISH_NEGATED_VERBS,
};
