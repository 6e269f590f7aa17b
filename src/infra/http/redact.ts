import { domainToUnicode } from 'node:url';

/**
 * What leaves a request in words: error messages, log lines, quoted error pages. They are logged,
 * kept in Redis with jobs and their events, stored as a source's lastError and copied into
 * digests, which are e-mailed. So a URL is named by its origin only, and quoted upstream text
 * loses the credentials it may echo.
 */

/**
 * How an error message or a log line names a URL: `scheme://host[:port]`, nothing after it. The
 * path can be the secret itself (a Slack or Discord webhook, a private feed's
 * `/feeds/<token>.rss`), and a query often holds a key or a token.
 */
export function originOf(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return 'an invalid URL';
  }
  if (!parsed.hostname) return parsed.protocol;
  // A name as its owner wrote it (zprávy.example.cz), not as DNS spells it (xn--zprvy-zqa…).
  const host = domainToUnicode(parsed.hostname) || parsed.hostname;
  return `${parsed.protocol}//${host}${parsed.port ? `:${parsed.port}` : ''}`;
}

export const REDACTED = '[redacted]';

/** Shorter known values are left alone: replacing them would garble the text, not hide a secret. */
const MIN_KNOWN_CHARS = 4;
/** A path segment or query value this long is likely an opaque token (`/feeds/<token>.rss`). */
const LONG_OPAQUE_CHARS = 16;

/** `Bearer <token>` or `Basic <base64>`, unless what follows is a challenge's parameter (`Bearer realm="…"`). */
const AUTH_SCHEME = /\b(Bearer|Basic)(\s+)(?!(?:realm|error|scope|charset|error_description)\b)[A-Za-z0-9\-._~+/]{8,}=*/gi;
/** A JSON Web Token (Bluesky's accessJwt and refreshJwt are ones): three base64url parts, the first `{"…`. */
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*)?/g;
/**
 * A named credential and its value, in a query (`access_token=…`), a header (`Authorization: …`)
 * or JSON (`"refreshJwt": "…"`): the name ends with one of these words. An auth scheme before the
 * value is kept (`Authorization: Bearer [redacted]`).
 */
const SECRET_PARAM =
  /(?<![\w-])([\w-]*?(?:token|jwt|secret|password|passwd|pwd|api[_-]?key|apikey|session|sess(?:ion)?[_-]?id|sid|authorization|signature|sig|credentials?))(["']?\s*[:=]\s*["']?)((?:(?:Bearer|Basic)\s+)?)([^\s"'&;,<>]+)/gi;
/** A Cookie or Set-Cookie header: every cookie's value, whatever its name; a Set-Cookie's attributes stay. */
const COOKIE_HEADER = /\b((?:set-)?cookie)(["']?\s*:\s*)([^\r\n"<>]*)/gi;
const COOKIE_PAIR = /([^=;,\s]+)=([^;,\s"]*)/g;
const COOKIE_ATTRIBUTE = /^(path|domain|expires|max-age|samesite|priority)$/i;

/**
 * `text` without the credentials it may quote: each of `known` (the values a request carried,
 * credentialsSentWith) wherever it appears, then bearer and basic credentials, JWTs and values of
 * parameters named like credentials, whoever's they are.
 */
export function redactSecrets(text: string, known: readonly string[] = []): string {
  let out = text;
  const values = [...new Set(known)].filter((v) => v.length >= MIN_KNOWN_CHARS).sort((a, b) => b.length - a.length);
  for (const value of values) out = out.split(value).join(REDACTED);
  return out
    .replace(AUTH_SCHEME, `$1$2${REDACTED}`)
    .replace(JWT, REDACTED)
    .replace(COOKIE_HEADER, (_all, name: string, separator: string, cookies: string) =>
      `${name}${separator}${cookies.replace(COOKIE_PAIR, (pair, key: string) => (COOKIE_ATTRIBUTE.test(key) ? pair : `${key}=${REDACTED}`))}`,
    )
    .replace(SECRET_PARAM, (_all, name: string, separator: string, scheme: string) => `${name}${separator}${scheme}${REDACTED}`);
}

function decoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * The values a request gave away that an error page may echo: the credentials in its
 * Authorization, Proxy-Authorization and Cookie headers (a Basic one decoded too), its path and
 * query as sent and decoded, and their long opaque parts.
 */
export function requestSecrets(url: URL, headers: Record<string, string>): string[] {
  const values: string[] = [];
  for (const name of ['authorization', 'proxy-authorization']) {
    const value = headers[name];
    if (!value) continue;
    // The credential, not the header's whole value: a page quoting it still reads `Bearer [redacted]`.
    const [scheme = '', ...rest] = value.trim().split(/\s+/);
    const credential = rest.length ? rest.join(' ') : scheme;
    values.push(credential);
    if (scheme.toLowerCase() === 'basic' && credential) {
      const pair = Buffer.from(credential, 'base64').toString('utf8');
      values.push(pair, ...pair.split(':'));
    }
  }
  for (const pair of (headers.cookie ?? '').split(';')) {
    const value = pair.slice(pair.indexOf('=') + 1).trim();
    if (value) values.push(value);
  }
  const target = `${url.pathname}${url.search}`;
  if (target !== '/') values.push(target, decoded(target));
  if (url.search.length > 1) values.push(url.search, decoded(url.search));
  for (const segment of url.pathname.split('/')) if (decoded(segment).length >= LONG_OPAQUE_CHARS) values.push(segment, decoded(segment));
  for (const [, value] of url.searchParams) if (value.length >= LONG_OPAQUE_CHARS) values.push(value, encodeURIComponent(value));
  return values.filter((v) => v.length >= MIN_KNOWN_CHARS);
}

const sentWith = new WeakMap<object, readonly string[]>();

/** Kept beside a response by the client, for whoever quotes it later (bodyExcerpt). */
export function rememberRequestSecrets(response: object, secrets: readonly string[]): void {
  sentWith.set(response, secrets);
}

/** What the request that got `response` gave away (requestSecrets); none for a response the client did not make. */
export function credentialsSentWith(response: object): readonly string[] {
  return sentWith.get(response) ?? [];
}

/**
 * A failure's own message (undici's, the system's) with the request's URL taken out: the URL
 * becomes its origin, and its path and query disappear wherever they are quoted.
 */
export function withoutUrl(message: string, url: URL): string {
  const target = `${url.pathname}${url.search}`;
  let out = message.split(url.href).join(originOf(url));
  if (target !== '/') out = out.split(target).join('');
  return redactSecrets(out, requestSecrets(url, {}));
}
