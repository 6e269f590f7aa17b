-- A rule's signing secret can be rotated: for a day the old secret signs beside the new one
-- (Standard Webhooks lets a webhook-signature header carry several signatures), so a receiver
-- can switch over without dropping a delivery.
alter table alert_rules add column previous_secret text;
alter table alert_rules add column previous_secret_expires_at timestamptz;
