import type { NormalisedItem } from '../items/item.types.js';
import { Evaluation, positiveTerms, type KeywordTerm } from './query.evaluate.js';
import { ItemIndex } from './query.item-index.js';
import { parseQuery } from './query.parser.js';
import { QueryError, type FilterField, type MatchItem, type QueryNode } from './query.types.js';
import { prefixStem } from './query.words.js';
import { searchForm } from '../text/tokens.js';

export interface BrandMatch {
  brandId: string;
  /** The brand's positive terms by which the item matched (Evaluation.keywords): as written, folded; '#tag', '@handle'. */
  keywords: string[];
}

export interface WorkspaceMatcher {
  /**
   * The brands whose query matches the item, in the order they were compiled. An item whose
   * language is left to work out (`lang` a function) has it worked out only if a brand's `lang:`
   * filter is reached, and at most once.
   */
  match(item: MatchItem): BrandMatch[];
}

interface CompiledBrand {
  id: string;
  /** The query as evaluated: the same answers as the brand's, its language read last (`languageLast`). */
  root: QueryNode;
  terms: KeywordTerm[];
}

/**
 * Something an item must contain for a query to possibly match: if none of a brand's anchors is
 * in the item, the brand is not evaluated at all.
 */
interface Anchor {
  kind: 'word' | 'prefix' | 'hashtag' | 'handle' | 'filter';
  key: string;
}

const ANCHOR_COST: Record<Anchor['kind'], number> = { word: 1, hashtag: 1, handle: 1, prefix: 2, filter: 8 };

/** The positive terms of a query (what later counts as the brand's own keywords). */
export function queryTerms(query: string | QueryNode): string[] {
  return positiveTerms(toNode(query)).map((term) => term.keyword);
}

/** Matches one query against one item: the keywords of the clauses it satisfies, or null when it does not match. */
export function matchQuery(query: string | QueryNode, item: NormalisedItem): { keywords: string[] } | null {
  const root = toNode(query);
  const evaluation = new Evaluation(new ItemIndex(item));
  return evaluation.matches(root) ? { keywords: evaluation.keywords(root, positiveTerms(root)) } : null;
}

/**
 * Compiles every brand of a workspace into one matcher. Each item is tokenised once; an inverted
 * index from anchors (words, prefixes, hashtags, handles, filter values) to brands picks the
 * brands worth evaluating, and those share one cache of term positions.
 *
 * A stored query that no longer parses (saved before a change of the grammar: a word then a
 * colon became a filter name) leaves its brand out: it matches no new item until its query is
 * fixed, while the workspace's other brands go on matching. Queries are parsed at save time, so
 * this is only ever an upgrade's leftover; throwing instead would fail every poll of the
 * workspace. Errors other than QueryError still throw.
 */
export function compileWorkspace(brands: ReadonlyArray<{ id: string; query: string | QueryNode }>): WorkspaceMatcher {
  const parsed = brands.flatMap(({ id, query }) => {
    try {
      return [{ id, root: toNode(query) }];
    } catch (err) {
      if (err instanceof QueryError) return [];
      throw err;
    }
  });
  const roots = parsed.map(({ root }) => root);
  const compiled: CompiledBrand[] = parsed.map(({ id, root }) => ({ id, root: languageLast(root), terms: positiveTerms(root) }));
  const anchors = new AnchorIndex(roots.map(anchorsOf));

  return {
    match(item) {
      const index = new ItemIndex(item);
      const candidates = anchors.candidates(index);
      const evaluation = new Evaluation(index);
      const matches: BrandMatch[] = [];
      compiled.forEach((brand, i) => {
        if (candidates[i] === 1 && evaluation.matches(brand.root)) {
          matches.push({ brandId: brand.id, keywords: evaluation.keywords(brand.root, brand.terms) });
        }
      });
      return matches;
    },
  };
}

/** Whether the query filters on `field` anywhere (NEAR joins only words, so it holds no filter). */
function filtersOn(node: QueryNode, field: FilterField): boolean {
  switch (node.type) {
    case 'filter':
      return node.field === field;
    case 'not':
      return filtersOn(node.child, field);
    case 'and':
    case 'or':
      return node.children.some((child) => filtersOn(child, field));
    default:
      return false;
  }
}

/**
 * The same query with, in every AND and OR, the parts that read the language moved after the
 * others. Evaluation stops at the first part that decides, and nothing else it does has effects,
 * so the answers are the same; the language, which may still have to be detected, is then read
 * only when the words, tags and other filters leave the answer open.
 */
function languageLast(node: QueryNode): QueryNode {
  if (!filtersOn(node, 'lang')) return node;
  switch (node.type) {
    case 'not':
      return { ...node, child: languageLast(node.child) };
    case 'and':
    case 'or': {
      const children = node.children.map(languageLast);
      const reads = (child: QueryNode) => filtersOn(child, 'lang');
      return { ...node, children: [...children.filter((child) => !reads(child)), ...children.filter(reads)] };
    }
    default:
      return node;
  }
}

function toNode(query: string | QueryNode): QueryNode {
  return typeof query === 'string' ? parseQuery(query) : query;
}

/** Anchors one of which must be present for the node to match, or null when none can be named. */
function anchorsOf(node: QueryNode): Anchor[] | null {
  switch (node.type) {
    case 'term':
      return [termAnchor(node.words, node.prefix)];
    case 'hashtag':
      return [{ kind: 'hashtag', key: searchForm(node.tag) }];
    case 'handle':
      return [{ kind: 'handle', key: node.handle }];
    case 'filter':
      return [{ kind: 'filter', key: `${node.field}:${node.value}` }];
    case 'not':
      return null;
    case 'or': {
      const sides = node.children.map(anchorsOf);
      return sides.every((side) => side !== null) ? sides.flat() : null;
    }
    case 'and':
      return cheapest(node.children.map(anchorsOf));
    case 'near':
      return cheapest([anchorsOf(node.left), anchorsOf(node.right)]);
  }
}

function termAnchor(words: string[], prefix: boolean): Anchor {
  // Any whole word of the term will do; the longest is usually the rarest.
  const whole = prefix ? words.slice(0, -1) : words;
  const longest = whole.reduce<string | null>((best, word) => (best === null || word.length > best.length ? word : best), null);
  return longest === null ? { kind: 'prefix', key: prefixStem(words[0] ?? '') } : { kind: 'word', key: longest };
}

function cheapest(options: Array<Anchor[] | null>): Anchor[] | null {
  let best: Anchor[] | null = null;
  let bestCost = Infinity;
  for (const option of options) {
    if (option === null) continue;
    const cost = option.reduce((sum, anchor) => sum + ANCHOR_COST[anchor.kind], 0);
    if (cost < bestCost) {
      best = option;
      bestCost = cost;
    }
  }
  return best;
}

/** From anchors to the brands they belong to; answers which brands an item may match. */
class AnchorIndex {
  private readonly byKind = {
    word: new Map<string, number[]>(),
    prefix: new Map<string, number[]>(),
    hashtag: new Map<string, number[]>(),
    handle: new Map<string, number[]>(),
    filter: new Map<string, number[]>(),
  };
  private readonly prefixLengths: number[];
  /** The first code unit of every prefix anchor: a word starting with none of them needs no prefix look-up. */
  private readonly prefixStarts: Set<number>;
  private readonly always: Uint8Array;
  /** Brands that one of their `lang:` anchors may let in: candidates while an item's language is not known yet. */
  private readonly byLanguage: number[] = [];

  constructor(perBrand: Array<Anchor[] | null>) {
    this.always = new Uint8Array(perBrand.length);
    perBrand.forEach((anchors, brand) => {
      if (anchors === null) this.always[brand] = 1;
      if (anchors?.some((anchor) => anchor.kind === 'filter' && anchor.key.startsWith('lang:'))) this.byLanguage.push(brand);
      for (const anchor of anchors ?? []) {
        const map = this.byKind[anchor.kind];
        const brands = map.get(anchor.key);
        if (brands) brands.push(brand);
        else map.set(anchor.key, [brand]);
      }
    });
    this.prefixLengths = [...new Set([...this.byKind.prefix.keys()].map((key) => key.length))].sort((a, b) => a - b);
    this.prefixStarts = new Set([...this.byKind.prefix.keys()].map((key) => key.charCodeAt(0)));
  }

  /** 1 for each brand worth evaluating against the item. */
  candidates(index: ItemIndex): Uint8Array {
    const marked = this.always.slice();
    const mark = (map: Map<string, number[]>, key: string) => {
      const brands = map.get(key);
      if (brands !== undefined) for (const brand of brands) marked[brand] = 1;
    };
    const { word, prefix, hashtag, handle, filter } = this.byKind;
    const { prefixLengths, prefixStarts } = this;
    index.forEachForm((key) => {
      mark(word, key);
      // Most words start with no prefix's first letter: no slices to make and look up for them.
      if (!prefixStarts.has(key.charCodeAt(0))) return;
      for (const length of prefixLengths) {
        if (length > key.length) break;
        mark(prefix, key.slice(0, length));
      }
    });
    if (hashtag.size > 0) for (const tag of index.hashtags) mark(hashtag, tag);
    if (handle.size > 0) {
      for (const found of index.handles) {
        mark(handle, found);
        const at = found.indexOf('@');
        if (at > 0) mark(handle, found.slice(0, at));
      }
    }
    if (filter.size > 0) for (const key of filterKeys(index)) mark(filter, key);
    // The language is not detected to pick candidates: a brand one of whose `lang:` anchors might
    // let it in is evaluated, and the evaluation reads the language only if the rest leaves the answer open.
    if (!index.langKnown) for (const brand of this.byLanguage) marked[brand] = 1;
    return marked;
  }
}

function filterKeys(index: ItemIndex): string[] {
  const { item, host, author } = index;
  const keys = [`source:${item.sourceType}`];
  if (index.langKnown && index.lang !== null) keys.push(`lang:${index.lang}`);
  if (author !== null) keys.push(`author:${author}`);
  if (host !== null) {
    const labels = host.split('.');
    for (let i = 0; i < labels.length; i += 1) keys.push(`site:${labels.slice(i).join('.')}`);
  }
  return keys;
}
