import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestSubject, escapeHtml, renderHtml } from '../../src/domain/digests/index.js';
import { messagesOf } from '../../src/domain/i18n/messages.js';
import { digestDocument } from './digests/document.js';
import { fullDocument } from './digests/languages.js';
import { launchChromium, noBrowser } from '../support/browser.js';
import { swotItemLayout } from './digests/swot-layout.js';

// The Persian HTML digest laid out by a real browser (Debian's chromium): right to left, with the
// Latin brand names and themes inside its sentences in their places, and the page still fitting
// a phone.

let browser: Browser | undefined;
afterAll(async () => {
  await browser?.close();
});

describe.skipIf(noBrowser)('the Persian HTML digest, in a browser', () => {
  let page: Page;
  let html: string;
  beforeAll(async () => {
    browser = await launchChromium();
    html = renderHtml(await fullDocument('fa'), { chart: { cid: 'trend' } });
    // Wide enough that no line the tests compare positions on wraps.
    page = await browser.newPage({ viewport: { width: 1024, height: 800 } });
    await page.setContent(html, { waitUntil: 'load' });
  });

  const layout = (words: string[]) => swotItemLayout(page, words, messagesOf('fa').sections.swot);

  it('lays out the page and every SWOT item right to left', async () => {
    expect(await page.evaluate('getComputedStyle(document.body).direction')).toBe('rtl');
    expect(await page.evaluate('getComputedStyle(document.querySelector("h1")).direction')).toBe('rtl');
    const items = await layout([]);
    expect(items.length).toBeGreaterThanOrEqual(10);
    for (const item of items) expect([item.direction, item.text]).toEqual(['rtl', item.text]);
  });

  it('reads a sentence that starts with a Latin name from the right: the name, then the Latin theme, then the Persian verb', async () => {
    const items = await layout(['Acme', 'customer', 'service', 'تحسین']);
    const { left } = items.find((i) => i.text.includes('customer service'))!;
    // Right to left: Acme … «customer service» … تحسین; the theme itself left to right.
    expect(left.Acme!).toBeGreaterThan(left.service!);
    expect(left.customer!).toBeLessThan(left.service!);
    expect(left.service!).toBeGreaterThan(left['تحسین']!);
  });

  it('reads a list of two Latin names in order from the right, each whole', async () => {
    const items = await layout(['Beta', 'Gamma']);
    // The evidence line names Beta, then Gamma: right to left, Beta stands to the right of Gamma.
    const { evidenceLeft } = items[0]!;
    expect(evidenceLeft.Beta!).toBeGreaterThan(evidenceLeft.Gamma!);
  });

  it('puts a table\'s first column at the right, and fits a phone', async () => {
    const headers = await page.evaluate(`[...document.querySelector('table table table').querySelectorAll('th')].map((th) => th.getBoundingClientRect().left)`) as number[];
    expect(headers.length).toBeGreaterThan(1);
    expect(headers[0]!).toBeGreaterThan(headers[1]!);
    const phone = await browser!.newPage({ viewport: { width: 375, height: 800 } });
    await phone.setContent(html, { waitUntil: 'load' });
    expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await phone.close();
  });
});

describe.skipIf(noBrowser)('the Persian e-mail subject, laid out as a plain-text line', () => {
  const NAME = 'Kavárny Praha';
  const FIRST_DAY = '۲۰۲۶/۱۱/۹';
  let subject: string;
  beforeAll(async () => {
    browser ??= await launchChromium();
    subject = digestSubject({ ...(await fullDocument('fa')), workspace: { ...digestDocument().workspace, name: NAME } });
  });

  /** The left edge of each word's first occurrence in `line`, laid out as a mail client shows a subject: plain text, in a line of direction `dir`. */
  async function leftEdges(line: string, dir: 'rtl' | 'auto', words: string[]): Promise<Record<string, number>> {
    const page = await browser!.newPage({ viewport: { width: 1024, height: 200 } });
    await page.setContent(`<div dir="${dir}" style="white-space:pre;font:16px sans-serif;">${escapeHtml(line)}</div>`);
    const edges = (await page.evaluate(`(() => {
      const text = document.querySelector('div').firstChild;
      return Object.fromEntries(${JSON.stringify(words)}.map((word) => {
        const at = text.textContent.indexOf(word);
        const range = document.createRange();
        range.setStart(text, at);
        range.setEnd(text, at + word.length);
        return [word, range.getBoundingClientRect().left];
      }));
    })()`)) as Record<string, number>;
    await page.close();
    return edges;
  }

  /** Whether the words stand from right to left in the order given. */
  const rightToLeft = (left: Record<string, number>, words: string[]) => words.every((w, i) => i === 0 || left[words[i - 1]!]! > left[w]!);

  it('reads from the right: the Latin workspace name, the colon, the first day, then the last', async () => {
    const words = ['برای', NAME, ':', FIRST_DAY, 'تا'];
    for (const dir of ['rtl', 'auto'] as const) expect([dir, rightToLeft(await leftEdges(subject, dir, words), words)]).toEqual([dir, true]);
  });

  it('needs its mark: without the RLM the colon and the first day join the Latin name\'s run, left of it', async () => {
    const left = await leftEdges(subject.replace(/\u200F/gu, ''), 'rtl', [NAME, ':', FIRST_DAY]);
    expect(left[':']!).toBeGreaterThan(left[NAME]!);
  });
});
