-- Trending hashtags merge the spellings of one tag when they read the per-spelling counters
-- (search_forms, 0010). From this migration on, a mention adds 1 to one spelling of each tag
-- only: the lowest in code-point order among those it holds (src/domain/analytics/rollups.ts,
-- countedSpellings), so a mention holding #ایران‌خودرو and #ايرانخودرو counts once, not twice.
-- The mentions stored before counted once per spelling. Their other spellings are taken out here,
-- so that a mention leaving later (a narrowed rematch, a deleted brand) takes out exactly what it
-- holds and no counter drifts. Mentions retention already deleted keep their counts: nothing
-- will take them out again, and their rows are gone.
--
-- "C" order is code-point order; two spellings of one form first differ at a character below
-- the UTF-16 surrogates, where the app's string order agrees with it.
create temporary table extra_spellings as
select id, workspace_id, day, tag, matched
from (
  select m.id, m.workspace_id, (m.occurred_at at time zone 'UTC')::date as day, m.matched, t.tag,
    min(t.tag collate "C") over (partition by m.id, (search_forms(array[t.tag]))[1]) as kept
  from mentions m cross join lateral (select distinct tag from unnest(m.hashtags) as tag) t
  where cardinality(m.hashtags) > 1
) s
where tag <> kept;

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
