-- A Reddit source with credentials reads its listings from the OAuth host (its oauthBaseUrl, else
-- oauth.reddit.com; only the token comes from baseUrl), so that is the host whose politeness slot
-- it takes, not www.reddit.com's (or its baseUrl's). The host is written as the application
-- writes it: the URL's host, lower-cased, without the scheme's default port. An oauthBaseUrl whose
-- host a URL parser would respell (not ASCII, an IPv6 or numeric IPv4 form) is left as it was;
-- the source's next edit of its URLs or credentials writes its host.
with moved as (
  select id,
    case
      when config->>'oauthBaseUrl' is null then 'oauth.reddit.com'
      else regexp_replace(
        lower(substring(config->>'oauthBaseUrl' from '^[A-Za-z][A-Za-z0-9+.-]*://([^/?#]*)')),
        case when config->>'oauthBaseUrl' ~* '^https://' then ':443$' else ':80$' end,
        '')
    end as host
  from sources
  where type = 'reddit'
    and credentials is not null
)
update sources
set host = moved.host
from moved
where sources.id = moved.id
  and sources.host is distinct from moved.host
  and (
    moved.host = 'oauth.reddit.com'
    -- A name whose last label starts with a letter, or a dotted quad as parsers write it; a port without leading zeros.
    or moved.host ~ '^([a-z0-9-]+\.)*[a-z][a-z0-9-]*(:[1-9][0-9]{0,4})?$'
    or moved.host ~ '^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(:[1-9][0-9]{0,4})?$'
  );
