-- The keyword and hashtag streams compare terms in their search form, as the query language
-- does (src/domain/text/tokens.ts, searchForm): the soft hyphen, the tatweel, the Devanagari
-- nukta, ZWNJ and ZWJ go;
-- Arabic ك ى ي are Persian ک ی; Arabic-Indic, Persian, Devanagari, Gujarati and Tamil digits
-- are 0-9. So hashtag=ایرانخودرو finds #ایران‌خودرو typed with a ZWNJ, and keyword=كتاب finds
-- the brand term کتاب. The stored terms keep the spelling people wrote.
--
-- One expression over the array's text (a unit separator, which no term holds, between terms).
-- Postgres does not inline it (array_to_string is only stable), so each matched row's index
-- insert calls it as a SQL function; docs/benchmarks.md (2026-12-06, 13:52–15:02) found no cost
-- beyond the noise. The stream's filter names the same expression, so its GIN index serves it.
-- test/domain/mentions/search-forms.test.ts checks that it agrees with searchForm on every
-- character searchForm changes, and that the filters use the indexes.
create function search_forms(terms text[]) returns text[]
language sql immutable parallel safe
return string_to_array(
  translate(
    array_to_string(terms, U&'\001F'),
    U&'\0643\0649\064A' ||
      U&'\0660\0661\0662\0663\0664\0665\0666\0667\0668\0669' ||
      U&'\06F0\06F1\06F2\06F3\06F4\06F5\06F6\06F7\06F8\06F9' ||
      U&'\0966\0967\0968\0969\096A\096B\096C\096D\096E\096F' ||
      U&'\0AE6\0AE7\0AE8\0AE9\0AEA\0AEB\0AEC\0AED\0AEE\0AEF' ||
      U&'\0BE6\0BE7\0BE8\0BE9\0BEA\0BEB\0BEC\0BED\0BEE\0BEF' ||
      U&'\00AD\0640\093C\200C\200D',
    -- The letters' replacements and five runs of 0-9; the last five characters above have none,
    -- so translate drops them.
    U&'\06A9\06CC\06CC' || '01234567890123456789012345678901234567890123456789'
  ),
  U&'\001F'
);

drop index mentions_keywords;
drop index mentions_hashtags;
create index mentions_keywords on mentions using gin (search_forms(keywords)) where matched;
create index mentions_hashtags on mentions using gin (search_forms(hashtags)) where matched;
