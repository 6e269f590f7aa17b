import type { Page } from 'playwright-core';

/** A SWOT list item as the browser laid it out. */
export interface SwotItemLayout {
  text: string;
  direction: string;
  left: Record<string, number | null>;
  evidenceLeft: Record<string, number | null>;
}

/**
 * Per SWOT list item of the digest on `page`: its computed direction, and the left edge of each
 * word's first occurrence in the item and in its evidence line (null when absent). `heading` is the
 * SWOT section's, in the digest's language. Runs in the page, as a script: the project's
 * TypeScript has no DOM types.
 */
export const swotItemLayout = (page: Page, words: string[], heading = 'SWOT') =>
  page.evaluate(`(() => {
    const words = ${JSON.stringify(words)};
    const leftOf = (root, word) => {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent.indexOf(word);
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + word.length);
        return range.getBoundingClientRect().left;
      }
      return null;
    };
    const swot = [...document.querySelectorAll('h2')].find((h) => h.textContent === ${JSON.stringify(heading)});
    const items = [...document.querySelectorAll('li')].filter((li) => swot.compareDocumentPosition(li) & Node.DOCUMENT_POSITION_FOLLOWING);
    return items.map((li) => {
      const evidence = li.querySelector('span');
      return {
        text: li.textContent,
        direction: getComputedStyle(li).direction,
        left: Object.fromEntries(words.map((w) => [w, leftOf(li, w)])),
        evidenceLeft: Object.fromEntries(words.map((w) => [w, evidence ? leftOf(evidence, w) : null])),
      };
    });
  })()`) as Promise<SwotItemLayout[]>;
