import { createHash } from 'node:crypto';
import { pipeline, Transform, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import { HttpError } from './http.errors.js';
import { originOf } from './redact.js';

export const ACCEPT_ENCODING = 'gzip, deflate, br';
const MAX_ENCODING_LAYERS = 2;

/**
 * Drops a response body unread. undici's body emits an abort error when destroyed after the whole
 * response arrived; with no listener that error would end the process.
 */
function discard(body: Readable): void {
  body.on('error', () => {});
  body.destroy();
}

/** Passes bytes through until more than maxBytes went by: every decoding layer is capped, not only the last. */
function capped(maxBytes: number, url: URL): Transform {
  let size = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      done(size > maxBytes ? tooLarge(url, maxBytes) : null, chunk);
    },
  });
}

function decoderFor(encoding: string, url: URL): Transform {
  switch (encoding) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      return zlib.createInflate();
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      throw new HttpError('network', `unsupported content-encoding ${encoding}`, url);
  }
}

/** Content-Encoding lists codings in the order applied; decoding runs them backwards. */
function decodersFor(contentEncoding: string | null, url: URL): Transform[] {
  const codings = (contentEncoding ?? '')
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
  if (codings.length > MAX_ENCODING_LAYERS) {
    throw new HttpError('network', `too many content-encodings (${codings.join(', ')})`, url);
  }
  return codings.reverse().map((coding) => decoderFor(coding, url));
}

export const sha256Hex = (data: Buffer) => createHash('sha256').update(data).digest('hex');

export const tooLarge = (url: URL, maxBytes: number) =>
  new HttpError('too_large', `response body from ${originOf(url)} is larger than ${maxBytes} bytes`, url);

/**
 * Reads a response body, decompressing it as it arrives and counting the decompressed bytes, so
 * a small compressed bomb is cut off after maxBytes with only maxBytes held in memory.
 */
export async function readCappedBody({
  body,
  contentEncoding,
  contentLength,
  maxBytes,
  url,
  truncate = false,
}: {
  body: Readable;
  contentEncoding: string | null;
  contentLength: number | null;
  maxBytes: number;
  url: URL;
  /** Keep the first maxBytes and drop the rest instead of failing (a webhook receiver's answer). */
  truncate?: boolean;
}): Promise<{ body: Buffer; bodyHash: string }> {
  let decoders: Transform[];
  try {
    decoders = decodersFor(contentEncoding, url);
  } catch (err) {
    discard(body);
    throw err;
  }
  if (!truncate && decoders.length === 0 && contentLength !== null && contentLength > maxBytes) {
    discard(body);
    throw tooLarge(url, maxBytes);
  }
  let decodeFailure: unknown = null;
  for (const decoder of decoders) decoder.once('error', (err) => (decodeFailure ??= err));
  // An outer layer can inflate far past the cap into an inner one that outputs almost nothing.
  const layers = decoders.flatMap((decoder, i) => (i < decoders.length - 1 ? [decoder, capped(maxBytes, url)] : [decoder]));
  const decoded: Readable = decoders.length === 0 ? body : (pipeline([body, ...layers], () => {}) as unknown as Readable);
  const hash = createHash('sha256');
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of decoded as AsyncIterable<Buffer>) {
      if (truncate && size + chunk.length > maxBytes) {
        const kept = chunk.subarray(0, maxBytes - size);
        size += kept.length;
        hash.update(kept);
        chunks.push(kept);
        discard(body);
        break;
      }
      size += chunk.length;
      if (size > maxBytes) throw tooLarge(url, maxBytes);
      hash.update(chunk);
      chunks.push(chunk);
    }
  } catch (err) {
    discard(body);
    // An inner decoding layer past the cap: what was decoded so far is the truncated answer.
    if (truncate && err instanceof HttpError && err.kind === 'too_large') return { body: Buffer.concat(chunks, size), bodyHash: hash.digest('hex') };
    if (err instanceof HttpError) throw err;
    if (err === decodeFailure) {
      throw new HttpError('network', `could not decode the ${contentEncoding} body: ${(err as Error).message}`, url, { cause: err });
    }
    throw err;
  }
  return { body: Buffer.concat(chunks, size), bodyHash: hash.digest('hex') };
}
