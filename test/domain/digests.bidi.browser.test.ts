import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/domain/digests/index.js';
import { PERSIAN_NAMES, persianDigestDocument } from './digests/document.js';
import { launchChromium, noBrowser } from '../support/browser.js';
import { swotItemLayout } from './digests/swot-layout.js';

// The HTML digest laid out by a real browser (Debian's chromium): with Persian brand names, the
// English sentences of the SWOT must still read left to right, with the names in their places.

const OWN = PERSIAN_NAMES.own;
const BETA = PERSIAN_NAMES.beta;


let browser: Browser | undefined;
afterAll(async () => {
  await browser?.close();
});

describe.skipIf(noBrowser)('the HTML digest with right-to-left brand names, in a browser', () => {
  let page: Page;
  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage();
    await page.setContent(renderHtml(persianDigestDocument()), { waitUntil: 'load' });
  });

  const layout = (words: string[]) => swotItemLayout(page, words);

  it('lays out every SWOT item left to right', async () => {
    const items = await layout([]);
    expect(items.length).toBeGreaterThanOrEqual(4);
    for (const item of items) expect([item.direction, item.text]).toEqual(['ltr', item.text]);
  });

  it('keeps a Persian name first in its sentence and the evidence numbers before the names', async () => {
    const items = await layout([OWN, 'is praised for', '10 mentions, net', 'sample mentions']);
    const praised = items.find((i) => i.text.includes('is praised for "customer service"'))!;
    const { left } = praised;
    // Sentence: the name, then "is praised for"; evidence: "10 mentions, net", then the name, then the samples.
    expect(left[OWN]!).toBeLessThan(left['is praised for']!);
    expect(left['10 mentions, net']!).toBeLessThan(left['sample mentions']!);
  });

  it('reads a list of two Persian names in order, each name whole', async () => {
    const items = await layout([BETA, OWN, 'is criticised for', 'has fewer than']);
    const opportunity = items.find((i) => i.text.includes('is criticised for "delivery delays"'))!;
    const { left } = opportunity;
    expect(left[BETA]!).toBeLessThan(left['is criticised for']!);
    expect(left['is criticised for']!).toBeLessThan(left['has fewer than']!);
    // Evidence "…, مکا, کافه آروما; sample…": Beta's name comes before (left of) the own brand's.
    const evidence = opportunity.evidenceLeft;
    expect(evidence[BETA]!).toBeLessThan(evidence[OWN]!);
  });

  it('writes the date under a Persian brand name in the page\'s order: the day before the time', async () => {
    // Each mention row's brand cell takes its name's direction; the date under it must not.
    const dates = (await page.evaluate(`(() => [...document.querySelectorAll('td br + span')]
      .filter((span) => /^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}$/.test(span.textContent))
      .map((span) => {
        const text = span.firstChild;
        const edge = (from, to) => { const r = document.createRange(); r.setStart(text, from); r.setEnd(text, to); return r.getBoundingClientRect().left; };
        return { text: span.textContent, day: edge(0, 10), time: edge(11, 16) };
      }))()`)) as Array<{ text: string; day: number; time: number }>;
    expect(dates.length).toBeGreaterThan(0);
    for (const d of dates) expect([d.text, d.day < d.time]).toEqual([d.text, true]);
  });
});
