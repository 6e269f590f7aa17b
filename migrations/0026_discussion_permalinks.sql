-- Hacker News stories and Reddit link posts were deduplicated by the article they link to (their
-- url), so a second discussion of one article (a resubmission under another title, the same link
-- in another subreddit) was dropped as a copy of the first. They are now deduplicated by their own
-- address (SourceItem.permalink, src/connectors), and the stored ones get the canonical form of it
-- (canonicalUrl, src/domain/mentions/canonical-url.ts), so that polling them again after the
-- upgrade stores no second copy:
--   hackernews, item key https://news.ycombinator.com/item?id=<id>           news.ycombinator.com/item?id=<id>
--   reddit, item key reddit:t3_<id>, url not on https://www.reddit.com/ (a link post)   reddit.com/comments/<id>
-- Comments, Ask HN and Reddit text posts were stored under their own address already, and keep
-- it. Only the rows of these two types count: an RSS item keyed by an HN link (hnrss.org's guids)
-- is a feed's copy of the article and keeps the article's address.
-- test/infra/migrations.discussion-permalinks.test.ts checks that this gives what the code gives.
--
-- The unique index (workspace, canonical_url) holds one row per address. Where another row of the
-- workspace holds the new address already (a feed item linking to the thread), or two rows would
-- get the same one (a story stored by two sources when its article had no canonical URL), only the
-- first of them (matched first, then the oldest) is rewritten; the others keep what they were
-- stored with, and nothing is deleted. The story is stored either way, so no poll adds it again.
with addresses as (
  select m.id, m.workspace_id, m.matched, m.canonical_url,
    case m.source_type
      when 'hackernews' then 'news.ycombinator.com/item?id=' || substring(m.item_key from '^https://news\.ycombinator\.com/item\?id=([0-9]+)$')
      else 'reddit.com/comments/' || substring(m.item_key from '^reddit:t3_([0-9a-z]+)$')
    end as address
  from mentions m
  where (m.source_type = 'hackernews' and m.item_key ~ '^https://news\.ycombinator\.com/item\?id=[0-9]+$')
     or (m.source_type = 'reddit' and m.item_key ~ '^reddit:t3_[0-9a-z]+$' and m.url not like 'https://www.reddit.com/%')
),
ranked as (
  select id, workspace_id, address, row_number() over (partition by workspace_id, address order by matched desc, id) as n
  from addresses
  where canonical_url is distinct from address
)
update mentions m
set canonical_url = r.address
from ranked r
where m.id = r.id
  and r.n = 1
  and not exists (select 1 from mentions o where o.workspace_id = r.workspace_id and o.canonical_url = r.address);
