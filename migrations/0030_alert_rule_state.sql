-- When a rule was last evaluated (the evaluation's `now`). An evaluation judges again the recent
-- windows that got mentions stored since then (published before they were stored: feeds run late,
-- sources are polled every few minutes). Null: never evaluated, or enabled again or moved to
-- another brand since; such a rule judges only the window ending now.
alter table alert_rules add column last_evaluated_at timestamptz;

-- A paused rule, or one disabled by a 410, has no open incident any more: none of its alerts will
-- go out, and enabling it forgets the incident. Rules disabled before this showed theirs as open.
update alert_rules set incident = null where not enabled and incident is not null;
