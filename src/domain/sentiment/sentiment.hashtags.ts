const MAX_WORD = 20;
// Longer tags are spam or pasted text; segmenting them would cost O(length × MAX_WORD) strings.
const MAX_TAG = 60;
// A letter the vocabulary cannot place costs more than any split into known words.
const UNKNOWN_CHAR_COST = 3;

/**
 * Splits an unspaced hashtag body ("notgoodatall") into the fewest known words
 * (["not", "good", "at", "all"]) by dynamic programming over `isWord`. Letters no known word
 * covers come out as one run, so a partly known tag still yields its known words.
 */
export function createHashtagSegmenter(isWord: (w: string) => boolean): (tag: string) => string[] {
  return (tag) => {
    const chars = [...tag];
    if (chars.length > MAX_TAG) return [tag];
    const n = chars.length;
    const cost = new Array<number>(n + 1).fill(Infinity);
    const from = new Array<number>(n + 1).fill(0);
    const known = new Array<boolean>(n + 1).fill(false);
    cost[0] = 0;
    for (let end = 1; end <= n; end++) {
      for (let start = Math.max(0, end - MAX_WORD); start < end; start++) {
        const word = chars.slice(start, end).join('');
        const isKnown = isWord(word);
        if (!isKnown && end - start > 1) continue;
        const c = cost[start]! + (isKnown ? 1 : UNKNOWN_CHAR_COST);
        if (c < cost[end]!) { cost[end] = c; from[end] = start; known[end] = isKnown; }
      }
    }
    const parts: string[] = [];
    let unknownRun = '';
    const pieces: Array<{ word: string; known: boolean }> = [];
    for (let end = n; end > 0; end = from[end]!) pieces.unshift({ word: chars.slice(from[end]!, end).join(''), known: known[end]! });
    for (const piece of pieces) {
      if (piece.known) {
        if (unknownRun) { parts.push(unknownRun); unknownRun = ''; }
        parts.push(piece.word);
      } else unknownRun += piece.word;
    }
    if (unknownRun) parts.push(unknownRun);
    return parts;
  };
}
