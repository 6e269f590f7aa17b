import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { launchChromium, noBrowser } from '../support/browser.js';

// GET /docs in a real browser (Debian's chromium): the reference renders every operation of
// /openapi.json from files this process serves, with no request leaving the machine.


let t: TestApp;
let browser: Browser | undefined;
const servers: ServerType[] = [];

/** A real HTTP server in front of the app; with a prefix, as a proxy serving Earshot under a path would. */
async function listen(prefix = ''): Promise<string> {
  const server = serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch: (req: Request) => {
      const url = new URL(req.url);
      if (!url.pathname.startsWith(`${prefix}/`)) return new Response('outside the prefix', { status: 404 });
      url.pathname = url.pathname.slice(prefix.length);
      return t.app.fetch(new Request(url, { headers: req.headers, signal: req.signal }));
    },
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}${prefix}`;
}

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await browser?.close();
  for (const server of servers) await new Promise<void>((resolve) => server.close(() => resolve()));
  await t.close();
});

describe('/docs files', () => {
  it('serves the bundle compressed when asked, and names the files it has for an unknown one', async () => {
    const base = await listen();
    const gz = await fetch(`${base}/docs/swagger-ui-bundle.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.status).toBe(200);
    expect(gz.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    // fetch decodes gzip itself; the raw length is checked through a request that refuses it.
    const plain = await t.app.request('/docs/swagger-ui-bundle.js');
    const zipped = await t.app.request('/docs/swagger-ui-bundle.js', { headers: { 'accept-encoding': 'gzip, deflate' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(plain.headers.get('content-encoding')).toBeNull();
    const body = Buffer.from(await plain.arrayBuffer());
    const compressed = Buffer.from(await zipped.arrayBuffer());
    expect(compressed.length).toBeLessThan(body.length / 2);
    expect(gunzipSync(compressed).equals(body)).toBe(true);
    expect(await gz.text()).toBe(body.toString('utf8'));

    const missing = await t.request('GET', '/docs/index.html');
    expect(missing.status).toBe(404);
    expect(missing.json.error.message).toBe('/docs has no file index.html; it serves swagger-ui.css, swagger-ui-bundle.js, favicon-32x32.png, start.js');
    const page = await t.request('GET', '/docs');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  });
});

describe.skipIf(noBrowser)('/docs in a browser', () => {
  beforeAll(async () => {
    browser = await launchChromium();
  });

  async function render(base: string) {
    const page = await browser!.newPage();
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${base}/docs`);
    // Every operation of the paths and of the webhooks Earshot sends is one block on the page.
    const doc = (await t.request('GET', '/openapi.json')).json as { paths: Record<string, object>; webhooks: Record<string, object> };
    const operations = [...Object.values(doc.paths), ...Object.values(doc.webhooks)].reduce((n, ops) => n + Object.keys(ops).filter((m) => m !== 'parameters').length, 0);
    await page.locator('.opblock').nth(operations - 1).waitFor({ timeout: 20_000 });
    const rendered = await page.locator('.opblock').count();
    const paths = await page.locator('.opblock-summary-path').allInnerTexts();
    await page.close();
    return { requests, problems, rendered, operations, paths: paths.map((p) => p.replace(/\u200b/g, '').trim()) };
  }

  it('renders every operation of /openapi.json, with nothing fetched from elsewhere and no errors', async () => {
    const base = await listen();
    const { requests, problems, rendered, operations, paths } = await render(base);
    expect(rendered).toBe(operations);
    expect(paths).toContain('/v1/mentions/live');
    expect(paths).toContain('/v1/swot');
    expect(problems).toEqual([]);
    expect(requests.filter((u) => !u.startsWith(`${base}/`))).toEqual([]);
    expect(requests).toContain(`${base}/openapi.json`);
  });

  it('renders behind a proxy that serves Earshot under a path prefix', async () => {
    const base = await listen('/tools/earshot');
    const { requests, problems, rendered, operations } = await render(base);
    expect(rendered).toBe(operations);
    expect(problems).toEqual([]);
    expect(requests).toContain(`${base}/openapi.json`);
    expect(requests.filter((u) => !u.startsWith(`${base}/`))).toEqual([]);
  });
});
