-- Secrets an installation makes for itself once and every process of it shares, by name. The
-- first is 'cursor-key', which signs list cursors when the server has no SECRET_KEY
-- (src/domain/pagination/cursor-key.ts): kept here, a cursor one API process issued is good on
-- every other, and after a restart. Written by whichever process needs one first; never updated.
create table installation_secrets (
  name text primary key,
  secret bytea not null check (octet_length(secret) >= 32),
  created_at timestamptz not null default now()
);
