-- A mention's own address where its url is another page: a Hacker News story's or a Reddit link
-- post's discussion (SourceItem.permalink, src/connectors), whose url is the article it links to.
-- The API, the CSV and the live events show it as `permalink`, so a reader can get from a mention
-- to the discussion, where the voices are. Null for every other item: its url is the item itself
-- (feed items, comments, Ask HN and Reddit text posts, Mastodon and Bluesky posts). Ingest leaves
-- the key out of a row's JSON when it is null, which json_to_recordset reads as null.
alter table mentions add column permalink text;

-- The stored ones, from what is known, with the rows 0026 gave their own address:
--   hackernews, item key https://news.ycombinator.com/item?id=<id>, url another page   the item key
--   reddit, item key reddit:t3_<id>, url not on https://www.reddit.com/ (a link post)   https://www.reddit.com/comments/<id>
-- A comment or an Ask HN post is stored with its item key as its url, and a Reddit text post,
-- gallery or hosted image with its permalink on www.reddit.com: they stay null. An RSS item keyed
-- by an HN link (hnrss.org's guids) is a feed's copy of the article and stays null too.
-- test/infra/migrations.mention-permalinks.test.ts checks that this gives what the code gives.
update mentions
set permalink = case source_type
    when 'hackernews' then item_key
    else 'https://www.reddit.com/comments/' || substring(item_key from '^reddit:t3_([0-9a-z]+)$')
  end
where (source_type = 'hackernews' and item_key ~ '^https://news\.ycombinator\.com/item\?id=[0-9]+$' and url <> item_key)
   or (source_type = 'reddit' and item_key ~ '^reddit:t3_[0-9a-z]+$' and url not like 'https://www.reddit.com/%');
