import { createRequire } from 'node:module';
import { combinations, complaintQuestions, CROWDED, NOT_RECEIVED, ORDINARY, WAITED } from './profile.complaints.js';
import { EMOJI_VALENCE } from './sentiment.emoji.js';
import { vaderLexicon } from './sentiment.emoticons.js';
import { NEGATOR, phraseTable, type SentimentProfile } from './sentiment.engine.js';
import { createHashtagSegmenter } from './sentiment.hashtags.js';
import { verbTable, type LeadingNegatedVerbs } from './sentiment.negated-verbs.js';
import { HINGLISH_CONTRAST, HINGLISH_DIMINISHERS, HINGLISH_INTENSIFIERS, HINGLISH_LEXICON, HINGLISH_NEGATION, HINGLISH_PHRASES } from './profile.hinglish.js';

const require = createRequire(import.meta.url);

// The sentiment package's AFINN-165 (−5..5) fills words VADER's lexicon lacks, rescaled to VADER's −4..4.
const AFINN_TO_VADER = 0.8;

// VADER's negation and booster lists (vaderSentiment.py), plus the sentiment package's negators.
// "no" is also one, as in VADER: it negates the next two words ("no good", "no real improvement")
// and keeps its own −1.2 only when it negates nothing ("no plot", "no stars": a missing thing is a
// complaint in reviews), so it is never counted twice; "no problem" and the like are phrases.
const NEGATORS = [
  'no',
  'aint', 'arent', 'cannot', 'cant', 'couldnt', 'darent', 'didnt', 'doesnt', 'dont', 'hadnt', 'hasnt', 'havent',
  'isnt', 'mightnt', 'mustnt', 'neither', 'neednt', 'never', 'none', 'nope', 'nor', 'not', 'nothing', 'nowhere',
  'oughtnt', 'shant', 'shouldnt', 'uhuh', 'wasnt', 'werent', 'without', 'wont', 'wouldnt', 'rarely', 'seldom',
  'despite', 'uh-uh', 'non', 'nobody', 'aint', 'nah',
];
const INTENSIFIERS = [
  'absolutely', 'amazingly', 'awfully', 'completely', 'considerable', 'considerably', 'decidedly', 'deeply', 'effing',
  'enormous', 'enormously', 'entirely', 'especially', 'exceptional', 'exceptionally', 'extreme', 'extremely',
  'fabulously', 'flipping', 'flippin', 'frackin', 'fracking', 'fricking', 'frickin', 'frigging', 'friggin', 'fully',
  'fuckin', 'fucking', 'fuggin', 'fugging', 'greatly', 'hella', 'highly', 'hugely', 'incredible', 'incredibly',
  'intensely', 'major', 'majorly', 'more', 'most', 'particularly', 'purely', 'quite', 'really', 'remarkably', 'so',
  'substantially', 'thoroughly', 'total', 'totally', 'tremendous', 'tremendously', 'uber', 'unbelievably',
  'unusually', 'utter', 'utterly', 'very', 'super', 'pretty', 'way', 'waaay', 'wayyy', 'sooo', 'soo', 'sooo', 'rly', 'realy', 'mega', 'insanely', 'crazy',
];
const DIMINISHERS = [
  'almost', 'barely', 'hardly', 'kinda', 'kindof', 'less', 'little', 'marginal', 'marginally', 'occasional',
  'occasionally', 'partly', 'scarce', 'scarcely', 'slight', 'slightly', 'somewhat', 'sorta', 'sortof', 'fairly', 'mildly',
];
const BOOST = 0.293;

// Slang and initialisms VADER's lexicon lacks (it has lol, lmao, wtf, smh, ffs…).
const SLANG: Array<[string, number]> = [
  ['fml', -2.4], ['ftw', 2], ['goat', 2], ['lit', 1.6], ['dope', 1.8], ['sucks', -1.9],
  ['meh', -0.6], ['ugh', -1.8], ['yikes', -1.4], ['bae', 1.6], ['omfg', -0.4], ['scam', -2.4],
  ['ripoff', -2.4], ['trash', -2], ['garbage', -2.2], ['buggy', -1.6], ['laggy', -1.6], ['broken', -1.8], ['refund', -0.8],
  ['waste', -1.8], ['wasted', -1.8], ['unusable', -2.4], ['disappointing', -2.2], ['mediocre', -1.2], ['bland', -1],
  ['slow', -1], ['overpriced', -1.8], ['stale', -1.6], ['underwhelming', -1.8], ['subpar', -1.8], ['beware', -1.6],
  ['works', 1.2], ['worked', 0.8], ['working', 0.6], ['recommend', 1.8], ['recommended', 1.8], ['broke', -1.6],
  ['expensive', -1], ['overcharged', -2], ['overcharging', -2],
  // Where a café or a bank makes its customers wait, a queue is a complaint ("no queue" is praise).
  ['queue', -1], ['queues', -1], ['queuing', -1], ['queueing', -1],
];

// Nouns and verbs of every brand post that VADER or AFINN score as opinions: "Acme support never
// answers" is no praise, "Acme shares closed flat" no news to cheer, "quality" says nothing about
// which quality. Neutral here ("supportive" keeps its valence). A payments app's or a bank's own
// nouns ("pay" −0.4, "charges" −1.1, "savings") made its news read as opinions, and its outages as
// praise once negated ("can't pay anyone"); "friend" (+2.2) and "loyalty" (a loyalty card, +2.5)
// are news too. "Increase" is no praise: what rises says which way it goes (price rises are PHRASES).
const NEUTRAL = [
  'support', 'supports', 'supported', 'supporting', 'share', 'shares', 'quality',
  'pay', 'paying', 'payment', 'payments', 'charge', 'charges', 'charged', 'fee', 'fees', 'savings',
  'friend', 'friends', 'loyalty', 'increase', 'increases', 'increased', 'increasing',
  // A launch is news (AFINN "launched" +1).
  'launched',
];

// Price rises are complaints about the brand, however plainly put ("Kofi raised prices again",
// "price increase", "fees keep going up"); the verbs alone are neutral (NEUTRAL).
const PRICES = ['price', 'prices', 'fee', 'fees'];
const PRICE_RISES: Array<[string, number]> = [
  ...['raise', 'raises', 'raised', 'raising', 'hike', 'hikes', 'hiked', 'hiking', 'increase', 'increases', 'increased', 'increasing']
    .flatMap((verb) => ['', 'the ', 'their ', 'its ', 'our ', 'my '].flatMap((det) => PRICES.map((noun) => `${verb} ${det}${noun}`))),
  ...PRICES.flatMap((noun) => ['increase', 'increases', 'hike', 'hikes', 'rise', 'rises', 'rising', 'went up', 'go up', 'goes up',
    'going up', 'gone up', 'are up', 'are going up', 'keep going up', 'keeps going up', 'have gone up', 'has gone up'].map((rise) => `${noun} ${rise}`)),
].map((phrase): [string, number] => [phrase, -1.5]);

// An app or a bank that is down, a call on hold: the posts that drive alerts, in words that carry
// nothing on their own. "is down to" (depends on, "down to earth") is none.
const OUTAGES: Array<[string, number]> = [
  ['is down', -1.5], ['was down', -1.5], ['are down', -1.5], ['been down', -1.5], ['is down to', 0], ['was down to', 0],
  ['down again', -1.8], ['still down', -1.8], ['on hold', -1.5], ['still waiting', -1.5], ['still nothing', -1.5],
];

// A request to fix something is a complaint ("Please fix this bug", "fix your app"), and so is a
// fault not fixed yet ("still not fixed"); "please" (+1.3) asks there, it does not praise. Only the
// imperative and the negated participle: "they fixed the bug" is news, and "fix" alone a noun too.
// The fault itself keeps its own word ("fix the bug", "fix this crash").
const FIX_REQUESTS: Array<[string, number]> = [
  ...['please', 'pls', 'plz'].map((word) => `${word} fix`),
  ...['this', 'these', 'that', 'it', 'the', 'your', 'ur', 'my', 'asap'].map((word) => `fix ${word}`),
  'needs fixing', 'need fixing', 'needs to be fixed', 'need to fix', 'needs a fix', `${NEGATOR} fixed`, `${NEGATOR} been fixed`,
].map((phrase): [string, number] => [phrase, -1.5]);

// Mild complaints of a café's or a shop's customers (profile.complaints.ts): a place that was or is
// too crowded (after a copula or an intensifier: "a crowded market" is news; "less crowded" is
// praise), having waited or been kept waiting ("no wait", "didn't have to wait" are praise through
// negation), a product that was only ordinary or average ("above average" is no such verdict).
const MILD_COMPLAINTS: Array<[string, number]> = Object.entries({
  ...combinations(CROWDED, ['is', 'was', 'are', 'were', "it's", 'got', 'gets', 'always', 'too', ...INTENSIFIERS], ['crowded']),
  ...combinations(CROWDED, ['too', 'way too'], ['packed', 'crowded']), overcrowded: CROWDED, 'packed like sardines': CROWDED,
  ...combinations(WAITED, ['we', 'i', "we've", "i've"], ['waited']), 'had to wait': WAITED,
  ...combinations(WAITED, ['made', 'kept', 'left'], ['us', 'me'], ['wait', 'waiting']),
  ...combinations(ORDINARY, ['is', 'was', 'are', 'were', "it's", 'just', 'only', 'pretty', 'very', 'fairly', 'rather'], ['ordinary', 'average']),
});

// Idioms and review/social set phrases whose words mislead one at a time ("to die for", "no problem").
// Intent to return is positive, so "won't go back" comes out negative through ordinary negation.
const PHRASES: Array<[string, number]> = [
  // A department, not care taken: "Acme ka customer care accha nahi hai" is no praise.
  ['customer care', 0],
  // "Also", not "well" (+1.1): "Kofi raised prices as well" is no praise; "works well" still is.
  ['as well', 0],
  ['to die for', 3], ['the bomb', 3], ['the shit', 3], ['bad ass', 1.5], ['yeah right', -2], ['kiss of death', -1.5],
  ['no problem', 1.2], ['no problems', 1.5], ['no issues', 1.5], ['no complaints', 2], ['thumbs up', 2], ['thumbs down', -2],
  ['never again', -2.2], ['stay away', -2], ['look elsewhere', -1.6], ['buyer beware', -2.2], ['zero stars', -2.6],
  ['go back', 1.2], ['be back', 1.2], ['coming back', 1.2], ['going back', 1], ['come back', 0.8],
  [`${NEGATOR} be happier`, 3], [`${NEGATOR} be better`, 2.6], [`${NEGATOR} complain`, 1.5], [`${NEGATOR} wait`, 2.2],
  [`${NEGATOR} waste`, -2], ['hoping for more', -1.5], ['expected more', -1.5], ['had better', -1.2],
  ['leaves a lot to be desired', -2], ['not worth it', -2], ['worth it', 1.6], ['worth every penny', 2.6],
  // Lukewarm review verdicts: "could be better" is a complaint, "could be worse" a shrug, and the
  // negated forms are the superlatives ("couldn't have been better", "couldn't be worse").
  ['could be better', -1.2], ['could have been better', -1.2], ['could be worse', 0.5], ['could have been worse', 0.5],
  [`${NEGATOR} have been better`, 2.6], [`${NEGATOR} have been happier`, 3], [`${NEGATOR} be worse`, -2.6],
  [`${NEGATOR} have been worse`, -2.6], ['nothing special', -1.5], ['nothing to write home about', -1.5],
  // Complaints whose words carry nothing on their own: "work" is a noun as often as a verb, so only
  // its negation counts ("does not work", "doesn't work"); "never … again" with the verb between.
  [`${NEGATOR} work`, -2], ['stopped working', -2], ['never buying', -2.2], ['never buy', -2], ['never ordering', -2.2],
  ['never order', -2], ['fell apart', -2], ['falls apart', -2], ['falling apart', -2], ['too expensive', -2], ['too pricey', -2],
  ['hidden fees', -1.8], ['hidden charges', -1.8], ['get what you pay for', -1.5],
  // A joke is funny (VADER +1.2); a service that "is a joke" is not.
  ...['is', 'was', 'are', "it's", "that's", 'such', 'what'].map((w): [string, number] => [`${w} a joke`, -2.2]),
  ['absolute joke', -2.2], ['complete joke', -2.2], ['total joke', -2.2],
  ...PRICE_RISES, ...OUTAGES, ...FIX_REQUESTS, ...MILD_COMPLAINTS,
];

const words = (list: string): ReadonlySet<string> => new Set(list.split(/\s+/u).filter(Boolean));

// What a negator before a verb negates (LeadingNegatedVerbs): "didn't receive my refund", "my package
// never arrived", "no reply", "never called me back" are complaints, and "never seen such bad
// service", "never had a worse experience" superlatives. Verbs in the forms a negator stands before
// ("didn't receive", "never received", "hasn't been received"). Not "got"/"gotten" as experience:
// "it never got better" is no praise. Things waited for carry no valence but "refund" (−0.8).
const NEGATED_VERBS: LeadingNegatedVerbs = {
  receipt: verbTable([
    ...'receive received get got gotten arrive arrived come came deliver delivered ship shipped send sent issue issued process processed see seen'.split(' '),
    'show up', 'showed up', 'shown up', 'turn up', 'turned up', 'come through', 'came through',
  ]),
  response: verbTable([
    ...'reply replied respond responded answer answered refund refunded reimburse reimbursed'.split(' '),
    ...Object.keys(combinations(0, ['call', 'called', 'ring', 'rang', 'text', 'texted', 'email', 'emailed'], ['', 'me', 'us'], ['back'])),
    ...Object.keys(combinations(0, ['get', 'got', 'gotten', 'hear', 'heard', 'write', 'wrote', 'written'], ['back'])),
  ]),
  experience: words('seen had been felt tasted eaten experienced met heard encountered received known tried used looked watched read bought owned'),
  expected: words(
    'refund refunds order orders package packages parcel parcels delivery deliveries shipment item items product money payment ' +
    'cashback reimbursement replacement reply replies response responses answer answers callback call email emails confirmation ' +
    'update updates code otp tracking invoice receipt',
  ),
  such: words('such so this more'),
  comparatives: words('better worse happier nicer easier friendlier kinder prettier sadder angrier uglier'),
  between: words('even yet ever actually really still once already been be have'),
  never: words('never'),
  ever: words('ever'),
  determiners: words('no without'),
  notReceived: NOT_RECEIVED,
};

// "was like rubber", "looks like", "would like": no liking in any of them.
const LIKE_NOT_A_VERB = new Set([
  'was', 'is', 'are', 'were', 'be', 'been', "it's", "that's", 'looks', 'look', 'looked', 'seems', 'seemed', 'seem',
  'smells', 'smelled', 'tastes', 'tasted', 'feels', 'felt', 'sounds', 'sounded', 'just', 'would', "i'd", 'something',
  'anything', 'nothing', 'more', 'much',
]);

// "The film works" is a verdict, "the loyalty card now works in the app" news of a feature.
const WORKS_AS_NEWS = new Set(['now', 'also']);

// Function words only help split hashtags ("#notworthit" → not worth it); they carry no valence.
const FUNCTION_WORDS = (
  'a an the i me my we our you your he she it its they them their this that these those is are was were be been am ' +
  'do does did have has had will would can could should shall may might must to of in on at by for with from up down ' +
  'out over under again then once here there when where why how all any both each few other some such no own same ' +
  'than too very just now and or if because as until while about against between into through during before after ' +
  'above below off day days time life night year week today tonight ever what who whom which get got go going gone ' +
  'make made one two first last new old way thing things people man men woman women world work home back still even'
).split(' ');

// Regular inflections of lexicon words ("disappoint" → "disappoints", "disappointed") that the
// lexicons do not list; added once at start-up so scoring pays no morphology cost per word.
function inflect(word: string): string[] {
  if (!/^[a-z]{3,}$/.test(word)) return [];
  if (word.endsWith('e')) return [`${word}s`, `${word}d`, `${word.slice(0, -1)}ing`];
  if (word.endsWith('y')) return [`${word.slice(0, -1)}ies`, `${word.slice(0, -1)}ied`, `${word}ing`];
  if (/(?:s|sh|ch|x|z)$/.test(word)) return [`${word}es`, `${word}ed`, `${word}ing`]; // crash → crashes, not "crashs"
  return [`${word}s`, `${word}ed`, `${word}ing`];
}

function buildLexicon(): Map<string, number> {
  const lexicon = new Map(vaderLexicon());
  const afinn = require('sentiment/languages/en/labels.json') as Record<string, number>;
  for (const [word, value] of Object.entries(afinn)) {
    if (!lexicon.has(word)) lexicon.set(word, value * AFINN_TO_VADER);
  }
  for (const [word, value] of SLANG) lexicon.set(word, value);
  for (const word of NEUTRAL) lexicon.set(word, 0);
  for (const [emoji, value] of EMOJI_VALENCE) lexicon.set(emoji, value);
  for (const [word, value] of [...lexicon]) {
    for (const form of inflect(word)) if (!lexicon.has(form)) lexicon.set(form, value);
  }
  // Romanised Hindi, which no English inflection fits; an English word of the same spelling wins.
  for (const [word, value] of HINGLISH_LEXICON) if (!lexicon.has(word)) lexicon.set(word, value);
  return lexicon;
}

let shared: SentimentProfile | undefined;

/**
 * The process's English profile, built on first use: the analysers' and the one that reads the
 * English words of posts in other languages (LanguageRules.english). A profile is never mutated.
 */
export function sharedEnglishProfile(): SentimentProfile {
  shared ??= createEnglishProfile();
  return shared;
}

export function createEnglishProfile(): SentimentProfile {
  const lexicon = buildLexicon();
  const negatorsFromPackage = Object.keys(require('sentiment/languages/en/negators.json') as Record<string, number>);
  const negators = new Set([...NEGATORS, ...negatorsFromPackage]);
  const boosters = new Map<string, number>([
    ...[...INTENSIFIERS, ...HINGLISH_INTENSIFIERS].map((w): [string, number] => [w, BOOST]),
    ...[...DIMINISHERS, ...HINGLISH_DIMINISHERS].map((w): [string, number] => [w, -BOOST]),
  ]);
  const vocabulary = new Set([...FUNCTION_WORDS, ...negators, ...HINGLISH_NEGATION.negators, ...boosters.keys()]);
  return {
    lexicon,
    negators,
    boosters,
    // "although" and "though" introduce the weaker clause, so they cannot share this rule.
    contrast: new Set(['but', 'however', ...HINGLISH_CONTRAST]),
    negationBefore: 3,
    negationAfter: 0,
    negativePrefixes: [],
    standalone: new Set(['super']),
    negatorReach: new Map([['no', 2]]),
    negatorSuffix: "n't",
    phrases: phraseTable([...PHRASES, ...HINGLISH_PHRASES]),
    // Romanised Hindi posts ("app accha nahi hai"): their negators follow the word, as in Hindi.
    romanised: HINGLISH_NEGATION,
    leadingNegatedVerbs: NEGATED_VERBS,
    neutralAfter: new Map([['like', LIKE_NOT_A_VERB], ['works', WORKS_AS_NEWS]]),
    complaintQuestions: complaintQuestions('en'),
    segmentHashtag: createHashtagSegmenter((w) => w.length > 1 ? lexicon.has(w) || vocabulary.has(w) : w === 'i' || w === 'a'),
  };
}
