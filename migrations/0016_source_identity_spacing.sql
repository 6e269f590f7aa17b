-- A search query's identity (src/domain/sources/sources.identity.ts, foldQuery) now counts each
-- run of whitespace as one space: `acme  coffee`, `acme<tab>coffee`, `acme<no-break space>coffee`
-- are the search `acme coffee` to every service. Stored identities of the query types
-- (hackernews, bluesky, reddit, googlenews) whose query holds such a run are recomputed here;
-- configs stay as written.
--
-- Exactly, for every query, ASCII or not: a stored identity is the earlier foldQuery's result
-- (written by the application, or by 0012 where SQL reproduced it), and that result is the new
-- one but for its whitespace runs. The earlier foldQuery trimmed the query, split it into words
-- at runs of whitespace, lowercased each word and kept the runs as written; the new one joins
-- the same words, folded the same way, with one space (no word lowercases into whitespace, and
-- no whitespace character has a lowercase form). So the query in the identity, with each run
-- replaced by one space, is the new identity's query; the other elements are written back as
-- they were (jsonb writes a string as JSON.stringify does: the same escapes, non-ASCII as is).
--
-- Rows without an identity stay without: 0012 left them so (a value SQL could not reproduce, or
-- a later copy), and the API compares such a row's config, read with the application's code,
-- when it checks a new source (sources.usecases.ts, storedIdentity).
--
-- Collapsing may make two sources of a workspace one target. As in 0012, nothing is deleted and
-- nothing fails: of the sources holding the identity, the oldest keeps it (created_at, then id,
-- the order the API names the existing source in); the later ones are left without and polled
-- as before. That may take the identity from a newer source whose own query had no run.
--
-- The migrator runs the pending files in one transaction: a failure leaves no row changed.

-- JavaScript's \s, spelled out: Postgres's \s and [[:space:]] follow the database's locale.
-- Tab, LF, VT, FF, CR, space, U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F,
-- U+3000, U+FEFF (each listed, no range, whatever the collation).
create function pg_temp.source_collapse_spacing(query text) returns text
language sql
return regexp_replace(
  query,
  '[\u0009\u000A\u000B\u000C\u000D\u0020\u00A0\u1680'
    || '\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A'
    || '\u2028\u2029\u202F\u205F\u3000\uFEFF]+',
  ' ',
  'g'
);

-- `identity` (a JSON array) with its query, at index `at`, respaced; unchanged when the query
-- holds no run to collapse or is no string (a Reddit source of a subreddit has none).
create function pg_temp.source_respaced_identity(identity text, at integer) returns text
language sql
return (
  select case
    when jsonb_typeof(doc -> at) is distinct from 'string' then identity
    when pg_temp.source_collapse_spacing(doc ->> at) = doc ->> at then identity
    else (
      select '[' || string_agg(case when n - 1 = at then to_json(pg_temp.source_collapse_spacing(element #>> '{}'))::text else element::text end, ',' order by n) || ']'
      from jsonb_array_elements(doc) with ordinality as elements(element, n)
    )
  end
  from (select identity::jsonb as doc) parsed
);

-- Every source of a query type that holds an identity, with the identity it gets: the respaced
-- one for the oldest of its workspace's group, none for the later ones. Only groups in which a
-- source's identity changes can hold more than one (the unique index kept the others single),
-- and only rows whose identity changes are listed.
create temporary table source_identity_spacing as
select id, case when copy = 1 then respaced end as identity
from (
  select id, identity, respaced, row_number() over (partition by workspace_id, respaced order by created_at, id) as copy
  from (
    select id, workspace_id, created_at, identity,
      pg_temp.source_respaced_identity(identity, case type when 'reddit' then 3 else 2 end) as respaced
    from sources
    where type in ('hackernews', 'bluesky', 'reddit', 'googlenews') and identity is not null
  ) computed
) ranked
where identity is distinct from case when copy = 1 then respaced end;

-- In two steps: the unique index checks each row as it is written, so a source taking an
-- identity must not meet the later copy still holding it.
update sources set identity = null
from source_identity_spacing changed
where sources.id = changed.id;

update sources set identity = changed.identity
from source_identity_spacing changed
where sources.id = changed.id and changed.identity is not null;

drop table source_identity_spacing;
drop function pg_temp.source_respaced_identity(text, integer);
drop function pg_temp.source_collapse_spacing(text);
