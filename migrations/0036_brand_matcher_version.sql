-- The version of the matcher (MATCHER_VERSION, src/domain/query/query.version.ts) that last went
-- over a brand's history: set by the rematch job when it is done. A scheduler starting with a
-- newer matcher queues the brands an older one matched again (AUTO_REMATCH), by raising their
-- query_version as a query edit does. Existing brands start at 0, older than any release that
-- writes it, so an upgraded deployment matches each brand's history again once.
alter table brands add column matcher_version integer not null default 0;
