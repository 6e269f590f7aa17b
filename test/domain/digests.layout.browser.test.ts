import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml, type DigestDocument } from '../../src/domain/digests/index.js';
import { HOSTILE_TEXT, digestDocument } from './digests/document.js';
import { launchChromium, noBrowser } from '../support/browser.js';

// The HTML digest on a phone (375 px wide) in a real browser (Debian's chromium): the e-mail with
// its images blocked, and the API's page with the inline SVG, must fit the screen, with no figure
// running into the next cell and no brand name cut mid-word.

const NAMES = { acme: 'Zlatá Lžička', beta: 'Chaiwala Express', gamma: 'Kafe Darya' };

/** Real names, and a period cut at both ends (11-09 from 18:30, 11-15 until 02:00), as the audit's. */
function phoneDocument(): DigestDocument {
  const doc = digestDocument({ names: NAMES });
  const sentimentTrend = doc.sentimentTrend.map((s) => ({
    ...s,
    days: s.days.map((d, i) => ({
      ...d,
      since: i === 0 ? `${d.date}T17:30:00Z` : `${d.date}T00:00:00+01:00`,
      until: i === s.days.length - 1 ? `${d.date}T01:00:00Z` : `${s.days[i + 1]!.date}T00:00:00+01:00`,
    })),
  }));
  // Net sentiment beside the window before's, the widest figures the brand table has.
  const brands = doc.brands.map((b) => ({ ...b, mentions: b.mentions * 10, previousMentions: 2, netSentiment: -0.9876, previousNetSentiment: 0.8765, netSentimentChange: -1.8641 }));
  return { ...doc, brands, sentimentTrend, topNegative: [...doc.topNegative, { ...doc.topNegative[0]!, id: 'h3', text: HOSTILE_TEXT.replace('A'.repeat(500), 'B'.repeat(1500)) }] };
}

let browser: Browser | undefined;
afterAll(async () => {
  await browser?.close();
});

interface Layout { pageWidth: number; overflowing: string[]; brokenNames: string[] }

/**
 * The page's width, the cells whose content is wider than the cell (text running into the next),
 * and the brand names laid out on more than one line within a word. Runs in the page, as a script:
 * the project's TypeScript has no DOM types.
 */
const layoutOf = (page: Page) => page.evaluate(`(() => {
  const names = ${JSON.stringify(Object.values(NAMES))};
  const overflowing = [...document.querySelectorAll('td')]
    .filter((td) => !td.querySelector('table') && td.scrollWidth > td.clientWidth + 1)
    .map((td) => td.textContent);
  const brokenNames = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const name of names) {
      let at = node.textContent.indexOf(name);
      if (at < 0) continue;
      for (const word of name.split(' ')) {
        const start = node.textContent.indexOf(word, at);
        const range = document.createRange();
        range.setStart(node, start);
        range.setEnd(node, start + word.length);
        const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (tops.size > 1) brokenNames.push(word);
      }
    }
  }
  return { pageWidth: document.documentElement.scrollWidth, overflowing, brokenNames };
})()`) as Promise<Layout>;

describe.skipIf(noBrowser)('the HTML digest on a phone, in a browser', () => {
  beforeAll(async () => {
    browser = await launchChromium();
  });

  async function laidOut(html: string, width: number): Promise<Layout> {
    const page = await browser!.newPage({ viewport: { width, height: 2400 } });
    // The e-mail's cid: image cannot load here: a mail client with images blocked shows the same.
    await page.setContent(html, { waitUntil: 'load' });
    const layout = await layoutOf(page);
    await page.close();
    return layout;
  }

  for (const width of [375, 1024]) {
    it(`the e-mail with its image blocked fits ${width} px: no cell overflows, no name is cut`, async () => {
      const layout = await laidOut(renderHtml(phoneDocument(), { chart: { cid: 'earshot-trend' } }), width);
      expect(layout).toEqual({ pageWidth: width, overflowing: [], brokenNames: [] });
    });

    it(`the page with the inline SVG fits ${width} px`, async () => {
      const layout = await laidOut(renderHtml(phoneDocument(), { chart: 'svg' }), width);
      expect(layout).toEqual({ pageWidth: width, overflowing: [], brokenNames: [] });
    });
  }
});
