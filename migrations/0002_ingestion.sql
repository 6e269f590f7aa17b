-- Sources, the items they yield, and which brands each item mentions.

create table sources (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces (id) on delete cascade,
  type text not null,
  -- The type's public settings (url, query, instance…), as validated by its connector.
  config jsonb not null,
  -- Secret settings sealed with SECRET_KEY (AES-256-GCM); never returned by the API.
  credentials text,
  -- The connector's cursor / high-water mark / HTTP validators, written only after items commit.
  state jsonb,
  -- Host of the polled endpoint, for per-host politeness.
  host text not null,
  interval_seconds integer not null default 900 check (interval_seconds between 60 and 604800),
  enabled boolean not null default true,
  disabled_reason text,
  next_fetch_at timestamptz not null default now(),
  last_fetched_at timestamptz,
  last_status integer,
  last_error text,
  consecutive_failures integer not null default 0,
  -- Null until the first successful poll: that poll's items are the source's backlog.
  first_polled_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index sources_due on sources (next_fetch_at) where enabled;
create index sources_workspace_page on sources (workspace_id, created_at desc, id desc);

-- Every item polled. Items that match no brand (matched = false) are the raw store, kept for
-- a bounded time so a new or changed brand can be matched against recent history.
create table mentions (
  id bigint generated always as identity primary key,
  workspace_id uuid not null references workspaces (id) on delete cascade,
  source_id uuid references sources (id) on delete set null,
  source_type text not null,
  item_key text not null,
  -- The URL normalised for cross-source deduplication; null when it is not trustworthy.
  canonical_url text,
  url text,
  title text,
  text text not null,
  author text,
  published_at timestamptz,
  date_quality text not null default 'exact' check (date_quality in ('exact', 'unknown', 'clamped')),
  fetched_at timestamptz not null,
  -- published_at, or fetched_at when the date is unknown: what streams order by and analytics bucket by.
  occurred_at timestamptz not null,
  lang text,
  lang_confidence real,
  sentiment_score real not null default 0,
  sentiment_label text not null default 'unscored' check (sentiment_label in ('positive', 'neutral', 'negative', 'unscored')),
  sentiment_model text not null,
  hashtags text[] not null default '{}',
  handles text[] not null default '{}',
  engagement jsonb,
  author_followers integer,
  matched boolean not null default false,
  brand_ids uuid[] not null default '{}',
  -- The union of the query terms that matched, over all brands.
  keywords text[] not null default '{}',
  -- Part of a new source's first poll: history, not news (alerts ignore it).
  is_backlog boolean not null default false,
  created_at timestamptz not null default now()
);
create unique index mentions_source_item on mentions (workspace_id, source_id, item_key);
create unique index mentions_canonical_url on mentions (workspace_id, canonical_url) where canonical_url is not null;
create index mentions_stream on mentions (workspace_id, occurred_at desc, id desc) where matched;
create index mentions_stream_sentiment on mentions (workspace_id, sentiment_label, occurred_at desc, id desc) where matched;
create index mentions_raw_age on mentions (workspace_id, created_at) where not matched;
create index mentions_keywords on mentions using gin (keywords) where matched;
create index mentions_hashtags on mentions using gin (hashtags) where matched;
create index mentions_brand_ids on mentions using gin (brand_ids);

create table mention_brands (
  brand_id uuid not null references brands (id) on delete cascade,
  mention_id bigint not null references mentions (id) on delete cascade,
  workspace_id uuid not null,
  occurred_at timestamptz not null,
  sentiment_label text not null,
  keywords text[] not null default '{}',
  primary key (brand_id, mention_id)
);
create index mention_brands_stream on mention_brands (brand_id, occurred_at desc, mention_id desc);
create index mention_brands_sentiment on mention_brands (brand_id, sentiment_label, occurred_at desc, mention_id desc);
create index mention_brands_mention on mention_brands (mention_id);

-- History re-matching is driven from the database: a brand whose query changed has
-- matched_version < query_version until a rematch job has gone over its history.
alter table brands add column query_version integer not null default 1;
alter table brands add column matched_version integer not null default 0;
create index brands_rematch_pending on brands (id) where matched_version < query_version;
