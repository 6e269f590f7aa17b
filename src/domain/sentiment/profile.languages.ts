import { sharedEnglishProfile } from './profile.en.js';
import { EMOJI_VALENCE } from './sentiment.emoji.js';
import { emoticonValences } from './sentiment.emoticons.js';
import { phraseTable, type SentimentProfile } from './sentiment.engine.js';
import { COMPLAINTS, complaintQuestions } from './profile.complaints.js';
import { gujaratiForms, gujaratiStemmer } from './profile.gujarati.js';
import { loadNlpjsLexicon, stemIndex, type LoadedLexicon, type Stemmer } from './profile.lexicon.js';
import { LANGUAGE_RULES, type LanguageRules } from './profile.rules.js';
import { TIER_VALENCE, VOCABULARY, type Vocabulary } from './profile.vocabulary.js';

const MIN_STEMMED_WORD = 5;
const MIN_PACKAGE_WORD = 4;
const MIN_STEM = 3;
// Entries this weak (SentiCon is full of ±0.1s) add noise to short texts, not signal.
const MIN_VALENCE = 0.75;
const MIN_STEMMED_VALENCE = 1.5;

const ARABIC_DIACRITICS = /[\u064B-\u065F\u0670\u0640]/g;

// Persian keyboards differ in ye/kaf and in whether they type ZWNJ (می‌کند / میکند / می کند).
function foldPersian(word: string): string {
  return word.replace(ARABIC_DIACRITICS, '').replace(/ي/g, 'ی').replace(/ك/g, 'ک').replace(/\u200C/g, '');
}

// Arabic writers vary hamza seats on alef and final yeh/alef maqsura; tanween is optional.
function foldArabic(word: string): string {
  return word.replace(ARABIC_DIACRITICS, '').replace(/[أإآ]/g, 'ا').replace(/ى/g, 'ي');
}

// French elisions: "n'aime" → "aime", "l'appli" → "appli"; negation comes from "pas", "jamais"…
function foldFrench(word: string): string {
  return word.replace(/^(?:[ljdcnmst]|qu)'/u, '');
}

const FOLDERS: Record<string, (word: string) => string> = { fa: foldPersian, ar: foldArabic, fr: foldFrench };

function words(list: string, value: number, normalise: (w: string) => string): Array<[string, number]> {
  return list.split(/\s+/u).filter(Boolean).map((w) => [normalise(w.normalize('NFC')), value]);
}

/**
 * Languages no npm package has a lexicon for (Gujarati): the hand-written lists are their whole
 * lexicon, inflected by the language's own rules, and a hand-written stemmer stands in.
 */
const OWN_MORPHOLOGY: Record<string, { stemmer: Stemmer; forms: (word: string) => string[] }> = {
  gu: { stemmer: gujaratiStemmer, forms: gujaratiForms },
};

/** Languages whose lexicon is only the hand-written lists (no npm package has one). */
export const HAND_WRITTEN_ONLY: ReadonlySet<string> = new Set(Object.keys(OWN_MORPHOLOGY));

function packageLexicon(lang: string, normalise: (w: string) => string): LoadedLexicon {
  const own = OWN_MORPHOLOGY[lang];
  return own ? { words: new Map(), phrases: [], stemmer: own.stemmer } : loadNlpjsLexicon(lang, normalise);
}

/**
 * The hand-written entries of a language: VOCABULARY, then profile.rules.ts, which wins; with the
 * inflected forms of each entry where the language spells them out (Gujarati's genders). A form
 * never overrides an entry listed in its own right.
 */
export function handWrittenLexicon(lang: string, rules: LanguageRules = LANGUAGE_RULES[lang]!, normalise = (w: string) => w): Map<string, number> {
  const forms = OWN_MORPHOLOGY[lang]?.forms ?? ((w: string) => [w]);
  const lexicon = new Map<string, number>();
  const add = (entries: Array<[string, number]>) => {
    const listed = new Set(entries.map(([w]) => w));
    for (const [word, value] of entries) for (const form of forms(word)) if (form === word || !listed.has(form)) lexicon.set(form, value);
  };
  const vocabulary = VOCABULARY[lang];
  if (vocabulary) {
    add((Object.keys(TIER_VALENCE) as Array<keyof Vocabulary>).flatMap((tier) => words(vocabulary[tier], TIER_VALENCE[tier], normalise)));
  }
  // A 0 marks a word known to be neutral, which also keeps the stemmer from guessing at it.
  add(Object.entries(rules.lexicon).map(([word, value]): [string, number] => [normalise(word.normalize('NFC')), value]));
  return lexicon;
}

/** Builds the scoring profile for a language other than English from its npm lexicon and rules. */
export function createLanguageProfile(lang: string, rules: LanguageRules = LANGUAGE_RULES[lang]!): SentimentProfile {
  const fold = FOLDERS[lang];
  const normalise = (w: string): string => (fold ? fold(w) : w);
  const { words: lexicon, phrases, stemmer } = packageLexicon(lang, normalise);
  const negatingEndings = rules.negativeSuffixes ?? [];
  for (const word of [...lexicon.keys()]) {
    // Very short keys are mostly stems or English leftovers that collide with function words; a
    // translated entry carrying a negating ending has often lost its sign ("பிடிக்கவில்லை" +2).
    if ([...word].length < MIN_PACKAGE_WORD || negatingEndings.some((e) => word.endsWith(e))) lexicon.delete(word);
  }
  for (const [word, value] of lexicon) if (Math.abs(value) < MIN_VALENCE) lexicon.delete(word);
  // Hand-written entries correct and extend the package lists (machine-translated AFINN).
  for (const [word, value] of handWrittenLexicon(lang, rules, normalise)) lexicon.set(word, value);
  // Everyday words the package or a stem guess gives a strong valence ("cena", price, as AFINN's
  // "prize"): known-neutral, and so are their inflections (their stem is dropped below).
  const neutral = words(rules.neutralStems ?? '', 0, normalise).map(([w]) => w);
  for (const w of neutral) if (!(rules.lexicon[w] ?? 0)) lexicon.set(w, 0);
  for (const [emoji, value] of EMOJI_VALENCE) lexicon.set(emoji, value);
  for (const [emoticon, value] of emoticonValences()) lexicon.set(emoticon, value);
  // A stem match is a guess; only strongly polar entries are worth guessing from.
  const negators = new Set(words(rules.negators, 1, normalise).map(([w]) => w));
  for (const w of negators) lexicon.delete(w);
  const stems = stemIndex(new Map([...lexicon].filter(([, v]) => Math.abs(v) >= MIN_STEMMED_VALENCE)), stemmer);
  // A negator only negates: inflections sharing its stem ("இல்லையா", or not?) must not score as the
  // package's translation of English "no"/"without" (−1 in AFINN) or "lacking" does.
  for (const w of negators) stems.delete(stemmer.stemWord(w));
  for (const w of neutral) stems.delete(stemmer.stemWord(w));
  const boosters = new Map([...words(rules.intensifiers, 0.293, normalise), ...words(rules.diminishers, -0.293, normalise)]);
  return {
    lexicon,
    negators,
    boosters,
    contrast: new Set(words(rules.contrast, 1, normalise).map(([w]) => w)),
    clauseContrast: rules.clauseContrast ? new Set(words(rules.clauseContrast, 1, normalise).map(([w]) => w)) : undefined,
    negationBefore: rules.negationBefore,
    negationAfter: rules.negationAfter,
    negatorReach: rules.negatorReach ? new Map(Object.entries(rules.negatorReach).map(([w, reach]) => [normalise(w.normalize('NFC')), reach])) : undefined,
    negatorFollowsWord: rules.negatorFollowsWord ?? false,
    negatedVerbs: rules.negatedVerbs,
    questionTags: rules.questionTags ? new Set(words(rules.questionTags, 1, normalise).map(([w]) => w)) : undefined,
    negativePrefixes: rules.negativePrefixes ?? [],
    negativeSuffixes: rules.negativeSuffixes ?? [],
    suffixElisions: rules.suffixElisions,
    superlativePrefix: rules.superlativePrefix,
    copulaSuffixes: rules.copulaSuffixes?.map((suffix) => normalise(suffix)),
    latinWords: rules.english && {
      profile: sharedEnglishProfile(),
      words: rules.english,
      except: new Set(rules.notEnglish?.split(/\s+/u).filter(Boolean)),
    },
    standalone: rules.standalone ? new Set(words(rules.standalone, 1, normalise).map(([w]) => w)) : undefined,
    normalise: fold,
    complaintQuestions: complaintQuestions(lang, normalise),
    phrases: phraseTable([...phrases, ...Object.entries(COMPLAINTS[lang] ?? {}), ...Object.entries(rules.phrases ?? {})]
      .map(([p, v]): [string, number] => [normalise(p.normalize('NFC')), v])),
    // Short words and short stems collide with unrelated entries ("con" → the stem of "condenar").
    lookup: (word) => {
      if (word.length < MIN_STEMMED_WORD) return undefined;
      const stem = stemmer.stemWord(word);
      return stem.length >= MIN_STEM ? stems.get(stem) : undefined;
    },
  };
}
