import { TokenKind, type Token, type Tokenised } from './sentiment.tokens.js';

/**
 * Everything the engine knows about one language. Built once per process and shared by every
 * call: the engine never copies or mutates a profile.
 */
export interface SentimentProfile {
  /** Valence per lowercase word or symbol on VADER's scale (−4..4). */
  readonly lexicon: ReadonlyMap<string, number>;
  readonly negators: ReadonlySet<string>;
  /** Intensifiers (> 0) and diminishers (< 0), as the amount added to the next sentiment word. */
  readonly boosters: ReadonlyMap<string, number>;
  /** Contrastive conjunctions ("but"): what follows outweighs what came before. */
  readonly contrast: ReadonlySet<string>;
  /** How many tokens before a sentiment word a negator reaches (3 in English). */
  readonly negationBefore: number;
  /** How many tokens after it (Hindi/Nepali/Tamil negate after the verb). */
  readonly negationAfter: number;
  /** Verb prefixes that negate a word, tried when the word itself is unknown (Czech "ne", Persian "ن"). */
  readonly negativePrefixes: readonly string[];
  /** Fallback lookup for an unknown word, e.g. through a stemmer. */
  readonly lookup?: (word: string) => number | undefined;
  /** Splits a lowercase hashtag body into words; absent → the tag is looked up whole. */
  readonly segmentHashtag?: (tag: string) => string[];
  /** Words ending with these suffixes negate like a negator ("n't"). */
  readonly negatorSuffix?: string;
}

// VADER's empirically derived constants (Hutto & Gilbert 2014).
const NEGATION_SCALAR = -0.74;
const CAPS_INCREMENT = 0.733;
const BOOSTER_DECAY = [1, 0.95, 0.9];
const EXCLAMATION_WEIGHT = 0.292;
const MAX_EXCLAMATIONS = 4;
const BEFORE_CONTRAST = 0.5;
const AFTER_CONTRAST = 1.5;
const NORMALISE_ALPHA = 15;

export interface EngineScore {
  /** −1..1 */
  score: number;
  /** How many tokens carried sentiment; 0 means the text gave the engine nothing to go on. */
  hits: number;
}

function isNegator(profile: SentimentProfile, word: string): boolean {
  return profile.negators.has(word) || (profile.negatorSuffix !== undefined && word.endsWith(profile.negatorSuffix));
}

function expandHashtags(profile: SentimentProfile, tokens: Token[]): Token[] {
  if (!profile.segmentHashtag || !tokens.some((t) => t.kind === TokenKind.Hashtag)) return tokens;
  const out: Token[] = [];
  for (const t of tokens) {
    if (t.kind !== TokenKind.Hashtag || profile.lexicon.has(t.norm)) out.push(t);
    else for (const part of profile.segmentHashtag(t.norm)) out.push({ norm: part, kind: TokenKind.Word, caps: false });
  }
  return out;
}

function valenceOf(profile: SentimentProfile, token: Token): { valence: number; prefixNegated: boolean } | undefined {
  const direct = profile.lexicon.get(token.norm) ?? (token.kind === TokenKind.Symbol ? undefined : profile.lookup?.(token.norm));
  if (direct !== undefined) return { valence: direct, prefixNegated: false };
  if (token.kind !== TokenKind.Word) return undefined;
  for (const prefix of profile.negativePrefixes) {
    if (token.norm.length > prefix.length + 2 && token.norm.startsWith(prefix)) {
      const stem = token.norm.slice(prefix.length);
      const base = profile.lexicon.get(stem) ?? profile.lookup?.(stem);
      if (base !== undefined) return { valence: base, prefixNegated: true };
    }
  }
  return undefined;
}

export function scoreTokens(profile: SentimentProfile, tokenised: Tokenised): EngineScore {
  const tokens = expandHashtags(profile, tokenised.tokens);
  const n = tokens.length;
  let contrastAt = -1;
  for (let i = 0; i < n; i++) {
    if (profile.contrast.has(tokens[i]!.norm)) { contrastAt = i; break; }
  }

  let sum = 0;
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const token = tokens[i]!;
    if (token.kind === TokenKind.Word && (profile.boosters.has(token.norm) || isNegator(profile, token.norm))) continue;
    const found = valenceOf(profile, token);
    if (!found) continue;
    let valence = found.valence;
    if (valence === 0) continue;
    hits++;
    const sign = valence > 0 ? 1 : -1;
    if (token.caps) valence += sign * CAPS_INCREMENT;

    let negated = found.prefixNegated;
    for (let k = 1; k <= 3 && i - k >= 0; k++) {
      const prev = tokens[i - k]!;
      const boost = profile.boosters.get(prev.norm);
      if (boost !== undefined && !profile.lexicon.has(prev.norm)) {
        valence += sign * (boost + (prev.caps ? Math.sign(boost) * CAPS_INCREMENT : 0)) * BOOSTER_DECAY[k - 1]!;
      }
    }
    for (let k = 1; k <= profile.negationBefore && i - k >= 0; k++) {
      if (isNegator(profile, tokens[i - k]!.norm)) { negated = !negated; break; }
    }
    for (let k = 1; k <= profile.negationAfter && i + k < n; k++) {
      if (isNegator(profile, tokens[i + k]!.norm)) { negated = !negated; break; }
    }
    if (negated) valence *= NEGATION_SCALAR;

    if (contrastAt >= 0) valence *= i < contrastAt ? BEFORE_CONTRAST : i > contrastAt ? AFTER_CONTRAST : 1;
    sum += valence;
  }

  if (sum !== 0) {
    let emphasis = Math.min(tokenised.exclamations, MAX_EXCLAMATIONS) * EXCLAMATION_WEIGHT;
    const q = tokenised.questions;
    if (q > 1) emphasis += q <= 3 ? q * 0.18 : 0.96;
    sum += sum > 0 ? emphasis : -emphasis;
  }
  const score = sum / Math.sqrt(sum * sum + NORMALISE_ALPHA);
  return { score: Math.max(-1, Math.min(1, score)), hits };
}
