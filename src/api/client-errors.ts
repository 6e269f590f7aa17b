import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';

/** What Node's HTTP parser refused, as the status and sentence a client can act on. */
function describe(err: NodeJS.ErrnoException): { status: number; reason: string; code: string; message: string } {
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        reason: 'Request Header Fields Too Large',
        code: 'http.headers_too_large',
        message: 'the request line and headers are too large (16 KB in all, the query string included)',
      };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, reason: 'Request Timeout', code: 'http.request_timeout', message: 'the request was not received in time' };
    case 'HPE_INVALID_METHOD':
      return { status: 400, reason: 'Bad Request', code: 'http.bad_request', message: 'the request method is not one HTTP defines (GET, POST, PATCH, DELETE…)' };
    case 'HPE_INVALID_URL':
    case 'HPE_INVALID_CONSTANT':
    case 'HPE_INVALID_VERSION':
      return {
        status: 400,
        reason: 'Bad Request',
        code: 'http.bad_request',
        message:
          'the request line is not valid HTTP; characters outside ASCII in a URL (Devanagari, Persian, Czech…) must be percent-encoded, ' +
          "as curl -G --data-urlencode 'q=…' or encodeURIComponent do",
      };
    default:
      return { status: 400, reason: 'Bad Request', code: 'http.bad_request', message: `the request is not valid HTTP (${err.code ?? err.message})` };
  }
}

/**
 * The HTTP server's 'clientError' listener: a request Node's parser refuses never reaches the
 * app, and Node's own answer is an empty 400. This answers with the API's error envelope instead,
 * then closes the connection (the parser cannot find where the next request would start).
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  // A connection the client reset, or one already answered: nothing to say.
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const { status, reason, code, message } = describe(err);
  const requestId = randomUUID();
  const body = JSON.stringify({ error: { code, message, requestId } });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Request-Id: ${requestId}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}
