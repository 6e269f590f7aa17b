import { stripLatinMarks } from '../query/query.words.js';
import { searchForm } from '../text/tokens.js';

/**
 * Whether stored terms (a mention's keywords or hashtags, folded) hold `form`, a keyword= or
 * hashtag= filter folded and in search form: as the query language compares words, a form
 * without Latin diacritics finds a term with or without them (`skodaauto` finds `škodaauto`), one
 * with them only that spelling. Postgres's search_forms() (migrations/0015_search_forms_latin.sql)
 * gives each term's search form and, where it has marks on Latin letters, the same without them;
 * the streams ask whether those hold the form. This is that question for the live stream's new
 * mentions; test/domain/mentions/search-forms.test.ts checks that both answer alike.
 */
export function holdsTerm(terms: readonly string[], form: string): boolean {
  return terms.some((term) => {
    const searched = searchForm(term);
    return searched === form || stripLatinMarks(searched) === form;
  });
}
