import { extractHandles, extractHashtags, foldCase, searchForm } from '../text/tokens.js';
import { forEachWord, startsWithWhole, stripLatinMarks } from './query.words.js';
import type { MatchItem } from './query.types.js';

/**
 * One item, tokenised once, for every query that looks at it. Word positions run over the title,
 * then one empty separator, then the text, so a phrase never spans the two.
 *
 * Most items are ruled out by the workspace's anchors without evaluating any query, so no map of
 * positions is built: the few terms a candidate brand asks for are found by scanning the words.
 */
export class ItemIndex {
  /** Folded words; the separator between title and text is ''. */
  readonly words: string[] = [];
  /** The same words with the marks on Latin letters removed (`škoda` → `skoda`); the same string when there are none. */
  readonly bare: string[] = [];
  /** The first position of the text (after the title and the separator). */
  readonly textStart: number;
  private hashtagSet: Set<string> | undefined;
  private handleList: string[] | undefined;
  private hostName: string | null | undefined;
  private authorName: string | null | undefined;
  private language: string | null | undefined;

  constructor(readonly item: MatchItem) {
    if (item.title) forEachWord(foldCase(item.title), (word) => this.add(word));
    this.words.push('');
    this.bare.push('');
    this.textStart = this.words.length;
    forEachWord(foldCase(item.text), (word) => this.add(word));
  }

  private add(word: string): void {
    this.words.push(word);
    this.bare.push(stripLatinMarks(word));
  }

  /**
   * Positions of a query word, in increasing order. A query word with diacritics can never equal
   * a bare form, so comparing it with both finds only its own spelling, and one without finds both.
   */
  positionsOf(word: string): readonly number[] {
    const found: number[] = [];
    if (word === '') return found;
    const { words, bare } = this;
    for (let position = 0; position < words.length; position++) {
      if (words[position] === word || bare[position] === word) found.push(position);
    }
    return found;
  }

  /** Positions of words starting with `prefix` at a grapheme boundary, in increasing order. */
  positionsStartingWith(prefix: string): number[] {
    const found: number[] = [];
    const { words, bare } = this;
    for (let position = 0; position < words.length; position++) {
      if (position === this.textStart - 1) continue;
      if (startsWithWhole(words[position]!, prefix) || startsWithWhole(bare[position]!, prefix)) found.push(position);
    }
    return found;
  }

  /** Calls `visit` with every indexed form (folded and bare), repeats included, for the workspace's anchor look-ups. */
  forEachForm(visit: (form: string) => void): void {
    const { words, bare } = this;
    for (let position = 0; position < words.length; position++) {
      if (position === this.textStart - 1) continue;
      const folded = words[position]!;
      visit(folded);
      if (bare[position] !== folded) visit(bare[position]!);
    }
  }

  /** Whether the word at `position` is `word` (or, for a prefix, starts with it). */
  wordAt(position: number, word: string, prefix: boolean): boolean {
    const folded = this.words[position];
    const bare = this.bare[position];
    if (folded === undefined || bare === undefined) return false;
    if (!prefix) return folded === word || bare === word;
    return startsWithWhole(folded, word) || startsWithWhole(bare, word);
  }

  /**
   * The item's hashtags and those written in its title and text, lowercase, without '#', in their
   * search form, and each also without the marks on its Latin letters: Latin diacritics count one
   * way for tags as for words (`#skodaauto` finds `#ŠkodaAuto`, `#škodaauto` not `#skodaauto`).
   */
  get hashtags(): Set<string> {
    if (!this.hashtagSet) {
      const tags = [...this.item.hashtags.map(foldCase), ...extractHashtags(this.item.title ?? ''), ...extractHashtags(this.item.text)];
      this.hashtagSet = new Set();
      for (const tag of tags) {
        const form = searchForm(tag);
        this.hashtagSet.add(form).add(stripLatinMarks(form));
      }
    }
    return this.hashtagSet;
  }

  /**
   * The item's handles and those written in its title and text, lowercase, without '@'; a handle
   * on bsky.social also by its name alone (`acme.bsky.social` adds `acme`), so `@acme` finds it as
   * `handleMatches` finds `acme@mastodon.social`, with no extra work per query.
   */
  get handles(): string[] {
    if (!this.handleList) {
      const found = new Set([...this.item.handles.map(foldCase), ...extractHandles(this.item.title ?? ''), ...extractHandles(this.item.text)]);
      // A name added here is visited too, and passes: it holds no '.'.
      for (const handle of found) {
        const name = blueskyName(handle);
        if (name !== null) found.add(name);
      }
      this.handleList = [...found];
    }
    return this.handleList;
  }

  get host(): string | null {
    if (this.hostName === undefined) this.hostName = parseHost(this.item.url);
    return this.hostName;
  }

  get author(): string | null {
    if (this.authorName === undefined) {
      this.authorName = this.item.author === null ? null : searchForm(foldCase(this.item.author)).replace(/\s+/gu, ' ').trim();
    }
    return this.authorName;
  }

  /** The item's language, lowercase; one left to work out (`MatchItem`) is worked out now, once. */
  get lang(): string | null {
    if (this.language === undefined) {
      const { lang } = this.item;
      this.language = (typeof lang === 'function' ? lang() : lang)?.toLowerCase() ?? null;
    }
    return this.language;
  }

  /** Whether reading `lang` costs nothing: it was given, or it has been worked out already. */
  get langKnown(): boolean {
    return this.language !== undefined || typeof this.item.lang !== 'function';
  }
}

function parseHost(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).hostname.replace(/\.$/, '');
  } catch {
    return null;
  }
}

/** `@acme` finds `acme` and, on Mastodon, `acme@any.instance`; `@acme@one.social` finds only that. */
export function handleMatches(itemHandle: string, queryHandle: string): boolean {
  return itemHandle === queryHandle || (itemHandle.startsWith(queryHandle) && itemHandle.charAt(queryHandle.length) === '@');
}

const BLUESKY_DOMAIN = '.bsky.social';

/**
 * The name of a handle on bsky.social, the public Bluesky service's default handle domain
 * (`acme` for `acme.bsky.social`), or null. As a Mastodon instance is, that domain is a server a
 * brand's name is taken on; a custom domain (`acme.com`, `lumo.coffee`) is the name itself, and
 * `@acme` finding it would be too loose. `handle` is folded.
 */
export function blueskyName(handle: string): string | null {
  if (!handle.endsWith(BLUESKY_DOMAIN)) return null;
  const name = handle.slice(0, -BLUESKY_DOMAIN.length);
  // bsky.social gives one label; `a.b.bsky.social` or a Mastodon `acme@x.bsky.social` is no name there.
  return name !== '' && !name.includes('.') && !name.includes('@') ? name : null;
}

/** `example.com` covers `example.com` and `news.example.com`, never `notexample.com`. */
export function hostMatches(host: string, site: string): boolean {
  return host === site || (host.endsWith(site) && host.charAt(host.length - site.length - 1) === '.');
}
