import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { launchChromium, noBrowser } from '../support/browser.js';
import { mention, seed } from '../support/seed.js';

// A digest's Markdown, HTML and text renderings are served from the API's origin: a
// Content-Security-Policy keeps anything an escaping bug might let through from loading or
// running there. The HTML's chart is inline SVG, which the policy must still let render.

const POLICY = "default-src 'none'; img-src data: cid:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

let t: TestApp;
let key: string;
let digestId: string;
let browser: Browser | undefined;
let server: ServerType | undefined;

beforeAll(async () => {
  t = await createTestApp();
  const w = await t.workspace('Čajovna <b>चाय</b>');
  key = w.key;
  const brand = (await t.request('POST', '/v1/brands', { key, body: { name: 'Acme <img src=x onerror=alert(1)>', role: 'own', query: 'acme' } })).json.id as string;
  const source = (await t.request('POST', '/v1/sources', { key, body: { type: 'rss', url: 'http://127.0.0.1:9/feed.xml' } })).json.id as string;
  await seed(t.deps, {
    workspaceId: w.id,
    sourceId: source,
    mentions: ['2026-12-01T10:00:00Z', '2026-12-02T10:00:00Z', '2026-12-03T10:00:00Z', '2026-12-03T11:00:00Z'].map((at, i) =>
      mention({ at, brands: [brand], label: i % 2 ? 'negative' : 'positive', text: `acme <script>alert(${i})</script> ચા` }),
    ),
  });
  const made = await t.request('POST', '/v1/digests', { key, body: { since: '2026-11-30T00:00:00Z', until: '2026-12-07T00:00:00Z', deliver: false } });
  expect(made.status, made.text).toBe(201);
  digestId = made.json.id;
});
afterAll(async () => {
  await browser?.close();
  if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
  await t.close();
});

describe('GET /v1/digests/:id renderings', () => {
  it.each([
    ['html', 'text/html'],
    ['markdown', 'text/markdown'],
    ['text', 'text/plain'],
  ])('format=%s is served with the Content-Security-Policy and nosniff', async (format, type) => {
    const res = await t.request('GET', `/v1/digests/${digestId}?format=${format}`, { key });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain(type);
    expect(res.headers.get('content-security-policy')).toBe(POLICY);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('chosen by Accept, the HTML carries the policy too', async () => {
    const res = await t.request('GET', `/v1/digests/${digestId}`, { key, headers: { accept: 'text/html' } });
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toBe(POLICY);
  });

  it('the OpenAPI document says so', async () => {
    const doc = (await t.request('GET', '/openapi.json')).json;
    expect(doc.paths['/v1/digests/{id}'].get.responses['200'].headers['Content-Security-Policy'].description).toContain(POLICY);
  });
});

describe.skipIf(noBrowser)('the HTML digest in a browser, under its policy', () => {
  it('draws its SVG chart and tables with their inline styles, and the policy refuses nothing', async () => {
    server = serve({ hostname: '127.0.0.1', port: 0, fetch: (req: Request) => t.app.fetch(req) });
    await new Promise<void>((resolve) => server!.once('listening', () => resolve()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    const page = await browser.newPage({ extraHTTPHeaders: { authorization: `Bearer ${key}` } });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    const response = await page.goto(`${base}/v1/digests/${digestId}?format=html`);
    expect(response?.headers()['content-security-policy']).toBe(POLICY);

    const chart = page.locator('svg[role="img"]');
    const box = await chart.boundingBox();
    expect(box?.width).toBeGreaterThan(100);
    expect(box?.height).toBeGreaterThan(50);
    expect(await chart.locator('polyline').count()).toBeGreaterThan(0);
    // The inline styles apply: the page's background is the digest's grey, not the default white.
    expect(await page.evaluate('getComputedStyle(document.body).backgroundColor')).toBe('rgb(244, 245, 247)');
    expect(await page.locator('h1').innerText()).toContain('Čajovna <b>चाय</b>');
    expect(problems).toEqual([]);
    await page.close();
  });
});
