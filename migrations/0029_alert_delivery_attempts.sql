-- A delivery reads the attempts its alert has logged before it makes another (a job made anew
-- after Redis lost the first goes on counting from them): one index probe, not a scan of every
-- delivery of every rule.
create index alert_deliveries_alert on alert_deliveries (alert_id, attempt);
