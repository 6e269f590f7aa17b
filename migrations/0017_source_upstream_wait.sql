-- Until when the upstream asked Earshot not to poll a source: the Retry-After of a 429 or 503, or
-- an API's rate-limit reset (X-Ratelimit-Reset, RateLimit-Reset), as the schedule applied it
-- (capped at one day). next_fetch_at alone cannot tell that wait from Earshot's own backoff, and
-- only that wait refuses "poll now" (409 sources.rate_limited): a request sooner would be refused
-- again and lengthen it. Null when the last poll asked for no wait; a success, a new target or new
-- credentials clear it. Existing rows start without one.
alter table sources add column upstream_wait_until timestamptz;
