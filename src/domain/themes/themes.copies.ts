import { textFingerprint } from '../text/fingerprint.js';
import type { ThemeMention } from './themes.types.js';

/*
 * Copies of one post (the same title and text once links, handles, case and spacing are set
 * aside: textFingerprint) count once per window in themes, as they do in trending keywords. A
 * text posted three times by a bot, cross-posted by three outlets or replayed by the demo is one
 * voice; counted three times it makes a theme of every phrase in it ("3 mentions") and fills the
 * theme's evidence with one text under three ids.
 */

/**
 * One mention per text: the first of its copies in `mentions` (the newest, in the newest-first
 * order windows are read in), with the brands of every copy (a brand whose query takes one source
 * only may have matched an older copy). A mention with no text left but links stands for itself.
 */
export function oneCopyEach<M extends ThemeMention>(mentions: readonly M[]): M[] {
  const kept = new Map<string, M>();
  const out: M[] = [];
  for (const mention of mentions) {
    const print = textFingerprint(mention.title ?? null, mention.text ?? '');
    const held = print ? kept.get(print) : undefined;
    if (!held) {
      const copy = { ...mention, brandIds: [...mention.brandIds] };
      if (print) kept.set(print, copy);
      out.push(copy);
      continue;
    }
    for (const id of mention.brandIds) if (!held.brandIds.includes(id)) (held.brandIds as string[]).push(id);
  }
  return out;
}
