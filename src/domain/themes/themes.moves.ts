import type { Switch } from './themes.switches.js';
import { formOf, phraseAt, phrases, tokensOf, without, type Phrase, type Span, type Token } from './themes.tokens.js';

/*
 * Switches said without "from": "Got a cold Kofi delivery again, so I switched to Lumen", "Left Kofi
 * over the cold delivery and joined Lumen", "Tired of the Kofi queue I now go to Lumen". One clause
 * says the author moved to a brand (a move); the brand left is named before it, in the same clause
 * or in an earlier one. findSwitch (themes.switches.ts) reads the switches one clause states with
 * both its sides; this file reads the move and whether what came before makes it a switch
 * (docs/sentiment.md, "Switches").
 *
 * A move is a verb of the author's, the marker that brings the brand ("to", "na", "به", "पर") and
 * the brand, named by the words right at the marker: "I went to the park with Lumen's mug" is no
 * move to Lumen. Strong verbs ("switched", "přešel jsem", "مهاجرت کردم", "स्विच किया") say a change
 * of brand by themselves, so a brand named before suffices; weak ones ("went to", "joined", "go to",
 * "chodím do") say it only after words that leave the other brand ("left", "tired of", "quit").
 */

interface MoveVerb {
  /** Verb phrases (`+` joins the words of one). */
  verbs: string;
  /** What brings the brand after the verb; none: the brand is the verb's object ("joined Lumen"). */
  markers?: string;
  weak?: boolean;
  /** The verb alone does not say who ("go", "switch" can be imperatives): a first-person subject must. */
  needsSubject?: boolean;
}

interface MoveLanguage {
  /**
   * Where the brand stands: after the verb and its marker (en, cs: "switched to Lumen"), between
   * the marker and a verb that closes the clause (fa: "به لومن مهاجرت کردم"), or before a
   * postposition the verb follows (hi: "लुमेन पर स्विच किया").
   */
  order: 'verb-marker-brand' | 'marker-brand-verb' | 'brand-marker-verb';
  moves: readonly MoveVerb[];
  /** Words that make the author the subject ("I", "we"; Czech "jsem", "jsme"; Hindi "मैंने"). */
  firstPerson: string;
  /** Words that may stand between the subject and the verb, or open the clause ("so", "now", "then"). */
  between: string;
  /** Words before the subject that make the move hypothetical ("if I switched", "wish I had moved"). */
  hypothetical?: string;
  /**
   * Who moved: `named` (Czech: a past form without "jsem" is he or she, so a first-person word must
   * stand before the verb or just after it), `verb` (Persian: the verb's ending says it), or by
   * default a first-person subject before the verb or none at all ("…and joined Lumen").
   */
  person?: 'named' | 'verb';
  /** After the verb (hi): what makes it a past statement ("किया", "हो गया"), not an imperative. */
  past?: { single: string; first: string; second: string };
  /** Words skipped before the brand ("the", "a"). */
  determiners?: string;
  /** Words that leave a brand ("left", "tired of"): what a weak move needs before it. */
  leaving?: string;
  /** Words that undo a leaving word just before it ("not tired of"), or stand in the way of a move. */
  negators?: string;
  /** As in themes.switches.ts: words after the brand chosen that open what the author left ("after"). */
  afterLeft?: string;
}

const MOVE_LANGUAGES: Record<string, MoveLanguage> = {
  en: {
    order: 'verb-marker-brand',
    moves: [
      {
        verbs: 'switched moved migrated changed jumped ported transitioned converted made+the+switch made+the+move made+the+jump switched+back moved+back',
        markers: 'to onto into over+to',
      },
      { verbs: 'went went+over went+back came+back returned', markers: 'to with', weak: true },
      { verbs: 'go', markers: 'to', weak: true, needsSubject: true },
      { verbs: 'joined chose picked', weak: true },
      { verbs: 'signed+up opted', markers: 'with for at', weak: true },
    ],
    firstPerson: 'i we ive weve',
    between: 'so and then now finally just also already eventually recently officially happily gladly instead have ve had thus hence therefore',
    hypothetical: 'if unless whether wish wonder would could should might may will',
    determiners: 'the a an',
    leaving: 'left leaving quit quitting dropped ditched dumped abandoned cancelled canceled unsubscribed gave+up giving+up tired+of '
      + 'sick+of fed+up done+with had+enough never+again no+more goodbye',
    negators: 'not never no didnt dont doesnt isnt wasnt arent werent havent hasnt hadnt',
    afterLeft: 'after',
  },
  // Czech names the author in the auxiliary ("přešel jsem"); a past form alone is he or she.
  cs: {
    order: 'verb-marker-brand',
    moves: [
      {
        verbs: 'přešel přešla přešli přešly přestoupil přestoupila přestoupili přesedlal přesedlala přesedlali přepnul přepnula přepnuli '
          + 'migroval migrovala migrovali',
        markers: 'na k ke',
      },
      { verbs: 'chodím chodíme', markers: 'do k ke na', weak: true },
    ],
    firstPerson: 'jsem jsme sem chodím chodíme',
    between: 'jsem jsme sem se si tak tedy proto nakonec konečně už teď pak potom radši raději a',
    hypothetical: 'kdybych kdybychom bych bychom',
    person: 'named',
    leaving: 'opustil opustila opustili zrušil zrušila zrušili mám+dost mám+toho+dost už+nikdy sbohem',
    negators: 'ne nikdy',
    afterLeft: 'po',
  },
  // The verb closes the clause and is first person by its ending (کردم, کردیم); نـ would negate it.
  fa: {
    order: 'marker-brand-verb',
    moves: [{
      verbs: 'مهاجرت+کردم مهاجرت+کردیم مهاجرت+کردهام مهاجرت+کردهایم سوییچ+کردم سوییچ+کردیم سوییچ+کردهام سوئیچ+کردم سوئیچ+کردیم '
        + 'کوچ+کردم کوچ+کردیم',
      markers: 'به',
    }],
    firstPerson: 'من ما',
    between: 'پس و بنابراین دیگه دیگر الان حالا بالاخره هم',
    person: 'verb',
  },
  // "(मैंने) लुमेन पर स्विच किया": the brand, the postposition, the verb, a past auxiliary.
  hi: {
    order: 'brand-marker-verb',
    moves: [{ verbs: 'स्विच शिफ्ट माइग्रेट', markers: 'पर में' }],
    firstPerson: 'मैंने मैने मैं हमने हम',
    between: 'इसलिए तो और फिर अब तब आखिरकार आख़िरकार अंततः',
    past: { single: 'किया की किए', first: 'कर हो', second: 'लिया ली लिए दिया दी गया गई गए गये चुका चुकी चुके' },
  },
};

interface CompiledMove {
  verbs: ReadonlyMap<string, readonly Phrase[]>;
  markers: readonly Phrase[];
  weak: boolean;
  needsSubject: boolean;
}

interface CompiledLanguage extends Pick<MoveLanguage, 'order' | 'person'> {
  moves: readonly CompiledMove[];
  firstPerson: ReadonlySet<string>;
  between: ReadonlySet<string>;
  hypothetical: ReadonlySet<string>;
  determiners: ReadonlySet<string>;
  leaving: readonly Phrase[];
  negators: ReadonlySet<string>;
  past: { single: ReadonlySet<string>; first: ReadonlySet<string>; second: ReadonlySet<string> } | null;
  afterLeft: readonly Phrase[];
}

const words = (list = '') => new Set(list.split(/\s+/u).filter(Boolean).map(formOf));

const COMPILED: readonly CompiledLanguage[] = Object.values(MOVE_LANGUAGES).map((language) => ({
  ...language,
  moves: language.moves.map((move) => {
    const verbs = new Map<string, Phrase[]>();
    for (const phrase of phrases(move.verbs)) verbs.set(phrase[0]!, [...(verbs.get(phrase[0]!) ?? []), phrase]);
    return { verbs, markers: phrases(move.markers ?? ''), weak: move.weak ?? false, needsSubject: move.needsSubject ?? false };
  }),
  firstPerson: words(language.firstPerson),
  between: words(language.between),
  hypothetical: words(language.hypothetical),
  determiners: words(language.determiners),
  leaving: phrases(language.leaving ?? ''),
  negators: words(language.negators),
  past: language.past ? { single: words(language.past.single), first: words(language.past.first), second: words(language.past.second) } : null,
  afterLeft: phrases(language.afterLeft ?? ''),
}));

/** The first words of every verb: a clause with none of them holds no move. */
const OPENERS: ReadonlySet<string> = new Set(COMPILED.flatMap((language) => language.moves.flatMap((move) => [...move.verbs.keys()])));

/** A clause saying the author moved to a brand. */
export interface Move {
  chosen: number[];
  /** A weak verb ("went to", "joined"): a switch only after words leaving the other brand (see the file's comment). */
  weak: boolean;
  /** The character where the author's part starts ("so I switched…"): the words before it may name the brand left. */
  at: number;
  /** The verb and marker, folded: words of the move, not of either brand. */
  construction: string[];
  /** The brand chosen's words: the brand and what follows it, without the construction's. */
  chosenSpans: Span[];
  /** Words after the brand that open what the author left ("…to Lumen after the third cold delivery"). */
  leftTail: Span[];
}

/**
 * The brands named by the words from `from` on (forwards, or backwards), the word at `from`
 * included, in as few words as name one (at most five), and where that name ends; null when none.
 */
function nameAt(clause: string, tokens: readonly Token[], from: number, direction: 1 | -1, namedIn: (text: string) => readonly number[], limit: number) {
  const textOf = (a: number, b: number) => clause.slice(tokens[Math.min(a, b)]!.start, tokens[Math.max(a, b)]!.end);
  const inside = (to: number) => to >= 0 && to < tokens.length && (direction === 1 ? to < limit : to >= limit);
  if (!inside(from)) return null;
  let far = from;
  while (Math.abs(far - from) < 4 && inside(far + direction)) far += direction;
  // Most words after a marker name no brand: one look at all five settles it.
  if (namedIn(textOf(from, far)).length === 0) return null;
  for (let k = 1; k <= 5; k++) {
    const to = from + direction * (k - 1);
    if (!inside(to)) return null;
    const named = namedIn(textOf(from, to));
    if (named.length === 0) continue;
    // The word at `from` must be part of the name: "to the park with Lumen's mug" names Lumen later.
    const without = k === 1 ? [] : namedIn(textOf(from + direction, to));
    const own = named.filter((b) => !without.includes(b));
    return own.length ? { brands: own, last: to } : null;
  }
  return null;
}

/**
 * Where the author's part of the clause starts before `verbAt` (index of a token), or null when
 * the move is not the author's: the run of `between` words and first-person subjects before the
 * verb must hold a subject or reach the clause's start (a statement without one, "…and joined
 * Lumen"; not for a verb that could be an imperative, "go to Lumen"), as the language's `person`
 * says; a hypothetical word in or before the run ("if I switched", "would have moved") is none.
 */
function authorAt(tokens: readonly Token[], verbAt: number, language: CompiledLanguage, needsSubject: boolean): number | null {
  let at = verbAt;
  let subject = false;
  // A few words at most: "so I have now", "इसलिए मैंने".
  while (at > 0 && verbAt - at < REACH) {
    const form = tokens[at - 1]!.form;
    if (language.firstPerson.has(form)) subject = true;
    else if (!language.between.has(form)) break;
    at--;
  }
  if (tokens.slice(Math.max(0, at - 1), verbAt).some((t) => language.hypothetical.has(t.form))) return null;
  if (subject || language.person === 'verb') return at;
  if (language.person === 'named') return tokens.slice(verbAt, verbAt + 3).some((t) => language.firstPerson.has(t.form)) ? at : null;
  return at === 0 && !needsSubject ? 0 : null;
}

const spanOf = (tokens: readonly Token[], from: number, length: number): Span => [tokens[from]!.start, tokens[from + length - 1]!.end];

/** The chosen brand's words after its name, cut where a word of afterLeft opens words naming no brand. */
function tail(clause: string, tokens: readonly Token[], from: number, language: CompiledLanguage, namedIn: (text: string) => readonly number[]) {
  for (let i = from; i < tokens.length; i++) {
    const marker = language.afterLeft.find((phrase) => phraseAt(tokens, i, phrase));
    if (!marker || i + marker.length >= tokens.length) continue;
    const rest: Span = [tokens[i + marker.length - 1]!.end, clause.length];
    if (namedIn(clause.slice(...rest)).length) return null;
    return { end: tokens[i]!.start, marker: spanOf(tokens, i, marker.length), rest };
  }
  return null;
}

/**
 * How far the parts of a move stand apart, in words, and how many of a clause's verbs are tried:
 * a clause of 60,000 words full of verbs costs one pass over its words and a few look-ups.
 */
const REACH = 6;
const TRIES = 8;

function moveIn(clause: string, tokens: readonly Token[], language: CompiledLanguage, move: CompiledMove, namedIn: (text: string) => readonly number[]): Move | null {
  let tries = 0;
  for (let v = 0; v < tokens.length && tries < TRIES; v++) {
    const verb = move.verbs.get(tokens[v]!.form)?.find((phrase) => phraseAt(tokens, v, phrase));
    if (!verb) continue;
    tries++;
    const holes: Span[] = [spanOf(tokens, v, verb.length)];
    const construction = [verb.join(' ')];
    let named: { brands: number[]; last: number } | null;
    let at: number | null;
    if (language.order === 'brand-marker-verb') {
      // "(मैंने) लुमेन पर स्विच किया": the postposition right before the verb, the brand before it.
      const marker = move.markers.find((phrase) => v - phrase.length >= 1 && phraseAt(tokens, v - phrase.length, phrase));
      if (!marker || !isPast(tokens, v + verb.length, language)) continue;
      const markerAt = v - marker.length;
      named = nameAt(clause, tokens, markerAt - 1, -1, namedIn, 0);
      if (!named) continue;
      at = authorAt(tokens, named.last, language, false);
      if (at === null) continue;
      // The auxiliary after the verb is the move's too.
      const auxiliary = language.past!.single.has(tokens[v + verb.length]!.form) ? 1 : 2;
      holes.push(spanOf(tokens, markerAt, marker.length), spanOf(tokens, v + verb.length, auxiliary));
      construction.push(marker.join(' '));
      const brandStart = named.last > 0 ? tokens[named.last - 1]!.end : 0;
      return finish({ clause, tokens, language, namedIn, chosen: named.brands, weak: move.weak, at, construction, holes, brandStart, afterName: v + verb.length + auxiliary });
    }
    if (language.order === 'marker-brand-verb') {
      // "(من) به لومن مهاجرت کردم": the marker, the brand right after it, then the verb.
      for (let m = v - 1; m >= Math.max(0, v - REACH); m--) {
        const marker = move.markers.find((phrase) => phraseAt(tokens, m, phrase));
        if (!marker) continue;
        named = nameAt(clause, tokens, m + marker.length, 1, namedIn, v);
        if (!named) break;
        at = authorAt(tokens, m, language, false);
        if (at === null) break;
        holes.push(spanOf(tokens, m, marker.length));
        construction.push(marker.join(' '));
        return finish({ clause, tokens, language, namedIn, chosen: named.brands, weak: move.weak, at, construction, holes, brandStart: tokens[m + marker.length - 1]!.end, afterName: named.last + 1 });
      }
      continue;
    }
    // "(I) switched (our team) to Lumen", "joined Lumen": up to two words between verb and marker.
    at = authorAt(tokens, v, language, move.needsSubject);
    if (at === null) continue;
    const after = v + verb.length;
    const candidates = move.markers.length ? [0, 1, 2].flatMap((gap) => move.markers.map((marker) => ({ gap, marker }))) : [{ gap: 0, marker: [] as Phrase }];
    for (const { gap, marker } of candidates) {
      const m = after + gap;
      if (marker.length && !phraseAt(tokens, m, marker)) continue;
      if (tokens.slice(after, m).some((t) => language.negators.has(t.form))) continue;
      let b = m + marker.length;
      while (b < tokens.length && language.determiners.has(tokens[b]!.form)) b++;
      if (b >= tokens.length) continue;
      named = nameAt(clause, tokens, b, 1, namedIn, tokens.length);
      if (!named) continue;
      if (marker.length) {
        holes.push(spanOf(tokens, m, marker.length));
        construction.push(marker.join(' '));
      }
      // The brand's words start after the marker (or verb): a '#' before its name is its own.
      const brandStart = tokens[m + marker.length - 1]!.end;
      return finish({ clause, tokens, language, namedIn, chosen: named.brands, weak: move.weak, at, construction, holes, brandStart, afterName: named.last + 1 });
    }
  }
  return null;
}

function isPast(tokens: readonly Token[], from: number, language: CompiledLanguage): boolean {
  const past = language.past;
  if (!past) return true;
  const first = tokens[from]?.form;
  if (first === undefined) return false;
  if (past.single.has(first)) return true;
  return past.first.has(first) && past.second.has(tokens[from + 1]?.form ?? '');
}

function finish({ clause, tokens, language, namedIn, chosen, weak, at, construction, holes, brandStart, afterName }: {
  clause: string;
  tokens: readonly Token[];
  language: CompiledLanguage;
  namedIn: (text: string) => readonly number[];
  chosen: number[];
  weak: boolean;
  at: number;
  construction: string[];
  holes: Span[];
  brandStart: number;
  afterName: number;
}): Move | null {
  // The rest of the clause may name no other brand: "switched to Lumen like Kofi did" is not read.
  const rest = afterName < tokens.length ? clause.slice(tokens[afterName]!.start) : '';
  const cut = rest ? tail(clause, tokens, afterName, language, namedIn) : null;
  const mine = cut ? clause.slice(tokens[afterName]!.start, cut.end) : rest;
  if (mine && namedIn(mine).some((b) => !chosen.includes(b))) return null;
  const end = cut ? cut.end : clause.length;
  return {
    chosen,
    weak,
    at: tokens[at]?.start ?? 0,
    construction,
    chosenSpans: without([brandStart, end], [...holes, ...(cut ? [cut.marker] : [])]),
    leftTail: cut ? [cut.rest] : [],
  };
}

/** The move a clause states (the first found), or null. */
export function findMove(clause: string, namedIn: (text: string) => readonly number[]): Move | null {
  const tokens = tokensOf(clause);
  if (!tokens.some((token) => OPENERS.has(token.form))) return null;
  for (const language of COMPILED) {
    for (const move of language.moves) {
      const found = moveIn(clause, tokens, language, move, namedIn);
      if (found) return found;
    }
  }
  return null;
}

/**
 * Where `text` leaves a brand in words ("Left Kofi", "tired of Kofi"), not negated just before:
 * the spans of those words (none: it does not).
 */
export function leavingWords(text: string): Span[] {
  const tokens = tokensOf(text);
  const spans: Span[] = [];
  for (const language of COMPILED) {
    for (let i = 0; i < tokens.length; i++) {
      const phrase = language.leaving.find((p) => phraseAt(tokens, i, p));
      if (!phrase || tokens.slice(Math.max(0, i - 3), i).some((t) => language.negators.has(t.form))) continue;
      spans.push(spanOf(tokens, i, phrase.length));
    }
  }
  return spans;
}

/** What came before a move: the last clause that named a brand, or the move's own clause before it. */
export interface Before {
  text: string;
  brands: readonly number[];
  question: boolean;
}

/** A switch a move makes; `before` holds the words of the clause before that left the brand, which are the move's. */
export type MoveSwitch = Switch & { before?: Span[] };

/**
 * The switch a move makes, or null: from the brands named before it in its clause (when its words
 * before the author's part name one), else from those of `before`, the last earlier clause that
 * named a brand, which must not be a question nor name the brand chosen. A weak move needs those
 * words to leave the brand. The clause's words before the move are the brand left's, and the
 * words that leave it ("tired of", "left") are the move's, neither brand's.
 */
export function switchByMove(clause: string, namedIn: (text: string) => readonly number[], before: Before | undefined): MoveSwitch | null {
  const move = findMove(clause, namedIn);
  if (!move) return null;
  const prefix = clause.slice(0, move.at);
  const inClause = prefix.trim() ? namedIn(prefix).filter((b) => !move.chosen.includes(b)) : [];
  const found = { chosen: move.chosen, construction: move.construction };
  if (inClause.length) {
    const leaving = leavingWords(prefix);
    if (move.weak && leaving.length === 0) return null;
    return {
      ...found,
      construction: [...move.construction, ...leaving.map((span) => tokensOf(prefix.slice(...span)).map((t) => t.form).join(' '))],
      left: inClause,
      spans: { left: [...without([0, move.at], leaving), ...move.leftTail], chosen: move.chosenSpans },
    };
  }
  if (!before || before.question || before.brands.some((b) => move.chosen.includes(b))) return null;
  const leaving = leavingWords(before.text);
  if (move.weak && leaving.length === 0) return null;
  return { ...found, left: [...before.brands], spans: { left: move.leftTail, chosen: move.chosenSpans }, before: leaving };
}
