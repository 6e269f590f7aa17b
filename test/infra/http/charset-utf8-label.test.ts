import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeDocument } from '../../../src/infra/http/index.js';

// Servers add `charset=utf-8` to whatever they serve, so a feed written in a single-byte code page
// arrives labelled UTF-8 while its own prolog (or meta) names the code page it really is in. Bytes
// that are not UTF-8 are read as the document says; bytes that are UTF-8 stay UTF-8.

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/http/${name}`, import.meta.url));
const titleOf = (text: string) => /<title>(.*)<\/title>/.exec(text)?.[1];
const UTF8 = 'application/rss+xml; charset=utf-8';

describe('a body the Content-Type labels UTF-8', () => {
  it.each([
    ['czech-windows-1250.xml', 'Příliš žluťoučký kůň úpěl ďábelské ódy'],
    ['arabic-windows-1256.xml', 'مرحبا بالعالم'],
    ['polish-iso-8859-2.xml', 'Zażółć gęślą jaźń'],
    ['russian-koi8-r.xml', 'Съешь же ещё этих мягких французских булок'],
    ['russian-windows-1251.html', 'Съешь же ещё этих мягких булок'],
  ])('that is not UTF-8 is read as its own declaration says: %s', (name, title) => {
    const body = fixture(name);
    // The label would have given mojibake: the bytes are not UTF-8.
    expect(titleOf(body.toString('utf8'))).toContain('\uFFFD');
    expect(decodeDocument(body, UTF8)).toEqual({ text: expect.any(String), invalidUtf8: false });
    expect(titleOf(decodeDocument(body, UTF8).text)).toBe(title);
    expect(titleOf(decodeDocument(body, 'text/html; charset=UTF8').text)).toBe(title);
  });

  it('that is UTF-8 stays UTF-8 whatever its prolog claims (Czech, Tamil)', () => {
    expect(titleOf(decodeDocument(fixture('czech-utf8-prolog-lies.xml'), UTF8).text)).toBe('Příliš žluťoučký kůň úpěl ďábelské ódy');
    const tamil = Buffer.from('<?xml version="1.0" encoding="windows-1252"?><rss><title>தமிழ் செய்திகள்</title></rss>');
    expect(decodeDocument(tamil, UTF8)).toEqual({ text: expect.stringContaining('<title>தமிழ் செய்திகள்</title>'), invalidUtf8: false });
  });

  it('that is not UTF-8 and declares nothing else is read with U+FFFD, and says so', () => {
    const body = fixture('czech-windows-1250.xml');
    const undeclared = body.subarray(body.indexOf('?>') + 2);
    const read = decodeDocument(undeclared, UTF8);
    expect(read.invalidUtf8).toBe(true);
    expect(titleOf(read.text)).toBe('P\uFFFD\uFFFDli\uFFFD \uFFFDlu\uFFFDou\uFFFDk\uFFFD k\uFFFD\uFFFD \uFFFDp\uFFFDl \uFFFD\uFFFDbelsk\uFFFD \uFFFDdy');
    // A prolog that says UTF-8, or UTF-16 over 8-bit bytes, names nothing else either.
    const prologUtf16 = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="utf-16"?>'), undeclared]);
    expect(decodeDocument(prologUtf16, UTF8).invalidUtf8).toBe(true);
    const prologUtf8 = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="UTF-8"?>'), undeclared]);
    expect(decodeDocument(prologUtf8, null).invalidUtf8).toBe(true);
  });

  it('a header that names a single-byte charset still outranks the prolog, and nothing is flagged', () => {
    const body = fixture('czech-windows-1250.xml');
    const read = decodeDocument(body, 'application/xml; charset=iso-8859-2');
    expect(read.invalidUtf8).toBe(false);
    expect(titleOf(read.text)).not.toBe('Příliš žluťoučký kůň úpěl ďábelské ódy');
  });
});
