const MAX_KEY_CHARS = 2000;

/** Query parameters that only say where a click came from; two URLs differing in them are one story. */
const TRACKING = /^(utm_[a-z]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|ref|ref_src|ref_url|cmpid|_hsenc|_hsmi|spm|share|s)$/i;

/**
 * The URL as a deduplication key: scheme, `www.`, fragment, default port, tracking parameters
 * and a trailing slash do not make a different story. A hash-bang route (`/#!/post/1`) does:
 * single-page sites address their stories that way. Null for anything that is not http(s),
 * and for a site's home page (path `/`, no query left): feeds link every item there when they
 * have no better address, and mentions are unique per canonical URL, so all but the first
 * such item, in this poll or any later one, would be dropped.
 */
export function canonicalUrl(raw: string | null): string | null {
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const host = url.hostname.toLowerCase().replace(/^www\./, '');
  const params = [...url.searchParams.entries()].filter(([k]) => !TRACKING.test(k)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const query = params.length ? `?${new URLSearchParams(params).toString()}` : '';
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : '';
  const route = url.hash.startsWith('#!') ? url.hash : '';
  if (path === '' && query === '' && route === '') return null;
  const port = url.port ? `:${url.port}` : '';
  const key = `${host}${port}${path}${query}${route}`;
  // A unique index entry holds at most ~2.7 KB: a longer URL identifies no story to dedupe by.
  return key.length <= MAX_KEY_CHARS ? key : null;
}
