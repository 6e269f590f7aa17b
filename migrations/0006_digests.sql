-- Weekly competitor digests: the schedule and destinations per workspace, the documents, and
-- every delivery attempt.

alter table workspaces add column digest_schedule text not null default '0 8 * * 1';
alter table workspaces add column digest_timezone text not null default 'UTC';
alter table workspaces add column digest_webhook_url text;
-- The Standard Webhooks secret (whsec_…) digests are signed with; shown once when the URL is set.
alter table workspaces add column digest_webhook_secret text;
alter table workspaces add column digest_recipients text[] not null default '{}';

create table digests (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces (id) on delete cascade,
  kind text not null check (kind in ('scheduled', 'manual')),
  period_start timestamptz not null,
  period_end timestamptz not null,
  document jsonb not null,
  created_at timestamptz not null default now()
);
-- However many schedulers fire and however often they restart: one scheduled digest a period.
create unique index digests_scheduled_period on digests (workspace_id, period_end) where kind = 'scheduled';
create index digests_workspace_page on digests (workspace_id, created_at desc, id desc);

create table digest_deliveries (
  id bigint generated always as identity primary key,
  digest_id uuid not null references digests (id) on delete cascade,
  channel text not null check (channel in ('webhook', 'email')),
  target text not null,
  attempt integer not null,
  outcome text not null,
  status integer,
  error text,
  attempted_at timestamptz not null default now()
);
create index digest_deliveries_digest on digest_deliveries (digest_id, id);
