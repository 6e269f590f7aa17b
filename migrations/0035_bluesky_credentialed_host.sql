-- A Bluesky source with credentials and no baseUrl reads through the account's service
-- (bsky.social), so that is the host whose politeness slot it takes, not the public AppView's.
update sources
set host = 'bsky.social'
where type = 'bluesky'
  and credentials is not null
  and config->>'baseUrl' is null
  and host = 'public.api.bsky.app';
