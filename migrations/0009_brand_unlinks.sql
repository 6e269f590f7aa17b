-- A deleted brand's id is cleared from the mentions that carried it by a job (brands.unlink).
-- The delete records that work here, in its own transaction: a job that could not be queued
-- (Redis away when the brand was deleted) or that failed for good is queued again by the
-- scheduler tick until it has run, and the job removes the row when the mentions are clear.
create table brand_unlinks (
  brand_id uuid primary key,
  workspace_id uuid not null references workspaces (id) on delete cascade,
  deleted_at timestamptz not null default now()
);
