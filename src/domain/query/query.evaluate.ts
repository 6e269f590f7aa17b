import { handleMatches, hostMatches, type ItemIndex } from './query.item-index.js';
import { searchForm } from '../text/tokens.js';
import type { FilterNode, NearNode, QueryNode, TermNode } from './query.types.js';

/**
 * Evaluates queries against one indexed item. Term look-ups are cached, so brands sharing a term
 * (or one brand using it twice) find it once per item.
 */
export class Evaluation {
  private readonly starts = new Map<string, readonly number[]>();
  /** Spans and NEAR answers per node, made on the first NEAR: the keywords of a match read them again (`keywords`). */
  private spanCache: Map<QueryNode, number[]> | undefined;
  private nearCache: Map<NearNode, boolean> | undefined;

  constructor(readonly index: ItemIndex) {}

  matches(node: QueryNode): boolean {
    switch (node.type) {
      case 'term':
        return this.termStarts(node).length > 0;
      case 'hashtag':
        // The tag stays as written (it is the keyword reported); the item's tags are in search form.
        return this.index.hashtags.has(searchForm(node.tag));
      case 'handle':
        return this.index.handles.some((handle) => handleMatches(handle, node.handle));
      case 'filter':
        return this.filterMatches(node);
      case 'and':
        return node.children.every((child) => this.matches(child));
      case 'or':
        return node.children.some((child) => this.matches(child));
      case 'not':
        return !this.matches(node.child);
      case 'near': {
        this.nearCache ??= new Map();
        let near = this.nearCache.get(node);
        if (near === undefined) {
          near = this.nearMatches(node);
          this.nearCache.set(node, near);
        }
        return near;
      }
    }
  }

  /**
   * The keywords of a query that matches the item (`terms` is positiveTerms(root), in whose order
   * they come): the positive terms, hashtags and handles of the clauses the item satisfies. A term
   * that occurs in a clause that fails (a side of a NEAR too far from the other, one word of an AND
   * whose other word is missing) played no part in the match and is left out, unless it counts
   * somewhere else.
   */
  keywords(root: QueryNode, terms: readonly KeywordTerm[]): string[] {
    const found = new Set<string>();
    this.collect(root, true, found);
    return terms.filter((term) => found.has(term.keyword)).map((term) => term.keyword);
  }

  /**
   * Adds to `found` the keywords by which `node` has its answer `holds`. Read under an even number
   * of NOTs a node holds exactly when it counts for the match, under an odd number exactly when it
   * fails: so a leaf found here is positive (positiveTerms) when, and only when, it occurs. An AND
   * or OR answers by its children that answer as it does (every one, or the satisfied sides of an
   * OR). Parts of filters alone are skipped; a part that mixes words and `lang:` may need the
   * language to say whether it holds (`(acme lang:cs) OR globex`), which is then read, once, as
   * scoring the matched item reads it anyway.
   */
  private collect(node: QueryNode, holds: boolean, found: Set<string>): void {
    switch (node.type) {
      case 'term':
      case 'hashtag':
      case 'handle':
        if (holds) found.add(keywordOf(node));
        return;
      case 'filter':
        return;
      case 'not':
        this.collect(node.child, !holds, found);
        return;
      case 'and':
      case 'or':
        for (const child of node.children) {
          // A part of filters alone holds no keyword: not evaluated, its language is not asked for.
          if (holdsKeywords(child) && this.matches(child) === holds) this.collect(child, holds, found);
        }
        return;
      case 'near':
        if (holds) {
          this.collectNearSide(node.left, (part) => this.nearMatches({ ...node, left: part }), found);
          this.collectNearSide(node.right, (part) => this.nearMatches({ ...node, right: part }), found);
        }
        return;
    }
  }

  /** The terms of a satisfied NEAR's side that stand near the other side: of an OR group, only its alternatives that do. */
  private collectNearSide(side: QueryNode, near: (part: QueryNode) => boolean, found: Set<string>): void {
    if (side.type !== 'or') {
      found.add(keywordOf(side));
      return;
    }
    for (const part of side.children) if (near(part)) this.collectNearSide(part, near, found);
  }

  /** Positions where the term's first word stands, in increasing order. */
  private termStarts(term: TermNode): readonly number[] {
    const key = `${term.prefix ? '*' : '='}${term.words.join(' ')}`;
    let found = this.starts.get(key);
    if (!found) {
      found = this.findTerm(term);
      this.starts.set(key, found);
    }
    return found;
  }

  private findTerm({ words, prefix }: TermNode): readonly number[] {
    const last = words.length - 1;
    const first = words[0] ?? '';
    if (last === 0) return prefix ? this.index.positionsStartingWith(first) : this.index.positionsOf(first);
    return this.index
      .positionsOf(first)
      .filter((start) => words.every((word, i) => i === 0 || this.index.wordAt(start + i, word, prefix && i === last)));
  }

  private filterMatches({ field, value }: FilterNode): boolean {
    const { item } = this.index;
    switch (field) {
      case 'source':
        return item.sourceType === value;
      case 'lang':
        return this.index.lang === value;
      case 'author':
        return this.index.author === value;
      case 'site': {
        const host = this.index.host;
        return host !== null && hostMatches(host, value);
      }
    }
  }

  /**
   * Spans as a flat list [start, end, start, end, …] sorted by start. A phrase spans its words;
   * an OR group is the union of its sides' spans.
   */
  private spans(node: QueryNode): number[] {
    this.spanCache ??= new Map();
    let found = this.spanCache.get(node);
    if (found === undefined) {
      found = this.findSpans(node);
      this.spanCache.set(node, found);
    }
    return found;
  }

  private findSpans(node: QueryNode): number[] {
    if (node.type === 'term') {
      const length = node.words.length - 1;
      return this.termStarts(node).flatMap((start) => [start, start + length]);
    }
    if (node.type !== 'or') return [];
    const pairs = node.children.flatMap((child) => toPairs(this.spans(child)));
    pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    return pairs.flat();
  }

  /**
   * Two spans are near when they do not overlap, lie in the same part of the item (title or
   * text), and at most `distance` words stand between the end of one and the start of the other.
   */
  private nearMatches({ left, right, distance }: NearNode): boolean {
    const a = this.spans(left);
    if (a.length === 0) return false;
    const b = this.spans(right);
    let longestB = 0;
    for (let j = 0; j < b.length; j += 2) longestB = Math.max(longestB, (b[j + 1] as number) - (b[j] as number));
    const { textStart } = this.index;
    let low = 0;
    for (let i = 0; i < a.length; i += 2) {
      const aStart = a[i] as number;
      const aEnd = a[i + 1] as number;
      // A sorted, so the window of candidate B spans only moves right.
      while (low < b.length && (b[low] as number) < aStart - distance - 1 - longestB) low += 2;
      for (let j = low; j < b.length && (b[j] as number) <= aEnd + distance + 1; j += 2) {
        const bStart = b[j] as number;
        const bEnd = b[j + 1] as number;
        const gap = bStart > aEnd ? bStart - aEnd - 1 : bEnd < aStart ? aStart - bEnd - 1 : -1;
        if (gap >= 0 && gap <= distance && aStart < textStart === bStart < textStart) return true;
      }
    }
    return false;
  }
}

/** Whether a part of a query holds a term, hashtag or handle (anything but filters); remembered per node. */
const keywordsHeld = new WeakMap<QueryNode, boolean>();
function holdsKeywords(node: QueryNode): boolean {
  let held = keywordsHeld.get(node);
  if (held === undefined) {
    switch (node.type) {
      case 'filter':
        held = false;
        break;
      case 'not':
        held = holdsKeywords(node.child);
        break;
      case 'and':
      case 'or':
        held = node.children.some(holdsKeywords);
        break;
      default:
        held = true;
    }
    keywordsHeld.set(node, held);
  }
  return held;
}

function toPairs(flat: number[]): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i] as number, flat[i + 1] as number]);
  return pairs;
}

/** A positive leaf of a query and the keyword it reports when it occurs. */
export interface KeywordTerm {
  keyword: string;
  node: QueryNode;
}

/**
 * The leaves an item can be found by: terms, hashtags and handles that sit under an even number
 * of NOTs. Filters are not keywords. As written, folded, without duplicates, in query order.
 */
export function positiveTerms(root: QueryNode): KeywordTerm[] {
  const found = new Map<string, KeywordTerm>();
  const visit = (node: QueryNode, negated: boolean): void => {
    switch (node.type) {
      case 'and':
      case 'or':
        for (const child of node.children) visit(child, negated);
        return;
      case 'near':
        visit(node.left, negated);
        visit(node.right, negated);
        return;
      case 'not':
        visit(node.child, !negated);
        return;
      case 'filter':
        return;
      default: {
        const keyword = keywordOf(node);
        if (!negated && !found.has(keyword)) found.set(keyword, { keyword, node });
      }
    }
  };
  visit(root, false);
  return [...found.values()];
}

function keywordOf(node: QueryNode): string {
  if (node.type === 'hashtag') return `#${node.tag}`;
  if (node.type === 'handle') return `@${node.handle}`;
  return node.type === 'term' ? node.text : '';
}
