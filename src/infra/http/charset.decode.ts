import { isUtf8 } from 'node:buffer';

const BOMS: Array<{ bytes: number[]; encoding: string }> = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be' },
];

// The HTML prescan and XML both put the declaration near the start; 1 KiB is the HTML limit.
const PRESCAN_BYTES = 1024;
const XML_PROLOG = /^\s*<\?xml[^>]*?\bencoding\s*=\s*["']\s*([A-Za-z0-9._:-]+)\s*["']/;
const HTML_META = /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)/i;
const HEADER_CHARSET = /;\s*charset\s*=\s*"?\s*([^";\s]+)/i;

/** The WHATWG name for a charset label, or null when TextDecoder does not know it. */
function encodingFor(label: string | null | undefined): string | null {
  if (!label) return null;
  try {
    return new TextDecoder(label.trim()).encoding;
  } catch {
    return null;
  }
}

function bomEncoding(body: Buffer): string | null {
  const bom = BOMS.find(({ bytes }) => bytes.every((byte, i) => body[i] === byte));
  return bom?.encoding ?? null;
}

/**
 * UTF-16 without a BOM still starts with an ASCII character ('<', a space) beside a zero byte;
 * which side the zero is on gives the byte order. Null for bytes that are not UTF-16.
 */
function utf16ByteOrder(body: Buffer): 'utf-16le' | 'utf-16be' | null {
  if (body.length < 2 || (body[0] === 0) === (body[1] === 0)) return null;
  return body[0] === 0 ? 'utf-16be' : 'utf-16le';
}

function documentEncoding(body: Buffer): string | null {
  const utf16 = utf16ByteOrder(body);
  if (utf16) return utf16;
  const head = body.subarray(0, PRESCAN_BYTES).toString('latin1');
  return encodingFor(XML_PROLOG.exec(head)?.[1]) ?? encodingFor(HTML_META.exec(head)?.[1]);
}

const hasNonAscii = (body: Buffer) => body.some((byte) => byte >= 0x80);
const decode = (body: Buffer, encoding: string) => new TextDecoder(encoding).decode(body);

/** A fetched document's text, and whether it had to be read with replacement characters. */
export interface DecodedDocument {
  text: string;
  /**
   * The bytes were read as UTF-8, which they are not, and nothing declared what else they are:
   * each invalid sequence became U+FFFD, and the text those bytes held is lost.
   */
  invalidUtf8: boolean;
}

const readAs = (body: Buffer, encoding: string): DecodedDocument => ({ text: decode(body, encoding), invalidUtf8: false });

/**
 * Decodes a fetched document: BOM, then the Content-Type charset, then the XML prolog or HTML
 * meta. Bytes that are valid UTF-8 with non-ASCII text stay UTF-8 whatever the declaration says,
 * because feeds that re-encode to UTF-8 and keep an old prolog are far more common than
 * single-byte text that happens to be valid UTF-8. The reverse lie is read the other way: bytes
 * labelled UTF-8 by the server that are not UTF-8 are read as the document's own declaration says,
 * because servers add `charset=utf-8` to whatever they serve.
 */
export function decodeDocument(body: Buffer, contentType: string | null): DecodedDocument {
  const bom = bomEncoding(body);
  if (bom) return readAs(body, bom);
  const header = encodingFor(contentType ? HEADER_CHARSET.exec(contentType)?.[1] : null);
  let declared = header ?? documentEncoding(body);
  if (declared === 'utf-16le' || declared === 'utf-16be') {
    // The bytes decide: .NET writers label UTF-8 output "utf-16", and a label alone cannot say
    // the byte order. A UTF-16 label on 8-bit bytes is read as no label at all.
    const order = utf16ByteOrder(body);
    if (order) return readAs(body, order);
    declared = null;
  }
  const validUtf8 = isUtf8(body);
  if (declared && declared !== 'utf-8') {
    return readAs(body, validUtf8 && hasNonAscii(body) ? 'utf-8' : declared);
  }
  if (validUtf8) return readAs(body, 'utf-8');
  if (declared === 'utf-8') {
    const own = header === 'utf-8' ? documentEncoding(body) : null;
    // A UTF-16 label on 8-bit bytes says nothing, as above (UTF-16 bytes are read by their order).
    const readable = own !== null && own !== 'utf-8' && (!own.startsWith('utf-16') || utf16ByteOrder(body) !== null);
    if (readable) return readAs(body, own);
    return { text: decode(body, 'utf-8'), invalidUtf8: true };
  }
  // Undeclared and not UTF-8: the web's historical default.
  return readAs(body, 'windows-1252');
}

/** decodeDocument's text alone. */
export function decodeText(body: Buffer, contentType: string | null): string {
  return decodeDocument(body, contentType).text;
}
