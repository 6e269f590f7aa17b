import type { ServerResponse } from 'node:http';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient, type HttpError } from '../../../src/infra/http/index.js';
import { fakeLookup, httpFailure, startServer, type TestServer } from './http-test-server.js';

const MiB = 1024 * 1024;
// Gzip members may be concatenated; 1024 members of 1 MiB of zeros inflate to 1 GiB from ~1 MB.
const ZEROS_MEMBER = zlib.gzipSync(Buffer.alloc(MiB), { level: 9 });
const GIB_OF_ZEROS_GZIP = Buffer.concat(Array.from({ length: 1024 }, () => ZEROS_MEMBER));
// Gzipping that again gives a few KB on the wire: Content-Encoding "gzip, gzip".
const GIB_OF_ZEROS_DOUBLE_GZIP = zlib.gzipSync(GIB_OF_ZEROS_GZIP, { level: 9 });

// An inner gzip member whose header carries a 64 MiB comment decodes to a few bytes: gzipping that
// again makes a ~65 KB body whose outer layer inflates far past the cap while the last layer stays tiny.
const TINY_FEED = Buffer.from('<rss version="2.0"><channel><title>ok</title></channel></rss>');
const COMMENT_BOMB_MEMBER = (() => {
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(zlib.crc32(TINY_FEED), 0);
  trailer.writeUInt32LE(TINY_FEED.length, 4);
  const header = Buffer.from([0x1f, 0x8b, 8, 0x10, 0, 0, 0, 0, 0, 255]); // FLG = FCOMMENT
  return Buffer.concat([header, Buffer.alloc(64 * MiB, 'a'), Buffer.from([0]), zlib.deflateRawSync(TINY_FEED), trailer]);
})();
const COMMENT_BOMB_GZIP_GZIP = zlib.gzipSync(COMMENT_BOMB_MEMBER, { level: 9 });

/** Runs `work`, then waits a moment for late stream errors: those that no listener catches end a real process. */
async function uncaughtDuring(work: () => Promise<unknown>): Promise<unknown[]> {
  const uncaught: unknown[] = [];
  const record = (err: unknown) => uncaught.push(err);
  process.on('uncaughtException', record);
  try {
    await work();
    await new Promise((resolve) => setTimeout(resolve, 100));
  } finally {
    process.off('uncaughtException', record);
  }
  return uncaught;
}

/** Writes `body` in 16 KiB pieces, honouring backpressure; returns how many bytes went out. */
function stream(res: ServerResponse, body: Buffer, sent: { bytes: number }) {
  let offset = 0;
  const pump = () => {
    while (offset < body.length && !res.destroyed) {
      const piece = body.subarray(offset, offset + 16 * 1024);
      offset += piece.length;
      sent.bytes += piece.length;
      if (!res.write(piece)) return void res.once('drain', pump);
    }
    if (!res.destroyed) res.end();
  };
  res.on('error', () => {});
  pump();
}

/** Runs `work` while sampling RSS, returning the largest growth seen. */
async function peakRssGrowth(work: () => Promise<unknown>): Promise<number> {
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  return Math.max(peak, process.memoryUsage().rss) - baseline;
}

describe('size limits after decompression', () => {
  let server: TestServer;
  const sent = { bytes: 0 };
  const client = createHttpClient({ allowPrivateNetworks: true });

  beforeAll(async () => {
    server = await startServer((req, res) => {
      if (req.url === '/bomb') {
        res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip' });
        return stream(res, GIB_OF_ZEROS_GZIP, sent);
      }
      if (req.url === '/endless-bomb') {
        res.writeHead(200, { 'content-encoding': 'gzip' });
        res.on('error', () => {});
        const pump = () => {
          while (!res.destroyed) if (!res.write(ZEROS_MEMBER)) return void res.once('drain', pump);
        };
        return pump();
      }
      if (req.url === '/double-bomb') {
        res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip, gzip' });
        return stream(res, GIB_OF_ZEROS_DOUBLE_GZIP, sent);
      }
      if (req.url === '/comment-bomb') {
        res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip, gzip' });
        return void res.end(COMMENT_BOMB_GZIP_GZIP);
      }
      // Small responses sent whole, with the headers: refused before a byte of the body is read.
      if (req.url === '/zstd') {
        res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'zstd' });
        return void res.end(Buffer.from('28b52ffd0058310000', 'hex'));
      }
      if (req.url === '/three-layers') {
        res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip, gzip, gzip' });
        return void res.end(zlib.gzipSync(zlib.gzipSync(zlib.gzipSync(TINY_FEED))));
      }
      if (req.url === '/small-declared') {
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2048' });
        return void res.end(Buffer.alloc(2048, 'a'));
      }
      if (req.url === '/big-chunked') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        return stream(res, Buffer.alloc(3 * MiB, 'a'), sent);
      }
      if (req.url === '/big-declared') {
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(3 * MiB) });
        return stream(res, Buffer.alloc(3 * MiB, 'a'), sent);
      }
      const payload = Buffer.from('<rss>'.padEnd(5000, 'é') + '</rss>');
      const encodings: Record<string, (b: Buffer) => Buffer> = {
        '/gzip': zlib.gzipSync,
        '/deflate': zlib.deflateSync,
        '/br': zlib.brotliCompressSync,
      };
      const encode = encodings[req.url ?? ''];
      res.writeHead(200, { 'content-encoding': (req.url ?? '').slice(1) });
      res.end(encode ? encode(payload) : payload);
    });
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  it.each(['/gzip', '/deflate', '/br'])('a %s body is decoded and hashed as decoded text', async (path) => {
    const response = await client.request(server.url(path));
    expect(response.body.toString()).toBe('<rss>'.padEnd(5000, 'é') + '</rss>');
    expect(response.bodyHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a gzip bomb inflating to 1 GiB stops at the 16 MiB cap, quickly and in little memory', async () => {
    sent.bytes = 0;
    const started = Date.now();
    let err: HttpError | undefined;
    const growth = await peakRssGrowth(async () => {
      err = await httpFailure(client.request(server.url('/bomb')));
    });
    const elapsed = Date.now() - started;
    expect(err?.kind).toBe('too_large');
    expect(elapsed).toBeLessThan(3000);
    expect(growth).toBeLessThan(96 * MiB);
    console.log(`gzip bomb: ${GIB_OF_ZEROS_GZIP.length} B on the wire for 1 GiB; refused after ${elapsed} ms, peak RSS growth ${(growth / MiB).toFixed(1)} MiB, server sent ${sent.bytes} B`);
  });

  it('an endless gzip stream is cut off at the cap rather than read to its end', async () => {
    const err = await httpFailure(client.request(server.url('/endless-bomb'), { maxBytes: 4 * MiB }));
    expect(err.kind).toBe('too_large');
  });

  it('a doubly gzipped bomb of a few KB is refused the same way', async () => {
    expect(GIB_OF_ZEROS_DOUBLE_GZIP.length).toBeLessThan(10 * 1024);
    const started = Date.now();
    const err = await httpFailure(client.request(server.url('/double-bomb')));
    expect(err.kind).toBe('too_large');
    expect(err.message).toContain(`larger than ${16 * MiB} bytes`);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('two layers are capped each: an outer layer inflating 64 MiB into a tiny inner one is refused', async () => {
    expect(COMMENT_BOMB_GZIP_GZIP.length).toBeLessThan(100 * 1024);
    const started = Date.now();
    const err = await httpFailure(client.request(server.url('/comment-bomb')));
    expect(err.kind).toBe('too_large');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it.each([
    ['/zstd', {}, 'network', 'unsupported content-encoding zstd'],
    ['/three-layers', {}, 'network', 'too many content-encodings (gzip, gzip, gzip)'],
    ['/small-declared', { maxBytes: 1024 }, 'too_large', 'larger than 1024 bytes'],
  ] as const)('a response refused unread after it arrived whole (%s) fails the request and nothing else', async (path, options, kind, message) => {
    let err: HttpError | undefined;
    const uncaught = await uncaughtDuring(async () => {
      err = await httpFailure(client.request(server.url(path), options));
    });
    expect(err?.kind).toBe(kind);
    expect(err?.message).toContain(message);
    expect(uncaught).toEqual([]);
  });

  it('a plain chunked body over the cap is refused, keeping the status the server answered', async () => {
    const err = await httpFailure(client.request(server.url('/big-chunked'), { maxBytes: 2 * MiB }));
    expect(err.kind).toBe('too_large');
    expect(err.status).toBe(200);
  });

  it('a declared Content-Length over the cap is refused without reading the body, keeping the status the server answered', async () => {
    const err = await httpFailure(client.request(server.url('/big-declared'), { maxBytes: 2 * MiB }));
    expect(err.kind).toBe('too_large');
    expect(err.status).toBe(200);
  });

  it('a HEAD whose Content-Length is over the cap is not refused: no body comes', async () => {
    const response = await client.request(server.url('/big-declared'), { method: 'HEAD', maxBytes: 2 * MiB });
    expect(response.status).toBe(200);
    expect(response.body.length).toBe(0);
  });

  it('a body exactly at the cap is accepted', async () => {
    const response = await client.request(server.url('/big-chunked'), { maxBytes: 3 * MiB });
    expect(response.body.length).toBe(3 * MiB);
  });
});

describe('timeouts', () => {
  let drip: TestServer;
  const timers: NodeJS.Timeout[] = [];
  beforeAll(async () => {
    drip = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.on('error', () => {});
      // One byte every 200 ms: each byte would reset a body-idle timeout, so only a deadline ends it.
      const timer = setInterval(() => res.write('x'), 200);
      timers.push(timer);
      res.on('close', () => clearInterval(timer));
    });
  });
  afterAll(async () => {
    timers.forEach(clearInterval);
    await drip.close();
  });

  it('a server dripping one byte at a time is cut off at the total timeout', async () => {
    const client = createHttpClient({ allowPrivateNetworks: true, totalTimeoutMs: 1000 });
    const started = Date.now();
    try {
      const err = await httpFailure(client.request(drip.url('/')));
      const elapsed = Date.now() - started;
      expect(err.kind).toBe('timeout');
      expect(err.message).toMatch(/longer than 1000 ms/);
      // It answered; only its body never ended.
      expect(err.status).toBe(200);
      expect(elapsed).toBeGreaterThanOrEqual(950);
      expect(elapsed).toBeLessThan(2500);
    } finally {
      await client.close();
    }
  });

  it('a connection that cannot be established in time fails with timeout', async () => {
    // A resolver that never answers holds the socket in its connecting phase.
    const lookup = () => {};
    const client = createHttpClient({ allowPrivateNetworks: false, connectTimeoutMs: 300, lookup });
    const started = Date.now();
    try {
      const err = await httpFailure(client.request('http://stuck.example.com/'));
      expect(err.kind).toBe('timeout');
      expect(err.message).toMatch(/connecting .* longer than 300 ms/);
      expect(err.status).toBeNull();
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await client.close();
    }
  });

  it("the caller's signal aborts the request with the caller's reason", async () => {
    const client = createHttpClient({ allowPrivateNetworks: true });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('shutting down')), 100);
    try {
      await expect(client.request(drip.url('/'), { signal: controller.signal })).rejects.toThrow('shutting down');
    } finally {
      await client.close();
    }
  });

  it('https to a server speaking plain http is a network error on one line, without OpenSSL\'s dump', async () => {
    const client = createHttpClient({ allowPrivateNetworks: true });
    try {
      const err = await httpFailure(client.request(`https://127.0.0.1:${drip.port}/`));
      expect(err.kind).toBe('network');
      expect(err.message).toBe(
        `request to https://127.0.0.1:${drip.port} failed: ERR_SSL_WRONG_VERSION_NUMBER TLS handshake failed: wrong version number (the server does not seem to speak https)`,
      );
    } finally {
      await client.close();
    }
  });

  it('an unresolvable host is a network error', async () => {
    const client = createHttpClient({ allowPrivateNetworks: false, lookup: fakeLookup({}).lookup });
    try {
      const err = await httpFailure(client.request('http://gone.example.com/'));
      expect(err.kind).toBe('network');
      expect(err.message).toMatch(/ENOTFOUND/);
    } finally {
      await client.close();
    }
  });
});
