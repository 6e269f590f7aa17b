import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DisplayName } from '../../src/domain/names.js';
import { createTestApp, type TestApp } from '../support/app.js';

// A lone surrogate ("\ud800" in JSON, which JSON.parse turns into one) has no UTF-8 spelling: the
// Postgres driver stored U+FFFD in its place, so a brand query or a webhook URL was not the one
// the client sent. Every JSON body is walked once for it, whatever the route.

const LONE = 'must be valid Unicode text (a lone surrogate)';

let t: TestApp;
let key: string;
beforeAll(async () => {
  t = await createTestApp();
  key = (await t.workspace('Unicode')).key;
});
afterAll(async () => t.close());

describe('a lone surrogate in a JSON body', () => {
  it.each([
    ['POST', '/v1/brands', 'query', '{"name":"sur","role":"competitor","query":"acme\\ud800x"}'],
    ['POST', '/v1/alert-rules', 'webhookUrl', '{"brandId":"00000000-0000-4000-8000-000000000000","webhookUrl":"http://127.0.0.1:9/h\\ud800ook"}'],
    ['PATCH', '/v1/workspace', 'digestWebhookUrl', '{"digestWebhookUrl":"http://127.0.0.1:9/d\\udc00x"}'],
    ['PATCH', '/v1/workspace', 'digestRecipients.1', '{"digestRecipients":["ana@example.com","b\\udc00@example.com"]}'],
    ['POST', '/v1/digests', 'since', '{"since":"2026-12-01T00:00:00Z\\ud83d"}'],
  ])('%s %s is a 400 naming %s', async (method, path, field, raw) => {
    const res = await t.request(method, path, { key, raw });
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.code).toBe('validation.failed');
    expect(res.json.error.fields).toEqual([{ field, message: LONE }]);
    expect(res.json.error.message).toContain(field);
  });

  it('nothing is stored: the brand was not made and the workspace settings are as they were', async () => {
    await t.request('POST', '/v1/brands', { key, raw: '{"name":"sur2","role":"competitor","query":"acme\\ud800x"}' });
    await t.request('PATCH', '/v1/workspace', { key, raw: '{"digestWebhookUrl":"http://127.0.0.1:9/d\\udc00x"}' });
    const brands = await t.request('GET', '/v1/brands', { key });
    expect(brands.json.items.map((b: { name: string }) => b.name)).not.toContain('sur2');
    expect((await t.request('GET', '/v1/workspace', { key })).json.digestWebhookUrl).toBeNull();
  });

  it('also sent unescaped, as JSON.stringify of a JS string would never do but a hand-made client might', async () => {
    const res = await t.request('POST', '/v1/brands', { key, body: { name: 'sur3', role: 'competitor', query: 'acme\udfffx' } });
    expect(res.status).toBe(400);
    expect(res.json.error.fields).toEqual([{ field: 'query', message: LONE }]);
  });

  it('in a field name, it is refused naming the object holding it', async () => {
    const res = await t.request('PATCH', '/v1/workspace', { key, raw: '{"\\ud800":1}' });
    expect(res.status).toBe(400);
    expect(res.json.error.fields).toEqual([{ field: 'body', message: 'must not have a field name that is not valid Unicode text (a lone surrogate)' }]);
  });

  it('surrogate pairs are text: emoji and astral characters pass with Czech, Persian, Hindi, Gujarati and Tamil', async () => {
    const query = '"čaj 🍵" OR "چای‌خانه" OR "चाय" OR "ચા" OR "தேநீர்" OR "𠀀"';
    const res = await t.request('POST', '/v1/brands', { key, body: { name: 'Čajovna 🍵 چای', role: 'competitor', query } });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({ name: 'Čajovna 🍵 چای', query });
    const hook = await t.request('PATCH', '/v1/workspace', { key, body: { digestWebhookUrl: 'http://127.0.0.1:9/hook/😀/ચા' } });
    expect(hook.status, hook.text).toBe(200);
  });
});

describe('a display name with a lone surrogate', () => {
  it('is told it is not valid Unicode text, not that it holds control characters', () => {
    const result = DisplayName.safeParse('x\ud800y');
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toEqual([LONE]);
    expect(DisplayName.safeParse('Čajovna 🍵').success).toBe(true);
  });
});

describe('a JSON body that is not UTF-8', () => {
  const send = (bytes: Buffer) =>
    t.app.request('/v1/brands', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: bytes });
  const brand = (query: Buffer) => Buffer.concat([Buffer.from('{"name":"raw","role":"competitor","query":"'), query, Buffer.from('"}')]);

  it.each([
    ['an encoded lone surrogate (CESU-8)', Buffer.from([0x61, 0xed, 0xa0, 0x80, 0x62])],
    ['Latin-1 (Czech "čaj" in ISO 8859-2)', Buffer.from([0xe8, 0x61, 0x6a])],
    ['an overlong spelling of "/"', Buffer.from([0xc0, 0xaf])],
    ['a sequence cut short', Buffer.from([0xe0, 0xa4])],
  ])('%s is a 400 naming the body, not text stored with U+FFFD', async (_what, query) => {
    const res = await send(brand(query));
    expect(res.status).toBe(400);
    const json = (await res.json()) as { error: { code: string; fields: unknown } };
    expect(json.error.code).toBe('validation.failed');
    expect(json.error.fields).toEqual([{ field: 'body', message: 'must be UTF-8 text; it holds bytes that are not (another encoding, or an encoded lone surrogate)' }]);
  });

  it('UTF-8 in every script, with a byte order mark or without, is taken as sent', async () => {
    const query = '"čaj" OR "چای" OR "चाय" OR "ચા" OR "தேநீர்"';
    for (const [name, bom] of [['utf8-plain', Buffer.alloc(0)], ['utf8-bom', Buffer.from([0xef, 0xbb, 0xbf])]] as const) {
      const res = await send(Buffer.concat([bom, Buffer.from(JSON.stringify({ name, role: 'competitor', query }))]));
      expect(res.status, await res.clone().text()).toBe(201);
      expect(await res.json()).toMatchObject({ name, query });
    }
  });
});
