import { z } from '@hono/zod-openapi';
import { isUuid } from '../domain/pagination/cursor.js';
import { notFound } from '../domain/errors.js';
import { SOURCE_TYPES } from '../domain/items/item.types.js';
import { assertBrandInWorkspace, parseFilterQuery } from '../domain/mentions/mentions.usecases.js';
import type { MentionFilter } from '../domain/mentions/mentions.repository.js';
import { HASHTAG_HOLDS, hashtagBodyProblem, phraseInQuotes, type QueryNode } from '../domain/query/index.js';
import { dropInvisibleInWords, dropSoftHyphens, foldCase, searchForm } from '../domain/text/tokens.js';
import { validationError } from '../domain/validation.js';
import type { ApiDeps } from './app.js';
import { LangCode, once, oneOf } from './schemas.js';

export const SENTIMENT_LABELS = ['positive', 'neutral', 'negative', 'unscored'] as const;

const DAY_MS = 86_400_000;

/** Date.parse rolls 2026-02-30 over to 2 March: the day as written, before any offset, must exist. */
function dayExists(v: string): boolean {
  const written = v.slice(0, 10);
  const day = new Date(written);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === written;
}

/**
 * A time as written by the client, as the UTC time it names: one without an offset is UTC, as
 * API.md says all times are (JavaScript would read it in the server's own time zone), and RFC
 * 3339's lower-case `t` and `z` are accepted.
 */
function utcTime(v: string): string {
  const upper = v.toUpperCase().replace(' ', 'T');
  return /T[\d:.]+$/.test(upper) ? `${upper}Z` : upper;
}

/** A valid IsoTime as a Date. */
export const isoTimeToDate = (v: string) => new Date(utcTime(v));

/**
 * The times the API takes. Windows are rounded to hours, days, weeks and months in any zone, and
 * the window before one is compared with it: near year 1 or year 9999 those leave the calendar
 * that ISO strings and Postgres can hold (a 500 from Postgres on year 0). No mention is that old.
 */
const EARLIEST = '1900-01-01T00:00:00Z';
const LATEST = '9000-01-01T00:00:00Z';

/**
 * A time then a space and an offset's digits: a `+` written as it is in a URL's query string,
 * which reads it as a space (`since=2026-12-07T10:00:00+01:00`). The offset could have been + or
 * -, and only a `+` turns into a space: the answer says so rather than guessing.
 */
const PLUS_READ_AS_SPACE = /^\d{4}-\d{2}-\d{2}[Tt ][\d:.]+ \d{2}(?::?\d{2})?$/;
/** A time, a space, then an offset with its sign or Z: the space is what is wrong (in a body, or `%2B` after a space in a query). */
const SPACE_BEFORE_OFFSET = /^\d{4}-\d{2}-\d{2}[Tt ][\d:.]+ ([Zz]|[+-]\d{2}(?::?\d{2})?)$/;
/** ISO 8601's offset of hours only (`+05`), which RFC 3339 and JavaScript do not read. */
const HOURS_ONLY_OFFSET = /^\d{4}-\d{2}-\d{2}[Tt ][\d:.]+[+-]\d{2}$/;

/** An ISO-8601 time; in a query string, a `+` lost to URL decoding is named, and anywhere a space before an offset. */
const isoTime = ({ inQuery }: { inQuery: boolean }) =>
  z.string().superRefine((v, ctx) => {
    const at = Date.parse(utcTime(v));
    const spaceAt = v.lastIndexOf(' ');
    if (inQuery && PLUS_READ_AS_SPACE.test(v)) {
      const offset = v.slice(spaceAt + 1);
      // An offset of hours only (` 05`) gets its minutes in the suggestion: +05 alone is refused too.
      const written = offset.length === 2 ? `${offset}:00` : offset;
      ctx.addIssue({
        code: 'custom',
        message: `has a space before its UTC offset (${offset}): a '+' in a URL's query string is read as a space, so write it as %2B (${v.slice(0, spaceAt)}%2B${written})`,
      });
    } else if (SPACE_BEFORE_OFFSET.test(v)) {
      const offset = v.slice(spaceAt + 1);
      const joined = `${v.slice(0, spaceAt)}${inQuery ? offset.replace('+', '%2B') : offset}`;
      ctx.addIssue({ code: 'custom', message: `has a space before its UTC offset (${offset}): write the offset right after the time (${joined})` });
    } else if (HOURS_ONLY_OFFSET.test(v)) {
      const offset = v.slice(-3);
      const time = inQuery ? v.replace('+', '%2B') : v;
      ctx.addIssue({ code: 'custom', message: `has an offset of hours only (${offset}): write its minutes too (${time}:00)` });
    } else if (!/^\d{4}-\d{2}-\d{2}([Tt ][\d:.]+([Zz]|[+-]\d{2}:?\d{2})?)?$/.test(v) || Number.isNaN(at)) {
      ctx.addIssue({ code: 'custom', message: 'expected an ISO-8601 time such as 2026-11-01T00:00:00Z' });
    } else if (!dayExists(v)) {
      ctx.addIssue({ code: 'custom', message: `${v.slice(0, 10)} is not a day of the calendar` });
    } else if (!(at >= Date.parse(EARLIEST) && at <= Date.parse(LATEST))) {
      ctx.addIssue({ code: 'custom', message: `must be between ${EARLIEST} and ${LATEST}` });
    }
  });

// No example here: /docs' Try it out fills a parameter with its example, and one example shared
// by since and until is a window that ends where it starts (a 400). The query windows go without
// one, so Try it out leaves them empty (the default window); bodies take `windowExample`.
const ISO_TIME = { description: 'ISO-8601: a day, or a time; a time without an offset is UTC. Between 1900-01-01 and 9000-01-01.' };
export const IsoTime = isoTime({ inQuery: false }).openapi(ISO_TIME);
const QueryTime = isoTime({ inQuery: true }).openapi({ description: `${ISO_TIME.description} Write an offset's + as %2B: in a query string a + is a space.` });

/** A window that holds (since before until, both past), as the request bodies' examples. */
export const windowExample = { since: '2026-11-01T00:00:00Z', until: '2026-11-08T00:00:00Z' } as const;

export const WindowQuery = {
  since: once(QueryTime).optional().openapi({ param: { name: 'since', in: 'query' }, description: 'Inclusive; UTC unless it carries an offset. Default: 7 days before `until`.' }),
  until: once(QueryTime).optional().openapi({ param: { name: 'until', in: 'query' }, description: 'Exclusive; UTC unless it carries an offset. Default: now.' }),
};

/** since/until as API.md says: ISO-8601, default the last 7 days, since before until. */
export function parseWindow(q: { since?: string | undefined; until?: string | undefined }, now = new Date(), defaultDays = 7) {
  const until = q.until ? isoTimeToDate(q.until) : now;
  const since = q.since ? isoTimeToDate(q.since) : new Date(until.getTime() - defaultDays * DAY_MS);
  if (since >= until) {
    // A `since` in the future with no `until` is the usual case: say where until came from.
    const message = q.until ? 'must be before until' : `must be before until, which defaults to now (${now.toISOString()}) when not given`;
    throw validationError([{ field: 'since', message }]);
  }
  return { since, until };
}

const param = (name: string, description: string) => ({ param: { name, in: 'query' as const }, description });

/**
 * keyword= and hashtag= in the form the streams compare terms in: folded as mentions store them,
 * then in search form, so spellings that differ only by a ZWNJ, an Arabic or Persian letter form or
 * the script of a digit find one another. Latin diacritics count one way, as in the query language:
 * a term written without them also finds it with them (skodaauto finds škodaauto), one written
 * with them only that spelling (search_forms() in Postgres, holdsTerm for live mentions). Both the
 * list and the live stream are given this one form, so they cannot disagree.
 *
 * A keyword is read as the query language reads a phrase (query.lexer.ts): every run of whitespace,
 * in any script (tab, no-break or ideographic space), is one space, which is how a phrase keyword
 * is stored; and one pair of surrounding double quotes (or typographic ones, “…”, „…“, «…») is
 * dropped, so a phrase copied from a brand query with its quotes is that phrase.
 */
const WHITESPACE_RUN = /\s+/gu;
function keywordOf(v: string): string {
  const spaced = foldCase(v).replace(WHITESPACE_RUN, ' ').trim();
  return searchForm(phraseInQuotes(spaced)?.trim() ?? spaced);
}
/**
 * Spaces and invisible characters (a zero-width space copied from an app along with the tag) at
 * either end of a hashtag are not part of it; the extractor ends a tag at them. Nor are a leading
 * '#' (or the full-width '＃'), or a soft hyphen, word joiner or zero-width space inside it, which
 * the extractor drops before it reads a tag.
 */
const EDGE_BLANKS = /^[\s\p{Cf}]+|[\s\p{Cf}]+$/gu;
const tagBody = (v: string) => dropInvisibleInWords(dropSoftHyphens(v.replace(EDGE_BLANKS, '').replace(/^[#\uFF03]/, '')));
const hashtagOf = (v: string) => searchForm(foldCase(tagBody(v)));

/**
 * Every stored keyword (a word, phrase, prefix, #tag or @handle) and every tag holds a letter, a
 * digit or '_'. A filter without one, once normalised (only spaces, quotes, '#', or invisible
 * characters such as the zero-width space, which searchForm keeps, or the ZWNJ, which it drops),
 * could never match: it is refused rather than answered with an empty list.
 */
const HOLDS_WORD = /[\p{L}\p{N}_]/u;

// Postgres text cannot hold NUL (a 500), and no term, tag or id holds a control character.
const NO_CONTROLS = 'must not contain control characters';
const noControls = (v: string) => !/[\u0000-\u001f\u007f]/.test(v);
/** In q=, tabs and line breaks are spaces to the query language. */
const noControlsButSpace = (v: string) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(v);

/**
 * keyword= or hashtag=: one value of at most 200 characters, and one problem named per mistake.
 * Empty is only "must not be empty": the checks after it would each name the same mistake again.
 */
const filterTerm = (problem: (v: string) => string | null) =>
  once(
    z
      .string()
      .min(1, { message: 'must not be empty', abort: true })
      .max(200, { abort: true })
      .superRefine((v, ctx) => {
        const found = problem(v);
        if (found) ctx.addIssue({ code: 'custom', message: found });
      }),
  ).optional();

/**
 * Why a keyword= value can match no keyword, or null: checked as written, then normalised as
 * stored. A keyword is a phrase to the query language, where tabs and line breaks are spaces.
 */
function keywordFilterProblem(v: string): string | null {
  if (!noControlsButSpace(v)) return NO_CONTROLS;
  return HOLDS_WORD.test(keywordOf(v)) ? null : 'must hold a word, not only spaces, quotes or invisible characters';
}

/** A character as a message names it: as it is, or by its code point when it cannot be seen. */
const named = (ch: string) => (/^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch) ? `'${ch}'` : `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);

/**
 * Why a hashtag= value can match no tag, or null. The query language's rule for `#tag`
 * (hashtagBodyProblem): a value with a comma or a full stop copied along with the tag would
 * otherwise list nothing, with a 200.
 */
function hashtagFilterProblem(v: string): string | null {
  if (!noControls(v)) return NO_CONTROLS;
  const body = tagBody(v);
  if (!HOLDS_WORD.test(searchForm(foldCase(body)))) return "must hold a tag, not only '#', spaces or invisible characters";
  if (/\s/u.test(body)) return 'a hashtag holds no spaces: a tag ends at the first one (use keyword= for a phrase)';
  const problem = hashtagBodyProblem(body);
  if (problem === 'digits only') return 'a hashtag needs a letter: tags of digits only (#2024) are not collected, so none would match';
  if (!problem) return null;
  const parts = body.split(',');
  if (problem.character === ',' && parts.length > 1 && parts.every((part) => part !== '' && hashtagBodyProblem(part.trim().replace(/^[#\uFF03]/, '')) === null)) {
    return `takes one hashtag, not a list; a hashtag may contain only ${HASHTAG_HOLDS}`;
  }
  return `a hashtag may contain only ${HASHTAG_HOLDS} (after an optional leading '#'), not ${named(problem.character)}; a tag ends at the first other character`;
}

const NOT_A_BRAND_ID = 'takes a brand id, not a name: GET /v1/brands lists your brands and their ids';
const NOT_A_LIST_OF_IDS = 'takes one brand id, not a list';

/**
 * A brand id as written in a request: a uuid, in any letter case. Its brand's name is the natural
 * mistake (`brand=Aroma%20Coffee`), and is answered as a 400 naming the field, as a list of ids is; an id of no brand of
 * the workspace (deleted, or another workspace's) stays a 404, as API.md has it.
 */
export const BrandId = z
  .string()
  .min(1, { message: 'must not be empty', abort: true })
  .max(100, { abort: true })
  .superRefine((v, ctx) => {
    if (isUuid(v)) return;
    const ids = v.split(',');
    ctx.addIssue({ code: 'custom', message: ids.length > 1 && ids.every((id) => isUuid(id.trim())) ? NOT_A_LIST_OF_IDS : NOT_A_BRAND_ID });
  });

export const MentionFilterFields = {
  brand: once(BrandId).optional().openapi(param('brand', 'A brand id (GET /v1/brands lists them): only its mentions. A name is a 400; an id of no brand of this workspace is a 404.')),
  keyword: filterTerm(keywordFilterProblem).openapi(
    param(
      'keyword',
      'The keyword stream: mentions where this query term matched (a word, a phrase, `acme*`, `#tag` or `@handle`, as the brand query has it). ' +
        'Compared as hashtag= is; every run of spaces counts as one space, and one pair of surrounding quotes (`"…"`, `“…”`, `„…“`, `«…»`) is dropped, so `"acme coffee"` ' +
        'copied from a query finds the phrase. It matches the keywords of any brand the mention belongs to: with `brand=`, a mention of that ' +
        'brand is found when the term matched for it or for another brand it also mentions.',
    ),
  ),
  hashtag: filterTerm(hashtagFilterProblem).openapi(param('hashtag', `The hashtag stream, with or without # (a leading # is ignored); one tag, of ${HASHTAG_HOLDS} only, as a tag is in a query (\`café,\` or \`café!\` is a 400). Case-insensitive, and blind to ZWNJ, Arabic/Persian letter variants (ي ی, ك ک) and the script of digits. Written without Latin diacritics it also finds tags with them (skodaauto finds #škodaauto); written with them, only that spelling.`)),
  sentiment: once(oneOf(SENTIMENT_LABELS))
    .optional()
    .openapi(param('sentiment', "A sentiment label, in any letter case. With `brand=`, the label of that brand's reading of the post (`brandSentiments`).")),
  source: once(z.string().min(1, 'must not be empty').max(100).refine(noControls, NO_CONTROLS))
    .optional()
    .openapi(param('source', `A source id, or a source type (${SOURCE_TYPES.join(', ')}).`)),
  lang: once(LangCode)
    .optional()
    .openapi(param('lang', 'ISO 639-1 language code.')),
  // The query language's own limit (1,000 characters) answers `query.invalid`, as brand queries do.
  q: once(z.string().min(1).refine(noControlsButSpace, NO_CONTROLS)).optional().openapi(param('q', 'A query in the query language (at most 1,000 characters), applied on top of the other filters. It is matched as the mentions are read, and one request reads at most 5,000 of them: with a query that matches rarely, a page can hold fewer items than `limit`, or none, and still carry a `nextCursor`. Only a null `nextCursor` ends the list.')),
};

export type MentionFilterInput = { [K in keyof typeof MentionFilterFields]?: string | undefined };

/**
 * A brand id in a query string: not empty (an unset selector sent as `brand=` is not "every
 * brand"), and compared as the uuid it is, in any letter case.
 */
export const BrandIdParam = BrandId.transform((id) => id.toLowerCase());

/** Turns query parameters into a filter, checking that named brands and sources are the caller's. */
export async function resolveMentionFilter(
  deps: Pick<ApiDeps, 'brandRepository' | 'sourceRepository'>,
  workspaceId: string,
  input: MentionFilterInput,
  window: { since: Date; until: Date },
): Promise<{ filter: MentionFilter; q: QueryNode | undefined }> {
  const filter: MentionFilter = { ...window };
  if (input.brand) {
    await assertBrandInWorkspace({ workspaceId, brandId: input.brand, brandRepository: deps.brandRepository });
    // A uuid in any letter case is the brand; the live stream compares ids as strings.
    filter.brandId = input.brand.toLowerCase();
  }
  if (input.keyword) filter.keyword = keywordOf(input.keyword);
  if (input.hashtag) filter.hashtag = hashtagOf(input.hashtag);
  if (input.sentiment) filter.sentiment = input.sentiment as MentionFilter['sentiment'];
  if (input.lang) filter.lang = input.lang;
  if (input.source) {
    // A type in any letter case (`source=RSS`), as sentiment= and lang= take theirs.
    const type = input.source.toLowerCase();
    if ((SOURCE_TYPES as readonly string[]).includes(type)) filter.sourceType = type;
    else if (!isUuid(input.source)) {
      throw validationError([{ field: 'source', message: `expected a source id or a source type (${SOURCE_TYPES.join(', ')})` }]);
    } else if (await deps.sourceRepository.get(workspaceId, input.source)) filter.sourceId = input.source.toLowerCase();
    else throw notFound('sources', 'source');
  }
  return { filter, q: parseFilterQuery(input.q) };
}
