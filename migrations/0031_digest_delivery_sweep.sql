-- What a digest owes, and whether it still owes any of it, so that a delivery whose job Redis
-- never got (stored while Redis was away) or lost (Redis back without its data) is queued again
-- from Postgres (digests.redeliver).

-- Made to be posted to the workspace's digest webhook (a preview is not, nor one made while the
-- workspace had none); `recipients` are the e-mails it owes.
alter table digests add column webhook boolean not null default false;
-- When every delivery it owed had ended (delivered, or failed for good); null while one may not
-- have. Set by digests.redeliver, which from then on passes the digest by.
alter table digests add column deliveries_ended_at timestamptz;

-- Digests of the last days whose webhook was already tried: their later retries are owed too.
update digests d set webhook = true
where d.created_at > now() - interval '2 days'
  and exists (select 1 from digest_deliveries x where x.digest_id = d.id and x.channel = 'webhook');

-- The sweep's read: the digests of its window that owe something and may still owe it, across
-- workspaces, oldest first. Previews (unlimited) and digests whose deliveries all ended are not in it.
create index digests_owing on digests (created_at) where deliveries_ended_at is null and (webhook or cardinality(recipients) > 0);
