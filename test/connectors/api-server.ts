import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, it } from 'vitest';
import type { Connector, JsonValue, PollResult } from '../../src/connectors/connector.types.js';
import { SourceFetchError } from '../../src/connectors/connector.types.js';
import { createHttpClient, HttpError, type HttpClient } from '../../src/infra/http/index.js';
import { parseFeedBody } from '../../src/domain/mentions/compute.js';

/** What a test API server received: enough to assert query parameters, auth headers and bodies. */
export interface Received {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** A string or Buffer is sent as is; anything else as JSON. */
  body?: unknown;
}

export interface ApiServer {
  origin: string;
  received: Received[];
  /** Requests whose path ends with `suffix`. */
  to(suffix: string): Received[];
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 answering every request with `route`. */
export async function startApi(route: (req: Received) => Reply | Promise<Reply>): Promise<ApiServer> {
  const received: Received[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const request: Received = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
    received.push(request);
    try {
      const reply = await route(request);
      const raw = typeof reply.body === 'string' || Buffer.isBuffer(reply.body);
      const body = reply.body === undefined ? '' : raw ? (reply.body as string | Buffer) : JSON.stringify(reply.body);
      res.writeHead(reply.status ?? 200, { 'content-type': raw ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8', ...reply.headers });
      res.end(body);
    } catch (err) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(err));
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    received,
    to: (suffix) => received.filter((r) => r.path.endsWith(suffix)),
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

export function fixture(path: string): string {
  return readFileSync(new URL(`../fixtures/connectors/${path}`, import.meta.url), 'utf8');
}

export function fixtureJson<T = any>(path: string): T {
  return JSON.parse(fixture(path)) as T;
}

export const NOW = new Date('2026-11-22T12:00:00Z');

export function testHttp(options: { maxBytes?: number } = {}): HttpClient {
  return createHttpClient({ allowPrivateNetworks: true, ...options });
}

/**
 * One poll as the scheduler makes it. The state goes through JSON as it does through Postgres,
 * and every poll gets a new HTTP client, so nothing survives between polls but the state.
 */
export async function pollOnce<C>(
  connector: Connector<C>,
  input: { config: unknown; state?: JsonValue | null; credentials?: Record<string, string> | null; now?: Date; http?: HttpClient },
): Promise<PollResult> {
  const http = input.http ?? testHttp();
  try {
    return await connector.poll({
      config: connector.config.parse(input.config),
      credentials: input.credentials ?? null,
      state: input.state === undefined || input.state === null ? null : (JSON.parse(JSON.stringify(input.state)) as JsonValue),
      http,
      parseFeed: parseFeedBody,
      now: input.now ?? NOW,
    });
  } finally {
    if (!input.http) await http.close();
  }
}

/**
 * Polls as the scheduler would until a poll finds nothing new (at most `maxPolls`), and returns
 * the item keys of all of them in order: what a source stores over that time.
 */
export async function pollUntilQuiet<C>(
  connector: Connector<C>,
  input: { config: unknown; state: JsonValue | null; now?: Date; maxPolls?: number },
): Promise<{ keys: string[]; polls: number; state: JsonValue | null }> {
  const keys: string[] = [];
  let state = input.state;
  for (let polls = 1; polls <= (input.maxPolls ?? 10); polls++) {
    const result = await pollOnce(connector, { config: input.config, state, ...(input.now ? { now: input.now } : {}) });
    state = result.state;
    if (result.items.length === 0) return { keys, polls, state };
    keys.push(...result.items.map((i) => i.itemKey));
  }
  throw new Error(`still finding new items after ${input.maxPolls ?? 10} polls`);
}

/** The SourceFetchError (or HttpError) a poll fails with; fails the test if it does not fail. */
export async function pollFailure(promise: Promise<unknown>): Promise<Error> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  return err as Error;
}

/**
 * What every API connector must do with a bad answer: 429 with Retry-After, a 5xx, malformed
 * JSON, and a body past the client's byte cap. `config` gets the failing server's origin.
 */
export function itHandlesUpstreamFailures<C>(connector: Connector<C>, config: (origin: string) => unknown, credentials: Record<string, string> | null = null) {
  /** `basePath` is appended to the server's origin to make the source's `baseUrl`. */
  async function failWith(reply: Reply, http?: HttpClient, basePath = '') {
    const api = await startApi((req) => (/access_token|createSession/.test(req.path) ? tokenReply(req) : reply));
    try {
      const err = await pollFailure(pollOnce(connector, { config: config(`${api.origin}${basePath}`), credentials, ...(http ? { http } : {}) }));
      return { err, api };
    } finally {
      await api.close();
    }
  }

  it('when the API answers 429 with Retry-After, the poll fails with the delay to wait', async () => {
    const { err } = await failWith({ status: 429, headers: { 'retry-after': '120' }, body: { error: 'RateLimitExceeded' } });
    expect(err).toBeInstanceOf(SourceFetchError);
    expect((err as SourceFetchError).details).toMatchObject({ status: 429, retryAfterMs: 120_000 });
    expect((err as SourceFetchError).details.permanent).toBeFalsy();
  });

  it('when the API answers 503 with an HTTP-date Retry-After, the delay is measured from now', async () => {
    const { err } = await failWith({ status: 503, headers: { 'retry-after': new Date(NOW.getTime() + 90_000).toUTCString() }, body: 'maintenance' });
    expect((err as SourceFetchError).details).toMatchObject({ status: 503, retryAfterMs: 90_000 });
  });

  it('when the API answers 502, the poll fails for the scheduler to back off, not for good', async () => {
    const { err, api } = await failWith({ status: 502, body: '<html>Bad Gateway</html>' });
    expect(err).toBeInstanceOf(SourceFetchError);
    expect(err.message).toContain('HTTP 502');
    // The error page's words, not its markup, after the path that answered.
    expect(err.message).toBe(`HTTP 502 from ${api.origin}${firstAsked(api).path}: Bad Gateway`);
    expect((err as SourceFetchError).details.status).toBe(502);
    expect((err as SourceFetchError).details.permanent).toBeFalsy();
    expect((err as SourceFetchError).details.retryAfterMs ?? null).toBeNull();
  });

  it('when a baseUrl names a path the API is not under, the 404 names the path it asked, without the query', async () => {
    // A mirror serving the API under /mirror/api, given as /mirror: the path the connector appends
    // lands beside the API, and only the path in the error shows it.
    const { err, api } = await failWith({ status: 404, body: 'not found' }, undefined, '/mirror');
    const asked = firstAsked(api);
    expect(asked.path).toMatch(/^\/mirror\/./);
    expect(asked.query.size).toBeGreaterThan(0);
    expect(err.message).toBe(`HTTP 404 from ${api.origin}${asked.path}: not found`);
    expect((err as SourceFetchError).details).toMatchObject({ status: 404 });
  });

  it('when the API answers 200 with malformed JSON, the poll fails with a clear message', async () => {
    const { err, api } = await failWith({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"hits": [{"objectID": "1", "title": "cut off' });
    expect(err).toBeInstanceOf(SourceFetchError);
    expect(err.message).toMatch(/malformed JSON/);
    // Where it came from, as a web site's page given to a wrong baseUrl would be.
    expect(err.message).toContain(`answered HTTP 200 from ${api.origin}${firstAsked(api).path} with malformed JSON`);
    expect((err as SourceFetchError).details.status).toBe(200);
  });

  it('when the API answers 200 with JSON of another shape, the poll fails saying so', async () => {
    const { err } = await failWith({ status: 200, body: { unexpected: true } });
    expect(err).toBeInstanceOf(SourceFetchError);
    expect(err.message).toMatch(/unexpected shape/);
  });

  it('when the answer is larger than the client allows, the poll fails without reading it all', async () => {
    const http = testHttp({ maxBytes: 4096 });
    try {
      const { err } = await failWith({ status: 200, body: { padding: 'x'.repeat(64 * 1024) } }, http);
      expect(err).toBeInstanceOf(HttpError);
      expect((err as HttpError).kind).toBe('too_large');
    } finally {
      await http.close();
    }
  });
}

/** The first request that was not for a token or a session: the one whose failure a poll reports. */
function firstAsked(api: ApiServer): Received {
  return api.received.find((r) => !/access_token|createSession/.test(r.path))!;
}

function tokenReply(req: Received): Reply {
  if (req.path.endsWith('createSession')) return { body: fixtureJson('bluesky/createSession.json') };
  return { body: fixtureJson('reddit/access_token.json') };
}
