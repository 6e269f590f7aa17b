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

  it("the admin route's path with a slash is not the admin route: the admin token is not taken there, a workspace key gets a 404", async () => {
    expect((await t.request('POST', '/v1/workspaces/', { key: ADMIN_TOKEN, body: { name: 'x' } })).status).toBe(401);
    const res = await t.request('POST', '/v1/workspaces/', { key, body: { name: 'x' } });
    expect(res.status, res.text).toBe(404);
    expect(res.json.error.code).toBe('route.not_found');
  });

  it('without the slash, a wrong method is still a 405 with the methods the route takes', async () => {
    const res = await t.request('PUT', '/v1/brands', { key, body: {} });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD, POST');
    expect(res.json.error.message).toBe('/v1/brands does not take PUT; it takes GET, HEAD, POST');
  });
});
