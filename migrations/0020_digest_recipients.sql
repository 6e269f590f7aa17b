-- The e-mail recipients a digest was made for, fixed when it is made: each recipient's delivery
-- (and its retries) goes to them, not to whoever is on the workspace's list when a retry runs.
-- Null for digests stored before this column: their e-mail goes to the workspace's recipients
-- of the moment, as it did.
alter table digests add column recipients text[];
