import { generateFeeds } from './support/feeds.js';
import { parseFeed } from '../src/domain/feeds/feed.parser.js';
import { decodeText } from '../src/infra/http/index.js';
import { createTokeniser } from '../src/domain/sentiment/sentiment.tokens.js';
import { detectLanguage } from '../src/domain/language/language.detect.js';
import { forEachWord } from '../src/domain/query/query.words.js';
import { foldCase } from '../src/domain/text/tokens.js';
const fetchedAt = new Date();
const texts: string[] = [];
for (const f of generateFeeds({ count: 50, items: 200, seed: 42, now: fetchedAt })) {
  const feed = await parseFeed(decodeText(f.body, 'application/rss+xml; charset=utf-8'), { feedUrl: `https://x.example.com/f.xml`, fetchedAt });
  for (const it of feed.items) texts.push(it.title ? `${it.title}\n${it.text}` : it.text);
}
console.log('items', texts.length, 'avg chars', Math.round(texts.reduce((a, t) => a + t.length, 0) / texts.length));
const tok = createTokeniser();
function time(label: string, fn: (t: string) => unknown) {
  for (let r = 0; r < 2; r++) for (const t of texts) fn(t);
  const t0 = performance.now();
  for (let r = 0; r < 3; r++) for (const t of texts) fn(t);
  console.log(label.padEnd(30), ((performance.now() - t0) * 1000 / (3 * texts.length)).toFixed(2), 'µs/item');
}
time('normalize NFC', (t) => t.normalize('NFC'));
time('toLowerCase', (t) => t.toLowerCase());
time('foldCase', (t) => foldCase(t));
time('sentiment tokenise', (t) => tok(t));
time('detectLanguage', (t) => detectLanguage(t, 0.35));
time('matcher forEachWord(foldCase)', (t) => { let n = 0; forEachWord(foldCase(t), () => n++); return n; });
const W = /[\p{L}\p{M}\p{N}\u200C\u200D]+/gu;
time('bare word regex match', (t) => t.match(W));
const WC = /[\p{L}\p{M}\p{N}\u200C\u200D]/u;
const table = new Uint8Array(65536);
const tb = performance.now();
for (let c = 0; c < 65536; c++) if (c < 0xd800 || c > 0xdfff) table[c] = WC.test(String.fromCharCode(c)) ? 1 : 0;
console.log('table build ms', (performance.now() - tb).toFixed(1));
function scan(t: string, visit: (w: string) => void) {
  const n = t.length;
  let i = 0;
  while (i < n) {
    let c = t.charCodeAt(i);
    if (table[c] === 0 && !(c >= 0xd800 && c <= 0xdbff)) { i++; continue; }
    const start = i;
    while (i < n) {
      c = t.charCodeAt(i);
      if (table[c] === 1) { i++; continue; }
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) { const cp = t.codePointAt(i)!; if (WC.test(String.fromCodePoint(cp))) { i += 2; continue; } }
      break;
    }
    if (i > start) visit(t.slice(start, i)); else i++;
  }
}
time('table scanner(foldCase)', (t) => { let n = 0; scan(foldCase(t), () => n++); return n; });
let diff = 0;
for (const t of texts) { const a: string[] = []; const b: string[] = []; scan(t, (w) => a.push(w)); const m = t.match(W) ?? []; if (a.join('\u0001') !== m.join('\u0001')) diff++; }
console.log('diff', diff);
