-- How long each digest delivery attempt took, from sending to the answer (RELIABILITY 18: every
-- attempt is logged with status and latency, as alert deliveries already are). Null for attempts
-- that sent nothing (SMTP not configured) and for attempts made before this column.
alter table digest_deliveries add column latency_ms integer;
