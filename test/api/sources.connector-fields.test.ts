import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

// The API types' own fields accept what users paste (a Persian tag, a subreddit's URL, an IDN
// instance) and refuse, naming the request field, what could not be fetched as written: an
// instance on plain http, a baseUrl that would swallow the API's path, a query of nothing visible.
// Private networks are allowed here; nothing is polled.

let t: TestApp;
let key: string;

beforeAll(async () => {
  t = await createTestApp();
  key = (await t.workspace('Connector fields')).key;
});
afterAll(() => t.close());

const post = (body: Record<string, unknown>) => t.request('POST', '/v1/sources', { key, body });

async function created(body: Record<string, unknown>) {
  const res = await post(body);
  expect(res.status, `${JSON.stringify(body)}: ${res.text}`).toBe(201);
  return res.json;
}

async function invalid(body: Record<string, unknown>) {
  const res = await post(body);
  expect(res.status, `${JSON.stringify(body)}: ${res.text}`).toBe(400);
  expect(res.json.error.code, res.text).toBe('validation.failed');
  return res.json.error as { message: string; fields: { field: string; message: string }[] };
}

describe('a Mastodon instance given as an http:// URL', () => {
  it('is refused naming instance and pointing at baseUrl, rather than stored as a host and polled over https', async () => {
    const error = await invalid({ type: 'mastodon', instance: 'http://127.0.0.1:31433', hashtag: 'acme' });
    expect(error.fields).toEqual([{ field: 'instance', message: expect.stringContaining('baseUrl') }]);
    expect(error.fields[0]!.message).toContain('"baseUrl":"http://127.0.0.1:31433"');
    expect(error.fields[0]!.message).toContain('"instance":"127.0.0.1:31433"');
  });

  it('the server on plain http is reached with baseUrl, as the message says', async () => {
    const source = await created({ type: 'mastodon', instance: '127.0.0.1:31433', hashtag: 'acme', baseUrl: 'http://127.0.0.1:31433' });
    expect(source).toMatchObject({ instance: '127.0.0.1:31433', baseUrl: 'http://127.0.0.1:31433' });
  });

  it('an https:// URL is still taken and stored as its host', async () => {
    expect(await created({ type: 'mastodon', instance: 'https://Secure.Example/', hashtag: 'acme' })).toMatchObject({ instance: 'secure.example' });
  });
});

describe('a baseUrl with a query or a fragment', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['a Bluesky baseUrl with a fragment', { type: 'bluesky', query: 'fragtest', baseUrl: 'http://127.0.0.1:31434/#frag' }, 'baseUrl'],
    ['a Hacker News baseUrl with a query', { type: 'hackernews', query: 'qtest', baseUrl: 'http://127.0.0.1:31431/?tenant=1' }, 'baseUrl'],
    ['a baseUrl ending in an empty query', { type: 'hackernews', query: 'qtest', baseUrl: 'http://127.0.0.1:31431/api?' }, 'baseUrl'],
    ['a Mastodon baseUrl with a fragment', { type: 'mastodon', instance: 'm.example', hashtag: 'acme', baseUrl: 'http://127.0.0.1:9#x' }, 'baseUrl'],
    ["Reddit's oauthBaseUrl with a query", { type: 'reddit', subreddit: 'acme', oauthBaseUrl: 'http://127.0.0.1:9/?a=b' }, 'oauthBaseUrl'],
  ];
  for (const [what, body, field] of cases) {
    it(`${what} is refused naming ${field}`, async () => {
      const error = await invalid(body);
      expect(error.fields).toEqual([{ field, message: expect.stringMatching(/query.*fragment/) }]);
    });
  }

  it('so the same server with and without a fragment is not called one target', async () => {
    await created({ type: 'bluesky', query: 'fragdup', baseUrl: 'http://127.0.0.1:31434' });
    const res = await post({ type: 'bluesky', query: 'fragdup', baseUrl: 'http://127.0.0.1:31434/#frag' });
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.fields).toEqual([{ field: 'baseUrl', message: expect.any(String) }]);
  });

  it('a baseUrl with a path is still taken', async () => {
    expect(await created({ type: 'hackernews', query: 'pathed', baseUrl: 'http://127.0.0.1:9/api/v1/' })).toMatchObject({ baseUrl: 'http://127.0.0.1:9/api/v1' });
  });
});

describe("Mastodon hashtags follow Mastodon's own grammar", () => {
  const valid: [string, string, string][] = [
    ['Persian with a ZWNJ', '#کتاب‌خوانی', 'کتاب‌خوانی'],
    ['Japanese with a katakana middle dot', '#東京・観光', '東京・観光'],
    ['Latin with a middle dot', 'L·Aquila', 'l·aquila'],
  ];
  for (const [what, hashtag, stored] of valid) {
    it(`${what} (${hashtag}) is accepted and stored as ${stored}`, async () => {
      expect(await created({ type: 'mastodon', instance: 'tags.example', hashtag })).toMatchObject({ hashtag: stored });
    });
  }

  it('a bad tag is named, under the request field hashtag (not hashtag.0)', async () => {
    const error = await invalid({ type: 'mastodon', instance: 'tags.example', hashtag: 'acme, bad-tag' });
    expect(error.fields).toEqual([{ field: 'hashtag', message: expect.stringContaining('"bad-tag"') }]);
    expect(error.fields[0]!.message).not.toContain('"acme"');
  });

  it('a separator cannot start or end a tag, as in Mastodon', async () => {
    for (const hashtag of ['・観光', 'acme·', '\u200cacme']) {
      const error = await invalid({ type: 'mastodon', instance: 'tags.example', hashtag });
      expect(error.fields, hashtag).toEqual([{ field: 'hashtag', message: expect.any(String) }]);
    }
  });

  it('too many tags and no tag at all are named under hashtag too', async () => {
    expect((await invalid({ type: 'mastodon', instance: 'tags.example', hashtag: 'a,b,c,d,e' })).fields).toEqual([
      { field: 'hashtag', message: 'must hold at most 4 comma-separated tags' },
    ]);
    expect((await invalid({ type: 'mastodon', instance: 'tags.example', hashtag: '#, #' })).fields).toEqual([
      { field: 'hashtag', message: 'must name at least one tag' },
    ]);
  });
});

describe('a search query of only invisible characters', () => {
  const types: Record<string, unknown>[] = [{ type: 'hackernews' }, { type: 'bluesky' }, { type: 'reddit' }, { type: 'googlenews' }];
  for (const base of types) {
    it(`is refused for ${String(base.type)} naming query, like an empty one`, async () => {
      for (const query of ['\u200b', '\u200b \u2060\ufeff', '\u200c\u200d', '\u3164']) {
        const error = await invalid({ ...base, query });
        expect(error.fields, JSON.stringify(query)).toEqual([{ field: 'query', message: expect.stringMatching(/invisible/) }]);
      }
      expect((await invalid({ ...base, query: '' })).fields).toEqual([{ field: 'query', message: 'must not be empty' }]);
    });
  }

  it('a query with visible text around an invisible character is taken as written', async () => {
    expect(await created({ type: 'bluesky', query: 'acme\u200bcoffee' })).toMatchObject({ query: 'acme\u200bcoffee' });
    expect(await created({ type: 'bluesky', query: '🦋' })).toMatchObject({ query: '🦋' });
  });
});

describe('a subreddit is taken in the spellings users copy', () => {
  const spellings: [string, string][] = [
    ['/r/foo/', 'foo'],
    ['r/Bar/', 'Bar'],
    ['https://www.reddit.com/r/programming/', 'programming'],
    ['https://old.reddit.com/r/selfhosted', 'selfhosted'],
    ['reddit.com/r/rust/', 'rust'],
  ];
  for (const [given, stored] of spellings) {
    it(`${given} is stored as ${stored}`, async () => {
      expect(await created({ type: 'reddit', subreddit: given })).toMatchObject({ subreddit: stored });
    });
  }

  it('and one spelling is a duplicate of another', async () => {
    const first = await created({ type: 'reddit', subreddit: 'https://www.reddit.com/r/typescript/' });
    const res = await post({ type: 'reddit', subreddit: 'r/TypeScript' });
    expect(res.status, res.text).toBe(409);
    expect(res.json.error.existingId).toBe(first.id);
  });

  it('a reddit URL of something other than a subreddit is still refused naming subreddit', async () => {
    for (const subreddit of ['https://www.reddit.com/r/programming/comments/abc/title/', 'https://example.com/r/foo', 'r/']) {
      expect((await invalid({ type: 'reddit', subreddit })).fields, subreddit).toEqual([{ field: 'subreddit', message: expect.any(String) }]);
    }
  });
});

describe('an internationalised Mastodon host', () => {
  it('is accepted and stored in its ASCII (punycode) form, which is what is requested', async () => {
    const source = await created({ type: 'mastodon', instance: 'mästodon.example', hashtag: 'acme' });
    expect(source.instance).toBe('xn--mstodon-5wa.example');
  });

  it('and its Unicode, URL and punycode spellings are one target', async () => {
    const first = await created({ type: 'mastodon', instance: 'https://Bücher.example:8443/', hashtag: 'idn' });
    expect(first.instance).toBe('xn--bcher-kva.example:8443');
    for (const instance of ['bücher.example:8443', 'XN--BCHER-KVA.example:8443']) {
      const res = await post({ type: 'mastodon', instance, hashtag: 'idn' });
      expect(res.status, `${instance}: ${res.text}`).toBe(409);
      expect(res.json.error.existingId).toBe(first.id);
    }
  });

  it('what is no host name in any script is still refused', async () => {
    expect((await invalid({ type: 'mastodon', instance: 'mäs todon.example', hashtag: 'acme' })).fields).toEqual([
      { field: 'instance', message: 'must be a host name such as mastodon.social' },
    ]);
  });
});
