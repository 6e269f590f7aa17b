import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/runtime.js';
import { startApiRole } from '../support/app.js';

/*
 * Requests Node's HTTP parser refuses never reach the app; they still get the API's error envelope.
 * The most common one here: a URL pasted with Devanagari or Persian in it, unencoded.
 */
let running: Running;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ running, stop } = await startApiRole());
});
afterAll(async () => stop?.());

/** Sends raw bytes and reads the whole answer (the server closes the connection). */
function exchange(raw: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(running.port!, '127.0.0.1', () => socket.end(raw));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

const parse = (answer: string) => {
  const [head, body] = answer.split('\r\n\r\n') as [string, string];
  return { status: Number(head.split(' ')[1]), head, json: JSON.parse(body) as { error: { code: string; message: string; requestId: string } } };
};

describe('requests the HTTP parser refuses', () => {
  it('a method HTTP does not define gets a 400 saying so, not a hint about non-ASCII URLs', async () => {
    const answer = parse(await exchange(Buffer.from('FOO /healthz HTTP/1.1\r\nHost: x\r\n\r\n', 'utf8')));
    expect(answer.status).toBe(400);
    expect(answer.json.error.message).toContain('method');
    expect(answer.json.error.message).not.toContain('percent-encoded');
  });

  it('a URL with unencoded Devanagari gets a 400 envelope saying to percent-encode it', async () => {
    const answer = parse(await exchange(Buffer.from('GET /v1/mentions?q=बीनब्रोस HTTP/1.1\r\nHost: x\r\n\r\n', 'utf8')));
    expect(answer.status).toBe(400);
    expect(answer.head).toMatch(/content-type: application\/json/i);
    expect(answer.json.error).toMatchObject({ code: 'http.bad_request', message: expect.stringContaining('percent-encoded'), requestId: expect.any(String) });
    expect(answer.head.toLowerCase()).toContain(`x-request-id: ${answer.json.error.requestId}`);
  });

  it('headers too large get 431 with the envelope; garbage gets 400', async () => {
    const big = parse(await exchange(Buffer.from(`GET /v1/brands HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`)));
    expect(big.status).toBe(431);
    expect(big.json.error.code).toBe('http.headers_too_large');
    const garbage = parse(await exchange(Buffer.from('\x16\x03\x01 not http at all\r\n\r\n', 'latin1')));
    expect(garbage.status).toBe(400);
    expect(garbage.json.error.code).toBe('http.bad_request');
  });

  it('the same URL percent-encoded reaches the API', async () => {
    const answer = await exchange(Buffer.from(`GET /v1/mentions?q=${encodeURIComponent('बीनब्रोस')} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
    expect(parse(answer).status).toBe(401);
  });
});
