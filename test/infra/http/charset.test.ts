import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient, decodeText } from '../../../src/infra/http/index.js';
import { startServer, type TestServer } from './http-test-server.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/http/${name}`, import.meta.url));
const titleOf = (text: string) => /<title>(.*)<\/title>/.exec(text)?.[1];

const CZECH = 'Příliš žluťoučký kůň úpěl ďábelské ódy';
const RUSSIAN = 'Съешь же ещё этих мягких французских булок';

describe('decodeText', () => {
  it('honours a windows-1250 XML prolog (Czech)', () => {
    const body = fixture('czech-windows-1250.xml');
    expect(titleOf(decodeText(body, 'application/rss+xml'))).toBe(CZECH);
    // The same bytes read as UTF-8 would be mojibake: the prolog is what makes this pass.
    expect(titleOf(body.toString('utf8'))).not.toBe(CZECH);
  });

  it('keeps valid UTF-8 when the prolog claims ISO-8859-1', () => {
    expect(titleOf(decodeText(fixture('czech-utf8-prolog-lies.xml'), 'text/xml'))).toBe(CZECH);
  });

  it('keeps valid UTF-8 when the Content-Type charset claims windows-1252', () => {
    expect(titleOf(decodeText(fixture('czech-utf8-prolog-lies.xml'), 'text/xml; charset=windows-1252'))).toBe(CZECH);
  });

  it('prefers the Content-Type charset over the prolog', () => {
    const body = fixture('czech-windows-1250.xml');
    expect(titleOf(decodeText(body, 'application/xml; charset="windows-1250"'))).toBe(CZECH);
    // A header that disagrees with the prolog wins: ISO-8859-2 puts different letters on these bytes.
    expect(titleOf(decodeText(body, 'application/xml; charset=iso-8859-2'))).not.toBe(CZECH);
  });

  it('reads a UTF-16LE BOM before anything else (Persian)', () => {
    const text = decodeText(fixture('persian-utf16le-bom.xml'), 'text/xml; charset=iso-8859-1');
    expect(titleOf(text)).toBe('سلام دنیا، خبر تازه');
    expect(text.startsWith('<?xml')).toBe(true);
  });

  it('strips a UTF-8 BOM', () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<rss><title>ok</title></rss>')]);
    expect(decodeText(body, null)).toBe('<rss><title>ok</title></rss>');
  });

  it('reads UTF-16BE with a BOM and UTF-16LE without one', () => {
    const be = Buffer.from('\ufeff<t>žluť</t>', 'utf16le').swap16();
    expect(decodeText(be, null)).toBe('<t>žluť</t>');
    expect(decodeText(Buffer.from('<t>žluť</t>', 'utf16le'), null)).toBe('<t>žluť</t>');
  });

  it('reads UTF-16BE without a BOM by its bytes, whatever order the label implies', () => {
    const be = Buffer.from(`<?xml version="1.0" encoding="utf-16"?><rss><title>${CZECH}</title></rss>`, 'utf16le').swap16();
    expect(titleOf(decodeText(be, 'application/xml; charset=utf-16'))).toBe(CZECH);
    expect(titleOf(decodeText(be, 'application/xml'))).toBe(CZECH);
  });

  it('reads 8-bit bytes under a UTF-16 label as if unlabelled (.NET writers label UTF-8 "utf-16")', () => {
    const prolog = Buffer.from(`<?xml version="1.0" encoding="utf-16"?><rss><title>${CZECH}</title></rss>`);
    expect(titleOf(decodeText(prolog, 'application/rss+xml'))).toBe(CZECH);
    expect(titleOf(decodeText(prolog, 'application/rss+xml; charset=utf-16'))).toBe(CZECH);
    const meta = Buffer.from('<html><head><meta charset="utf-16"><title>Hello</title></head></html>');
    expect(titleOf(decodeText(meta, 'text/html'))).toBe('Hello');
  });

  it.each([
    ['russian-koi8-r.xml', null, RUSSIAN],
    ['russian-windows-1251.html', 'text/html', 'Съешь же ещё этих мягких булок'],
    ['polish-iso-8859-2.xml', null, 'Zażółć gęślą jaźń'],
    ['arabic-windows-1256.xml', null, 'مرحبا بالعالم'],
  ])('decodes %s from its declaration', (name, contentType, title) => {
    expect(titleOf(decodeText(fixture(name), contentType))).toBe(title);
  });

  it('reads undeclared bytes that are not UTF-8 as windows-1252', () => {
    expect(titleOf(decodeText(fixture('french-latin1-undeclared.xml'), null))).toBe('Café crème à la française');
  });

  it('falls back sensibly on an unknown charset label', () => {
    expect(decodeText(Buffer.from('<t>ok ž</t>'), 'text/xml; charset=x-no-such-charset')).toBe('<t>ok ž</t>');
  });
});

describe('charset through a real response', () => {
  let server: TestServer;
  const client = createHttpClient({ allowPrivateNetworks: true });
  beforeAll(async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain; charset=koi8-r' });
      res.end(fixture('russian-koi8-r.xml').subarray(fixture('russian-koi8-r.xml').indexOf('<rss')));
    });
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  it('the Content-Type charset of the response decodes its body', async () => {
    const response = await client.request(server.url('/'));
    expect(titleOf(decodeText(response.body, response.headers['content-type'] ?? null))).toBe(RUSSIAN);
  });
});
