import { formOf, phraseAt, phrases, tokensOf, without, type Phrase, type Span, type Token } from './themes.tokens.js';

export type { Span } from './themes.tokens.js';

/*
 * "Switched from Kofi to Lumen last week" names two brands in one clause, and the clause reading
 * alone gives both the same label. A marketer reads it as churn: the author left Kofi and chose
 * Lumen. This file finds such a switch in a clause; themes.clauses.ts decides what it does to each
 * brand's reading (docs/sentiment.md, "Switches").
 *
 * A construction is a shape, its markers and its two slots, A (the brand left) and B (the brand
 * chosen), with the verbs that must stand somewhere in the clause for the markers to mean a move:
 * "from A to B" is a range until "switched" or "moved" says otherwise. Each slot is the text between
 * its markers (or the clause's start or end) and must name a brand that the other slot does not;
 * the brand namers decide that, so inflected names ("z Kofiho") and tags count as they do anywhere.
 */

/** The brands a clause says the author left and chose: indices as the caller numbers its brands. */
export interface Switch {
  left: number[];
  chosen: number[];
  /**
   * The words that make the clause a switch (its verb and markers, folded: "dropped", "for"): they
   * say that the author moved, not what of ("dropped" and "abandoned" are negative words).
   */
  construction: string[];
  /**
   * Where the clause speaks of each side: the brand left's slot and the brand chosen's, without the
   * construction's words, which are neither's ("After another cold Kofi delivery I switched to
   * Lumen": "another cold Kofi delivery I" is Kofi's, "Lumen" Lumen's). A chosen slot that runs to
   * the clause's end stops at a word that opens what was left (`afterLeft`): "…to Lumen after the
   * third cold delivery" gives the cold delivery to Kofi. A left slot that runs to the clause's end
   * and opens with the brand's name holds the name (and words `afterLeft` opens): in "Chose Lumen
   * over Kofi for the loyalty card" the loyalty card is the choice's reason, neither brand's.
   */
  spans: { left: Span[]; chosen: Span[] };
}

interface Language {
  /**
   * The verbs (phrases; `+` joins the words of one) that make the markers a move, and the shapes
   * they take: markers are alternatives joined by `|` (`+` joins a marker's words); `A`, `B` are
   * the slots; `!word` means the word just before the next marker must not be `word`.
   */
  constructions: ReadonlyArray<{ verbs?: string; shapes: readonly string[] }>;
  /**
   * Words that make the move not happen ("never switched", "didn't move"); they count anywhere in
   * the clause except in a last slot that runs to the clause's end, where they are about the brand
   * chosen ("…to Lumen without any hassle"), unless the language puts its verb last (`verbLast`).
   * Languages that negate the verb itself (Czech ne-, Persian ن-) need few: their verb lists hold
   * affirmative forms only.
   */
  negators: string;
  verbLast?: boolean;
  /**
   * Words that, after the brand chosen in a slot running to the clause's end, open what the author
   * left: "Switched from Kofi to Lumen after the third cold delivery" (the delivery was Kofi's).
   */
  afterLeft?: string;
}

const EN_MOVES = 'switched switching moved moving migrated migrating went going gone changed changing jumped jumping ported porting '
  + 'transitioned transitioning converted converting returned returning upgraded upgrading made+the+switch made+the+move '
  + 'made+the+jump making+the+switch';

const LANGUAGES: Record<string, Language> = {
  en: {
    constructions: [
      { verbs: EN_MOVES, shapes: ['from|off A to|onto|into B', 'to|onto|into B from|off|after A', 'after A to|onto|into B'] },
      {
        shapes: [
          'left|leaving|ditched|ditching|dropped|dropping|dumped|dumping|quit|quitting|abandoned|abandoning|cancelled|canceled|gave+up|giving+up A for B',
          'swapped|swapping|traded|trading|exchanged A for|with B',
          'replaced|replacing A with|by|for B',
          'A replaced+by|replaced+with B',
          // A choice said as one ("chose Lumen over Kofi"); "prefer Lumen over Kofi" is a comparison.
          'chose|picked|opted+for|went+with|signed+up+with B over|instead+of A',
        ],
      },
    ],
    negators: 'not never no didnt dont doesnt wont wouldnt cant cannot couldnt havent hasnt hadnt isnt wasnt werent arent shouldnt nobody',
    afterLeft: 'after',
  },
  // Czech puts the verb anywhere ("Z Kofi jsem přešel na Lumen"); ne- on the verb negates it, and
  // its forms are not listed.
  cs: {
    constructions: [
      {
        verbs: 'přešel přešla přešlo přešli přešly přecházím přecházíme přejdu přejdeme přestoupil přestoupila přestoupili '
          + 'přesedlal přesedlala přesedlali přepnul přepnula přepnuli přesunul přesunula přesunuli migroval migrovala migrovali '
          + 'odešel odešla odešli vrátil vrátila vrátili změnil změnila změnili',
        // "do" as for a bank or a shop ("přešel jsem z Kofi do Lumenu").
        shapes: ['z|ze|od A na|k|ke|do B', 'na|k|ke|do B z|ze|od A'],
      },
      { verbs: 'vyměnil vyměnila vyměnili vyměnilo vyměním vyměníme zaměnil zaměnila zaměnili', shapes: ['A za B'] },
      { verbs: 'opustil opustila opustili', shapes: ['A kvůli|pro B'] },
    ],
    negators: 'nikdy',
    afterLeft: 'po',
  },
  // "از X به Y مهاجرت کردم": the verb closes the clause; نـ on the verb negates it, and its forms are
  // not listed. ZWNJ is folded away (کرده‌ام is کردهام).
  fa: {
    constructions: [
      {
        verbs: 'مهاجرت+کردم مهاجرت+کردیم مهاجرت+کرد مهاجرت+کردند مهاجرت+کردهام مهاجرت+کردهایم سوییچ+کردم سوییچ+کردیم '
          + 'سوییچ+کرد سوییچ+کردهام سوئیچ+کردم سوئیچ+کردیم سوئیچ+کرد کوچ+کردم کوچ+کردیم رفتم رفتیم اومدم اومدیم آمدم آمدیم',
        shapes: ['از A به B'],
      },
      { verbs: 'عوض+کردم عوض+کردیم جایگزین+کردم جایگزین+کردیم', shapes: ['A را|رو با B'] },
    ],
    negators: 'هرگز هیچوقت',
    verbLast: true,
  },
  // "X से Y पर स्विच किया"; "X छोड़कर Y" (having left X), but "X को छोड़कर" is "except X".
  hi: {
    constructions: [
      { verbs: 'स्विच शिफ्ट माइग्रेट', shapes: ['A से B पर|में'] },
      { shapes: ['A !को छोड़कर|छोड़के|छोड़+कर|छोड़+के B'] },
    ],
    negators: 'नहीं नही न मत',
    verbLast: true,
  },
  // "X छोडेर Y" (having left X); "X लाई छोडेर" can be "except X".
  ne: {
    constructions: [{ shapes: ['A !लाई छोडेर|छाडेर B'] }],
    negators: 'न छैन होइन',
    verbLast: true,
  },
  // "X છોડીને Y" (having left X); "X ને છોડીને" can be "except X".
  gu: {
    constructions: [{ shapes: ['A !ને છોડીને B'] }],
    negators: 'નથી નહીં નહિ ન',
    verbLast: true,
  },
  es: {
    constructions: [
      { verbs: 'cambié cambiamos pasé pasamos migré migramos mudé mudamos', shapes: ['de|desde A a|al|hacia B', 'a|al|hacia B desde|de A'] },
      { shapes: ['dejé|dejamos|cambié|cambiamos|reemplacé|reemplazamos|sustituí|sustituimos|abandoné|abandonamos A por|con B'] },
    ],
    negators: 'no nunca jamás',
  },
  pt: {
    constructions: [
      { verbs: 'mudei mudamos migrei migramos passei passamos troquei trocamos', shapes: ['de|da|do|desde A para|pra|pro|pela|pelo B'] },
      { shapes: ['troquei|trocamos|substituí|substituímos|deixei|deixamos|larguei|largamos|abandonei|abandonamos A por|pela|pelo B'] },
    ],
    negators: 'não nunca jamais',
  },
  // German puts the participle last ("bin von Kofi zu Lumen gewechselt").
  de: {
    constructions: [
      { verbs: 'gewechselt wechselte wechselten wechsle umgestiegen umgezogen migriert', shapes: ['von A zu|zum|zur|auf|nach B'] },
      { verbs: 'getauscht eingetauscht', shapes: ['A gegen B'] },
      { verbs: 'ersetzt', shapes: ['A durch|mit B'] },
    ],
    negators: 'nicht nie niemals',
    verbLast: true,
  },
  fr: {
    constructions: [
      { verbs: 'passé passée passés passées migré migrée migrés basculé basculée changé changée', shapes: ['de|du|des|depuis A à|au|aux|vers|chez|sur B'] },
      { shapes: ['quitté|quittée|quittés|lâché|lâchée|abandonné|abandonnée A pour B', 'remplacé|remplacée|remplacés A par B'] },
    ],
    negators: 'ne pas jamais',
  },
  ar: {
    constructions: [{ verbs: 'انتقلت انتقلنا تحولت تحولنا', shapes: ['من A إلى|الى B', 'إلى|الى B من A'] }],
    negators: 'لم لن لا',
  },
  // Not Tamil: its case endings join the brand's name (கோஃபியிலிருந்து லுமெனுக்கு), so a switch is
  // not a matter of words standing between the names.
};

/** "Kofi → Lumen": no verb, in any language. */
const ARROWS = ['→', '⟶', '➡', '➔', '⇒', '->', '=>'];

type Element = { slot: 'A' | 'B' } | { markers: readonly Phrase[]; notAfter?: string };
interface Construction {
  /** The verbs by their first word; null when the markers alone say it. */
  verbs: ReadonlyMap<string, readonly Phrase[]> | null;
  shape: readonly Element[];
  negators: ReadonlySet<string>;
  verbLast: boolean;
  afterLeft: readonly Phrase[];
}

/** Phrases by their first word, for a look-up per word of a clause. */
export function byFirstWord(list: readonly Phrase[]): Map<string, Phrase[]> {
  const map = new Map<string, Phrase[]>();
  for (const phrase of list) map.set(phrase[0]!, [...(map.get(phrase[0]!) ?? []), phrase]);
  return map;
}

function compile(shape: string, verbs: readonly Phrase[] | null, language: Language): Construction {
  const elements: Element[] = [];
  let notAfter: string | undefined;
  for (const token of shape.split(/\s+/u)) {
    if (token === 'A' || token === 'B') elements.push({ slot: token });
    else if (token.startsWith('!')) notAfter = formOf(token.slice(1));
    else {
      elements.push({ markers: phrases(token), ...(notAfter ? { notAfter } : {}) });
      notAfter = undefined;
    }
  }
  return {
    verbs: verbs && byFirstWord(verbs),
    shape: elements,
    negators: new Set(language.negators.split(/\s+/u).map(formOf)),
    verbLast: language.verbLast ?? false,
    afterLeft: phrases(language.afterLeft ?? ''),
  };
}

const CONSTRUCTIONS: readonly Construction[] = [
  ...Object.values(LANGUAGES).flatMap((language) =>
    language.constructions.flatMap(({ verbs, shapes }) => shapes.map((shape) => compile(shape, verbs ? phrases(verbs) : null, language)))),
  compile(`A ${ARROWS.join('|')} B`, null, { constructions: [], negators: '' }),
];

/**
 * The first words of every verb and of every verb-less construction's first marker: a clause with
 * none of them holds no switch, and most clauses are ruled out by this one look-up per word.
 */
const OPENERS: ReadonlySet<string> = new Set(CONSTRUCTIONS.flatMap(({ verbs, shape }) => {
  if (verbs) return [...verbs.keys()];
  const first = shape.find((e) => 'markers' in e);
  return first && 'markers' in first ? first.markers.map((m) => m[0]!) : [];
}));

/** Where one of `markers` first stands at or after `from` (not right after `notAfter`), or null. */
function find(tokens: readonly Token[], from: number, markers: readonly Phrase[], notAfter: string | undefined): { at: number; marker: Phrase } | null {
  for (let i = from; i < tokens.length; i++) {
    if (notAfter !== undefined && tokens[i - 1]?.form === notAfter) continue;
    for (const marker of markers) if (phraseAt(tokens, i, marker)) return { at: i, marker };
  }
  return null;
}

interface Slot {
  text: string;
  /** Token indices [from, to). */
  from: number;
  to: number;
  /** Characters [start, end): from the end of the marker before to the start of the one after. */
  start: number;
  end: number;
}

/** A phrase of the construction found in the clause: token indices [at, at + phrase.length). */
interface Found {
  at: number;
  phrase: Phrase;
}

/** The two slots of `construction` in the clause, taking each marker where it first stands after the one before. */
function slotsOf(clause: string, tokens: readonly Token[], { shape }: Construction): { A: Slot; B: Slot; markers: Found[] } | null {
  const slots: Partial<Record<'A' | 'B', Slot>> = {};
  const markers: Found[] = [];
  let next = 0;
  let textAt = 0;
  let open: 'A' | 'B' | undefined;
  for (const element of shape) {
    if ('slot' in element) {
      open = element.slot;
      continue;
    }
    // A slot holds at least one word.
    const found = find(tokens, open ? next + 1 : next, element.markers, element.notAfter);
    if (!found) return null;
    const start = tokens[found.at]!.start;
    if (open) slots[open] = { text: clause.slice(textAt, start), from: next, to: found.at, start: textAt, end: start };
    open = undefined;
    markers.push({ at: found.at, phrase: found.marker });
    next = found.at + found.marker.length;
    textAt = tokens[next - 1]!.end;
  }
  if (open) {
    if (next >= tokens.length) return null;
    slots[open] = { text: clause.slice(textAt), from: next, to: tokens.length, start: textAt, end: clause.length };
  }
  return slots.A && slots.B ? { A: slots.A, B: slots.B, markers } : null;
}

function negated(tokens: readonly Token[], slots: { A: Slot; B: Slot }, { negators, verbLast }: Construction): boolean {
  if (negators.size === 0) return false;
  const last = [slots.A, slots.B].find((slot) => slot.to === tokens.length);
  for (let i = 0; i < tokens.length; i++) {
    if (!verbLast && last && i >= last.from) break;
    if (negators.has(tokens[i]!.form)) return true;
  }
  return false;
}

/** Where the name of one of `brands` that opens the slot ends (a token index), or -1. */
function nameEnd(clause: string, tokens: readonly Token[], slot: Slot, brands: readonly number[], namedIn: (text: string) => readonly number[]): number {
  for (let end = slot.from; end < Math.min(slot.to, slot.from + 5); end++) {
    if (namedIn(clause.slice(tokens[slot.from]!.start, tokens[end]!.end)).some((b) => brands.includes(b))) return end;
  }
  return -1;
}

/**
 * The left slot's span: the whole slot, or when it runs to the clause's end and opens with the
 * brand's name, the name alone (with what an `afterLeft` word opens after it).
 */
function leftOf(clause: string, tokens: readonly Token[], slot: Slot, left: readonly number[], construction: Construction, namedIn: (text: string) => readonly number[]): Span {
  if (slot.to !== tokens.length) return [slot.start, slot.end];
  const end = nameEnd(clause, tokens, slot, left, namedIn);
  if (end < 0 || end === slot.to - 1) return [slot.start, slot.end];
  if (construction.afterLeft.some((phrase) => phraseAt(tokens, end + 1, phrase))) return [slot.start, slot.end];
  return [slot.start, tokens[end]!.end];
}

const phraseSpan = (tokens: readonly Token[], { at, phrase }: Found): Span => [tokens[at]!.start, tokens[at + phrase.length - 1]!.end];

/**
 * The chosen slot, when it runs to the clause's end, cut where a word of `afterLeft` opens words
 * naming no brand ("…to Lumen after the third cold delivery"): those words are the brand left's.
 */
function cutAfterLeft(clause: string, tokens: readonly Token[], slot: Slot, construction: Construction, namedIn: (text: string) => readonly number[]): { chosen: Span; left?: Span; marker?: Found } {
  const whole: Span = [slot.start, slot.end];
  if (slot.to !== tokens.length || construction.afterLeft.length === 0) return { chosen: whole };
  for (let i = slot.from + 1; i < slot.to; i++) {
    const marker = construction.afterLeft.find((phrase) => phraseAt(tokens, i, phrase));
    if (!marker || i + marker.length >= slot.to) continue;
    const rest: Span = [tokens[i + marker.length - 1]!.end, slot.end];
    if (namedIn(clause.slice(...rest)).length) return { chosen: whole };
    return { chosen: [slot.start, tokens[i]!.start], left: rest, marker: { at: i, phrase: marker } };
  }
  return { chosen: whole };
}

/**
 * The switch a clause states, or null. `namedIn` gives the brands a piece of the clause names (the
 * caller's brand namers). A brand both sides name is on neither; each side must keep one. A
 * negated move is none; so is a question, which the caller knows and this clause text does not.
 */
export function findSwitch(clause: string, namedIn: (text: string) => readonly number[]): Switch | null {
  const tokens = tokensOf(clause);
  if (!tokens.some((token) => OPENERS.has(token.form))) return null;
  for (const construction of CONSTRUCTIONS) {
    const { verbs } = construction;
    let verb: Found | undefined;
    if (verbs) {
      for (let i = 0; i < tokens.length && !verb; i++) {
        const phrase = verbs.get(tokens[i]!.form)?.find((p) => phraseAt(tokens, i, p));
        if (phrase) verb = { at: i, phrase };
      }
      if (!verb) continue;
    }
    const slots = slotsOf(clause, tokens, construction);
    if (!slots || negated(tokens, slots, construction)) continue;
    const from = namedIn(slots.A.text);
    if (from.length === 0) continue;
    const to = namedIn(slots.B.text);
    const left = from.filter((b) => !to.includes(b));
    const chosen = to.filter((b) => !from.includes(b));
    if (!left.length || !chosen.length) continue;
    const after = cutAfterLeft(clause, tokens, slots.B, construction, namedIn);
    const words = [...(verb ? [verb] : []), ...slots.markers, ...(after.marker ? [after.marker] : [])];
    const holes = words.map((found) => phraseSpan(tokens, found));
    return {
      left,
      chosen,
      construction: [...(verb ? [verb] : []), ...slots.markers].map(({ phrase }) => phrase.join(' ')),
      spans: {
        left: [leftOf(clause, tokens, slots.A, left, construction, namedIn), ...(after.left ? [after.left] : [])].flatMap((span) => without(span, holes)),
        chosen: without(after.chosen, holes),
      },
    };
  }
  return null;
}
