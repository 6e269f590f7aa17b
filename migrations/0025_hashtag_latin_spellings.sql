-- Trending hashtags put a tag's spellings with and without Latin diacritics together (#káva and
-- #kava, #přehled and #prehled), as hashtag=kava lists the mentions of both (search_forms, 0015).
-- A tag's key is its last form in search_forms(): the search form without marks on Latin letters,
-- or the search form itself when it has none. As 0014 did for the spellings of one search form, a
-- mention now adds 1 to one spelling per key only: the lowest in code-point order among those it
-- holds (src/domain/analytics/rollups.ts, countedSpellings), so one holding #káva and #kava counts
-- once, not twice.
--
-- The mentions stored before counted one spelling per search form (0014). Where a mention holds
-- two of those with one key, the extra count is taken out here, so that a mention leaving later (a
-- narrowed rematch, a deleted brand) takes out exactly what it holds and no counter drifts. Every
-- mention stays counted once per tag, under the spelling the code would count now; no counter gets
-- more, and the counts of mentions retention already deleted are left as they are.
--
-- "C" order is code-point order; the app compares in the same order (precedesInCodePoints).
create temporary table extra_spellings as
select id, workspace_id, day, tag, matched
from (
  select m.id, m.workspace_id, (m.occurred_at at time zone 'UTC')::date as day, m.matched, t.tag,
    -- What 0014 and the code since counted: the lowest spelling of each search form.
    min(t.tag collate "C") over (partition by m.id, f.forms[1]) as counted,
    -- What is counted from now on: the lowest spelling of each key.
    min(t.tag collate "C") over (partition by m.id, f.forms[cardinality(f.forms)]) as kept
  from mentions m
  cross join lateral (select distinct tag from unnest(m.hashtags) as tag) t
  cross join lateral (select search_forms(array[t.tag]) as forms) f
  where cardinality(m.hashtags) > 1
) s
where tag = counted and tag <> kept;

-- The workspace's counts hold each matched mention once.
update workspace_hashtags w set mentions = w.mentions - x.n
from (select workspace_id, day, tag, count(*)::int as n from extra_spellings where matched group by 1, 2, 3) x
where w.workspace_id = x.workspace_id and w.day = x.day and w.tag = x.tag;

-- A brand's hold each of its links once.
update hashtag_rollups h set mentions = h.mentions - x.n
from (
  select mb.brand_id, e.day, e.tag, count(*)::int as n
  from extra_spellings e join mention_brands mb on mb.mention_id = e.id
  group by 1, 2, 3
) x
where h.brand_id = x.brand_id and h.day = x.day and h.tag = x.tag;

drop table extra_spellings;
