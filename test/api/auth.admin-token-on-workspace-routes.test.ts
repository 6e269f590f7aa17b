import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app.js';

// The admin token (ADMIN_TOKEN) opens the admin route alone. Sent to a workspace route, it is
// refused like any token that is no API key, but the 401 says what it is and what the route takes,
// rather than calling it an API key that is not valid.

let t: TestApp;
let key: string;
beforeAll(async () => {
  t = await createTestApp();
  key = (await t.workspace('Admin token misuse')).key;
});
afterAll(async () => t.close());

const NOT_A_KEY = 'the API key is not valid, or was revoked or has expired';

describe('the admin token on a workspace route', () => {
  it.each([
    ['GET', '/v1/brands'],
    ['GET', '/v1/mentions'],
    ['POST', '/v1/sources'],
  ])('%s %s is a 401 saying it is the admin token and that the route needs a workspace API key', async (method, path) => {
    const res = await t.request(method, path, { key: ADMIN_TOKEN, ...(method === 'POST' ? { body: { type: 'rss', url: 'http://127.0.0.1:9/f.xml' } } : {}) });
    expect(res.status, res.text).toBe(401);
    expect(res.json.error.code).toBe('auth.unauthorized');
    expect(res.json.error.message).toBe(
      'this is the admin token, which only the admin route POST /v1/workspaces takes; workspace routes need a workspace API key (esk_…), as POST /v1/workspaces or POST /v1/api-keys returns',
    );
    expect(res.text).not.toContain(ADMIN_TOKEN);
  });

  it('a wrong token, one that differs from the admin token by a character, and a wrong key are still just not valid', async () => {
    for (const token of [`${ADMIN_TOKEN.slice(0, -1)}x`, `${ADMIN_TOKEN}x`, 'esk_wrong', `esk_${'A'.repeat(43)}`]) {
      const res = await t.request('GET', '/v1/brands', { key: token });
      expect(res.status, token).toBe(401);
      expect(res.json.error.message, token).toBe(NOT_A_KEY);
    }
  });

  it('the workspace key and the admin token still open their own routes', async () => {
    expect((await t.request('GET', '/v1/brands', { key })).status).toBe(200);
    expect((await t.request('POST', '/v1/workspaces', { key: ADMIN_TOKEN, body: { name: 'Second' } })).status).toBe(201);
  });

  it('without ADMIN_TOKEN set, no token is taken for it', async () => {
    const bare = await createTestApp({ config: { ADMIN_TOKEN: '' } });
    try {
      const res = await bare.request('GET', '/v1/brands', { key: ADMIN_TOKEN });
      expect(res.status).toBe(401);
      expect(res.json.error.message).toBe(NOT_A_KEY);
    } finally {
      await bare.close();
    }
  });
});
