-- Negative-spike alert rules, the alerts they fire, and every delivery attempt.

create table alert_rules (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces (id) on delete cascade,
  brand_id uuid not null references brands (id) on delete cascade,
  webhook_url text not null,
  -- The Standard Webhooks signing secret (whsec_…): shown once at creation, needed to sign.
  secret text not null,
  window_minutes integer not null default 60 check (window_minutes between 5 and 1440),
  sensitivity text not null default 'medium' check (sensitivity in ('low', 'medium', 'high')),
  min_mentions integer not null default 5 check (min_mentions between 1 and 100000),
  cooldown_minutes integer not null default 60 check (cooldown_minutes between 0 and 10080),
  enabled boolean not null default true,
  disabled_reason text,
  -- The open incident (the detection state machine's), or null; and when the last one ended.
  incident jsonb,
  last_resolved_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index alert_rules_workspace_page on alert_rules (workspace_id, created_at desc, id desc);
create index alert_rules_enabled on alert_rules (id) where enabled;

-- One row per event sent: an incident's opening and its resolution. The id is deterministic
-- (rule + incident start), so re-running detection over the same window adds nothing.
create table alerts (
  id text primary key,
  rule_id uuid not null references alert_rules (id) on delete cascade,
  workspace_id uuid not null references workspaces (id) on delete cascade,
  brand_id uuid not null,
  type text not null,
  window_start timestamptz not null,
  window_end timestamptz not null,
  observed integer not null,
  total integer not null,
  expected double precision not null,
  score double precision not null,
  reason text,
  sample_mention_ids bigint[] not null default '{}',
  -- The exact body delivered, the same on every attempt.
  payload jsonb not null,
  delivery_status text not null default 'pending' check (delivery_status in ('pending', 'delivered', 'failed', 'gone', 'refused')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index alerts_workspace_page on alerts (workspace_id, created_at desc, id desc);

create table alert_deliveries (
  id bigint generated always as identity primary key,
  alert_id text not null references alerts (id) on delete cascade,
  rule_id uuid not null references alert_rules (id) on delete cascade,
  attempt integer not null,
  status integer,
  outcome text not null,
  latency_ms integer not null,
  response text,
  error text,
  attempted_at timestamptz not null default now()
);
create index alert_deliveries_rule_page on alert_deliveries (rule_id, id desc);
