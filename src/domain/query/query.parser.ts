import { hostMatches, handleMatches } from './query.item-index.js';
import { tokenize, type Token } from './query.lexer.js';
import { startsWithWhole, stripLatinMarks } from './query.words.js';
import { QUERY_LIMITS, QueryError, type NearNode, type QueryNode } from './query.types.js';
import { searchForm } from '../text/tokens.js';

/**
 * Parses the brand query language into a QueryNode, or throws QueryError naming the problem
 * and its position. Precedence, tightest first: NOT (and `-`), NEAR/n, AND (written or implied
 * by a space), OR. Operators are recognised only in upper case, so `or` is an ordinary word.
 *
 *   query := or ; or := and (OR and)* ; and := near ((AND)? near)*
 *   near  := unary (NEAR/n unary)* ; unary := (NOT | -) unary | primary
 *   primary := ( or ) | word | "phrase" | prefix* | #tag | @handle | field:value
 */
export function parseQuery(input: string): QueryNode {
  const past = pastLengthLimit(input);
  if (past !== null) {
    throw new QueryError(`the query is ${past.length} characters long; the limit is ${QUERY_LIMITS.maxLength}`, past.at);
  }
  if (input.trim() === '') throw new QueryError('the query is empty; write at least one word, phrase or filter', 0);
  return new Parser(tokenize(input)).parse();
}

/**
 * The limit counts characters (code points), as people and JSON Schema's maxLength do: an emoji
 * such as 😀 is one. The position is where the first character past the limit starts, in UTF-16
 * code units as every position is.
 */
function pastLengthLimit(input: string): { length: number; at: number } | null {
  const { maxLength } = QUERY_LIMITS;
  // A string of at most maxLength code units cannot hold more code points.
  if (input.length <= maxLength) return null;
  let length = 0;
  let at = -1;
  for (let i = 0; i < input.length; length += 1) {
    if (length === maxLength) at = i;
    const code = input.charCodeAt(i);
    const pair = code >= 0xd800 && code <= 0xdbff && (input.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    i += pair ? 2 : 1;
  }
  return at < 0 ? null : { length, at };
}

const NAMES: Record<Token['kind'], string> = {
  and: 'AND',
  or: 'OR',
  not: 'NOT',
  minus: "'-'",
  near: 'NEAR',
  lparen: "'('",
  rparen: "')'",
  leaf: 'a term',
  eof: 'the end',
};

class Parser {
  private next = 0;
  private terms = 0;
  // Where each node starts, for errors found after a node is built; kept off the public AST.
  private readonly positions = new WeakMap<QueryNode, number>();

  constructor(private readonly tokens: Token[]) {}

  parse(): QueryNode {
    const root = this.or(0);
    const rest = this.peek();
    if (rest.kind === 'rparen') throw new QueryError(`unexpected ')' at ${rest.at} with no matching '('`, rest.at);
    this.requirePositive(root);
    this.refuseContradiction(root);
    return root;
  }

  private peek(): Token {
    return this.tokens[this.next] ?? (this.tokens[this.tokens.length - 1] as Token);
  }

  private take(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.next += 1;
    return token;
  }

  private at<T extends QueryNode>(node: T, position: number): T {
    this.positions.set(node, position);
    return node;
  }

  private positionOf(node: QueryNode): number {
    return this.positions.get(node) ?? 0;
  }

  private or(depth: number): QueryNode {
    const children = [this.and(depth)];
    while (this.peek().kind === 'or') {
      this.operator();
      children.push(this.and(depth));
    }
    return this.group('or', children);
  }

  private and(depth: number): QueryNode {
    const children = [this.near(depth)];
    for (let token = this.peek(); token.kind === 'and' || startsOperand(token); token = this.peek()) {
      if (token.kind === 'and') this.operator();
      children.push(this.near(depth));
    }
    return this.group('and', children);
  }

  private group(type: 'and' | 'or', children: QueryNode[]): QueryNode {
    const [first] = children;
    if (children.length === 1 && first) return first;
    return this.at({ type, children }, this.positionOf(children[0] as QueryNode));
  }

  private near(depth: number): QueryNode {
    let left = this.unary(depth);
    for (let token = this.peek(); token.kind === 'near'; token = this.peek()) {
      const distance = token.distance;
      this.operator(`NEAR/${distance}`);
      const right = this.unary(depth);
      const node: NearNode = { type: 'near', distance, left: this.nearSide(left, token), right: this.nearSide(right, token) };
      left = this.at(node, this.positionOf(left));
    }
    return left;
  }

  private nearSide(side: QueryNode, near: Token): QueryNode {
    if (isNearSide(side)) return side;
    // `a NEAR/1 b NEAR/1 c`: the NEAR that chains is the mistake, not the first word.
    if (side.type === 'near') {
      throw new QueryError(`NEAR at ${near.at} cannot join another NEAR; write (a NEAR/3 b) (b NEAR/3 c) instead`, near.at);
    }
    const at = this.positionOf(side);
    throw new QueryError(
      `NEAR at ${near.at} joins words, phrases or prefixes (or an OR group of them); ${describe(side)} at ${at} cannot be one of its sides`,
      at,
    );
  }

  private unary(depth: number): QueryNode {
    const token = this.peek();
    if (token.kind !== 'not' && token.kind !== 'minus') return this.primary(depth);
    this.operator();
    this.checkDepth(depth, token);
    return this.at({ type: 'not', child: this.unary(depth + 1) }, token.at);
  }

  private primary(depth: number): QueryNode {
    const token = this.take();
    switch (token.kind) {
      case 'leaf':
        this.terms += 1;
        if (this.terms > QUERY_LIMITS.maxTerms) {
          throw new QueryError(`the query has more than ${QUERY_LIMITS.maxTerms} terms (at ${token.at}); the limit is ${QUERY_LIMITS.maxTerms}`, token.at);
        }
        return this.at(token.node, token.at);
      case 'lparen': {
        this.checkDepth(depth, token);
        if (this.peek().kind === 'rparen') throw new QueryError(`empty parentheses at ${token.at}`, token.at);
        // `a (`: the '(' is what is left open, not the end of the query.
        if (this.peek().kind === 'eof') throw new QueryError(`expected a term after '(' at ${token.at}`, token.at);
        const inner = this.or(depth + 1);
        if (this.take().kind !== 'rparen') throw new QueryError(`unclosed '(' opened at ${token.at}`, token.at);
        return inner;
      }
      case 'rparen':
        throw new QueryError(`unexpected ')' at ${token.at} with no matching '('`, token.at);
      default:
        throw new QueryError(`expected a term before ${NAMES[token.kind]} at ${token.at}`, token.at);
    }
  }

  /** Consumes an operator and insists that a term follows it. */
  private operator(name?: string): void {
    const token = this.take();
    if (!startsOperand(this.peek())) {
      throw new QueryError(`expected a term after ${name ?? NAMES[token.kind]} at ${token.at}`, token.at);
    }
  }

  private checkDepth(depth: number, token: Token): void {
    if (depth >= QUERY_LIMITS.maxDepth) {
      throw new QueryError(`the query nests deeper than ${QUERY_LIMITS.maxDepth} levels at ${token.at}`, token.at);
    }
  }

  /**
   * A query that requires what it also excludes can never match: `acme -acme`, or `"acme coffee"
   * -acme`, whose phrase holds the excluded word. Refused only where that is certain: a term,
   * hashtag, handle or filter the whole query requires (AND-ed at its top, or a word side of a
   * NEAR there) each of whose occurrences is also one of a term it excludes there.
   */
  private refuseContradiction(root: QueryNode): void {
    const required: Conjunct[] = [];
    const excluded: Conjunct[] = [];
    // `negated`: under an odd number of NOTs. A node without a position of its own (a filter of
    // `lang:cs|sk`) is placed where its group is.
    const gather = (node: QueryNode, negated: boolean, at: number): void => {
      const position = this.positions.get(node) ?? at;
      switch (node.type) {
        case 'not':
          return gather(node.child, !negated, position);
        case 'and':
        case 'or':
          // An AND requires each of its parts; NOT (a OR b) excludes each. Other groups require
          // or exclude no part for certain.
          if (node.type === (negated ? 'or' : 'and')) for (const child of node.children) gather(child, negated, position);
          return;
        case 'near':
          // A NEAR that holds holds each side; a side of words alone is required.
          if (!negated) for (const side of [node.left, node.right]) gather(side, false, position);
          return;
        default:
          (negated ? excluded : required).push({ node, at: position });
      }
    };
    gather(root, false, 0);
    for (const out of excluded) {
      const within = required.find((r) => implies(r.node, out.node));
      if (!within) continue;
      const [need, avoid] = [shown(within.node), shown(out.node)];
      const conflict =
        need === avoid
          ? `${need} (at ${within.at}) and excludes it (at ${out.at})`
          : `${need} (at ${within.at}) and excludes ${avoid} (at ${out.at}), which every item with ${need} has`;
      throw new QueryError(`the query requires ${conflict}, so it can never match; remove one of the two`, out.at);
    }
  }

  /** A query (or a side of OR) that only excludes would match nearly every item: refuse it. */
  private requirePositive(root: QueryNode): void {
    const problem = findOnlyExcluding(root, false, false);
    if (!problem) return;
    const at = this.positionOf(problem.node);
    const message = problem.inOr
      ? `each side of OR must include something; the side at ${at} only excludes and would match almost every item`
      : `the query only excludes (at ${at}); add a word, phrase or filter to look for, as in coffee -acme`;
    throw new QueryError(message, at);
  }
}

function startsOperand(token: Token): boolean {
  return token.kind === 'leaf' || token.kind === 'lparen' || token.kind === 'not' || token.kind === 'minus';
}

function isNearSide(node: QueryNode): boolean {
  if (node.type === 'term') return true;
  return node.type === 'or' && node.children.every(isNearSide);
}

function describe(node: QueryNode): string {
  switch (node.type) {
    case 'hashtag':
      return `the hashtag #${node.tag}`;
    case 'handle':
      return `the handle @${node.handle}`;
    case 'filter':
      return `the filter ${node.field}:`;
    case 'not':
      return 'an exclusion';
    default:
      return `an ${node.type.toUpperCase()} group`;
  }
}

/**
 * Whether an item can match the node only by containing something (a term, a hashtag, a
 * handle, a filter's value), read under `negated` NOTs: NOT (NOT acme) requires acme.
 */
function requiresSomething(node: QueryNode, negated: boolean): boolean {
  switch (node.type) {
    case 'not':
      return requiresSomething(node.child, !negated);
    case 'and':
      // Under NOT, an AND is an OR of exclusions, and the reverse.
      return negated ? node.children.every((c) => requiresSomething(c, true)) : node.children.some((c) => requiresSomething(c, false));
    case 'or':
      return negated ? node.children.some((c) => requiresSomething(c, true)) : node.children.every((c) => requiresSomething(c, false));
    default:
      return !negated;
  }
}

/** The exclusion that leaves the query (or a side of an OR) matching almost everything. */
function findOnlyExcluding(node: QueryNode, negated: boolean, inOr: boolean): { node: QueryNode; inOr: boolean } | null {
  if (requiresSomething(node, negated)) return null;
  if (node.type === 'not') return { node, inOr };
  if (node.type !== 'and' && node.type !== 'or') return { node, inOr };
  const actsAsOr = (node.type === 'or') !== negated;
  const side = node.children.find((child) => !requiresSomething(child, negated)) ?? (node.children[0] as QueryNode);
  return findOnlyExcluding(side, negated, inOr || actsAsOr);
}

/** A part a whole query requires or excludes, and where it was written. */
interface Conjunct {
  node: QueryNode;
  at: number;
}

/** How a term, hashtag, handle or filter reads in the query: `acme`, `"acme coffee"`, `#acme`, `lang:cs`. */
function shown(node: QueryNode): string {
  switch (node.type) {
    case 'term':
      return /\s/u.test(node.text) ? `"${node.text}"` : node.text;
    case 'hashtag':
      return `#${node.tag}`;
    case 'handle':
      return `@${node.handle}`;
    case 'filter':
      return /\s/u.test(node.value) ? `${node.field}:"${node.value}"` : `${node.field}:${node.value}`;
    default:
      return '';
  }
}

/**
 * Whether every item that `required` matches is certainly matched by `excluded` too: the same
 * hashtag, a handle that `excluded` finds, the same filter (or a site within the excluded one), or
 * a term whose every occurrence holds the excluded term's words in a row.
 */
function implies(required: QueryNode, excluded: QueryNode): boolean {
  if (required.type === 'hashtag' && excluded.type === 'hashtag') return searchForm(required.tag) === searchForm(excluded.tag);
  if (required.type === 'handle' && excluded.type === 'handle') return handleMatches(required.handle, excluded.handle);
  if (required.type === 'filter' && excluded.type === 'filter') {
    if (required.field !== excluded.field) return false;
    return required.value === excluded.value || (required.field === 'site' && hostMatches(required.value, excluded.value));
  }
  if (required.type !== 'term' || excluded.type !== 'term') return false;
  const { words } = required;
  const wanted = excluded.words;
  for (let start = 0; start + wanted.length <= words.length; start++) {
    const holds = wanted.every((word, i) => {
      const at = start + i;
      return wordImplies(words[at]!, required.prefix && at === words.length - 1, word, excluded.prefix && i === wanted.length - 1);
    });
    if (holds) return true;
  }
  return false;
}

/**
 * Whether every word that a required term's word finds, the excluded term's word finds too. A word
 * finds itself and, written without Latin marks, its spellings with them (`skoda` finds `škoda`);
 * a prefix finds the words that start with it. A required prefix (`acme*`) may stand for a longer
 * word, so only an excluded prefix it starts with is certain to be found in it.
 */
function wordImplies(required: string, requiredPrefix: boolean, excluded: string, excludedPrefix: boolean): boolean {
  if (requiredPrefix) return excludedPrefix && startsWithWhole(required, excluded);
  const bare = stripLatinMarks(required);
  if (excludedPrefix) return startsWithWhole(required, excluded) || startsWithWhole(bare, excluded);
  return required === excluded || bare === excluded;
}
