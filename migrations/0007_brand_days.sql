-- Daily totals per brand and UTC day: long UTC day and week trends read ~30× fewer rows than
-- from brand hours. Maintained in the same transaction as brand_hours, from the same deltas.
create table brand_days (
  brand_id uuid not null references brands (id) on delete cascade,
  workspace_id uuid not null references workspaces (id) on delete cascade,
  day date not null,
  mentions integer not null default 0,
  positive integer not null default 0,
  neutral integer not null default 0,
  negative integer not null default 0,
  unscored integer not null default 0,
  score_sum double precision not null default 0,
  primary key (brand_id, day)
);
create index brand_days_workspace_day on brand_days (workspace_id, day) include (brand_id, mentions, positive, neutral, negative, unscored, score_sum);

-- Existing installations: derive the days from the hours already counted.
insert into brand_days (brand_id, workspace_id, day, mentions, positive, neutral, negative, unscored, score_sum)
select brand_id, workspace_id, (hour at time zone 'UTC')::date, sum(mentions), sum(positive), sum(neutral), sum(negative), sum(unscored), sum(score_sum)
from brand_hours
group by brand_id, workspace_id, (hour at time zone 'UTC')::date;
