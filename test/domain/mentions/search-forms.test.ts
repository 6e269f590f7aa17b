import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { createDb } from '../../../src/infra/db/database.js';
import { migrateToLatest } from '../../../src/infra/db/migrator.js';
import { mentionMatches, type Mention } from '../../../src/domain/mentions/mentions.usecases.js';
import { stripLatinMarks } from '../../../src/domain/query/query.words.js';
import { foldCase, searchForm } from '../../../src/domain/text/tokens.js';
import { createTestDatabase, migrationsBefore, scratchDatabase, silentLog } from '../../support/db.js';

/*
 * The keyword and hashtag streams compare stored terms with Postgres's search_forms()
 * (migrations/0010_search_forms.sql, 0015_search_forms_latin.sql) and new mentions of the live
 * stream in JavaScript, with the query language's searchForm() and stripLatinMarks(). The two
 * must agree on every character, or a term would be found in one stream and not the other.
 */
let t: Awaited<ReturnType<typeof createTestDatabase>>;
const cleanups: Array<() => Promise<void>> = [];
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
  for (const fn of cleanups.reverse()) await fn();
});

/**
 * What search_forms() gives, in JavaScript: each term in search form, then, for each term with
 * marks on Latin letters, the same without them (a query word without diacritics finds both
 * spellings, one with them only its own).
 */
function expectedForms(terms: string[]): string[] {
  const forms = terms.map(searchForm);
  return [...forms, ...forms.map(stripLatinMarks).filter((bare, i) => bare !== forms[i])];
}

/** Terms as people write them, folded as mentions store them. */
const WRITTEN = [
  'škodaauto', 'ŠkodaAuto', 'acme', 'nejlepší káva', 'İstanbul', 'phở', 'Tiếng Việt', 'ǿ', 'ø', 'łódź', 'naïve', 'Ångström',
  // Not in NFC; a soft hyphen or ZWJ between a letter and its mark (search form drops them first).
  'cafe\u0301', 'ško\u00ADda\u0301', 'e\u200D\u0301',
  // Marks on other scripts' letters make another word: Devanagari, Gujarati, Tamil, Arabic, Persian, Greek, Cyrillic.
  'हिंदी', 'कॉफ़ी', 'ગુજરાત', 'நன்றி', 'كِتَاب', 'کِتاب', 'άλφα', 'йогурт',
  // Both in one term: only the Latin letter's mark goes.
  'škoda२०२४', 'café-हिंदी', 'é\u0915\u094D', '\u0915\u0301e\u0301',
  // Marks with no letter before them, or after a digit or a symbol, stay.
  '\u0301', '1\u0301', '😀\u0301',
].map(foldCase);

const inPostgres = async (terms: string[]) =>
  (await sql<{ forms: string[] }>`select search_forms(${terms}::text[]) as forms`.execute(t.db)).rows[0]!.forms;

describe('search_forms() in Postgres', () => {
  it('changes exactly the characters searchForm changes, the same way', async () => {
    const changed: string[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const ch = String.fromCharCode(code);
      if (searchForm(ch) !== ch) changed.push(ch);
    }
    // The soft hyphen, tatweel, nukta, ZWNJ, ZWJ, three Arabic letters and five scripts' digits.
    expect(changed).toHaveLength(5 + 3 + 50);
    // Each inside a word, so a deletion shows as a shorter term rather than an empty one.
    const terms = changed.map((ch) => `a${ch}b`);
    expect(await inPostgres(terms)).toEqual(terms.map(searchForm));
  });

  it('agrees on terms as people write them, and keeps everything else as stored', async () => {
    const terms = ['ديجي‌كالا', 'دیجـی‌کالا', 'नमस्ते२०२४', 'कॉफ़ी', 'क़िस्सा', 'நன்றி௧௨', 'ગુજરાત૧', 'auto\u00ADmobilka', 'acme coffee', 'acme*', 't-mobile', '😀'];
    expect(await inPostgres(terms)).toEqual(terms.map((term) => searchForm(foldCase(term))));
    expect(await inPostgres([])).toEqual([]);
  });

  it('adds, after the search forms, each form that has marks on Latin letters without them, as stripLatinMarks does', async () => {
    const forms = await inPostgres(WRITTEN);
    expect(forms).toEqual(expectedForms(WRITTEN));
    expect(forms.slice(WRITTEN.length)).toEqual([
      'skodaauto', 'skodaauto', 'nejlepsi kava', 'istanbul', 'pho', 'tieng viet', 'ø', 'łodz', 'naive', 'angstrom',
      'cafe', 'skoda', 'e', 'skoda2024', 'cafe-हिंदी', 'e\u0915\u094D', '\u0915\u0301e',
    ]);
  });

  it('removes the marks of exactly the characters stripLatinMarks removes, on every assigned character', async () => {
    // Each character after a hyphen (a precomposed letter: é), after a Latin letter (a mark: a + ́)
    // and before a mark (a Latin letter: ł + ́); never alone, as a soft hyphen alone is no term.
    // Control characters are left out: no term holds one.
    const characters: string[] = [];
    for (let code = 0; code <= 0x10ffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const ch = String.fromCodePoint(code);
      if (!/[\p{Cn}\p{Co}\p{Cc}]/u.test(ch)) characters.push(ch);
    }
    const families = { 'after a hyphen': (ch: string) => `-${ch}`, 'after a Latin letter': (ch: string) => `a${ch}`, 'before a mark': (ch: string) => `${ch}\u0301` };
    for (const [family, write] of Object.entries(families)) {
      const terms = characters.map(write);
      const differ: Array<{ term: string; postgres: string[]; expected: string[] }> = [];
      let stripped = 0;
      for (let i = 0; i < terms.length; i += 20_000) {
        const chunk = terms.slice(i, i + 20_000);
        const { rows } = await sql<{ forms: string[] }>`
          select search_forms(array[term]) as forms from unnest(${chunk}::text[]) with ordinality as u(term, n) order by n`.execute(t.db);
        for (const [j, term] of chunk.entries()) {
          const expected = expectedForms([term]);
          if (expected.length > 1) stripped++;
          if (JSON.stringify(rows[j]!.forms) !== JSON.stringify(expected)) differ.push({ term, postgres: rows[j]!.forms, expected });
        }
      }
      expect(differ.slice(0, 20), `${family}: ${differ.length} differ`).toEqual([]);
      // Hundreds of precomposed Latin letters, thousands of marks, some fifteen hundred Latin letters.
      expect(stripped, family).toBeGreaterThan(400);
    }
  });

  it('is what the streams’ GIN indexes hold, so the filters use them', async () => {
    for (const column of ['keywords', 'hashtags']) {
      const plan = await t.db.transaction().execute(async (trx) => {
        // An empty table is cheaper to scan than any index: ask for the index the filter can use.
        await sql`set local enable_seqscan = off`.execute(trx);
        return sql<{ 'QUERY PLAN': string }>`explain select id from mentions where matched and search_forms(${sql.ref(column)}) @> array['x']::text[]`.execute(trx);
      });
      expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain(`Bitmap Index Scan on mentions_${column}`);
    }
  });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- also a database migrated only up to before 0015
type AnyDb = Kysely<any>;

/**
 * Two mentions, one tagged and keyed with diacritics and one without, among a thousand others: an
 * index built over two rows only is cheaper to pass by than to read.
 */
async function insertSkoda(db: AnyDb): Promise<void> {
  const { rows } = await sql<{ id: string }>`insert into workspaces (name) values ('Škoda') returning id`.execute(db);
  const workspaceId = rows[0]!.id;
  await sql`
    insert into mentions (workspace_id, source_type, item_key, text, fetched_at, occurred_at, sentiment_model, hashtags, keywords, matched)
    values (${workspaceId}, 'rss', 'marked', 'marked', now(), now(), 'm', array['škodaauto'], array['škoda'], true),
           (${workspaceId}, 'rss', 'bare', 'bare', now(), now(), 'm', array['skodaauto'], array['skoda'], true)`.execute(db);
  await sql`
    insert into mentions (workspace_id, source_type, item_key, text, fetched_at, occurred_at, sentiment_model, hashtags, keywords, matched)
    select ${workspaceId}, 'rss', 'other ' || n, 'other', now(), now(), 'm', array['tag' || n], array['word' || n], true
    from generate_series(1, 1000) n`.execute(db);
}

/** The mentions whose terms hold `form`, read through the column's GIN index only (a stale index finds less). */
async function foundThroughIndex(db: AnyDb, column: 'keywords' | 'hashtags', form: string): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    await sql`set local enable_seqscan = off`.execute(trx);
    const query = sql<{ item_key: string }>`select item_key from mentions where matched and search_forms(${sql.ref(column)}) @> array[${form}]::text[]`;
    const plan = await sql<{ 'QUERY PLAN': string }>`explain ${query}`.execute(trx);
    expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain(`Bitmap Index Scan on mentions_${column}`);
    return (await query.execute(trx)).rows.map((r) => r.item_key).sort();
  });
}

describe('the live stream’s filter', () => {
  it('finds a new mention by keyword= or hashtag= exactly when Postgres finds the stored one', async () => {
    const filters = [...new Set(expectedForms(WRITTEN))];
    const { rows } = await sql<{ term: string; form: string; found: boolean }>`
      select term, form, search_forms(array[term]) @> array[form] as found
      from unnest(${WRITTEN}::text[]) as term cross join unnest(${filters}::text[]) as form`.execute(t.db);
    expect(rows.filter((r) => r.found).length).toBeGreaterThan(WRITTEN.length);
    const differ = rows.flatMap(({ term, form, found }) => {
      const m = { brandIds: [], keywords: [term], hashtags: [term], source: { id: null, type: 'rss' }, sentiment: { label: 'neutral' }, lang: null } as unknown as Mention;
      const live = { keyword: mentionMatches(m, { keyword: form }), hashtag: mentionMatches(m, { hashtag: form }) };
      return live.keyword === found && live.hashtag === found ? [] : [{ term, form, found, live }];
    });
    expect(differ).toEqual([]);
  });
});

describe('the streams’ indexes and Latin diacritics', () => {
  it('hold each term with and without its Latin marks, so a form without diacritics finds both spellings, one with them only its own', async () => {
    await insertSkoda(t.db);
    expect(await foundThroughIndex(t.db, 'hashtags', 'skodaauto')).toEqual(['bare', 'marked']);
    expect(await foundThroughIndex(t.db, 'hashtags', 'škodaauto')).toEqual(['marked']);
    expect(await foundThroughIndex(t.db, 'keywords', 'skoda')).toEqual(['bare', 'marked']);
    expect(await foundThroughIndex(t.db, 'keywords', 'škoda')).toEqual(['marked']);
  });

  it('are rebuilt by the migration, so mentions stored before it are found without diacritics too', async () => {
    const db = createDb({ url: await scratchDatabase(cleanups), poolSize: 2, log: silentLog });
    cleanups.push(() => db.destroy());
    await migrateToLatest(db, await migrationsBefore('0015_search_forms_latin', cleanups));
    await insertSkoda(db);
    await migrateToLatest(db);
    expect(await foundThroughIndex(db, 'hashtags', 'skodaauto')).toEqual(['bare', 'marked']);
    expect(await foundThroughIndex(db, 'keywords', 'skoda')).toEqual(['bare', 'marked']);
  });
});
