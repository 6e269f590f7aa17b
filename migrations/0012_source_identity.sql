-- What each source polls, so a workspace cannot add the same feed or search twice: the API
-- answers 409 sources.duplicate, and this unique index settles two requests made at once.
-- The identity is computed by the application (src/domain/sources/sources.identity.ts), a JSON
-- array such as ["rss","https://example.com/feed.xml"] or ["hackernews",null,"acme coffee"];
-- another workspace's sources never meet it.
alter table sources add column identity text;

-- Existing sources get it here, computed in SQL where SQL reproduces the application's result
-- exactly: ASCII URLs whose parsed form is plain to see (no IDN, numeric or IPv6 host, no dot
-- segments, nothing a URL parser would percent-encode) and ASCII queries and tags. The rest
-- (a non-ASCII query or path, a URL stored untrimmed by an older version) are left null: the API
-- compares a null row's config, read with the application's code, when it checks a new source.
--
-- Installations may already hold the same target twice (the API used to accept it). Nothing is
-- deleted and nothing fails: the oldest source of each group gets the identity, the later ones
-- stay null, polled as before, and any further copy is refused naming the oldest. Nulls never
-- conflict in a unique index, so the later copies can still be edited or moved elsewhere.

-- ASCII lowercase whatever the database's locale (lower() follows it: a Turkish one lowercases I to ı).
create function pg_temp.source_ascii_lower(value text) returns text
language sql
return translate(value, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz');

-- The string value of a config field: null when absent or not a string.
create function pg_temp.source_text(config jsonb, field text) returns text
language sql
return case when jsonb_typeof(config -> field) = 'string' then config ->> field end;

-- The string value of a config field when it is of the form the application stores, else null.
create function pg_temp.source_matching(config jsonb, field text, pattern text) returns text
language sql
return case when pg_temp.source_text(config, field) ~ pattern then pg_temp.source_text(config, field) end;

-- new URL(url).href without the fragment (sources.identity.ts, urlKey), for the URLs whose
-- parsed form only lowercases the scheme and host, drops a default port and adds an empty path's
-- slash; null for any other.
create function pg_temp.source_url_key(url text) returns text
language sql
return (
  select case
    when m is null then null
    when m[2] ~ '(^|\.)[Xx][Nn]--' or substring(m[2] from '[^.]*$') ~ '^0[Xx][0-9A-Fa-f]*$' then null
    when m[3] is not null and m[3]::integer > 65535 then null
    when m[4] ~ '(^|/)\.\.?(/|$)' or m[4] ~ '%2[Ee]' then null
    else pg_temp.source_ascii_lower(m[1]) || '://' || pg_temp.source_ascii_lower(m[2])
      || case when m[3] is null or (m[1] ~ '^[Hh][Tt][Tt][Pp]$' and m[3] = '80') or (m[1] ~ '^[Hh][Tt][Tt][Pp][Ss]$' and m[3] = '443') then '' else ':' || m[3] end
      || coalesce(m[4], '/') || coalesce(m[5], '')
  end
  from (
    -- Letters spelled in both cases: a case-insensitive match would follow the locale too.
    select regexp_match(
      url,
      '^([Hh][Tt][Tt][Pp][Ss]?)://'
        || '((?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}'
        || '|(?:[A-Za-z0-9-]+\.)*[A-Za-z0-9-]*[A-Za-z][A-Za-z0-9-]*)'
        || '(?::([1-9][0-9]{0,4}))?'
        || '(/[A-Za-z0-9._~!$&()*+,;=:@/%-]*)?'
        || '(\?[A-Za-z0-9._~!$&()*+,;=:@/?%-]*)?'
        || '(?:#.*)?$'
    ) as m
  ) parsed
);

-- A search query folded (sources.identity.ts, foldQuery): trimmed, lowercased except the words
-- AND, OR and NOT; printable ASCII only, else null.
create function pg_temp.source_query_key(query text) returns text
language sql
return (
  select case when btrim(query, ' ') ~ '^[\x20-\x7E]*$' then (
    select string_agg(case when word in ('AND', 'OR', 'NOT') then word else pg_temp.source_ascii_lower(word) end, ' ' order by n)
    from regexp_split_to_table(btrim(query, ' '), ' ') with ordinality as words(word, n)
  ) end
);

-- Mastodon tags (sources.identity.ts, tagsKey): lowercase, without '#', each once, sorted.
create function pg_temp.source_tags_key(hashtag text) returns text
language sql
return (
  select case when hashtag ~ '^[A-Za-z0-9_#, ]*$' then (
    select string_agg(distinct tag collate "C", ',' order by tag collate "C")
    from (select pg_temp.source_ascii_lower(regexp_replace(btrim(t, ' '), '^#', '')) as tag from unnest(string_to_array(hashtag, ',')) as t) tags
    where tag <> ''
  ) end
);

-- A config field as a JSON array element: null when absent, its key as a JSON string when it
-- has one; SQL null (no identity) when present but not something SQL can reproduce.
create function pg_temp.source_part(config jsonb, field text, key text) returns text
language sql
return case when config -> field is null then 'null' else to_json(key)::text end;

update sources
set identity = ranked.identity
from (
  select id, identity, row_number() over (partition by workspace_id, identity order by created_at, id) as copy
  from (
    select id, workspace_id, created_at,
      case type
        when 'rss' then
          '["rss",' || to_json(pg_temp.source_url_key(pg_temp.source_text(config, 'url')))::text || ']'
        when 'hackernews' then
          '["hackernews",' || pg_temp.source_part(config, 'baseUrl', pg_temp.source_url_key(pg_temp.source_text(config, 'baseUrl')))
            || ',' || to_json(pg_temp.source_query_key(pg_temp.source_text(config, 'query')))::text || ']'
        when 'bluesky' then
          '["bluesky",' || pg_temp.source_part(config, 'baseUrl', pg_temp.source_url_key(pg_temp.source_text(config, 'baseUrl')))
            || ',' || to_json(pg_temp.source_query_key(pg_temp.source_text(config, 'query')))::text || ']'
        when 'reddit' then
          '["reddit",' || pg_temp.source_part(config, 'baseUrl', pg_temp.source_url_key(pg_temp.source_text(config, 'baseUrl')))
            || ',' || pg_temp.source_part(config, 'oauthBaseUrl', pg_temp.source_url_key(pg_temp.source_text(config, 'oauthBaseUrl')))
            || ',' || pg_temp.source_part(config, 'query', pg_temp.source_query_key(pg_temp.source_text(config, 'query')))
            || ',' || pg_temp.source_part(config, 'subreddit', pg_temp.source_ascii_lower(pg_temp.source_matching(config, 'subreddit', '^[A-Za-z0-9_]+$')))
            || ']'
        when 'mastodon' then
          '["mastodon",' || to_json(substring(pg_temp.source_url_key('https://' || pg_temp.source_text(config, 'instance')) from '^https://([^/?#]+)/$'))::text
            || ',' || pg_temp.source_part(config, 'baseUrl', pg_temp.source_url_key(pg_temp.source_text(config, 'baseUrl')))
            || ',' || to_json(pg_temp.source_tags_key(pg_temp.source_text(config, 'hashtag')))::text || ']'
        when 'googlenews' then
          '["googlenews",' || pg_temp.source_part(config, 'baseUrl', pg_temp.source_url_key(pg_temp.source_text(config, 'baseUrl')))
            || ',' || to_json(pg_temp.source_query_key(pg_temp.source_text(config, 'query')))::text
            || ',' || to_json(pg_temp.source_matching(config, 'lang', '^[a-z]{2,3}(-[A-Za-z0-9]{2,4})?$'))::text
            || ',' || to_json(pg_temp.source_matching(config, 'country', '^[A-Z]{2}$'))::text || ']'
        when 'youtube' then
          '["youtube",' || pg_temp.source_part(config, 'baseUrl', pg_temp.source_url_key(pg_temp.source_text(config, 'baseUrl')))
            || ',' || to_json(pg_temp.source_matching(config, 'channelId', '^UC[A-Za-z0-9_-]{22}$'))::text || ']'
      end as identity
    from sources
  ) computed
  where identity is not null
) ranked
where sources.id = ranked.id and ranked.copy = 1;

create unique index sources_workspace_identity on sources (workspace_id, identity);

drop function pg_temp.source_part(jsonb, text, text);
drop function pg_temp.source_tags_key(text);
drop function pg_temp.source_query_key(text);
drop function pg_temp.source_url_key(text);
drop function pg_temp.source_ascii_lower(text);
drop function pg_temp.source_matching(jsonb, text, text);
drop function pg_temp.source_text(jsonb, text);
