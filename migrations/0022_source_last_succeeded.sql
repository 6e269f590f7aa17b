-- When a poll of the source last succeeded. last_fetched_at is the last attempt, failed ones
-- included, so a source failing for days looked freshly polled. A success sets it; a new target
-- or new credentials clear it with the rest of the health. Existing rows: their last poll, where
-- it succeeded (no error recorded after it); for a source failing now, the last time a poll of it
-- stored items (a poll that stores items succeeded), so a source that worked until an outage does
-- not read as one that never did. A failing source that never stored anything stays null.
alter table sources add column last_succeeded_at timestamptz;
update sources set last_succeeded_at = last_fetched_at where last_fetched_at is not null and last_error is null;
update sources s
set last_succeeded_at = (
  select max(m.created_at) from mentions m where m.workspace_id = s.workspace_id and m.source_id = s.id
)
where s.last_error is not null;
