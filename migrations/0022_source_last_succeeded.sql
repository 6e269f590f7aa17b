-- When a poll of the source last succeeded. last_fetched_at is the last attempt, failed ones
-- included, so a source failing for days looked freshly polled. A success sets it; a new target
-- or new credentials clear it with the rest of the health. Existing rows: their last poll, where
-- it succeeded (no error recorded after it).
alter table sources add column last_succeeded_at timestamptz;
update sources set last_succeeded_at = last_fetched_at where last_fetched_at is not null and last_error is null;
