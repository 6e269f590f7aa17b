-- Workspaces, their API keys and their brands: the tenant boundary every later table hangs from.

create table workspaces (
  id uuid primary key default gen_random_uuid(),
  name text not null check (char_length(name) between 1 and 200),
  created_at timestamptz not null default now()
);

create table api_keys (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces (id) on delete cascade,
  name text not null check (char_length(name) between 1 and 200),
  -- The key's first characters, shown in listings so users can tell keys apart.
  prefix text not null,
  -- SHA-256 of the whole key. Keys are 256-bit random, so a fast hash is safe; the plaintext is never stored.
  key_hash bytea not null unique,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  expires_at timestamptz,
  revoked_at timestamptz
);
create index api_keys_workspace_page on api_keys (workspace_id, created_at desc, id desc);

create table brands (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces (id) on delete cascade,
  name text not null check (char_length(name) between 1 and 200),
  role text not null check (role in ('own', 'competitor')),
  query text not null check (char_length(query) between 1 and 1000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index brands_workspace_name on brands (workspace_id, lower(name));
create index brands_workspace_page on brands (workspace_id, created_at desc, id desc);
