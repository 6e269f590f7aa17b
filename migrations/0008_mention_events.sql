-- The live stream's order. A mention's id is taken when its row is inserted, but polls of one
-- workspace commit in any order, so "ids above the last one seen" misses a poll that committed
-- late. Each poll that stored matched mentions adds one event per mention as its last statement,
-- holding a per-workspace advisory lock until commit: within a workspace, seq order is commit
-- order, and "events above the last seq seen" is exactly what a reconnecting client missed.
create table mention_events (
  workspace_id uuid not null,
  seq bigint generated always as identity,
  mention_id bigint not null,
  created_at timestamptz not null default now(),
  primary key (workspace_id, seq)
);
-- Events past the raw window are purged with the raw store; rows are appended in time order.
create index mention_events_age on mention_events using brin (created_at);
