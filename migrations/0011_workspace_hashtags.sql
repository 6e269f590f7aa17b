-- Hashtag counts per workspace and UTC day, each matched mention once however many brands it
-- matched: what trending hashtags read without a brand. hashtag_rollups counts (brand, mention)
-- links, so summed over brands a mention of two brands would count twice.
-- A mention is counted when it becomes matched (stored with a brand, or given its first one by a
-- rematch) and taken out when it returns to the raw store (its last brand narrowed away or
-- deleted), in the transaction that changes it. Like the other rollups, retention keeps it.
create table workspace_hashtags (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  day date not null,
  tag text not null,
  mentions integer not null default 0,
  primary key (workspace_id, day, tag)
);

-- Existing installations: the matched mentions stored now, each tag once per mention.
insert into workspace_hashtags (workspace_id, day, tag, mentions)
select m.workspace_id, (m.occurred_at at time zone 'UTC')::date, t.tag, count(*)
from mentions m cross join lateral (select distinct tag from unnest(m.hashtags) as tag) t
where m.matched
group by 1, 2, 3;
