import { createScorer, type Scorer } from '../scoring/scorer.js';
import { sharedAnalyser, type SentimentAnalyser } from '../sentiment/sentiment.analyser.js';
import { labelFor, NEUTRAL_BAND } from '../sentiment/sentiment.label.js';
import type { BrandClauses } from './themes.clauses.js';
import { byFirstWord } from './themes.switches.js';
import { phraseAt, phrases, tokensOf, type Phrase, type Token } from './themes.tokens.js';
import type { ThemeMention } from './themes.types.js';

/*
 * What a post says of one of its brands: its clauses (themes.clauses.ts) scored on their own, or
 * a switch's reading. Ingest stores it (brand-readings.ts) and the SWOT's themes count it.
 */

/** The sentiment module as ingest uses it: the analyser's lexicons and the scorer over them. */
export interface Sentiment {
  analyser: Pick<SentimentAnalyser, 'analyse'>;
  scorer: Pick<Scorer, 'score'>;
}

let shared: Sentiment | undefined;

/** The process's analyser (`sharedAnalyser`, which the ingest scorer of this process uses too) and a scorer over it. */
export function sharedSentiment(): Sentiment {
  shared ??= { analyser: sharedAnalyser(), scorer: createScorer() };
  return shared;
}

export interface BrandReading {
  label: string;
  /** null when unscored. */
  score: number | null;
}

/**
 * What a switch scores at least, for the brand chosen (and, negated, for the brand left): about a
 * post saying "good" once (0.44), so a bare "Switched from Kofi to Lumen" counts as plain praise
 * and criticism, never as a verdict stronger than its words.
 */
export const SWITCH_SCORE = 0.45;

/**
 * The sentiment of a brand's clauses (a brand without every clause: see BrandClauses.whole), read
 * on their own by the scorer ingest uses, in the post's language. A post that was not scored (its
 * language has no lexicon) stays unscored for every brand; a brand with no clause is neutral.
 * `ignore` holds the brands' own terms (`namedTerms`), left out of the score as ingest leaves them
 * out of the post's: "Happy Cow" is no praise of Happy Cow, nor of the brand it is compared with.
 * A brand in a switch reads as `readSwitch` says.
 */
export function readBrandClauses(mention: ThemeMention, part: BrandClauses, scorer: Pick<Scorer, 'score'>, ignore: readonly string[] = []): BrandReading {
  if (mention.label === 'unscored' || mention.sentimentScore === null) return { label: mention.label, score: mention.sentimentScore };
  const read = (clauses: readonly string[], alsoIgnore: readonly string[] = []): BrandReading => {
    const { sentiment } = scorer.score({ title: null, text: clauses.join('\n'), langHint: mention.lang ?? null, ignore: [...ignore, ...alsoIgnore] });
    return sentiment.label === 'unscored' ? { label: 'unscored', score: null } : { label: sentiment.label, score: sentiment.score };
  };
  const switched = part.switched && readSwitch(part, read);
  if (switched) return switched;
  if (part.clauses.length === 0) return { label: 'neutral', score: 0 };
  return read(part.clauses);
}

/**
 * Words that take a switch back: the author regrets the move ("…and regret it", "…, big mistake").
 * Folded as the switch tables are (`+` joins the words of one), in every language with switches.
 */
const REGRETS = byFirstWord(phrases([
  'regret regrets regretted regretting regretful mistake mistakes should+have+stayed shouldnt+have big+error',
  'lituju lituji litovat litoval litovala litovali chyba chybu chybou měl+jsem+zůstat měla+jsem+zůstat',
  'پشیمان پشیمانم پشیمونم اشتباه',
  'पछता पछताया पछताई पछतावा पछताना गलती ग़लती पछुतो गल्ती',
  'પસ્તાવો પસ્તાયો પસ્તાઈ ભૂલ',
  'arrepiento arrepentido arrepentida error arrependo arrependido arrependida erro',
  'bereue bereut fehler regrette regretté regrettée erreur ندمت نادم خطأ',
].join(' ')));

/**
 * Words that regret the move only when said of where the author went: "Switched to Lumen and it's
 * worse". Said before the move ("The coffee got worse, so I switched from Kofi to Lumen") or after a
 * word giving the move's reason ("…to Lumen because the coffee got worse"), they are why the author
 * left.
 */
const WORSE = byFirstWord(phrases('worse downgrade horší بدتر बदतर peor pior schlechter pire أسوأ'));

/** Words that open why the author moved: what follows them in their clause is the brand left's. */
const REASONS = byFirstWord(phrases([
  'because cause cuz coz protože jelikož poněvadž neboť kvůli چون چونکه زیرا بخاطر',
  'क्योंकि चूंकि चूँकि वजह कारण किनभने किनकि કારણ કેમકે',
  'porque ya+que pois já+que weil denn parce car puisque لأن بسبب',
].join(' ')));

/**
 * Words that give the reason ("…to Lumen after Kofi got worse", "since the service got worse") only
 * in the move's own clause: in a clause of their own they say when ("…, and after a week it's worse").
 */
const AFTER = byFirstWord(phrases('after since po بعد बाद पछि પછી después tras depois nachdem après'));

const at = (table: ReadonlyMap<string, readonly Phrase[]>, tokens: readonly Token[], i: number) =>
  table.get(tokens[i]!.form)?.some((phrase) => phraseAt(tokens, i, phrase)) ?? false;

/**
 * Whether the switch's words (`said`, in order) regret it: a regret word anywhere, or a WORSE word
 * after the move (the first word of its construction to stand in them) with no reason word before
 * it in its clause.
 */
function regretted(said: readonly string[], construction: readonly string[]): boolean {
  const moves = byFirstWord(construction.map((words) => words.split(' ')));
  let movedIn = -1;
  for (const [clause, text] of said.entries()) {
    const tokens = tokensOf(text);
    let reason = false;
    for (let i = 0; i < tokens.length; i++) {
      if (at(REGRETS, tokens, i)) return true;
      if (movedIn < 0 && at(moves, tokens, i)) movedIn = clause;
      reason ||= at(REASONS, tokens, i) || (clause === movedIn && at(AFTER, tokens, i));
      if (movedIn >= 0 && !reason && at(WORSE, tokens, i)) return true;
    }
  }
  return false;
}

/**
 * A switch is criticism of the brand left and praise of the brand chosen, as strong as the
 * switch's words (at least SWITCH_SCORE), unless words say otherwise: null (the brand reads as its
 * clauses say) when the switch's words are negative and regret the move ("…and regret it", "…, big
 * mistake"), and the reading of the brand's other clauses when those read the other way ("Switched
 * from Kofi to Lumen. Lumen's support is awful"). Other negative words are why the author left
 * ("Left Kofi for Lumen, the queues were killing me") and only make the switch stronger. Words no
 * lexicon scores count as none, and so do the brand left's own in the switch's clause ("After
 * another awful Kofi delivery I switched to Lumen": `said`).
 */
function readSwitch({ clauses, switched }: BrandClauses, read: (clauses: readonly string[], alsoIgnore?: readonly string[]) => BrandReading): BrandReading | null {
  const { role, clauses: words, said: saidWords, construction } = switched!;
  const said = read(saidWords, construction).score ?? 0;
  if (said <= -NEUTRAL_BAND && regretted(saidWords, construction)) return null;
  const sign = role === 'chosen' ? 1 : -1;
  const switchWords = new Set(words);
  const others = clauses.filter((clause) => !switchWords.has(clause));
  const own = others.length ? read(others).score ?? 0 : 0;
  if (own * sign <= -NEUTRAL_BAND) return { label: labelFor(own), score: own };
  const score = sign * Math.max(SWITCH_SCORE, Math.abs(said), Math.abs(own));
  return { label: labelFor(score), score };
}
