import { firstOfEachText } from '../text/fingerprint.js';
import type { ThemeMention } from './themes.types.js';

/*
 * Copies of one post (the same title and text once links, handles, case and spacing are set
 * aside: textFingerprint) count once per window in themes, as they do in trending keywords. A
 * text posted three times by a bot, cross-posted by three outlets or replayed by the demo is one
 * voice; counted three times it makes a theme of every phrase in it ("3 mentions") and fills the
 * theme's evidence with one text under three ids.
 */

/**
 * One mention per text (firstOfEachText): the newest of its copies, with the brands of every copy
 * (a brand whose query takes one source only may have matched an older copy).
 */
export async function oneCopyEach<M extends ThemeMention>(mentions: readonly M[]): Promise<M[]> {
  const copies = mentions.map((mention) => ({ ...mention, brandIds: [...mention.brandIds] }));
  return firstOfEachText(copies, (m) => m, (held, copy) => {
    for (const id of copy.brandIds) if (!held.brandIds.includes(id)) held.brandIds.push(id);
  });
}
