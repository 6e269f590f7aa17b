import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

// Create and PATCH answer a bad body with the domain's sentences (sources.config.ts), never zod's
// defaults, with the status, code and field names of every validation failure. Private networks
// are allowed here; nothing is polled.

let t: TestApp;
let key: string;

beforeAll(async () => {
  t = await createTestApp();
  key = (await t.workspace('Validation messages')).key;
});
afterAll(() => t.close());

async function invalid(method: 'POST' | 'PATCH', path: string, body: unknown) {
  const res = await t.request(method, path, { key, body });
  expect(res.status, `${JSON.stringify(body)}: ${res.text}`).toBe(400);
  expect(res.json.error.code, res.text).toBe('validation.failed');
  return res.json.error as { message: string; fields: { field: string; message: string }[] };
}

let counter = 0;
async function created(): Promise<string> {
  const res = await t.request('POST', '/v1/sources', { key, body: { type: 'rss', url: `http://127.0.0.1:9/messages-${++counter}.xml` } });
  expect(res.status, res.text).toBe(201);
  return res.json.id;
}

describe('a bad field is named with a sentence, on create', () => {
  const cases: [string, Record<string, unknown>, string, string][] = [
    ['an interval under a minute', { intervalSeconds: 30 }, 'intervalSeconds', 'must be at least 60'],
    ['an interval over a week', { intervalSeconds: 604801 }, 'intervalSeconds', 'must be at most 604800 (a week)'],
    ['an interval with a fraction', { intervalSeconds: 900.5 }, 'intervalSeconds', 'must be a whole number of seconds'],
    ['an interval as text', { intervalSeconds: '900' }, 'intervalSeconds', 'must be a number of seconds'],
    ['enabled as text', { enabled: 'yes' }, 'enabled', 'must be true or false'],
    ['enabled null', { enabled: null }, 'enabled', 'must be true or false'],
  ];
  for (const [what, fields, field, message] of cases) {
    it(`${what}: "${field}: ${message}"`, async () => {
      const error = await invalid('POST', '/v1/sources', { type: 'rss', url: 'http://127.0.0.1:9/create.xml', ...fields });
      expect(error.fields).toEqual([{ field, message }]);
      expect(error.message).toBe(`invalid request: ${field}: ${message}`);
    });
  }

  it('a type field left out is "is required", not zod\'s "expected string, received undefined"', async () => {
    expect((await invalid('POST', '/v1/sources', { type: 'rss' })).fields).toEqual([{ field: 'url', message: 'is required' }]);
    expect((await invalid('POST', '/v1/sources', { type: 'hackernews' })).fields).toEqual([{ field: 'query', message: 'is required' }]);
  });

  it('an empty url says so', async () => {
    expect((await invalid('POST', '/v1/sources', { type: 'rss', url: '' })).fields).toEqual([{ field: 'url', message: 'must not be empty' }]);
  });
});

describe("a type's own field is named once, in the house form `field: problem`", () => {
  const long = 'x'.repeat(513);
  const cases: [string, Record<string, unknown>, string, unknown][] = [
    ['an empty Hacker News query', { type: 'hackernews', query: '' }, 'query', 'must not be empty'],
    ['a Bluesky query of only a zero-width space', { type: 'bluesky', query: '\u200b' }, 'query', 'must hold visible text, not only spaces or invisible characters'],
    ['a Reddit query too long', { type: 'reddit', query: long }, 'query', 'must be at most 512 characters'],
    ['a subreddit with a space', { type: 'reddit', subreddit: 'r/two words' }, 'subreddit', 'must be 2–21 letters, digits or underscores, with or without r/ or as its reddit.com URL'],
    ['a Mastodon instance that is no host', { type: 'mastodon', instance: 'not a host', hashtag: 'kava' }, 'instance', 'must be a host name such as mastodon.social'],
    ['a Mastodon hashtag of nothing', { type: 'mastodon', instance: 'mastodon.social', hashtag: '#' }, 'hashtag', 'must name at least one tag'],
    ['Reddit credentials with an empty client id', { type: 'reddit', subreddit: 'kava', credentials: { clientId: ' ', clientSecret: 's' } }, 'credentials.clientId', 'must not be empty'],
    ['Bluesky credentials with an empty app password', { type: 'bluesky', query: 'káva', credentials: { identifier: 'a.bsky.social', appPassword: '' } }, 'credentials.appPassword', 'must not be empty'],
    ['a Google News language that is no code', { type: 'googlenews', query: 'káva', lang: 'čeština' }, 'lang', 'must be a language code such as en, cs or pt-BR'],
    ['a YouTube handle for a channel id', { type: 'youtube', channelId: '@acme' }, 'channelId', expect.stringMatching(/^must be a channel id: UC followed by/)],
  ];
  for (const [what, body, field, message] of cases) {
    it(`${what}: "${field}: …", the field not named again`, async () => {
      const error = await invalid('POST', '/v1/sources', body);
      expect(error.fields).toEqual([{ field, message }]);
      const last = field.split('.').at(-1)!;
      expect(error.fields[0]!.message.startsWith(`${last} `)).toBe(false);
      expect(error.message).not.toContain(`${field}: ${last} `);
    });
  }
});

describe('a bad field is named with a sentence, on PATCH', () => {
  it('enabled null is "must be true or false"', async () => {
    const id = await created();
    expect((await invalid('PATCH', `/v1/sources/${id}`, { enabled: null })).fields).toEqual([{ field: 'enabled', message: 'must be true or false' }]);
  });

  it('the interval gets the same sentences as on create', async () => {
    const id = await created();
    expect((await invalid('PATCH', `/v1/sources/${id}`, { intervalSeconds: 30 })).fields).toEqual([{ field: 'intervalSeconds', message: 'must be at least 60' }]);
    expect((await invalid('PATCH', `/v1/sources/${id}`, { intervalSeconds: 900.5 })).fields).toEqual([
      { field: 'intervalSeconds', message: 'must be a whole number of seconds' },
    ]);
  });

  it('removing a required field is still "is required and cannot be removed"', async () => {
    const id = await created();
    expect((await invalid('PATCH', `/v1/sources/${id}`, { url: null })).fields).toEqual([{ field: 'url', message: 'is required and cannot be removed' }]);
  });
});

describe('a URL that does not parse is a validation failure, not a URL Earshot refuses to fetch', () => {
  for (const url of ['not a url', 'http://ex%41mple.com:99999/']) {
    it(`url ${JSON.stringify(url)} is validation.failed naming url: "is not a valid URL"`, async () => {
      const error = await invalid('POST', '/v1/sources', { type: 'rss', url });
      expect(error.fields).toEqual([{ field: 'url', message: 'is not a valid URL' }]);
    });
  }

  it('the same on PATCH, and for an API type\'s baseUrl', async () => {
    const id = await created();
    expect((await invalid('PATCH', `/v1/sources/${id}`, { url: 'not a url' })).fields).toEqual([{ field: 'url', message: 'is not a valid URL' }]);
    const error = await invalid('POST', '/v1/sources', { type: 'hackernews', query: 'acme', baseUrl: 'http://[::1' });
    expect(error.fields).toEqual([{ field: 'baseUrl', message: 'is not a valid URL' }]);
  });

  it('a Mastodon instance whose port makes no URL names instance, never a 500', async () => {
    const error = await invalid('POST', '/v1/sources', { type: 'mastodon', instance: 'mastodon.example:99999', hashtag: 'acme' });
    expect(error.fields).toEqual([{ field: 'instance', message: 'is not a valid URL' }]);
  });
});
