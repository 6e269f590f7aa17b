import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { foldCase, searchForm } from '../../../src/domain/text/tokens.js';
import { createTestDatabase } from '../../support/db.js';

/*
 * The keyword and hashtag streams compare stored terms with Postgres's search_forms()
 * (migrations/0010_search_forms.sql) and new mentions of the live stream with searchForm() in
 * JavaScript. The two must agree on every character, or a term would be found in one stream and
 * not the other.
 */
let t: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

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
    const terms = ['ديجي‌كالا', 'دیجـی‌کالا', 'नमस्ते२०२४', 'कॉफ़ी', 'क़िस्सा', 'நன்றி௧௨', 'ગુજરાત૧', 'škodaauto', 'auto\u00ADmobilka', 'acme coffee', 'acme*', 't-mobile', '😀'];
    expect(await inPostgres(terms)).toEqual(terms.map((term) => searchForm(foldCase(term))));
    expect(await inPostgres([])).toEqual([]);
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
