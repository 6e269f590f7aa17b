import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { ApiEnv } from './context.js';
import { errorBody } from './errors.js';

/**
 * GET /docs: the API reference, rendered by Swagger UI from /openapi.json. Every file the page
 * loads comes from this process (swagger-ui-dist, pinned by the lockfile), so the page works on a
 * machine with no internet, and no third party's script runs beside a page where people paste
 * API keys. A Content-Security-Policy holds the page to its own origin.
 *
 * The page's URLs are relative (`docs/…`, `openapi.json`), so it also works behind a proxy that
 * serves Earshot under a path prefix.
 */

const SWAGGER_UI = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/** Swagger UI's own files the page loads, and our start-up script (inline scripts are refused by the policy). */
const ASSETS: Record<string, { type: string; read: () => Promise<Buffer> }> = {
  'swagger-ui.css': { type: 'text/css; charset=utf-8', read: () => readFile(path.join(SWAGGER_UI, 'swagger-ui.css')) },
  'swagger-ui-bundle.js': { type: 'text/javascript; charset=utf-8', read: () => readFile(path.join(SWAGGER_UI, 'swagger-ui-bundle.js')) },
  'favicon-32x32.png': { type: 'image/png', read: () => readFile(path.join(SWAGGER_UI, 'favicon-32x32.png')) },
  'start.js': {
    type: 'text/javascript; charset=utf-8',
    // validatorUrl null: Swagger UI would otherwise send the whole document to validator.swagger.io for a badge.
    read: async () =>
      Buffer.from(
        "window.addEventListener('load', function () {\n" +
          "  window.ui = SwaggerUIBundle({ url: 'openapi.json', dom_id: '#reference', deepLinking: true, validatorUrl: null, tryItOutEnabled: false });\n" +
          '});\n',
      ),
  },
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Earshot API reference</title>
<link rel="icon" type="image/png" href="docs/favicon-32x32.png">
<link rel="stylesheet" href="docs/swagger-ui.css">
</head>
<body>
<div id="reference"></div>
<noscript>The reference needs JavaScript; the document itself is <a href="openapi.json">openapi.json</a>.</noscript>
<script src="docs/swagger-ui-bundle.js"></script>
<script src="docs/start.js"></script>
</body>
</html>
`;

/** Scripts, styles and requests from this origin only; Swagger UI sets inline styles and draws some icons as data: URLs. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

interface Asset {
  type: string;
  body: Buffer;
  gzip: Buffer;
}

const gzipped = promisify(gzip);

export function registerDocs(app: OpenAPIHono<ApiEnv>) {
  // Read and compressed on first use, once per process (the bundle is ~1.8 MB, ~0.5 MB compressed).
  const loaded = new Map<string, Promise<Asset>>();
  function load(name: string): Promise<Asset> {
    let asset = loaded.get(name);
    if (!asset) {
      const { type, read } = ASSETS[name]!;
      // Compressed on libuv's pool, not on the event loop: the bundle is 1.8 MB.
      asset = read().then(async (body) => ({ type, body, gzip: await gzipped(body) }));
      asset.catch(() => loaded.delete(name));
      loaded.set(name, asset);
    }
    return asset;
  }

  app.get('/docs', (c) => {
    c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    return c.html(PAGE);
  });

  app.get('/docs/:file', async (c) => {
    const name = c.req.param('file');
    if (!Object.hasOwn(ASSETS, name)) {
      return c.json(errorBody(c, 'route.not_found', `/docs has no file ${name}; it serves ${Object.keys(ASSETS).join(', ')}`), 404);
    }
    const asset = await load(name);
    const gzip = /\bgzip\b/.test(c.req.header('accept-encoding') ?? '');
    c.header('Content-Type', asset.type);
    c.header('Cache-Control', 'public, max-age=3600');
    c.header('Vary', 'Accept-Encoding');
    if (gzip) c.header('Content-Encoding', 'gzip');
    return c.body(new Uint8Array(gzip ? asset.gzip : asset.body));
  });
}
