import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { HttpError, type LookupFunction } from '../../../src/infra/http/index.js';

export type TestServer = {
  port: number;
  origin: string;
  url(path?: string): string;
  /** TCP connections accepted, counted before any HTTP parsing. */
  readonly connections: number;
  readonly requests: http.IncomingMessage[];
  close(): Promise<void>;
};

export async function startServer(
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void,
  host = '127.0.0.1',
): Promise<TestServer> {
  let connections = 0;
  const requests: http.IncomingMessage[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req);
    handler(req, res);
  });
  server.on('connection', () => connections++);
  server.listen(0, host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    port,
    origin,
    url: (path = '/') => `${origin}${path}`,
    get connections() {
      return connections;
    },
    requests,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/**
 * A resolver in dns.lookup's shape answering from a table; a function entry sees how many times
 * the name was asked before, so a test can answer differently on each call (DNS rebinding).
 */
export function fakeLookup(table: Record<string, string[] | ((call: number) => string[])>) {
  const calls: string[] = [];
  const lookup: LookupFunction = (hostname, options, callback) => {
    const entry = table[hostname];
    const call = calls.filter((name) => name === hostname).length;
    calls.push(hostname);
    const answers = typeof entry === 'function' ? entry(call) : entry;
    setImmediate(() => {
      if (!answers || answers.length === 0) {
        return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
      }
      const addresses = answers.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
  return { lookup, calls };
}

export const text = (res: http.ServerResponse, body: string, headers: Record<string, string> = {}) => {
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  res.end(body);
};

/** The HttpError a request fails with; fails the test if it succeeds or throws anything else. */
export async function httpFailure(promise: Promise<unknown>): Promise<HttpError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HttpError);
  return err as HttpError;
}
