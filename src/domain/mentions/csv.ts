import type { Mention } from './mentions.usecases.js';

/**
 * RFC 4180 cells: quoted when they hold a quote, comma or line break, quotes doubled. Text
 * cells starting with = + - @ (or a tab or carriage return) are prefixed with a quote so a
 * spreadsheet shows them as text instead of running them as formulas (OWASP CSV injection).
 * Their full-width forms (＝ ＋ － ＠) count too: some spreadsheets read them as the ASCII ones;
 * so do those characters behind invisible marks (RLM, LRM, isolates, BOM) or spaces.
 */
// Invisible marks and spaces may come first: right-to-left text often starts with an RLM or an
// isolate (U+200F, U+2067), and a spreadsheet that drops them, or trims spaces, sees the '='.
const FORMULA_START = /^[\p{Cf}\p{Zs}]*[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/u;
/*
 * Excel opens a .csv with the system's list separator, which is ';' in Czech, German or French
 * settings: it then cuts our rows at every ';', and `ok;=cmd|…` would put a formula at the start of
 * a cell of its own. Quoting does not help, since such a reader only honours a quote at the start
 * of its own field; so a formula start after a ';' gets the apostrophe too.
 */
const FORMULA_AFTER_SEMICOLON = /;(?=[\p{Cf}\p{Zs}]*[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20])/gu;

export function csvCell(value: string | number | null, { text = true } = {}): string {
  if (value === null) return '';
  let s = String(value);
  if (text) {
    if (FORMULA_START.test(s)) s = `'${s}`;
    if (s.includes(';')) s = s.replace(FORMULA_AFTER_SEMICOLON, ";'");
  }
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export const CSV_COLUMNS = [
  'id',
  'published_at',
  'fetched_at',
  'source_type',
  'source_id',
  'brand_ids',
  'url',
  'title',
  'text',
  'author',
  'lang',
  'sentiment_label',
  'sentiment_score',
  'sentiment_model',
  'hashtags',
  'keywords',
  // Added after the first release: at the end, so a script that reads columns by position keeps working.
  'lang_confidence',
  'brand_sentiments',
  'brand_sentiment_label',
  'brand_sentiment_score',
  'permalink',
  'brand_names',
] as const;

export const csvHeader = () => `${CSV_COLUMNS.join(',')}\r\n`;

/**
 * A list cell (brand_ids, brand_names, hashtags, keywords): one entry per line. A keyword may be a phrase with
 * spaces and punctuation (`acme coffee`, `t-mobile`), but the query language folds every run of
 * whitespace in a term to one space, so no entry holds a line break.
 *
 * The formula guard looks at the cell as a whole: a keywords cell whose first entry is a handle
 * (`@acme`) starts with its apostrophe. A keyword may also start with an apostrophe of its own (the
 * term `'s-hertogenbosch`), so such a cell gets the guard's apostrophe too: a list cell that starts
 * with an apostrophe always has exactly one added, and the cell minus that one splits back into
 * exactly its entries (the export's OpenAPI description says so).
 */
function listCell(entries: readonly string[]): string {
  const joined = entries.join('\n');
  return csvCell(joined.startsWith("'") ? `'${joined}` : joined);
}

/**
 * Each brand's reading of the post (`brandSentiments`), one line per brand in `brand_ids`' order:
 * `negative -0.57`. The per-brand columns hold the reading of the brand an export was asked for
 * with `brand=` (empty without it): what its `sentiment=` selected, so a row whose post reads
 * positive but that brand's reading negative explains itself.
 *
 * `brandNames` gives each brand's name (the workspace's brands, by id) for `brand_names`, one line
 * per `brand_ids` line; a brand deleted since the export began has an empty line there.
 */
export function csvRow(m: Mention, { brandId, brandNames }: { brandId?: string | undefined; brandNames: ReadonlyMap<string, string> }): string {
  const asked = brandId === undefined ? undefined : (m.brandSentiments.find((b) => b.brandId === brandId) ?? m.sentiment);
  return (
    [
      csvCell(m.id, { text: false }),
      csvCell(m.publishedAt, { text: false }),
      csvCell(m.fetchedAt, { text: false }),
      csvCell(m.source.type),
      csvCell(m.source.id),
      listCell(m.brandIds),
      csvCell(m.url),
      csvCell(m.title),
      csvCell(m.text),
      csvCell(m.author),
      csvCell(m.lang),
      csvCell(m.sentiment.label),
      csvCell(m.sentiment.score, { text: false }),
      csvCell(m.sentiment.model),
      listCell(m.hashtags),
      listCell(m.keywords),
      csvCell(m.langConfidence, { text: false }),
      listCell(m.brandSentiments.map((b) => `${b.label} ${b.score}`)),
      csvCell(asked?.label ?? null),
      csvCell(asked?.score ?? null, { text: false }),
      csvCell(m.permalink),
      listCell(m.brandIds.map((id) => brandNames.get(id) ?? '')),
    ].join(',') + '\r\n'
  );
}
