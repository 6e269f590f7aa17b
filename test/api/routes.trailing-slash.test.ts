import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app.js';

// The app routes strictly: `/v1/brands/` is not `/v1/brands`. It used to be a 405 saying the path
// "does not take POST; it takes GET, HEAD, POST".

let t: TestApp;
let key: string;
beforeAll(async () => {
  t = await createTestApp();
  key = (await t.workspace('Slash')).key;
});
afterAll(async () => t.close());

describe('a path with a trailing slash', () => {
  it.each([
    ['POST', '/v1/brands/'],
    ['GET', '/v1/brands/'],
    ['GET', '/v1/brands/some-id/'],
    ['PATCH', '/v1/workspace/'],
    ['POST', '/v1/digests/'],
  ])('%s %s is a 404 naming the path, with no Allow header', async (method, path) => {
    const res = await t.request(method, path, { key, ...(method === 'GET' ? {} : { body: {} }) });
    expect(res.status, res.text).toBe(404);
    expect(res.json.error).toMatchObject({ code: 'route.not_found', message: `no route for ${method} ${path}` });
    expect(res.headers.get('allow')).toBeNull();
  });

  it("the admin route's path with a slash is not the admin route: nothing is created there, whatever the token", async () => {
    for (const token of [ADMIN_TOKEN, key, undefined]) {
      const res = await t.request('POST', '/v1/workspaces/', { ...(token ? { key: token } : {}), body: { name: 'x' } });
      expect(res.status, res.text).toBe(404);
      expect(res.json.error.code).toBe('route.not_found');
    }
  });

  it('without the slash, a wrong method is still a 405 with the methods the route takes', async () => {
    const res = await t.request('PUT', '/v1/brands', { key, body: {} });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD, POST');
    expect(res.json.error.message).toBe('/v1/brands does not take PUT; it takes GET, HEAD, POST');
  });
});

// README: "a path no route has is a 404". Without a key it used to be a 401, as if the path were
// there behind the key.
describe('a path no route has', () => {
  it.each([
    ['GET', '/v1/nothing'],
    ['GET', '/v1/brands/'],
    ['POST', '/v1/brands/some-id/nothing'],
    ['DELETE', '/v1/'],
  ])('%s %s is a 404 without a key, with a wrong one, and with a good one', async (method, path) => {
    for (const token of [undefined, 'esk_not-a-key', key]) {
      const res = await t.request(method, path, token ? { key: token } : {});
      expect(res.status, `${token}: ${res.text}`).toBe(404);
      expect(res.json.error).toMatchObject({ code: 'route.not_found', message: `no route for ${method} ${path}` });
      expect(res.headers.get('www-authenticate')).toBeNull();
    }
  });

  it('a route that is there still asks for its key first, whatever the method', async () => {
    for (const [method, path] of [
      ['GET', '/v1/brands'],
      ['GET', '/v1/brands/some-id'],
      ['PUT', '/v1/brands'],
      ['GET', '/v1/mentions/export.csv'],
      ['POST', '/v1/workspaces'],
    ] as const) {
      const res = await t.request(method, path, {});
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.json.error.code).toBe('auth.unauthorized');
    }
  });
});
