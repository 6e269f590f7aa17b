-- GET /v1/alerts filtered by rule or by brand: each list reads its own index newest first, as
-- the workspace's list reads alerts_workspace_page, instead of walking every alert of the
-- workspace to find one rule's. (A type or a time range alone rides the workspace index: the
-- two types come about equally often, and a time range is that index's own order.) The rule
-- index also serves the cascade when a rule is deleted.
create index alerts_rule_page on alerts (rule_id, created_at desc, id desc);
create index alerts_brand_page on alerts (brand_id, created_at desc, id desc);

-- A fire the cooldown held back used to leave no trace, so "why was there no alert?" had no
-- answer. The rule now keeps when that last happened and how many evaluations it held back
-- since the rule's last alert opened.
alter table alert_rules add column last_suppressed_at timestamptz;
alter table alert_rules add column suppressed_count integer not null default 0;
