import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { blueskyConnector } from '../../src/connectors/bluesky.connector.js';
import { redditConnector } from '../../src/connectors/reddit.connector.js';
import { createDb } from '../../src/infra/db/database.js';
import { migrateToLatest } from '../../src/infra/db/migrator.js';
import { sourceHost } from '../../src/domain/sources/sources.config.js';
import { migrationNamed, migrationsBefore, scratchDatabase, silentLog } from '../support/db.js';

// Before, a Reddit source with credentials was stored with www.reddit.com's host (or its
// baseUrl's), though its polls read from the OAuth host. The migration moves it to the host the
// application now computes for it; a source without credentials, another type, and an
// oauthBaseUrl whose host a URL parser respells (not ASCII, IPv6) keep theirs.

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** [label, type, config, has credentials, what the host must be after, when not what the application computes]. */
const legacy: [string, 'reddit' | 'bluesky', Record<string, unknown>, boolean, string?][] = [
  ['default', 'reddit', { subreddit: 'selfhosted' }, true],
  ['its own baseUrl', 'reddit', { query: 'kávovar', baseUrl: 'http://127.0.0.1:9' }, true],
  ['an oauthBaseUrl on a port', 'reddit', { subreddit: 'acme', baseUrl: 'http://127.0.0.1:9', oauthBaseUrl: 'http://127.0.0.1:10' }, true],
  ['an oauthBaseUrl in capitals, with https default port and a path', 'reddit', { query: 'چای', oauthBaseUrl: 'https://Reddit-Proxy.Example:443/oauth' }, true],
  ['an http oauthBaseUrl with its default port', 'reddit', { query: 'चाय', oauthBaseUrl: 'http://proxy.example:80' }, true],
  ['an https oauthBaseUrl on port 80', 'reddit', { query: 'தேநீர்', oauthBaseUrl: 'https://proxy.example:80' }, true],
  ['without credentials', 'reddit', { subreddit: 'acme' }, false],
  ['without credentials, its own baseUrl', 'reddit', { subreddit: 'acme', baseUrl: 'http://127.0.0.1:9', oauthBaseUrl: 'http://127.0.0.1:10' }, false],
  ['bluesky', 'bluesky', { query: 'acme' }, true],
  // Stored hosts are punycode and IPv6 compressed by the URL parser: SQL cannot respell them, so they wait for an edit.
  ['a host not in ASCII', 'reddit', { query: 'ok', oauthBaseUrl: 'https://прокси.example' }, true, 'www.reddit.com'],
  ['an IPv6 host', 'reddit', { query: 'ok', oauthBaseUrl: 'http://[0:0::1]:10' }, true, 'www.reddit.com'],
];

describe('migration reddit_credentialed_host', () => {
  it("moves a Reddit source with credentials to its OAuth host, as the application now computes it, and leaves the others' hosts", async () => {
    const db = createDb({ url: await scratchDatabase(cleanups), poolSize: 2, log: silentLog });
    cleanups.push(() => db.destroy());
    await migrateToLatest(db, await migrationsBefore(await migrationNamed('reddit_credentialed_host'), cleanups));
    const { rows } = await sql<{ id: string }>`insert into workspaces (name) values ('Upgraded') returning id`.execute(db);
    const ids = new Map<string, string>();
    for (const [label, type, config, credentialed] of legacy) {
      const connector = type === 'reddit' ? redditConnector : blueskyConnector;
      // What the earlier code stored: the host of the endpoint without credentials (Bluesky's had moved already).
      const host = sourceHost(connector, config, { credentialed: type === 'bluesky' && credentialed });
      const inserted = await sql<{ id: string }>`
        insert into sources (workspace_id, type, config, host, credentials)
        values (${rows[0]!.id}, ${type}, ${JSON.stringify(config)}::jsonb, ${host}, ${credentialed ? 'sealed' : null})
        returning id`.execute(db);
      ids.set(label, inserted.rows[0]!.id);
    }
    expect(sourceHost(redditConnector, legacy[0]![2], { credentialed: false })).toBe('www.reddit.com');

    await migrateToLatest(db);

    const hosts = new Map((await db.selectFrom('sources').select(['id', 'host']).execute()).map((r) => [r.id, r.host]));
    for (const [label, type, config, credentialed, kept] of legacy) {
      const connector = type === 'reddit' ? redditConnector : blueskyConnector;
      expect(hosts.get(ids.get(label)!), label).toBe(kept ?? sourceHost(connector, config, { credentialed }));
    }
    expect(hosts.get(ids.get('default')!)).toBe('oauth.reddit.com');
    expect(hosts.get(ids.get('an oauthBaseUrl in capitals, with https default port and a path')!)).toBe('reddit-proxy.example');
    expect(hosts.get(ids.get('an https oauthBaseUrl on port 80')!)).toBe('proxy.example:80');
  });
});
