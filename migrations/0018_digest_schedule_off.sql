-- A workspace may switch its scheduled digests off: a null digest_schedule means no job scheduler
-- for it (manual digests, POST /v1/digests, still work). New workspaces keep the default, Monday
-- 08:00, and existing rows keep theirs.
alter table workspaces alter column digest_schedule drop not null;
