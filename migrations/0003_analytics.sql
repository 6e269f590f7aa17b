-- Rollups for analytics, collection gaps, and per-workspace retention.

-- Per brand, hour, source type and language. Maintained in the ingest transaction from the rows
-- actually inserted, so a retried batch never counts twice; re-matching and rescoring apply deltas.
-- Retention deletes old mentions but not their rollups: long trends outlive raw mentions.
create table mention_rollups (
  brand_id uuid not null references brands (id) on delete cascade,
  workspace_id uuid not null references workspaces (id) on delete cascade,
  hour timestamptz not null,
  source_type text not null,
  -- '' when the language is unknown (a primary key column cannot be null).
  lang text not null,
  mentions integer not null default 0,
  positive integer not null default 0,
  neutral integer not null default 0,
  negative integer not null default 0,
  unscored integer not null default 0,
  -- Sum of sentiment scores over scored mentions (positive + neutral + negative).
  score_sum double precision not null default 0,
  primary key (brand_id, hour, source_type, lang)
);
create index mention_rollups_workspace_hour on mention_rollups (workspace_id, hour);

-- The same counts per brand and hour only: what trends and share of voice read, far fewer
-- rows than the per-source-type-and-language table. Day and week buckets derive from hours.
create table brand_hours (
  brand_id uuid not null references brands (id) on delete cascade,
  workspace_id uuid not null references workspaces (id) on delete cascade,
  hour timestamptz not null,
  mentions integer not null default 0,
  positive integer not null default 0,
  neutral integer not null default 0,
  negative integer not null default 0,
  unscored integer not null default 0,
  score_sum double precision not null default 0,
  primary key (brand_id, hour)
);
create index brand_hours_workspace_hour on brand_hours (workspace_id, hour) include (brand_id, mentions, positive, neutral, negative, unscored, score_sum);

-- Hashtag counts per brand and UTC day, for trending hashtags without scanning mentions.
create table hashtag_rollups (
  brand_id uuid not null references brands (id) on delete cascade,
  workspace_id uuid not null references workspaces (id) on delete cascade,
  day date not null,
  tag text not null,
  mentions integer not null default 0,
  primary key (brand_id, day, tag)
);
create index hashtag_rollups_workspace_day on hashtag_rollups (workspace_id, day);

-- Which sources have yielded mentions of which brand: a failing source leaves a gap in
-- the brands it feeds, not in every brand of the workspace.
create table brand_sources (
  brand_id uuid not null references brands (id) on delete cascade,
  source_id uuid not null references sources (id) on delete cascade,
  last_seen_at timestamptz not null,
  primary key (brand_id, source_id)
);

-- A source's failing stretches: opened at its first consecutive failure, closed at its next success.
create table source_outages (
  id bigint generated always as identity primary key,
  source_id uuid not null references sources (id) on delete cascade,
  workspace_id uuid not null references workspaces (id) on delete cascade,
  started_at timestamptz not null,
  ended_at timestamptz
);
create index source_outages_source on source_outages (source_id, started_at);
create unique index source_outages_open on source_outages (source_id) where ended_at is null;

alter table workspaces add column retention_days integer check (retention_days between 1 and 36500);
create index mentions_workspace_age on mentions (workspace_id, occurred_at);
